"""Organisations and people: a bureau (财政局) oversees units (预算单位); each user has one role."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


class Bureau(models.Model):
    """A finance bureau (财政局) and the units it oversees."""

    name = models.CharField("名称", max_length=200, unique=True)

    class Meta:
        verbose_name = "财政局"
        verbose_name_plural = "财政局"

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A budget unit (预算单位) under one bureau."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="units", verbose_name="财政局")
    name = models.CharField("单位名称", max_length=200)
    code = models.CharField("单位编码", max_length=50, blank=True)

    class Meta:
        verbose_name = "预算单位"
        verbose_name_plural = "预算单位"
        constraints = [models.UniqueConstraint(fields=["bureau", "name"], name="unit_name_unique_in_bureau")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CLERK = "clerk", "填表人"
    UNIT_HEAD = "unit_head", "单位负责人"
    REVIEWER = "reviewer", "财政局审核人"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITOR = "auditor", "审计管理员"


UNIT_ROLES = frozenset({Role.CLERK, Role.UNIT_HEAD})
BUREAU_ROLES = frozenset({Role.REVIEWER})
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})


class User(AbstractUser):
    """One person, one role. Unit roles belong to a unit, the reviewer to a bureau, the three
    administrators to neither (三员分立: none of them sees packages, only the auditor sees the log)."""

    role = models.CharField("角色", max_length=20, choices=Role.choices)
    full_name = models.CharField("姓名", max_length=100, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    bureau = models.ForeignKey(Bureau, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    # Set when an administrator creates the account or resets its password: until the user picks
    # a password of their own, every page leads to the password change (middleware.py).
    must_change_password = models.BooleanField("须修改密码", default=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                name="user_role_scope",
                condition=(
                    models.Q(role__in=["clerk", "unit_head"], unit__isnull=False, bureau__isnull=True)
                    | models.Q(role="reviewer", unit__isnull=True, bureau__isnull=False)
                    | models.Q(role__in=["sysadmin", "secadmin", "auditor"], unit__isnull=True, bureau__isnull=True)
                ),
            )
        ]

    def clean(self) -> None:
        super().clean()
        if self.role in UNIT_ROLES and (self.unit_id is None or self.bureau_id is not None):
            raise ValidationError("填表人和单位负责人须属于一个预算单位")
        if self.role in BUREAU_ROLES and (self.bureau_id is None or self.unit_id is not None):
            raise ValidationError("财政局审核人须属于一个财政局")
        if self.role in ADMIN_ROLES and (self.unit_id or self.bureau_id):
            raise ValidationError("系统、安全、审计管理员不属于任何单位或财政局")

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""

    @property
    def scope_label(self) -> str:
        if self.unit_id:
            return self.unit.name
        if self.bureau_id:
            return self.bureau.name
        return ""


class LoginFailure(models.Model):
    """One failed login, kept for the lockout window (per user name, known or not, so a
    locked name and an unknown one answer alike)."""

    username = models.CharField(max_length=150, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"


class PasswordHistory(models.Model):
    """The hashes of a user's last passwords (validators.PasswordHistoryValidator), newest first."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-at", "-id"]
