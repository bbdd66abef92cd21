"""The audit log: append-only, one row per security-relevant event, written in the same
transaction as the change it records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Audit rows and revisions are never changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("只允许追加，不允许修改")

    def delete(self):
        raise AppendOnlyError("只允许追加，不允许删除")


class AppendOnlyModel(models.Model):
    """ORM guard; the migrations add database triggers that refuse UPDATE (and DELETE on PostgreSQL)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("只允许追加，不允许修改")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("只允许追加，不允许删除")


ACTIONS = {
    "login": "登录成功",
    "login_failed": "登录失败",
    "login_locked": "账户锁定中登录被拒",
    "otp_failed": "两步验证码错误",
    "otp_enrolled": "开启两步验证",
    "otp_disabled": "关闭两步验证",
    "otp_reset": "重置两步验证设备",
    "account_locked": "账户因多次失败被锁定",
    "logout": "退出登录",
    "session_timeout": "会话超时",
    "session_expired": "会话到达最长时限",
    "password_changed": "修改密码",
    "permission_denied": "越权访问被拒",
    "package_created": "创建材料",
    "save": "保存",
    "save_conflict": "保存冲突被拒",
    "import": "导入文件",
    "import_failed": "导入失败",
    "restore": "恢复历史版本",
    "explanations": "填写错误说明",
    "prepare": "提请提交",
    "unprepare": "退回填表人",
    "submit": "提交",
    "submit_refused": "提交被拒",
    "return": "财政局退回",
    "accept": "财政局接收",
    "download": "下载",
    "user_created": "创建用户",
    "user_deactivated": "停用用户",
    "user_unlocked": "解除锁定",
    "password_reset": "管理员重置密码",
    "audit_purged": "清理过期审计记录",
}


class AuditEvent(AppendOnlyModel):
    # Set by record() before the row is hashed (not auto_now_add, which would set it after).
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Copied, so the record still says who it was if the account changes later.
    username = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=40, db_index=True)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # The hash chain (chain.py): 1, 2, 3 … without gaps; the previous row's hash; this row's.
    seq = models.BigIntegerField(unique=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]

    @property
    def action_label(self) -> str:
        return ACTIONS.get(self.action, self.action)


class AuditChainHead(models.Model):
    """One row (pk=1): the seq and hash of the newest audit row. Writers lock it to append, so
    the chain stays linear under concurrent writers."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"
