"""结果应用: the campaign's units by grade with the budget decision the bureau recorded for each,
as a streamed workbook (bureau.xlsx_stream, like the bureau's other exports).

The grade a unit is ranked by is the review's (审核等级) when the reviewer gave a review score,
else the grade computed from the reviewed revision; units without one (not submitted) come last.
Grades are ordered as the campaign's rule pack lists them (优, 良, 中, 差 for hunan-2023)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jixiao.rules import load_pack

from ..accounts.models import Unit
from ..bureau.models import Review
from ..bureau.progress import STATUS_LABELS, status_of
from ..bureau.xlsx_stream import stream_workbook
from ..packages.models import BUREAU_VISIBLE_STATES, Campaign, Package
from .models import BudgetDecision, RectificationItem, RectState

HEADER = ("序号", "单位名称", "单位编码", "状态", "评价等级", "等级来源", "自评总分", "核定总分", "审核得分",
          "预算安排", "调整金额（万元）", "调整比例（%）", "说明", "整改事项", "未销号整改事项", "记录人", "记录时间")


def grade_order(campaign: Campaign) -> list[str]:
    try:
        return [band["grade"] for band in load_pack(campaign.rule_pack).get("grades")]
    except Exception:  # a pack that cannot be read still exports, grades in name order
        return []


def result_rows(campaign: Campaign) -> list[dict[str, Any]]:
    """One dict per unit of the campaign, ranked by grade, then score (highest first), then name."""
    pkgs = {p.unit_id: p for p in Package.objects.filter(campaign=campaign).select_related("head")}
    reviews: dict[int, Review] = {}
    for r in Review.objects.filter(package__campaign=campaign).order_by("package_id", "-at", "-id"):
        reviews.setdefault(r.package_id, r)
    decisions = {d.package_id: d for d in BudgetDecision.objects.filter(package__campaign=campaign)
                 .select_related("decided_by")}
    items: dict[int, list[int]] = {}
    for pkg_id, state in RectificationItem.objects.filter(package__campaign=campaign).values_list("package_id", "state"):
        counts = items.setdefault(pkg_id, [0, 0])
        counts[0] += 1
        counts[1] += state != RectState.CLOSED
    rows = []
    for u in Unit.objects.filter(campaigns=campaign).order_by("name"):
        p = pkgs.get(u.pk)
        visible = p is not None and p.state in BUREAU_VISIBLE_STATES
        review = reviews.get(p.pk) if p else None
        head = p.head if visible else None
        if review is not None and review.review_grade:
            grade, source, score = review.review_grade, "审核等级", review.review_total
        elif head is not None and head.computed_grade:
            grade, source, score = head.computed_grade, "核定等级", head.computed_total
        else:
            grade, source, score = "", "", None
        status = status_of({"state": p.state, "head_number": p.head_number,
                            "head__source": p.head.source if p.head else ""} if p else None)
        rows.append({"unit": u, "pkg": p if visible else None, "status": STATUS_LABELS.get(status, status),
                     "grade": grade, "source": source, "score": score,
                     "self_total": head.self_total if head else None,
                     "computed_total": head.computed_total if head else None,
                     "review_total": review.review_total if review else None,
                     "decision": decisions.get(p.pk) if p else None,
                     "items": items.get(p.pk, [0, 0]) if p else [0, 0]})
    order = {g: i for i, g in enumerate(grade_order(campaign))}
    rows.sort(key=lambda r: (r["grade"] == "", order.get(r["grade"], len(order)), r["grade"],
                             -(r["score"] if r["score"] is not None else -1000), r["unit"].name))
    return rows


def _cells(n: int, r: dict[str, Any]) -> list[Any]:
    d: BudgetDecision | None = r["decision"]
    # A blank is an empty cell, never an empty string.
    return [n, r["unit"].name, r["unit"].code or None, r["status"], r["grade"] or None, r["source"] or None,
            r["self_total"], r["computed_total"], r["review_total"], d.action_label if d else None,
            d.amount if d else None, d.percent if d else None, (d.note or None) if d else None, r["items"][0],
            r["items"][1], d.decided_by.display_name if d else None, d.decided_at if d else None]


def results_stream(campaign: Campaign) -> Iterator[bytes]:
    def rows() -> Iterator[list[Any]]:
        for n, r in enumerate(result_rows(campaign), start=1):
            yield _cells(n, r)

    return stream_workbook([(f"{campaign.year}年度结果应用", HEADER, rows())])

