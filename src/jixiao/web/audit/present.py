"""The audit log as the 审计管理员 reads it: role names, the object by its name (“某单位2023年度
绩效自评材料”) and the detail as Chinese “项：值” lines, never role codes, `package#5` or dicts.

The stored rows are unchanged (codes and a JSON detail); this only shows them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jixiao.forms import part_name

DETAIL_KEYS = {
    "reason": "原因", "status": "状态码", "method": "请求方式", "campaign": "评价任务", "unit": "单位",
    "base": "所据版本", "head": "最新版本", "source": "来源", "revision": "版本", "restored": "恢复的版本",
    "explained": "已说明的问题", "attempt": "尝试的操作", "unexplained": "未说明的错误", "comment": "意见",
    "format": "格式", "file": "文件", "size": "大小", "import_issues": "未能放入表格的内容", "issues": "未能放入的内容",
    "sheet": "表格", "until": "锁定至", "attempts_left": "剩余尝试次数", "seconds": "锁定秒数", "username": "用户名",
    "role": "角色", "cleared": "清除的失败记录", "idle_seconds": "空闲秒数", "what": "导出内容", "job": "后台任务",
    "all": "全部公开", "year": "年度", "rule_pack": "规则包", "units": "单位数", "deadline": "截止日期",
    "is_open": "开放填报", "attached": "加入的单位数", "created": "新建的单位", "from_revision": "来自上年版本",
    "publication": "公开记录", "number": "公开次数", "pdf": "含PDF", "decision": "审核结论", "cells": "单元格意见",
    "review_total": "审核得分", "note": "备注",
    "before": "清理此时间之前", "purged": "清理条数", "through_seq": "最后清理的序号", "through_hash": "其哈希值",
    "retention_days": "保存天数", "forced": "首次登录或重置后的强制修改",
    "stage": "环节", "second_factor": "第二因素", "devices": "清除的设备数", "at_login": "登录时绑定",
    "version": "批复版次",
}
_VALUES = {
    "decision": {"return": "退回修改", "accept": "审核通过"},
    "what": {"summary": "汇总表", "reminders": "催报名单", "dashboard": "统计数据"},
    "format": {"json": "JSON", "docx": "Word", "xlsx": "Excel", "pdf": "PDF"},
    "attempt": {"prepare": "提请提交", "submit": "提交"},
    # a login's step of two-factor sign-in (a package's step of the yearly cycle: packages.Stage)
    "stage": {"login": "登录", "enrol": "绑定身份验证器", "disable": "关闭两步验证"},
    "second_factor": {"totp": "身份验证器验证码"},
}
NUMBERED = {"revision", "base", "head", "restored"}  # revision numbers: shown as “第N版”
OBJECT_TYPES = {"package": "绩效自评材料", "campaign": "评价任务", "user": "用户", "publication": "公开记录",
                "unit": "单位", "importjob": "后台任务"}


def _sheets() -> dict[str, str]:
    """A sheet key of the detail ('basic') by the name of its part (the default form's)."""
    return {key: part_name(key) for key in ("basic", "overall", "report")}


@dataclass
class Row:
    event: Any
    role: str
    object: str
    lines: list[str]


def rows(events) -> list[Row]:
    """The page's events, each with its role, object and detail lines in Chinese (a query per type)."""
    from ..accounts.models import Role, User
    from ..packages.models import SOURCES, Campaign, Package, Stage

    events = list(events)
    ids: dict[str, set[str]] = {}
    for e in events:
        if e.object_type and e.object_id:
            ids.setdefault(e.object_type, set()).add(e.object_id)
    names: dict[tuple[str, str], str] = {}
    for p in Package.objects.filter(pk__in=_ints(ids.get("package"))).select_related("unit", "campaign"):
        names[("package", str(p.pk))] = f"{p.unit.name}{p.campaign.year}年度绩效自评材料"
    # A package's creation names its campaign by id in the detail: shown by its title too.
    ids.setdefault("campaign", set()).update(
        str(e.detail["campaign"]) for e in events if isinstance(e.detail, dict) and isinstance(e.detail.get("campaign"), int))
    for c in Campaign.objects.filter(pk__in=_ints(ids.get("campaign"))):
        names[("campaign", str(c.pk))] = f"评价任务“{c.title}”"
    for u in User.objects.filter(pk__in=_ints(ids.get("user"))):
        names[("user", str(u.pk))] = f"用户 {u.username}"
    roles = dict(Role.choices)
    values = {**_VALUES, "sheet": _sheets(), "source": SOURCES, "role": roles, "what": {**_VALUES["what"], **_chart_titles()},
              "stage": {**_VALUES["stage"], **dict(Stage.choices)},
              "campaign": {int(k[1]): v[len("评价任务"):] for k, v in names.items() if k[0] == "campaign"}}
    out = []
    for e in events:
        obj = ""
        if e.object_type:
            obj = names.get((e.object_type, e.object_id)) or (
                f"{OBJECT_TYPES.get(e.object_type, e.object_type)}（编号{e.object_id}）" if e.object_id
                else OBJECT_TYPES.get(e.object_type, e.object_type))
        out.append(Row(e, roles.get(e.role, e.role), obj, detail_lines(e.detail, values)))
    return out


def detail_lines(detail: Any, values: dict[str, dict[str, str]] | None = None) -> list[str]:
    values = {**_VALUES, "sheet": _sheets()} if values is None else values
    if not isinstance(detail, dict):
        return [_show(detail)] if detail not in (None, "", [], {}) else []
    out = []
    for key, value in detail.items():
        if value in (None, "", [], {}):
            continue
        label = DETAIL_KEYS.get(key, key)
        if key in NUMBERED and isinstance(value, int) and not isinstance(value, bool):
            out.append(f"{label}：第{value}版")
            continue
        if key == "explained" and isinstance(value, list):
            out.append(f"{label}：{len(value)}条（{_explained(value)}）")
            continue
        shown = values.get(key, {}).get(value, None) if isinstance(value, str | int) else None
        out.append(f"{label}：{shown if shown is not None else _show(value)}")
    return out


def _explained(keys: list) -> str:
    """Finding keys (“rule|path|…”) as the rules' Chinese titles, each once."""
    from jixiao.rules import PackError, load_pack

    try:
        pack = load_pack()
    except PackError:
        pack = None
    titles: list[str] = []
    for key in keys:
        rule = str(key).split("|", 1)[0]
        title = pack.title(rule) if pack else rule
        if title not in titles:
            titles.append(title)
    return "、".join(titles)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_show(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{DETAIL_KEYS.get(k, k)}：{_show(v)}" for k, v in value.items())
    return str(value)


def _chart_titles() -> dict[str, str]:
    try:
        from ..bureau.views_dashboard import chart_names
    except ImportError:  # the bureau app is optional for this page
        return {}
    return {f"chart:{k}": f"图表数据（{v}）" for k, v in chart_names().items()}


def _ints(values) -> list[int]:
    return [int(v) for v in values or () if str(v).isdigit()]
