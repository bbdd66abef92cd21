"""Cell values: blank vs zero vs '/', and the notations of indicator cells (docs/forms.md §3)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.model import AmountRow, IndicatorValue, Package, money, parse_indicator_value


@pytest.mark.parametrize(
    ("raw", "number", "scale", "unit", "direction"),
    [
        ("467家", "467", None, "家", None),
        ("97%以上", "97", None, "%", "ge"),
        ("≥95%", "95", None, "%", "ge"),
        ("≤4", "4", None, None, "le"),
        ("20万条", "20", "万", "条", None),
        ("1.79亿元", "1.79", "亿", "元", None),
        ("540.84万元", "540.84", "万", "元", None),
        ("36000平方米", "36000", None, "平方米", None),
        ("３６,０００平方米", "36000", None, "平方米", None),  # full-width digits, thousands separator
        ("≧９５％", "95", None, "%", "ge"),
        ("不超过35元", "35", None, "元", "le"),
        ("不低于90%", "90", None, "%", "ge"),
        ("5个工作日以内", "5", None, "个工作日", "le"),
        ("2小时内", "2", None, "小时", "le"),
        (" 12 000 人 ", "12000", None, "人", None),
    ],
)
def test_it_parses_quantities(raw, number, scale, unit, direction):
    p = parse_indicator_value(raw)
    assert p.kind == "quantity"
    assert (p.number, p.scale, p.unit, p.direction) == (Decimal(number), scale, unit, direction)


@pytest.mark.parametrize("raw", ["一周一次", "已完成", "显著提高", "稳步推进", "全年规范管理夜宵店467家",
                                 "实行一周一考评、一月一讲评，一周一通报、一月一兑现"])
def test_it_keeps_qualitative_text(raw):
    p = parse_indicator_value(raw)
    assert p.kind == "qualitative" and p.text


@pytest.mark.parametrize(("raw", "kind"), [(None, "blank"), ("", "blank"), ("  ", "blank"), ("……", "blank"),
                                          ("......", "blank"), ("/", "na"), ("／", "na")])
def test_blank_placeholder_and_not_applicable(raw, kind):
    assert parse_indicator_value(raw).kind == kind


def test_magnitude_applies_the_scale():
    assert parse_indicator_value("1.79亿元").magnitude == Decimal("179000000")
    assert parse_indicator_value("20万条").magnitude == Decimal("200000")


def test_indicator_value_recomputes_parsed_from_raw():
    v = IndicatorValue.model_validate({"raw": "≥95%", "parsed": {"kind": "qualitative", "text": "forged"}})
    assert v.parsed.kind == "quantity" and v.parsed.direction == "ge"


def test_a_blank_cell_is_not_zero_and_not_na():
    row = AmountRow(prev_final=None, budget="0", final="/")
    assert row.prev_final is None
    assert row.budget == Decimal(0)
    assert row.final == "/"
    again = AmountRow.model_validate_json(row.model_dump_json())
    assert again == row


def test_amounts_keep_their_written_places_and_never_go_through_float():
    row = AmountRow.model_validate_json('{"final": 6.10, "budget": "6.00"}')
    assert str(row.budget) == "6.00"
    assert row.final == Decimal("6.10")


def test_text_in_a_number_cell_is_refused():
    with pytest.raises(ValueError):
        AmountRow(final="六元")


def test_the_package_carries_a_schema_version():
    pkg = Package(fiscal_year=2023, unit_name="甲")
    assert pkg.model_dump()["schema_version"] == "1"


# ---- property tests

numbers = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
units = st.sampled_from(["", "%", "家", "条", "元", "平方米", "人次", "个工作日"])
scales = st.sampled_from(["", "万", "亿"])
prefixes = st.sampled_from([("", None), ("≥", "ge"), ("≤", "le"), ("不超过", "le"), ("不低于", "ge"), ("＞＝", "ge")])
suffixes = st.sampled_from([("", None), ("以上", "ge"), ("以内", "le"), ("以下", "le")])

FULL = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


def _grouped(n: Decimal) -> str:
    whole, _, frac = f"{n:.2f}".partition(".")
    return f"{int(whole):,}.{frac}"


@given(numbers, scales, units, prefixes, suffixes, st.booleans(), st.booleans())
def test_any_written_quantity_parses_back(n, scale, unit, prefix, suffix, full_width, grouped):
    (pre, pre_dir), (suf, suf_dir) = prefix, suffix
    if pre_dir and suf_dir:
        suf, suf_dir = "", None
    text = _grouped(n) if grouped else f"{n:.2f}"
    raw = f"{pre}{text}{scale}{unit}{suf}"
    if full_width:
        raw = raw.translate(FULL)
    p = parse_indicator_value(raw)
    assert p.kind == "quantity"
    assert p.number == n
    assert (p.scale or "") == scale
    assert (p.unit or "") == unit
    assert p.direction == (pre_dir or suf_dir)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_parsing_never_raises(raw):
    parse_indicator_value(raw)


@given(st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False, allow_infinity=False))
def test_money_rounds_half_up_to_cents(x):
    m = money(x)
    assert m.as_tuple().exponent == -2
    assert abs(m - x) <= Decimal("0.005")
    if (x * 1000) % 10 == 5 and x * 100 == (x * 100).quantize(Decimal("0.1")):
        assert abs(m) >= abs(x)  # a half rounds away from zero (四舍五入)


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**8, max_value=10**8, places=None)
       | st.sampled_from(["/", None]))
def test_a_cell_is_written_to_json_as_its_text(value):
    """A document's JSON holds each figure as the text of its Decimal (str(), exponent and trailing
    zeros as they are), '/' as '/', blank as null: stored and exported documents, and the parts
    incremental checking compares, depend on this text."""
    import json

    row = AmountRow.model_validate({"budget": value if not isinstance(value, Decimal) else str(value)})
    written = json.loads(row.model_dump_json())["budget"]
    assert written == (str(row.budget) if isinstance(row.budget, Decimal) else row.budget)
    assert AmountRow.model_validate_json(row.model_dump_json()) == row
