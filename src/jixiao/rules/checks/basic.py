"""基础数据表: sums and subtotals per column, 其中 subsets, control rates."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...forms import basic_rows, part_name, row_label
from ...forms.derived import computed, rates
from ...model import AmountRow, BasicDataTable, value_of
from ...model.values import rounded
from ..engine import Context, check
from ..findings import Location
from . import cell_sum, differs, pct


def amount_columns(ctx: Context) -> list[tuple[str, str]]:
    """(field, label) of the table's amount columns, the labels with the year filled in (once per
    run: every row of every check here asks)."""
    if "basic.amount_columns" not in ctx.cache:
        year = ctx.package.fiscal_year
        ctx.cache["basic.amount_columns"] = [
            (c["field"], c["label"].format(year=year, prev_year=year - 1))
            for c in ctx.form["basic"]["amount_columns"]
        ]
    return ctx.cache["basic.amount_columns"]


def _row(basic: BasicDataTable, field: str) -> AmountRow:
    return getattr(basic, field)


@check("basic.subtotal", "basic.subtotal_blank", "basic.items_missing")
def subtotals(ctx: Context) -> None:
    basic = ctx.package.basic
    if basic is None:
        return
    rows = {r["field"]: r for r in basic_rows(ctx.form)}
    tol = ctx.tol()
    for field, spec in rows.items():
        if "sum_of" not in spec and "items" not in spec:
            continue
        children = spec.get("sum_of") or []
        parts_label = "、".join(row_label(rows[c]) for c in children) if children else "各专项"
        for column, column_label in amount_columns(ctx):
            written = value_of(getattr(_row(basic, field), column))
            should = computed(basic, rows, field, column)
            if should is None:
                if written is not None and written != 0 and "items" in spec:
                    ctx.emit("basic.items_missing", _cell(ctx, spec, column, column_label), actual=written)
                continue
            if written is None:
                ctx.emit("basic.subtotal_blank", _cell(ctx, spec, column, column_label), expected=should, parts=parts_label)
            elif differs(written, should, tol):
                # A total that agrees with its leaves is right; the wrong one is the
                # subtotal in between, reported on its own row.
                deep = computed(basic, rows, field, column, deep=True)
                if deep is not None and not differs(written, deep, tol):
                    continue
                ctx.emit("basic.subtotal", _cell(ctx, spec, column, column_label), expected=should, actual=written,
                         diff=written - should, parts=parts_label)


def _cell(ctx: Context, spec: dict[str, Any], column: str, column_label: str) -> Location:
    """Where a finding on a row's cell points (built only for a finding)."""
    return Location(part=part_name("basic", ctx.form), row=row_label(spec), column=column_label,
                    path=f"basic.{spec['field']}.{column}")


@check("basic.subset_exceeds")
def subsets(ctx: Context) -> None:
    basic = ctx.package.basic
    if basic is None:
        return
    rows = {r["field"]: r for r in basic_rows(ctx.form)}
    for field, spec in rows.items():
        subset = spec.get("subset_of")
        if not subset:
            continue
        for column, column_label in amount_columns(ctx):
            total = value_of(getattr(_row(basic, field), column))
            parts = cell_sum([getattr(_row(basic, f), column) for f in subset])
            if total is None or parts is None:
                continue
            if parts - total > ctx.tol():
                names = "、".join(row_label(rows[f]) for f in subset)
                loc = Location(part=part_name("basic", ctx.form), row=row_label(spec), column=column_label, path=f"basic.{field}.{column}")
                ctx.emit("basic.subset_exceeds", loc, expected=parts, actual=total, diff=parts - total, parts=names)


@check("basic.negative")
def negatives(ctx: Context) -> None:
    basic = ctx.package.basic
    if basic is None:
        return
    rows = basic_rows(ctx.form)
    columns = amount_columns(ctx)
    for spec in rows:
        named = [(None, spec["field"], _row(basic, spec["field"]))]  # the row's label: only for a finding
        if "items" in spec:
            named += [
                (item.name, f"{spec['items']}.{i}", item) for i, item in enumerate(getattr(basic, spec["items"]))
            ]
        for label, path, row in named:
            for column, column_label in columns:
                v = value_of(getattr(row, column))
                if v is not None and v < 0:
                    loc = Location(part=part_name("basic", ctx.form), row=row_label(spec) if label is None else label,
                                   column=column_label, path=f"basic.{path}.{column}")
                    ctx.emit("basic.negative", loc, actual=v)


def rate_matches(written: Decimal, computed_pct: Decimal, tol: Decimal) -> bool:
    """A rate written to any precision agrees when the computed rate rounds to it."""
    places = max(0, -written.as_tuple().exponent) if isinstance(written.as_tuple().exponent, int) else 2
    return abs(rounded(computed_pct, places) - written) <= tol


def check_rate(ctx: Context, loc: Location, written: Any, numerator: Any, denominator: Any, formula: str) -> None:
    num, den = value_of(numerator), value_of(denominator)
    if num is None or den is None or den == 0:
        return
    should = pct(num, den)
    shown = rounded(should, 2)
    rate = value_of(written)
    if rate is None:
        if written is None:
            ctx.emit("rate.blank", loc, expected=f"{shown}%", formula=formula)
        return
    if not rate_matches(rate, should, ctx.tol("percent")):
        ctx.emit("rate.mismatch", loc, expected=f"{shown}%", actual=f"{rate}%", diff=f"{rate - shown}个百分点", formula=formula)


@check("rate.mismatch", "rate.blank")
def basic_rates(ctx: Context) -> None:
    for rate in rates(ctx.package, ctx.form, "basic"):
        loc = Location(part=part_name("basic", ctx.form), row=rate.row, column=rate.column, path=rate.path)
        check_rate(ctx, loc, rate.written, rate.numerator, rate.denominator, rate.formula)
