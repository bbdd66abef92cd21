"""The campaign dashboard and the data of each chart as Excel."""

from __future__ import annotations

import math

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from jixiao.forms import column_label, figure_label, form_def, row_name

from . import aggregates, dashboard
from .access import get_campaign
from .figures import from_cents
from .views_campaigns import _export

PAGE = 100


def chart_names(form: str | None = None) -> dict[str, str]:
    """Each chart's title; a chart of form figures is named by the form's labels. A form without a
    基础数据表 has no 三公经费 / 项目支出 trends; its funds chart shows the 年度资金总额 totals."""
    parts = form_def(form)["parts"]
    funds_row, rate = row_name("funds", "funds", form), column_label("funds", "execution_rate", form)
    names = {
        "grades": "等级分布", "scatter": "自评与核定得分",
        "execution": figure_label("overall.funds.execution_rate", form) if "report" in parts else f"{funds_row}{rate}",
        "funds": f"{funds_row}合计", "findings": "常见问题", "units": "各单位指标",
    }
    if "basic" in parts:
        sangong, project = (row_name("amount", f, form) for f in ("sangong", "project_spending"))
        names["trends"] = f"{sangong}与{project}"
    return names


CHARTS = ("grades", "scatter", "execution", "trends", "funds", "findings", "units")  # the charts' keys


def _chart_data(d: dashboard.Dashboard) -> dict:
    """What the page's ECharts draw (JSON); figures are display values, the tables hold the exact ones."""
    per_unit = aggregates.execution_per_unit(d.campaign, dashboard.PER_UNIT_BARS_MAX)
    few = len(per_unit) <= dashboard.PER_UNIT_BARS_MAX
    return {
        "grades": {"labels": list(d.grade_counts["computed"]), "computed": list(d.grade_counts["computed"].values()),
                   "self": list(d.grade_counts["self"].values())},
        "scatter": d.scatter,
        "scatter_range": scatter_range(d.scatter),
        "execution": ({"per_unit": True, "labels": [u for u, _ in per_unit], "values": [float(r) for _, r in per_unit]}
                      if few else
                      {"per_unit": False, "labels": [b for b, _ in d.bands], "values": [n for _, n in d.bands]}),
        "trends": {
            "current": [{"item": t["item"], "prev": _f(t["prev"]), "final": _f(t["final"])} for t in d.trends],
            "years": [{"year": h["year"], "sangong": _f(h["sangong"]), "project": _f(h["project"])}
                      for h in dashboard.history(d.campaign, d.current_year)],
        } if d.trends else None,
        "funds": _funds_chart(d),
        "findings": {"labels": [f["title"] for f in d.findings], "units": [f["units"] for f in d.findings]},
    }


def _funds_chart(d: dashboard.Dashboard) -> dict:
    """The 年度资金总额 totals as two bars (budget, executed) named by the form's columns."""
    form = d.campaign.form
    labels = [column_label("funds", f, form) for f in ("full_year_budget", "executed")]
    f = d.funds or {}
    values = [_f(f.get("budget")), _f(f.get("executed"))]
    return {"labels": labels, "values": values, "units": f.get("units", 0), "rate": _f(f.get("rate")),
            "empty": "" if f.get("units") else "暂无资金数据"}


def scatter_range(points: list[list], step: int = 5) -> list[float]:
    """One range for both axes of the self-vs-computed scatter (so the diagonal stays the diagonal),
    fitted to the data with a margin and rounded out to `step` points; 0–100 when there is no data."""
    values = [v for p in points for v in p[:2] if v is not None]
    if not values:
        return [0, 100]
    lo, hi = min(values), max(values)
    margin = max(2.0, (hi - lo) * 0.1)
    lo = max(0, math.floor((lo - margin) / step) * step)
    hi = math.ceil((hi + margin) / step) * step
    if max(values) <= 100:  # a score is at most 100: no axis beyond it
        hi = min(hi, 100)
    return [lo, hi]


def _f(value):
    return None if value is None else float(value)


class _Counted(Paginator):
    """The row count is known from the aggregates: no second COUNT query."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self._known = count

    @property
    def count(self) -> int:
        return self._known


def dashboard_page(request, campaign_id: int):
    campaign = get_campaign(request, campaign_id)
    d = aggregates.build(campaign)
    sort = request.GET.get("sort", "rate")
    desc = request.GET.get("dir", "asc") == "desc"
    page = _Counted(aggregates.table(campaign, sort, desc), PAGE, d.total).get_page(request.GET.get("page"))
    page.object_list = aggregates.page_rows(page.object_list)
    return render(request, "bureau/dashboard.html", {
        "campaign": campaign, "d": d, "charts": _chart_data(d), "page": page, "sort": sort, "desc": desc,
        "chart_names": chart_names(campaign.form),
        "funds_columns": [column_label("funds", f, campaign.form) for f in ("full_year_budget", "executed", "execution_rate")],
        "sorts": [("unit", "单位"), ("rate", column_label("funds", "execution_rate", campaign.form)), ("self", "自评总分"),
                                         ("computed", "核定总分"), ("gap", "自评−核定"), ("errors", "错误")],
    })


def chart_sheets(d: dashboard.Dashboard, chart: str) -> list:
    """The data of one chart (the Python path: the exports list every unit anyway)."""
    rows = d.rows
    form = d.campaign.form
    rate = column_label("funds", "execution_rate", form)
    if chart == "grades":
        rows = [[g, d.grade_counts["computed"][g], d.grade_counts["self"][g]] for g in d.grade_counts["computed"]]
        return [("等级分布", ("等级", "按规则核定（个）", "单位自评（个）"), rows)]
    if chart == "scatter":
        rows = [[r.unit, r.self_total, r.computed_total, r.gap] for r in rows]
        return [("自评与核定得分", ("单位", "自评总分", "核定总分", "自评−核定"), rows)]
    if chart == "execution":
        bands = [[label, n] for label, n in d.bands]
        units = [[r.unit, r.execution_rate] for r in dashboard.sorted_rows(rows, "rate", False)]
        return [(f"{rate}分布", (f"{rate}区间", "单位数"), bands), (f"各单位{rate}", ("单位", f"{rate}（%）"), units)]
    if chart == "funds":
        f = d.funds
        budget, executed = (column_label("funds", c, form) for c in ("full_year_budget", "executed"))
        both = [r for r in rows if r.budget_cents is not None and r.executed_cents is not None]
        line = [[f["units"], f["budget"], f["executed"], f["rate"]]]
        units = [[r.unit, from_cents(r.budget_cents), from_cents(r.executed_cents), r.execution_rate]
                 for r in sorted(both, key=lambda r: r.unit)]
        return [("合计", ("单位数", f"{budget}（万元）", f"{executed}（万元）", f"{rate}（%）"), line),
                ("各单位", ("单位", f"{budget}（万元）", f"{executed}（万元）", f"{rate}（%）"), units)]
    if chart == "trends":
        if not d.trends:
            raise Http404("本任务的表式没有基础数据，没有这个图表")
        final = column_label("amount", "final", form)
        cur = [[t["item"], t["units"], t["prev"], t["final"], t["change"]] for t in d.trends]
        years = [[h["year"], h["units"], h["sangong"], h["project"]] for h in dashboard.history(d.campaign)]
        sangong, project = (row_name("amount", f, form) for f in ("sangong", "project_spending"))
        return [("较上年", ("项目", "单位数（两年均填报）", f"上年{final}（万元）", f"本年{final}（万元）", "变动率（%）"), cur),
                ("历年", ("年度", "单位数", f"{sangong}{final}（万元）", f"{project}{final}（万元）"), years)]
    if chart == "findings":
        rows = [[f["title"], f["rule"], f["severity"], f["units"], f["total"]] for f in d.findings]
        return [("常见问题", ("问题", "规则", "级别", "涉及单位数", "出现次数"), rows)]
    if chart == "units":
        rows = [[r.unit, r.state_label, r.number, r.execution_rate, r.self_total, r.computed_total, r.gap, r.errors,
                 r.warnings] for r in rows]
        return [("各单位指标", ("单位", "状态", "版本", f"{rate}（%）", "自评总分", "核定总分", "自评−核定", "错误", "警告"),
                 rows)]
    raise Http404("没有这个图表")


def chart_xlsx(request, campaign_id: int, chart: str):
    from .exports import workbook

    campaign = get_campaign(request, campaign_id)
    names = chart_names(campaign.form)
    if chart not in names:
        raise Http404("没有这个图表")
    data = workbook(chart_sheets(dashboard.build_from_rows(campaign), chart))
    title = names[chart]
    return _export(request, campaign, f"chart:{chart}", data, f"{campaign.year}年度-{title}.xlsx")
