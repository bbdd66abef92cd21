"""整体 / 项目支出绩效自评表: funds splits, rates, weights, totals and scores."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ...forms.derived import rates
from ...model import ProjectTable, money, value_of
from ...model.package import _EvaluationTable
from ...scoring import ACHIEVEMENT_ZH, iter_indicators, score_package, table_name
from ..engine import Context, check
from ..findings import Location
from . import cell_sum, differs
from .basic import check_rate

FUNDS_COLUMNS = {"initial_budget": "年初预算数", "full_year_budget": "全年预算数", "executed": "全年执行数"}


def tables(ctx: Context) -> Iterator[tuple[_EvaluationTable, str, int | None, Location]]:
    """Each evaluation table with its model prefix and a base location."""
    pkg = ctx.package
    if pkg.overall is not None:
        part, name = table_name(pkg.overall, None)
        yield pkg.overall, "overall", None, Location(part=part, table=name)
    for i, project in enumerate(pkg.projects):
        part, name = table_name(project, i)
        yield project, f"projects.{i}", i, Location(part=part, index=i, table=name)


def at(base: Location, row: str, column: str | None, path: str) -> Location:
    return Location(part=base.part, index=base.index, table=base.table, row=row, column=column, path=path)


def scores(ctx: Context):
    if "scores" not in ctx.cache:
        ctx.cache["scores"] = score_package(ctx.package, ctx.pack)
    return ctx.cache["scores"]


@check("rate.mismatch", "rate.blank")
def execution_rates(ctx: Context) -> None:
    bases = {prefix: base for _, prefix, _, base in tables(ctx)}
    for rate in rates(ctx.package, ctx.form, "evaluation"):
        loc = at(bases[rate.prefix], rate.row, rate.column, rate.path)
        check_rate(ctx, loc, rate.written, rate.numerator, rate.denominator, rate.formula)


@check("eval.income_split", "eval.spending_split")
def splits(ctx: Context) -> None:
    overall = ctx.package.overall
    if overall is None:
        return
    total = value_of(overall.funds.executed)
    if total is None:
        return
    base = next(t for t in tables(ctx))[3]
    inc = overall.income
    income = cell_sum([inc.general_budget, inc.government_fund, inc.special_account, inc.other])
    if income is not None and differs(income, total, ctx.tol()):
        ctx.emit(
            "eval.income_split", at(base, "按收入性质分", "合计", "overall.income"),
            expected=total, actual=income, diff=income - total,
        )
    sp = overall.spending
    spending = cell_sum([sp.basic, sp.project])
    if spending is not None and differs(spending, total, ctx.tol()):
        ctx.emit(
            "eval.spending_split", at(base, "按支出性质分", "合计", "overall.spending"),
            expected=total, actual=spending, diff=spending - total,
        )


@check("eval.project_funds_split")
def project_fund_rows(ctx: Context) -> None:
    for table, prefix, _, base in tables(ctx):
        if not isinstance(table, ProjectTable):
            continue
        for field, label in FUNDS_COLUMNS.items():
            parts = cell_sum([getattr(r, field) for r in (table.current_appropriation, table.carryover, table.other_funds)])
            total = value_of(getattr(table.funds, field))
            if parts is None or total is None:
                continue
            if differs(total, parts, ctx.tol()):
                ctx.emit(
                    "eval.project_funds_split", at(base, "年度资金总额", label, f"{prefix}.funds.{field}"),
                    expected=parts, actual=total, diff=total - parts,
                )


@check("weights.level1_label", "weights.level1_standard", "weights.total", "weights.total_row", "score.total_row", "score.total_blank")
def weights_and_totals(ctx: Context) -> None:
    standard = ctx.pack.get("weights", "level1") or {}
    target_total = ctx.pack.number("weights", "total")
    for table, prefix, _, base in tables(ctx):
        level_sums: list[Decimal] = []
        for i, l1 in enumerate(table.indicators):
            ws = cell_sum([ind.weight for ind in l1.all_indicators()])
            if ws is None:
                continue
            level_sums.append(ws)
            loc = at(base, l1.name, "分值", f"{prefix}.indicators.{i}")
            printed = l1.printed_weight
            if printed is not None and printed != ws:
                ctx.emit("weights.level1_label", loc, expected=ws, actual=printed, diff=printed - ws, level1=l1.name)
            std = standard.get(l1.name)
            if std is not None and Decimal(str(std)) != ws:
                ctx.emit("weights.level1_standard", loc, expected=Decimal(str(std)), actual=ws, diff=ws - Decimal(str(std)), level1=l1.name)
        execution_w = value_of(table.funds.weight)
        if not level_sums:
            continue
        computed_total = sum(level_sums, Decimal(0)) + (execution_w or 0)
        total_loc = at(base, "总分", "分值", f"{prefix}.total_weight")
        if computed_total != target_total:
            ctx.emit("weights.total", total_loc, expected=target_total, actual=computed_total, diff=computed_total - target_total)
        printed_total = value_of(table.total_weight)
        if printed_total is not None and printed_total != computed_total:
            ctx.emit("weights.total_row", total_loc, expected=computed_total, actual=printed_total, diff=printed_total - computed_total)
        selfs = cell_sum([table.funds.self_score, *(ind.self_score for _, _, _, ind in iter_indicators(table, prefix))])
        if selfs is None:
            continue
        score_loc = at(base, "总分", "自评得分", f"{prefix}.total_self_score")
        printed_score = value_of(table.total_self_score)
        if printed_score is None:
            ctx.emit("score.total_blank", score_loc, expected=selfs)
        elif differs(printed_score, selfs, ctx.tol("score")):
            ctx.emit("score.total_row", score_loc, expected=selfs, actual=printed_score, diff=printed_score - selfs)


@check("score.exceeds_weight", "score.weight_invalid", "score.reason_missing", "score.too_high", "score.out_of_band",
       "score.below_band", "score.undetermined", "indicator.target_too_low", "indicator.incomplete")
def indicator_scores(ctx: Context) -> None:
    by_table = {(s.part, s.index): s for s in scores(ctx)}
    low_bar = ctx.pack.number("thresholds", "target_too_low") / 100
    for table, prefix, index, base in tables(ctx):
        ts = by_table[(base.part, index)]
        items = {i.path: i for i in ts.items}
        rows = [(f"{prefix}.funds", "预算执行率", None)]
        rows += [(path, items[path].name, ind) for path, _, _, ind in iter_indicators(table, prefix)]
        for path, name, ind in rows:
            item = items[path]
            w, s = item.weight, item.self_score
            loc = at(base, name or "（未命名指标）", "自评得分", f"{path}.self_score")
            if ind is not None:
                filled = [ind.name, ind.target.raw, ind.actual.raw, ind.weight, ind.self_score]
                if any(x not in (None, "") for x in filled) and (not ind.name or ind.weight is None or ind.self_score is None):
                    missing = "、".join(
                        lab for lab, v in (("三级指标", ind.name), ("分值", ind.weight), ("自评得分", ind.self_score)) if v in (None, "")
                    )
                    ctx.emit("indicator.incomplete", at(base, name or "（未命名指标）", None, path), missing=missing)
            if w is not None and w <= 0:
                ctx.emit("score.weight_invalid", at(base, name, "分值", f"{path}.weight"), actual=w)
                continue
            if w is None or s is None:
                continue
            if s > w:
                ctx.emit("score.exceeds_weight", loc, expected=w, actual=s, diff=s - w)
                continue
            if ind is not None and s < w and not (ind.deviation_reason or "").strip():
                ctx.emit("score.reason_missing", at(base, name, "偏差原因分析及改进措施", f"{path}.deviation_reason"), weight=w, actual=s)
            if item.computed is not None and s > money(item.computed) + ctx.tol("score"):
                ctx.emit("score.too_high", loc, expected=money(item.computed), actual=s, diff=s - money(item.computed),
                         method=_method_text(item), ratio=_ratio(item))
            elif item.method == "qualitative":
                lo, hi = money(item.band_low), money(item.band_high)
                achieved = ACHIEVEMENT_ZH[item.achievement]
                if s > hi:
                    ctx.emit("score.out_of_band", loc, expected=f"{lo}～{hi}", actual=s, achievement=achieved)
                elif s < lo:
                    ctx.emit("score.below_band", loc, expected=f"{lo}～{hi}", actual=s, achievement=achieved)
            elif item.method == "undetermined" and ind is not None:
                ctx.emit("score.undetermined", loc, target=ind.target.raw, actual_text=ind.actual.raw)
            if item.method == "positive" and item.ratio is not None and item.ratio >= low_bar:
                ctx.emit("indicator.target_too_low", at(base, name, "年度指标值", f"{path}.target"),
                         expected=ind.target.raw, actual=ind.actual.raw, ratio=f"{money(item.ratio * 100)}%")


def _method_text(item) -> str:
    return {"positive": "正向指标：分值×实际完成值÷年度指标值", "reverse": "反向指标：分值×年度指标值÷实际完成值",
            "execution": "分值×预算执行率（不超过分值）"}.get(item.method, item.method)


def _ratio(item) -> str:
    return "—" if item.ratio is None else f"{money(item.ratio * 100)}%"
