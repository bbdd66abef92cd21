"""Scoring formulas against hand-computed values (docs/forms.md §4)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from jixiao.model import FundsRow, Indicator, money
from jixiao.rules import load_pack
from jixiao.scoring import grade, score_execution, score_indicator

PACK = load_pack()


def ind(target, actual, weight, self_score=None, name="指标"):
    return Indicator(name=name, target=target, actual=actual, weight=weight, self_score=self_score)


@pytest.fixture
def linear_pack(tmp_path):
    data = dict(PACK.data)
    data["scoring"] = dict(data["scoring"], reverse="linear_to_double")
    path = tmp_path / "linear.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_pack(str(path))


def test_execution_is_weight_times_rate_capped():
    item = score_execution(FundsRow(full_year_budget="200", executed="150", weight=10), "f")
    assert item.computed == Decimal("7.5")
    over = score_execution(FundsRow(full_year_budget="100", executed="120", weight=10), "f")
    assert over.computed == Decimal(10)  # 执行率 120% still gives at most the weight


def test_positive_is_weight_times_b_over_a_capped():
    method, out = score_indicator(ind("90%", "88%", 6), "质量指标", PACK)
    assert method == "positive"
    assert money(out["computed"]) == Decimal("5.87")  # 6 × 88 / 90 = 5.8667
    _, out = score_indicator(ind("20万条", "30万条", 4), "数量指标", PACK)
    assert out["computed"] == Decimal(4)


def test_positive_compares_scaled_magnitudes():
    _, out = score_indicator(ind("2万条", "15000条", 4), "数量指标", PACK)
    assert out["computed"] == Decimal(3)  # 4 × 15000 / 20000


def test_reverse_ratio_variant():
    method, out = score_indicator(ind("540.84万元", "1557.05万元", 4, name="不超过年初预算投入"), "成本指标", PACK)
    assert method == "reverse"
    assert money(out["computed"]) == Decimal("1.39")  # 4 × 540.84 / 1557.05 = 1.3894
    _, under = score_indicator(ind("≤35元", "31.15元", 8), "成本指标", PACK)
    assert under["computed"] == Decimal(8)


def test_reverse_linear_to_double_variant(linear_pack):
    _, out = score_indicator(ind("100万元", "150万元", 4), "成本指标", linear_pack)
    assert out["computed"] == Decimal(2)  # (1 − 50/100) × 4
    _, out = score_indicator(ind("100万元", "200万元", 4), "成本指标", linear_pack)
    assert out["computed"] == Decimal(0)
    _, out = score_indicator(ind("100万元", "90万元", 4), "成本指标", linear_pack)
    assert out["computed"] == Decimal(4)


def test_direction_in_the_target_overrides_the_level2_default():
    method, out = score_indicator(ind("≤2小时", "3小时", 6), "时效指标", PACK)
    assert method == "reverse" and out["computed"] == Decimal(4)


@pytest.mark.parametrize(
    ("actual", "achievement", "band"),
    [("已完成", "achieved", ("3.2", "4.0")), ("基本完成", "partial", ("2.4", "3.2")), ("未完成", "not_achieved", ("0", "2.4"))],
)
def test_qualitative_bands(actual, achievement, band):
    method, out = score_indicator(ind("完成", actual, 4), "时效指标", PACK)
    assert method == "qualitative"
    assert out["achievement"] == achievement
    assert (out["band_low"], out["band_high"]) == tuple(Decimal(b) for b in band)


def test_units_that_do_not_match_are_not_scored_as_quantities():
    method, _ = score_indicator(ind("10个", "10家", 4), "数量指标", PACK)
    assert method != "positive"


@pytest.mark.parametrize(("total", "expected"), [("90", "优"), ("89.99", "良"), ("80", "良"), ("60", "中"), ("59.99", "差")])
def test_grade_bands_from_the_pack(total, expected):
    assert grade(Decimal(total), PACK) == expected
