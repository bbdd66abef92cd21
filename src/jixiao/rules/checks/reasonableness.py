"""Reasonableness, from the common indicators of 部门整体支出 (docs/forms.md §6)."""

from __future__ import annotations

from decimal import Decimal

from ...forms import basic_rows, caption_name, column_label, part_name, row_label, row_name
from ...forms.derived import effective, rates
from ...forms.paths import value_at
from ...model import money, value_of
from ..engine import Context, check
from ..findings import Location
from .basic import amount_columns
from .evaluation import at, tables


def _p(x: Decimal) -> str:
    return f"{money(x)}%"


@check("reason.sangong_over_budget", "reason.public_over_budget", "reason.procurement_over_budget")
def over_budget(ctx: Context) -> None:
    basic = ctx.package.basic
    if basic is None:
        return
    rows = {r["field"]: r for r in basic_rows(ctx.form)}
    year = ctx.package.fiscal_year
    for field, rule in (
        ("sangong", "reason.sangong_over_budget"),
        ("public_funds", "reason.public_over_budget"),
        ("procurement", "reason.procurement_over_budget"),
    ):
        budget = effective(basic, rows, field, "budget")
        final = effective(basic, rows, field, "final")
        if budget is None or final is None or final - budget <= ctx.tol():
            continue
        rate = _p(final / budget * 100) if budget else "—"
        ctx.emit(rule, Location(part=part_name("basic", ctx.form), row=row_label(rows[field]),
                               column=column_label("amount", "final", ctx.form, year), path=f"basic.{field}.final"),
                 expected=budget, actual=final, diff=final - budget, rate=rate, year=year)


@check("reason.staff_over_establishment")
def staffing(ctx: Context) -> None:
    basic = ctx.package.basic
    if basic is None:
        return
    est, act = value_of(basic.staffing.establishment), value_of(basic.staffing.actual)
    if est is None or act is None or act <= est:
        return
    ctx.emit("reason.staff_over_establishment",
             Location(part=part_name("basic", ctx.form), row=caption_name("basic", "staffing", ctx.form),
                      column=column_label("staffing", "actual", ctx.form), path="basic.staffing.actual"),
             expected=est, actual=act, diff=act - est)


@check("reason.budget_increase", "reason.execution_rate")
def budget_changes(ctx: Context) -> None:
    limit = ctx.pack.number("thresholds", "budget_increase")
    low, high = ctx.pack.number("thresholds", "execution_rate_low"), ctx.pack.number("thresholds", "execution_rate_high")
    for table, prefix, _, base in tables(ctx):
        f = table.funds
        initial, full, executed = value_of(f.initial_budget), value_of(f.full_year_budget), value_of(f.executed)
        if initial and full is not None:
            change = (full - initial) / initial * 100
            if change > limit:
                ctx.emit("reason.budget_increase", at(base, row_name("funds", "funds", ctx.form), column_label("funds", "full_year_budget", ctx.form),
                                                          f"{prefix}.funds.full_year_budget"),
                         expected=initial, actual=full, diff=full - initial, rate=_p(change), limit=f"{limit}%")
        if full and executed is not None:
            rate = executed / full * 100
            if rate < low or rate > high:
                ctx.emit("reason.execution_rate", at(base, row_name("funds", "funds", ctx.form), column_label("funds", "execution_rate", ctx.form),
                                                          f"{prefix}.funds.execution_rate"),
                         actual=_p(rate), low=f"{low}%", high=f"{high}%",
                         kind="低于" if rate < low else "高于")


@check("reason.yoy_change")
def year_over_year(ctx: Context) -> None:
    basic = ctx.package.basic
    if basic is None:
        return
    rows = basic_rows(ctx.form)
    limit = ctx.pack.number("thresholds", "yoy_change")
    cols = dict(amount_columns(ctx))
    for spec in rows:
        if "items" in spec:
            continue  # named special funds come and go each year; their subtotal is checked
        row = getattr(basic, spec["field"])
        prev, final = value_of(row.prev_final), value_of(row.final)
        if not prev or final is None:
            continue
        change = (final - prev) / prev * 100
        if abs(change) > limit:
            ctx.emit("reason.yoy_change",
                     Location(part=part_name("basic", ctx.form), row=row_label(spec), column=cols["final"], path=f"basic.{spec['field']}.final"),
                     expected=prev, actual=final, diff=final - prev, rate=_p(change), limit=f"{limit}%",
                     prev_year=ctx.package.fiscal_year - 1)


def _has_reason_column(ctx: Context) -> bool:
    return any(c["field"] == "reason" for c in ctx.form["evaluation"]["funds_columns"])


def _explained(*rows) -> bool:
    return any((row.reason or "").strip() not in ("", "/") for row in rows)


@check("reason.execution_unexplained")
def low_execution_reasons(ctx: Context) -> None:
    """On forms with a 原因 column, each row the form computes a rate on that falls below the
    pack's threshold says why (on its own row, or on the 年度资金总额 row for the whole block)."""
    if not _has_reason_column(ctx):
        return
    low = ctx.pack.number("thresholds", "execution_rate_low")
    bases = {prefix: base for _, prefix, _, base in tables(ctx)}
    told = set()  # tables already asked for the reason: a low sub-row adds nothing to a low total
    for rate in rates(ctx.package, ctx.form, "evaluation"):
        if rate.value is None or rate.value >= low or rate.prefix in told:
            continue
        table = value_at(ctx.package, rate.prefix)
        row = value_at(ctx.package, rate.path.rsplit(".", 1)[0])
        if _explained(row, table.funds):
            continue
        told.add(rate.prefix)
        ctx.emit("reason.execution_unexplained",
                 at(bases[rate.prefix], rate.row, column_label("funds", "reason", ctx.form), rate.path.rsplit(".", 1)[0] + ".reason"),
                 actual=_p(rate.value), low=f"{low}%")


@check("reason.adjustment_unexplained")
def adjustment_reasons(ctx: Context) -> None:
    """On forms with a 原因 column, a budget adjusted during the year (年初 ≠ 调整后) is explained."""
    if not _has_reason_column(ctx):
        return
    for table, prefix, _, base in tables(ctx):
        initial, adjusted = value_of(table.funds.initial_budget), value_of(table.funds.full_year_budget)
        if initial is None or adjusted is None or abs(adjusted - initial) <= ctx.tol() or _explained(table.funds):
            continue
        ctx.emit("reason.adjustment_unexplained",
                 at(base, row_name("funds", "funds", ctx.form), column_label("funds", "reason", ctx.form), f"{prefix}.funds.reason"),
                 expected=initial, actual=adjusted, diff=adjusted - initial)
