"""The budget decision's figures as typed: parsed exactly (Decimal, never float), blank is blank,
two places rounded half up once."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.web.evidence.actions import ActionError, parse_decimal, two_places

AMOUNTS = st.decimals(min_value=0, max_value=Decimal("100000000"), places=4, allow_nan=False, allow_infinity=False)


@given(AMOUNTS, st.sampled_from(["{}", " {} ", "{}%", "{}％"]))
def test_a_typed_figure_is_read_exactly(value, layout):
    assert parse_decimal(layout.format(value), "调整金额") == value


@given(AMOUNTS)
def test_thousands_separators_are_read(value):
    whole, _, frac = f"{value:f}".partition(".")
    grouped = f"{int(whole):,}" + (f".{frac}" if frac else "")
    assert parse_decimal(grouped, "调整金额") == value


@given(AMOUNTS)
def test_two_places_round_half_up_once(value):
    got = two_places(value)
    assert got == value.quantize(Decimal("0.01"), ROUND_HALF_UP) and abs(got - value) <= Decimal("0.005")
    assert got.as_tuple().exponent == -2


@pytest.mark.parametrize("text", ["", "  ", None, "%"])
def test_blank_is_none_not_zero(text):
    assert parse_decimal(text, "调整金额") is None and two_places(None) is None


@pytest.mark.parametrize("text,says", [("abc", "不是数字"), ("NaN", "不是数字"), ("Infinity", "不是数字"),
                                       ("-0.01", "不能为负数"), ("1e400x", "不是数字")])
def test_what_is_not_a_figure_is_refused(text, says):
    with pytest.raises(ActionError, match=says):
        parse_decimal(text, "调整金额")


def test_the_half_cent_boundary():
    assert two_places(Decimal("12.345")) == Decimal("12.35")
    assert two_places(Decimal("12.3449")) == Decimal("12.34")
