"""An indicator cell holds text: what else a JSON may put there is refused on its cell, never a crash."""

import pytest


@pytest.mark.parametrize("raw", [{}, [], {"a": 1}, True, 1.5])
def test_an_indicator_cell_holding_no_text_is_refused_in_chinese(raw):
    from pydantic import ValidationError

    from jixiao.model import Indicator

    with pytest.raises(ValidationError) as info:
        Indicator.model_validate({"name": "x", "actual": {"raw": raw}})
    assert "指标值应为文字" in str(info.value)


def test_an_indicator_cell_written_as_a_number_reads_as_its_text():
    from decimal import Decimal

    from jixiao.model import Indicator

    ind = Indicator.model_validate({"name": "x", "target": {"raw": 30}, "actual": {"raw": Decimal("15.5")}})
    assert (ind.target.raw, ind.actual.raw) == ("30", "15.5")
    assert ind.target.parsed.kind != "blank"
