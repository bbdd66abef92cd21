"""Mid-year monitoring (绩效运行监控, docs/cycle-checks.md): money behind time progress needs a
reason; a 全年预计完成值 short of its 年度指标值 needs a ticked 偏差原因 and a likelihood other than
确定能; "完全不可能" needs a correction (备注) or an approved adjustment of the target.

(执行率 = 1-7月执行数 ÷ 年初预算数 is rate.mismatch's, from the form's derived rates.) The months
covered, the gap allowed and the likelihood words are the pack's (``monitoring``).
"""

from __future__ import annotations

from decimal import Decimal

from ...cycle import falls_short, same_value, shown_value
from ...forms import caption_name, column_label, row_name
from ...model import fold, money, value_of
from ..engine import Context, check
from .cycle_checks import approved_indicator
from .evaluation import at, indicator_rows, tables
from .targets import indicator_column, indicator_name


def _blank(text: str | None) -> bool:
    return text is None or text.strip() in ("", "/")


def time_progress(ctx: Context, table=None) -> Decimal:
    """The share of the year the figures cover, in percent: 7 months → 58.33%; the table's own
    months where its headers name others than the form's (``period_months``: 1-6月 → 50.00%)."""
    months = getattr(table, "period_months", None) or ctx.pack.number("monitoring", "months")
    return Decimal(months) / 12 * 100


@check("monitor.behind_schedule")
def behind_schedule(ctx: Context) -> None:
    """1-7月执行率 more than the pack's gap (percentage points) behind time progress, with no
    reason given (the funds row's 原因 where the form has one, or the 说明 under the table)."""
    if ctx.pack.get("monitoring", "months") is None or ctx.pack.get("monitoring", "lag_points") is None:
        return  # a pack without a monitoring period has nothing to lag behind
    gap_allowed = ctx.pack.number("monitoring", "lag_points")
    for table, prefix, _, base in tables(ctx):
        progress = time_progress(ctx, table)
        budget, executed = value_of(table.funds.initial_budget), value_of(table.funds.executed)
        if not budget or executed is None:
            continue
        # compared as printed (two places): 58.33% against 38.33% is 20.00 points, not 20.0033
        rate = money(executed / budget * 100)
        gap = money(progress) - rate
        if gap <= gap_allowed or not (_blank(table.funds.reason) and _blank(table.note)):
            continue
        # the official table has no row for it: a reason in any indicator's 备注 counts too
        if any(not _blank(ind.remark) for l1 in table.indicators for ind in l1.all_indicators()):
            continue
        ctx.emit("monitor.behind_schedule",
                 at(base, row_name("funds", "funds", ctx.form), column_label("funds", "execution_rate", ctx.form),
                    f"{prefix}.funds.execution_rate"),
                 actual=f"{money(rate)}%", progress=f"{money(progress)}%", diff=f"{money(gap)}",
                 limit=f"{gap_allowed}", note=caption_name("evaluation", "project_note", ctx.form),
                 remark=column_label("indicator", "remark", ctx.form))


def _likelihoods(ctx: Context) -> tuple[str, str, list[str]]:
    values = ctx.pack.get("monitoring", "likelihood_values", default=[])
    certain = ctx.pack.get("monitoring", "likelihood_certain", default=values[0] if values else "确定能")
    impossible = ctx.pack.get("monitoring", "likelihood_impossible", default=values[-1] if values else "完全不可能")
    return fold(certain), fold(impossible), [fold(v) for v in values]


def _corrected_by_adjustment(ctx: Context, table, ind) -> bool:
    """An approved adjustment of the target (ctx.cycle's approved targets hold another 年度指标值
    for this indicator) that the forecast no longer falls short of."""
    approved = approved_indicator(ctx, table, ind)
    if approved is None or same_value(approved.target.raw, ind.target.raw, nature_a=approved.nature, unit_a=approved.unit,
                                      nature_b=ind.nature, unit_b=ind.unit):
        return False
    return falls_short(approved.target.raw, ind.forecast.raw, nature=approved.nature, unit=approved.unit) is False


@check("monitor.shortfall_cause", "monitor.shortfall_likelihood", "monitor.impossible_uncorrected",
       "monitor.likelihood_invalid")
def forecasts(ctx: Context) -> None:
    certain, impossible, allowed = _likelihoods(ctx)
    for table, prefix, _, base in tables(ctx):
        cols = {f: indicator_column(ctx, f, table) for f in ("target", "forecast", "causes", "likelihood", "remark")}
        causes_label = next((c.get("group") for c in ctx.form["evaluation"]["indicator_columns"] if c["field"] == "causes"),
                            cols["causes"])
        for path, _, _, ind in indicator_rows(ctx, table, prefix):
            name = indicator_name(ind)
            likelihood = fold(ind.likelihood or "").strip()
            if likelihood and allowed and likelihood not in allowed:
                ctx.emit("monitor.likelihood_invalid", at(base, name, cols["likelihood"], f"{path}.likelihood"),
                         actual=ind.likelihood, allowed="、".join(ctx.pack.get("monitoring", "likelihood_values", default=[])))
            target = shown_value(ind.target.raw, ind.nature, ind.unit)
            forecast = shown_value(ind.forecast.raw, None, ind.unit)
            if falls_short(ind.target.raw, ind.forecast.raw, nature=ind.nature, unit=ind.unit):
                if not [c for c in ind.causes if not _blank(c)]:
                    ctx.emit("monitor.shortfall_cause", at(base, name, causes_label, f"{path}.causes"),
                             expected=target, actual=forecast)
                if likelihood in ("", certain):
                    ctx.emit("monitor.shortfall_likelihood", at(base, name, cols["likelihood"], f"{path}.likelihood"),
                             expected=target, actual=forecast, likelihood=ind.likelihood or "空白")
            if likelihood == impossible and _blank(ind.remark) and not _corrected_by_adjustment(ctx, table, ind):
                ctx.emit("monitor.impossible_uncorrected", at(base, name, cols["remark"], f"{path}.remark"),
                         expected=target, actual=forecast, likelihood=ind.likelihood)
