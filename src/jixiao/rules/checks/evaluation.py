"""整体 / 项目支出绩效自评表: funds splits, rates, weights, totals and scores."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import partial

from ...forms import caption_name, column_label, column_labels, plain_label, row_name
from ...forms.derived import rates
from ...model import Indicator, ProjectTable, fold, money, value_of
from ...model.package import _EvaluationTable
from ...scoring import ACHIEVEMENT_ZH, execution_label, iter_indicators, score_package, table_name
from ..engine import Context, check
from ..findings import Location
from . import cell_sum, differs
from .basic import check_rate

# The funds columns a project table's fund rows add up in.
SPLIT_COLUMNS = ("initial_budget", "full_year_budget", "executed")


def tables(ctx: Context) -> list[tuple[_EvaluationTable, str, int | None, Location]]:
    """Each evaluation table with its model prefix and a base location (found once per run:
    most checks here walk them)."""
    if "evaluation_tables" not in ctx.cache:
        ctx.cache["evaluation_tables"] = list(_tables(ctx))
    return ctx.cache["evaluation_tables"]


def indicator_rows(ctx: Context, table: _EvaluationTable, prefix: str) -> list[tuple[str, str, str, Indicator]]:
    """(path, 一级指标, 二级指标, indicator) of each indicator row of a table (listed once per run:
    several checks walk them)."""
    key = f"indicator_rows.{prefix}"
    if key not in ctx.cache:
        ctx.cache[key] = list(iter_indicators(table, prefix))
    return ctx.cache[key]


def overall_base(ctx: Context) -> Location:
    """The base location of the 整体 table alone (a check about it reads no project table)."""
    part, name = table_name(ctx.package.overall, None, ctx.form)
    return Location(part=part, table=name)


def _tables(ctx: Context) -> Iterator[tuple[_EvaluationTable, str, int | None, Location]]:
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
    base = overall_base(ctx)
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


def fund_rows(ctx: Context, table: _EvaluationTable) -> list[tuple[str, str]]:
    """(field, label) of the 其中 rows the form prints under 年度资金总额 on this kind of table."""
    key = "project_fund_rows" if isinstance(table, ProjectTable) else "overall_fund_rows"
    return [(r["field"], plain_label(r["label"])) for r in ctx.form["evaluation"].get(key) or []]


@check("eval.project_funds_split", "eval.overall_funds_split")
def fund_rows_split(ctx: Context) -> None:
    """年度资金总额 = the sum of the 其中 rows the form lists, in each amount column."""
    labels = column_labels("funds", ctx.form)
    for table, prefix, _, base in tables(ctx):
        rule = "eval.project_funds_split" if isinstance(table, ProjectTable) else "eval.overall_funds_split"
        rows = fund_rows(ctx, table)
        if not rows:
            continue
        names = "、".join(label for _, label in rows)
        for field in SPLIT_COLUMNS:
            parts = cell_sum([getattr(getattr(table, row), field) for row, _ in rows])
            total = value_of(getattr(table.funds, field))
            if parts is None or total is None:
                continue
            if differs(total, parts, ctx.tol()):
                ctx.emit(
                    rule, at(base, row_name("funds", "funds", ctx.form), labels[field], f"{prefix}.funds.{field}"),
                    expected=parts, actual=total, diff=total - parts, parts=names,
                )


@check("weights.level1_label", "weights.level1_standard", "weights.execution", "weights.total", "weights.total_row",
       "score.total_row", "score.total_blank")
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
            printed, std = l1.printed_weight, standard.get(l1.name)
            std = None if std is None else Decimal(str(std))
            if (printed is None or printed == ws) and (std is None or std == ws):
                continue
            loc = at(base, l1.name, weight, f"{prefix}.indicators.{i}")
            if printed is not None and printed != ws:
                ctx.emit("weights.level1_label", loc, expected=ws, actual=printed, diff=printed - ws, level1=l1.name)
            if std is not None and std != ws:
                ctx.emit("weights.level1_standard", loc, expected=std, actual=ws, diff=ws - std, level1=l1.name)
        execution_w = value_of(table.funds.weight)
        standard_w = ctx.pack.get("weights", "execution")
        if execution_w is not None and standard_w is not None and execution_w != Decimal(str(standard_w)):
            ctx.emit("weights.execution", at(base, row_name("funds", "funds", ctx.form), column_label("funds", "weight", ctx.form),
                                             f"{prefix}.funds.weight"),
                     expected=Decimal(str(standard_w)), actual=execution_w, diff=execution_w - Decimal(str(standard_w)))
        if not level_sums:
            continue
        computed_total = sum(level_sums, Decimal(0)) + (execution_w or 0)
        if computed_total != target_total:
            ctx.emit("weights.total", at(base, total, weight, f"{prefix}.total_weight"), expected=target_total,
                     actual=computed_total, diff=computed_total - target_total)
        printed_total = value_of(table.total_weight)
        if printed_total is not None and printed_total != computed_total:
            ctx.emit("weights.total_row", at(base, total, weight, f"{prefix}.total_weight"), expected=computed_total,
                     actual=printed_total, diff=printed_total - computed_total)
        selfs = cell_sum([table.funds.self_score, *(ind.self_score for _, _, _, ind in indicator_rows(ctx, table, prefix))])
        if selfs is None:
            continue
        score_loc = at(base, total, self_score, f"{prefix}.total_self_score")
        printed_score = value_of(table.total_self_score)
        if printed_score is None:
            ctx.emit("score.total_blank", score_loc, expected=selfs)
        elif differs(printed_score, selfs, ctx.tol("score")):
            ctx.emit("score.total_row", score_loc, expected=selfs, actual=printed_score, diff=printed_score - selfs)


@check("score.exceeds_weight", "score.weight_invalid", "score.reason_missing", "score.too_high", "score.out_of_band",
       "score.below_band", "score.undetermined", "score.unverifiable", "indicator.target_too_low", "indicator.incomplete",
       "indicator.reason_missing")
def indicator_scores(ctx: Context) -> None:
    by_table = {(s.part, s.index): s for s in scores(ctx)}
    low_bar = ctx.pack.number("thresholds", "target_too_low") / 100
    col = column_labels("indicator", ctx.form)
    required = ctx.pack.get("rules", "indicator.incomplete", "columns", default=["name", "weight", "self_score"])
    for table, prefix, index, base in tables(ctx):
        ts = by_table[(base.part, index)]
        items = {i.path: i for i in ts.items}
        rows = [(f"{prefix}.funds", execution_label(ctx.form), None)]
        rows += [(path, items[path].name, ind) for path, _, _, ind in indicator_rows(ctx, table, prefix)]
        _incomplete_funds_row(ctx, table, prefix, base)
        for path, name, ind in rows:
            item = items[path]
            w, s = item.weight, item.self_score
            if ind is not None:
                _incomplete_indicator(ctx, ind, name, path, base, col, required)
            if w is not None and w <= 0:
                ctx.emit("score.weight_invalid", at(base, name, col["weight"], f"{path}.weight"), actual=w)
                continue
            if w is None or s is None:
                continue
            # The score cell's location, built only for a finding (most rows have none).
            loc = partial(at, base, name or "（未命名指标）", col["self_score"], f"{path}.self_score")
            if s > w:
                ctx.emit("score.exceeds_weight", loc(), expected=w, actual=s, diff=s - w)
                continue
            unexplained = ind is not None and not (ind.deviation_reason or "").strip()
            if unexplained and (s < w or item.missed):
                reason_loc = at(base, name, col.get("deviation_reason"), f"{path}.deviation_reason")
                if s < w:
                    ctx.emit("score.reason_missing", reason_loc, weight=w, actual=s)
                else:
                    ctx.emit("indicator.reason_missing", reason_loc, expected=_shown(ind, "target", ctx),
                             actual=_shown(ind, "actual", ctx))
            if item.computed is not None and s > money(item.computed) + ctx.tol("score"):
                ctx.emit("score.too_high", loc(), expected=money(item.computed), actual=s, diff=s - money(item.computed),
                         method=_method_text(item, ctx.form), ratio=_ratio(item))
            elif item.method == "qualitative":
                lo, hi = money(item.band_low), money(item.band_high)
                achieved = ACHIEVEMENT_ZH[item.achievement]
                if s > hi:
                    ctx.emit("score.out_of_band", loc(), expected=f"{lo}～{hi}", actual=s, achievement=achieved)
                elif s < lo:
                    ctx.emit("score.below_band", loc(), expected=f"{lo}～{hi}", actual=s, achievement=achieved)
            elif item.method == "undetermined" and ind is not None:
                ctx.emit("score.undetermined", loc(), target=ind.target.raw, actual_text=ind.actual.raw)
            elif item.method == "unverifiable" and ind is not None:
                ctx.emit("score.unverifiable", loc(), target=_shown(ind, "target", ctx), actual_text=ind.actual.raw, actual=s)
            if item.method == "positive" and item.ratio is not None and item.ratio >= low_bar:
                ctx.emit("indicator.target_too_low", at(base, name, col["target"], f"{path}.target"),
                         expected=_shown(ind, "target", ctx), actual=_shown(ind, "actual", ctx), ratio=f"{money(item.ratio * 100)}%")
        _fund_rows_within_weight(ctx, table, prefix, base)


def _shown(ind, which: str, ctx: Context) -> str | None:
    """A target or result as the table shows it: with its 指标性质 sign and 度量单位 on forms that
    print them apart ('≥' '95' '%' → '≥95%')."""
    if not ind.nature:
        return getattr(ind, which).raw
    raw = (getattr(ind, which).raw or "").strip()
    nature = fold(ind.nature).strip()
    compared = (ctx.pack.get("scoring", "natures") or {}).get(nature) in ("positive", "reverse", "exact")
    sign = nature if which == "target" and compared else ""
    unit = (ind.unit or "").strip()
    return f"{sign}{raw}{unit if unit and raw[-1:].isdigit() else ''}"


def _incomplete_indicator(ctx: Context, ind, name: str, path: str, base: Location, col: dict[str, str],
                          required: list[str]) -> None:
    """A started indicator row lacks a cell the pack requires (``required``: name, weight and
    score; on some forms the result too)."""
    cells = {"name": ind.name, "target": ind.target.raw, "actual": ind.actual.raw, "weight": ind.weight,
             "self_score": ind.self_score}
    missing = [col[f] for f in required if cells.get(f) in (None, "") and f in col]
    if missing and any(v not in (None, "") for v in cells.values()):  # a row not started is not incomplete
        ctx.emit("indicator.incomplete", at(base, name or "（未命名指标）", None, path), missing="、".join(missing))


def _incomplete_funds_row(ctx: Context, table: _EvaluationTable, prefix: str, base: Location) -> None:
    """The 年度资金总额 row carries a weight but no score (packs that ask: ``funds_row``)."""
    if not ctx.pack.get("rules", "indicator.incomplete", "funds_row", default=False):
        return
    if value_of(table.funds.weight) is not None and table.funds.self_score is None:
        label = column_label("funds", "self_score", ctx.form)
        ctx.emit("indicator.incomplete", at(base, row_name("funds", "funds", ctx.form), label, f"{prefix}.funds.self_score"),
                 missing=label)


def _fund_rows_within_weight(ctx: Context, table: _EvaluationTable, prefix: str, base: Location) -> None:
    """得分 ≤ 分值 on a 其中 row too, when the row carries figures ('/' or blank is the usual)."""
    label = column_label("funds", "self_score", ctx.form)
    for field, row in fund_rows(ctx, table):
        cells = getattr(table, field)
        w, s = value_of(cells.weight), value_of(cells.self_score)
        if w is not None and s is not None and s > w:
            ctx.emit("score.exceeds_weight", at(base, row, label, f"{prefix}.{field}.self_score"), expected=w, actual=s, diff=s - w)


def _method_text(item, form) -> str:
    """The formula a score was held to, in the form's words ('正向指标：分值×实际完成值÷年度指标值')."""
    col = column_labels("indicator", form)
    weight, target, actual = col["weight"], col["target"], col["actual"]
    rate = execution_label(form)
    return {"positive": f"正向指标：{weight}×{actual}÷{target}", "reverse": f"反向指标：{weight}×{target}÷{actual}",
            "exact": f"等值指标：{actual}等于{target}得{weight}，否则不得分",
            "execution": f"{weight}×{rate}（不超过{weight}）"}.get(item.method, item.method)


def _ratio(item) -> str:
    return "—" if item.ratio is None else f"{money(item.ratio * 100)}%"
