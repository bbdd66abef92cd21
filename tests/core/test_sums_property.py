"""Property tests for the basic data table's sums: right sums are silent, any wrong one is caught."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.model import AmountRow, NamedAmountRow
from jixiao.rules import run_checks
from support.examples import clean

cents = st.integers(min_value=0, max_value=10**8).map(lambda c: Decimal(c) / 100)
cell = st.one_of(st.none(), cents)
rows = st.tuples(cell, cell, cell)
COLUMNS = ("prev_final", "budget", "final")


def _total(values):
    filled = [v for v in values if v is not None]
    return sum(filled, Decimal(0)) if filled else None


def _build(items):
    pkg = clean()
    b = pkg.basic
    b.district_special_items = [
        NamedAmountRow(name=f"专项{i}", **dict(zip(COLUMNS, r, strict=True))) for i, r in enumerate(items)
    ]
    sub = [_total([r[c] for r in items]) for c in range(3)]
    b.district_special = AmountRow(**dict(zip(COLUMNS, sub, strict=True)))
    parts = [b.business_funds, b.operation_funds, b.district_special, b.transfer]
    b.project_spending = AmountRow(
        **{col: _total([getattr(p, col) for p in parts]) for col in COLUMNS}
    )
    return pkg


@settings(max_examples=60, deadline=None)
@given(st.lists(rows, min_size=1, max_size=15))
def test_consistent_sums_are_silent(items):
    findings = run_checks(_build(items))
    assert not [f for f in findings if f.rule.startswith("basic.subtotal")]


@settings(max_examples=60, deadline=None)
@given(st.lists(rows, min_size=1, max_size=15), st.integers(0, 2),
       st.integers(min_value=2, max_value=10**6).map(lambda c: Decimal(c) / 100))
def test_a_wrong_subtotal_is_caught_with_both_figures(items, column, delta):
    pkg = _build(items)
    col = COLUMNS[column]
    should = getattr(pkg.basic.district_special, col)
    written = (should or Decimal(0)) + delta
    setattr(pkg.basic.district_special, col, written)
    hits = [f for f in run_checks(pkg) if f.location.path == f"basic.district_special.{col}"]
    if should is None:
        assert [f.rule for f in hits] == ["basic.items_missing"]
    else:
        assert [f.rule for f in hits] == ["basic.subtotal"]
        assert hits[0].expected == str(should) or Decimal(hits[0].expected) == should
        assert Decimal(hits[0].actual) == written
        assert f"{delta}" in hits[0].message or f"{delta:.2f}" in hits[0].message


@settings(max_examples=40, deadline=None)
@given(st.lists(rows, min_size=1, max_size=8), st.integers(0, 2))
def test_a_blank_subtotal_is_reported_with_the_value_it_should_have(items, column):
    pkg = _build(items)
    col = COLUMNS[column]
    should = getattr(pkg.basic.district_special, col)
    setattr(pkg.basic.district_special, col, None)
    hits = [f for f in run_checks(pkg) if f.location.path == f"basic.district_special.{col}"]
    if should is None:
        assert hits == []
    else:
        assert [f.rule for f in hits] == ["basic.subtotal_blank"]
        assert Decimal(hits[0].expected) == should


@given(st.lists(st.one_of(st.none(), st.just("/"), st.integers(min_value=0, max_value=10**6),
                          st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**9, max_value=10**9)),
                max_size=12))
def test_a_sum_of_cells_is_the_sum_of_the_filled_ones_from_zero(cells):
    """cell_sum: None when every cell is blank or '/' (a blank is not zero), else the filled ones
    added to Decimal(0) — to the digit, exponent included, as the messages print it."""
    from jixiao.forms.derived import cell_sum

    filled = [Decimal(c) if isinstance(c, int) else c for c in cells if c is not None and c != "/"]
    got = cell_sum(cells)
    if not filled:
        assert got is None
    else:
        assert str(got) == str(sum(filled, Decimal(0)))
