"""Workbooks the bureau hands on: the campaign summary (one row per unit), the reminder
list, and the data behind each dashboard chart.

Text cells that start with = + - @ are written as text with Excel's quote prefix (a unit
name is user input; it must never become a formula). Money is Decimal 万元 with two places,
numbers stay numbers so the bureau can sum them in Excel.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import Max
from django.utils import timezone

from jixiao.forms import column_label, column_labels, form_def, row_name

from ..accounts.models import Role, Unit, User
from ..packages.models import Campaign, Package, State
from .figures import from_cents
from .models import Publication, Review
from .progress import DONE_STATES, STATUS_LABELS, is_overdue, status_of, units_with_status
from .xlsx_stream import stream_workbook, workbook_bytes


def workbook(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """(title, header, rows) per sheet → xlsx bytes (written directly: 20,000 rows stay cheap)."""
    return workbook_bytes(sheets)


def summary_header(form: str | None = None) -> tuple[str, ...]:
    """The summary's columns; those of form figures are named by the form's labels. A form without a
    基础数据表 has no 三公经费 / 项目支出 columns; its funds columns sum its project tables
    (bureau.figures.funds_cents)."""
    funds = column_labels("funds", form)
    basic: tuple[str, ...] = ()
    if _has_basic(form):
        final = column_label("amount", "final", form)
        sangong, project = (row_name("amount", f, form) for f in ("sangong", "project_spending"))
        basic = (f"{sangong}本年{final}（万元）", f"{project}本年{final}（万元）")
    return (
        "序号", "单位名称", "单位编码", "状态", "是否逾期", "当前版本", f"{funds['full_year_budget']}（万元）",
        f"{funds['executed']}（万元）", f"{funds['execution_rate']}（%）", *basic, "自评总分", "自评等级", "核定总分", "核定等级",
        "审核得分", "审核等级", "错误", "警告", "提示", "未说明错误", "最近提交时间", "已公开",
    )


def _has_basic(form: str | None) -> bool:
    return "basic" in form_def(form)["parts"]


SUMMARY_HEADER = summary_header()  # the default form's


def summary_rows(campaign: Campaign) -> list[list[Any]]:
    # Two plain queries and the status in Python (progress.status_of): at 20,000 units the
    # correlated subqueries of units_with_status cost more than writing the workbook.
    heads = _all_heads(campaign)
    by_unit = {h["unit_id"]: h for h in heads.values()}
    units = []
    for u in Unit.objects.filter(campaigns=campaign).order_by("name").values("pk", "name", "code"):
        h = by_unit.get(u["pk"])
        units.append(dict(u, status=status_of(h), package_id=h["pk"] if h else None))
    reviews: dict[int, Review] = {}
    for r in Review.objects.filter(package__campaign=campaign, package__stage="evaluation").order_by("package_id", "-at", "-id"):
        reviews.setdefault(r.package_id, r)
    submitted = dict(
        Package.objects.filter(campaign=campaign, stage="evaluation", transitions__to_state=State.SUBMITTED)
        .values_list("pk").annotate(last=Max("transitions__at"))
    )
    published = set(Publication.objects.filter(campaign=campaign).values_list("package_id", flat=True))
    today = timezone.localdate()
    basic = _has_basic(campaign.form)
    out = []
    for n, u in enumerate(units, start=1):
        h = heads.get(u["package_id"], {})
        rev = reviews.get(u["package_id"])
        out.append([
            n, u["name"], u["code"], STATUS_LABELS.get(u["status"], u["status"]),
            "是" if is_overdue(campaign, u["status"], today) else "", h.get("head_number"),
            from_cents(h.get("head__figures__budget_cents")), from_cents(h.get("head__figures__executed_cents")),
            h.get("head__figures__execution_rate"),
            *((from_cents(h.get("head__figures__sangong_final_cents")),
               from_cents(h.get("head__figures__project_final_cents"))) if basic else ()),
            h.get("head__self_total"), h.get("head__self_grade") or "", h.get("head__computed_total"),
            h.get("head__computed_grade") or "", rev.review_total if rev else None, rev.review_grade if rev else "",
            h.get("head__errors"), h.get("head__warnings"), h.get("head__infos"), h.get("head__unexplained_errors"),
            submitted.get(u["package_id"]), "是" if u["package_id"] in published else "",
        ])
    return out


def _all_heads(campaign: Campaign) -> dict[int, dict]:
    """Every package of the campaign with its head's figures, in one query (no long IN list)."""
    return {
        p["pk"]: p for p in Package.objects.filter(campaign=campaign, stage="evaluation").values(
            "pk", "unit_id", "state", "head__source", "head_number", "head__self_total", "head__self_grade", "head__computed_total",
            "head__computed_grade", "head__errors", "head__warnings", "head__infos", "head__unexplained_errors",
            "head__figures__budget_cents", "head__figures__executed_cents", "head__figures__execution_rate",
            "head__figures__sangong_final_cents", "head__figures__project_final_cents",
        )
    }


def summary_workbook(campaign: Campaign) -> bytes:
    return b"".join(summary_stream(campaign))


def summary_stream(campaign: Campaign) -> Iterator[bytes]:
    """The summary workbook as chunks: the queries run when the first chunk is asked for, and
    rows are written and handed on while the rest are."""

    def rows() -> Iterator[list[Any]]:
        yield from summary_rows(campaign)

    return stream_workbook([(f"{campaign.year}年度汇总", summary_header(campaign.form), rows())])


REMINDER_HEADER = ("序号", "单位名称", "单位编码", "状态", "最后保存", "填表人", "单位负责人", "截止日期", "逾期天数")


def reminder_rows(campaign: Campaign) -> list[list[Any]]:
    units = list(units_with_status(campaign).exclude(status__in=DONE_STATES).order_by("name")
                 .values("pk", "name", "code", "status", "package_id"))
    people: dict[int, dict[str, list[str]]] = {}
    for unit_id, role, name, full in (User.objects.filter(unit__campaigns=campaign, is_active=True,
                                                          role__in=[Role.CLERK, Role.UNIT_HEAD])
                                      .order_by("username").values_list("unit_id", "role", "username", "full_name")):
        people.setdefault(unit_id, {}).setdefault(role, []).append(full or name)
    saved = dict(Package.objects.filter(campaign=campaign, stage="evaluation").values_list("pk", "head__created_at"))
    today = timezone.localdate()
    late = (today - campaign.deadline).days if campaign.deadline and campaign.deadline < today else None
    out = []
    for n, u in enumerate(units, start=1):
        p = people.get(u["pk"], {})
        out.append([
            n, u["name"], u["code"], STATUS_LABELS.get(u["status"], u["status"]),
            saved.get(u["package_id"]) if u["status"] != "not_started" else None,
            "、".join(p.get(Role.CLERK, [])), "、".join(p.get(Role.UNIT_HEAD, [])), campaign.deadline, late,
        ])
    return out


def reminder_workbook(campaign: Campaign) -> bytes:
    return workbook([("催报名单", REMINDER_HEADER, reminder_rows(campaign))])
