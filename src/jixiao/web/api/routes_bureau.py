"""The bureau's campaign figures: the dashboard's data (bureau.aggregates, the same SQL
aggregates the page draws), for reviewers of the campaign's bureau (bureau.access)."""

from __future__ import annotations

from typing import Annotated

from ninja import Query, Router, Schema
from ninja.params.functions import Path as PathEx
from pydantic import Field

from ..bureau import aggregates, dashboard
from ..bureau.access import get_campaign
from .common import responses
from .routes_packages import MAX_ID, _campaign
from .schemas import CampaignFigures

router = Router(tags=["财政局统计"])
MAX_ROWS = 1000


class RowsQuery(Schema):
    offset: int = Field(0, ge=0, le=10_000_000, description="单位表从第几行起")
    limit: int = Field(200, ge=0, le=MAX_ROWS, description="单位表最多返回多少行")


@router.get("/campaigns/{campaign_id}/figures", response=responses({200: CampaignFigures}),
            summary="评价任务的统计（统计分析页的数据）")
def campaign_figures(request, campaign_id: Annotated[int, PathEx(ge=1, le=MAX_ID)], q: Query[RowsQuery]):
    """等级分布、执行率区间、三公经费与项目支出的年度变化、常见问题，以及按单位名称排序的单位表（分页）。
    计入的是财政局已收到的版本（已提交、已审核通过；已退回的按其提交的版本）。"""
    campaign = get_campaign(request, campaign_id)
    d = aggregates.build(campaign)
    values = aggregates.table(campaign, "unit", False)[q.offset:q.offset + q.limit]
    rows = [{"package_id": r.package_id, "unit": r.unit, "state": r.state, "revision": r.number,
             "execution_rate": r.execution_rate, "self_total": r.self_total, "computed_total": r.computed_total,
             "self_grade": r.self_grade, "computed_grade": r.computed_grade, "errors": r.errors,
             "warnings": r.warnings} for r in aggregates.page_rows(values)]
    return {
        "campaign": _campaign(campaign), "units": d.total, "grades": d.grades, "grade_counts": d.grade_counts,
        "execution_bands": d.bands, "trends": d.trends, "history": dashboard.history(campaign, d.current_year),
        "findings": d.findings, "rows": rows,
    }
