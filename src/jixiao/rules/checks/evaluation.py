"""整体 / 项目支出绩效自评表: funds splits, rates, weights, totals and scores."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ...forms import caption_name, column_label, column_labels, figure_label, row_name
from ...forms.derived import rates
from ...model import ProjectTable, money, value_of
from ...model.package import _EvaluationTable
from ...scoring import ACHIEVEMENT_ZH, iter_indicators, score_package, table_name
from ..engine import Context, check
from ..findings import Location
from . import cell_sum, differs
from .basic import check_rate

# The funds columns a project table's fund rows add up in.
SPLIT_COLUMNS = ("initial_budget", "full_year_budget", "executed")


def tables(ctx: Context) -> Iterator[tuple[_EvaluationTable, str, int | None, Location]]:
    """Each evaluation table with its model prefix and a base location."""
    pkg = ctx.package
    if pkg.overall is not None:
        part, name = table_name(pkg.overall, None, ctx.form)
        yield pkg.overall, "overall", None, Location(part=part, table=name)
    for i, project in enumerate(pkg.projects):
        part, name = table_name(project, i, ctx.form)
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
            "eval.income_split", at(base, caption_name("evaluation", "income", ctx.form), "合计", "overall.income"),
            expected=total, actual=income, diff=income - total,
        )
    sp = overall.spending
    spending = cell_sum([sp.basic, sp.project])
    if spending is not None and differs(spending, total, ctx.tol()):
        ctx.emit(
            "eval.spending_split", at(base, caption_name("evaluation", "spending", ctx.form), "合计", "overall.spending"),
            expected=total, actual=spending, diff=spending - total,
        )


@check("eval.project_funds_split")
def project_fund_rows(ctx: Context) -> None:
    labels = column_labels("funds", ctx.form)
    for table, prefix, _, base in tables(ctx):
        if not isinstance(table, ProjectTable):
            continue
        for field in SPLIT_COLUMNS:
            label = labels[field]
            parts = cell_sum([getattr(r, field) for r in (table.current_appropriation, table.carryover, table.other_funds)])
            total = value_of(getattr(table.funds, field))
            if parts is None or total is None:
                continue
            if differs(total, parts, ctx.tol()):
                ctx.emit(
                    "eval.project_funds_split", at(base, row_name("funds", "funds", ctx.form), label, f"{prefix}.funds.{field}"),
                    expected=parts, actual=total, diff=total - parts,
                )


@check("weights.level1_label", "weights.level1_standard", "weights.total", "weights.total_row", "score.total_row", "score.total_blank")
def weights_and_totals(ctx: Context) -> None:
    standard = ctx.pack.get("weights", "level1") or {}
    target_total = ctx.pack.number("weights", "total")
    weight, self_score = column_label("indicator", "weight", ctx.form), column_label("indicator", "self_score", ctx.form)
    total = caption_name("evaluation", "total", ctx.form)
    for table, prefix, _, base in tables(ctx):
        level_sums: list[Decimal] = []
        for i, l1 in enumerate(table.indicators):
            ws = cell_sum([ind.weight for ind in l1.all_indicators()])
            if ws is None:
                continue
            level_sums.append(ws)
            loc = at(base, l1.name, weight, f"{prefix}.indicators.{i}")
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
        total_loc = at(base, total, weight, f"{prefix}.total_weight")
        if computed_total != target_total:
            ctx.emit("weights.total", total_loc, expected=target_total, actual=computed_total, diff=computed_total - target_total)
        printed_total = value_of(table.total_weight)
        if printed_total is not None and printed_total != computed_total:
            ctx.emit("weights.total_row", total_loc, expected=computed_total, actual=printed_total, diff=printed_total - computed_total)
        selfs = cell_sum([table.funds.self_score, *(ind.self_score for _, _, _, ind in iter_indicators(table, prefix))])
        if selfs is None:
            continue
        score_loc = at(base, total, self_score, f"{prefix}.total_self_score")
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
    col = column_labels("indicator", ctx.form)
    for table, prefix, index, base in tables(ctx):
        ts = by_table[(base.part, index)]
        items = {i.path: i for i in ts.items}
        rows = [(f"{prefix}.funds", figure_label("overall.funds.execution_rate", ctx.form), None)]
        rows += [(path, items[path].name, ind) for path, _, _, ind in iter_indicators(table, prefix)]
        for path, name, ind in rows:
            item = items[path]
            w, s = item.weight, item.self_score
            loc = at(base, name or "（未命名指标）", col["self_score"], f"{path}.self_score")
            if ind is not None:
                filled = [ind.name, ind.target.raw, ind.actual.raw, ind.weight, ind.self_score]
                if any(x not in (None, "") for x in filled) and (not ind.name or ind.weight is None or ind.self_score is None):
                    missing = "、".join(
                        col[f] for f, v in (("name", ind.name), ("weight", ind.weight), ("self_score", ind.self_score)) if v in (None, "")
                    )
                    ctx.emit("indicator.incomplete", at(base, name or "（未命名指标）", None, path), missing=missing)
            if w is not None and w <= 0:
                ctx.emit("score.weight_invalid", at(base, name, col["weight"], f"{path}.weight"), actual=w)
                continue
            if w is None or s is None:
                continue
            if s > w:
                ctx.emit("score.exceeds_weight", loc, expected=w, actual=s, diff=s - w)
                continue
            if ind is not None and s < w and not (ind.deviation_reason or "").strip():
                ctx.emit("score.reason_missing", at(base, name, col["deviation_reason"], f"{path}.deviation_reason"), weight=w, actual=s)
            if item.computed is not None and s > money(item.computed) + ctx.tol("score"):
                ctx.emit("score.too_high", loc, expected=money(item.computed), actual=s, diff=s - money(item.computed),
                         method=_method_text(item, ctx.form), ratio=_ratio(item))
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
                ctx.emit("indicator.target_too_low", at(base, name, col["target"], f"{path}.target"),
                         expected=ind.target.raw, actual=ind.actual.raw, ratio=f"{money(item.ratio * 100)}%")


def _method_text(item, form) -> str:
    """The formula a score was held to, in the form's words ('正向指标：分值×实际完成值÷年度指标值')."""
    col = column_labels("indicator", form)
    weight, target, actual = col["weight"], col["target"], col["actual"]
    rate = figure_label("overall.funds.execution_rate", form)
    return {"positive": f"正向指标：{weight}×{actual}÷{target}", "reverse": f"反向指标：{weight}×{target}÷{actual}",
            "execution": f"{weight}×{rate}（不超过{weight}）"}.get(item.method, item.method)


def _ratio(item) -> str:
    return "—" if item.ratio is None else f"{money(item.ratio * 100)}%"
