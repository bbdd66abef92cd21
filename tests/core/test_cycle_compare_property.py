"""Properties of the 指标值 comparison helpers (jixiao.cycle: comparable, same_value, shown_value,
falls_short) on generated values."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jixiao.cycle import comparable, falls_short, same_value, shown_value

numbers = st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=2, allow_nan=False, allow_infinity=False)
units = st.sampled_from(["%", "次", "万元", "元", "人", "平方米", "家"])
signs = st.sampled_from([("≥", "ge"), ("≤", "le"), ("=", "eq"), ("", None), ("不低于", "ge"), ("不超过", "le")])


def _text(n: Decimal) -> str:
    return format(n.normalize(), "f") if n == n.to_integral_value() else format(n, "f")


@given(numbers, units, signs)
def test_a_quantity_parses_to_its_sign_number_and_unit(n, unit, sign):
    value = comparable(f"{sign[0]}{_text(n)}{unit}")
    assert value is not None and value.direction == sign[1]
    scale = Decimal(10_000) if unit == "万元" else Decimal(1)
    assert value.magnitude == n * scale and value.unit == ("元" if unit == "万元" else unit)


@given(numbers, units, signs)
def test_a_value_is_the_same_as_itself_spaced_and_full_width(n, unit, sign):
    raw = f"{sign[0]}{_text(n)}{unit}"
    spaced = f"{sign[0]} {_text(n)} {unit}".replace("%", "％")
    assert same_value(raw, raw) and same_value(raw, spaced)
    assert not falls_short(raw, f"{_text(n)}{unit}")  # meeting the target exactly is never short


@given(numbers, numbers, units)
def test_more_is_better_under_ge_and_less_under_le(target, result, unit):
    t, r = _text(target), _text(result)
    assert falls_short(f"≥{t}{unit}", f"{r}{unit}") is (result < target)
    assert falls_short(f"≤{t}{unit}", f"{r}{unit}") is (result > target)
    assert falls_short(f"={t}{unit}", f"{r}{unit}") is (result != target)
    assert same_value(f"≥{t}{unit}", f"≥{r}{unit}") is (result == target)


@given(numbers)
def test_units_that_differ_are_not_compared(n):
    assert falls_short(f"≥{_text(n)}%", f"{_text(n)}次") is None
    assert not same_value(f"≥{_text(n)}%", f"≥{_text(n)}次")


@given(st.sampled_from(["持续推进", "全面提升", "达标", "12月底前完成"]), numbers)
def test_qualitative_values_are_compared_as_words(word, n):
    assert comparable(word) is None or word.startswith("12")
    assert same_value(word, f" {word} ")
    assert not same_value(word, f"≥{_text(n)}%")


@given(numbers, units, st.sampled_from(["≥", "≤", "="]))
def test_a_sign_and_unit_printed_apart_are_shown_together(n, unit, sign):
    shown = shown_value(_text(n), sign, unit)
    assert shown == f"{sign}{_text(n)}{unit}"
    assert same_value(shown, _text(n), nature_b=sign, unit_b=unit)
