"""Monitoring review (rules monitor.*, and rate.mismatch on the monitoring form)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from jixiao.api import check_package
from jixiao.cycle import CycleContext
from jixiao.model import IndicatorValue
from support.cycle_world import indicator, monitoring, targets


def _hits(pkg, rule, cycle=None):
    return [f for f in check_package(pkg, cycle=cycle).findings if f.rule == rule]


def _project():
    return monitoring(targets(projects=1, overall=False))


@pytest.mark.parametrize("variant", [dict(), dict(projects=2, overall=False), dict(projects=0)])
def test_a_monitoring_table_on_time_and_on_target_has_no_finding(variant):
    assert check_package(monitoring(targets(**variant))).findings == []


def test_execution_rate_is_executed_over_initial_budget_within_tolerance():
    pkg = _project()  # 60 of 100
    pkg.projects[0].funds.execution_rate = D("60.01")
    assert _hits(pkg, "rate.mismatch") == []
    pkg.projects[0].funds.execution_rate = D("60.02")
    hits = _hits(pkg, "rate.mismatch")
    assert [h.location.path for h in hits] == ["projects.0.funds.execution_rate"] and "60.00%" in hits[0].message


def _executed(pkg, amount):
    pkg.projects[0].funds.executed = D(amount)
    pkg.projects[0].funds.execution_rate = D(amount)  # budget 100: rate = amount


def test_behind_time_progress_by_more_than_the_gap_needs_a_reason():
    # time progress 7/12 = 58.33%; gap allowed 20 points: 38.33% is at the edge
    pkg = _project()
    _executed(pkg, "38.34")
    assert _hits(pkg, "monitor.behind_schedule") == []
    _executed(pkg, "38.33")
    assert _hits(pkg, "monitor.behind_schedule") == []  # exactly 20.00 points behind
    _executed(pkg, "38.32")
    hits = _hits(pkg, "monitor.behind_schedule")
    assert len(hits) == 1 and "58.33%" in hits[0].message and "38.32%" in hits[0].message and "20.01" in hits[0].message
    assert "或指标的“备注”栏中说明" in hits[0].message
    pkg.projects[0].note = "受项目招标延期影响，8月起集中支付。"
    assert _hits(pkg, "monitor.behind_schedule") == []


def test_a_reason_in_an_indicators_remark_explains_the_lag():
    """The official monitoring table has no 说明 row: the 备注 of an indicator row is where a unit
    writes why spending lags."""
    pkg = _project()
    _executed(pkg, "38.32")
    assert _hits(pkg, "monitor.behind_schedule")
    indicator(pkg.projects[0], "设施完好率").remark = "设备采购延迟，下半年集中支付"
    assert _hits(pkg, "monitor.behind_schedule") == []
    indicator(pkg.projects[0], "设施完好率").remark = " / "
    assert _hits(pkg, "monitor.behind_schedule")


def test_a_table_of_other_months_is_compared_with_its_own_time_progress():
    # 1-6月 (period_months, read from the headers): time progress 50.00%, 30.00% is at the edge
    pkg = _project()
    pkg.projects[0].period_months = 6
    _executed(pkg, "30.00")
    assert _hits(pkg, "monitor.behind_schedule") == []  # exactly 20.00 points behind 50.00%
    _executed(pkg, "29.99")
    hits = _hits(pkg, "monitor.behind_schedule")
    assert len(hits) == 1 and "50.00%" in hits[0].message and "20.01" in hits[0].message
    pkg.projects[0].period_months = None  # the pack's 1-7月: 28.34 points behind 58.33%
    _executed(pkg, "30.00")
    assert "58.33%" in _hits(pkg, "monitor.behind_schedule")[0].message


def _forecast(pkg, value, likelihood="确定能", causes=(), remark=None, name="设施完好率"):
    ind = indicator(pkg.projects[0], name)
    ind.forecast = IndicatorValue.model_validate(value)
    ind.likelihood, ind.causes, ind.remark = likelihood, list(causes), remark
    return ind


@pytest.mark.parametrize("name, forecast, short", [
    ("设施完好率", "97.99%", True), ("设施完好率", "98%", False), ("设施完好率", "99%", False),
    ("单位面积保洁成本", "2.51元", True), ("单位面积保洁成本", "2.5元", False), ("单位面积保洁成本", "2元", False),
    ("投诉办结率", "99%", True), ("投诉办结率", "100%", False),
])
def test_a_forecast_short_of_the_target_needs_a_cause_and_a_likelihood(name, forecast, short):
    pkg = _project()
    _forecast(pkg, forecast, name=name)
    cause, likely = _hits(pkg, "monitor.shortfall_cause"), _hits(pkg, "monitor.shortfall_likelihood")
    assert bool(cause) == short and bool(likely) == short
    if short:
        assert forecast in cause[0].message and cause[0].location.path.endswith(".causes")
        assert "确定能" in likely[0].message


def test_a_ticked_cause_and_a_likelihood_other_than_certain_answer_the_shortfall():
    pkg = _project()
    _forecast(pkg, "96%", likelihood="有可能", causes=["经费保障"])
    assert _hits(pkg, "monitor.shortfall_cause") == [] and _hits(pkg, "monitor.shortfall_likelihood") == []
    _forecast(pkg, "96%", likelihood=None, causes=["经费保障"])
    assert "空白" in _hits(pkg, "monitor.shortfall_likelihood")[0].message


def test_completely_impossible_needs_a_correction_or_an_approved_adjustment():
    pkg = _project()
    _forecast(pkg, "90%", likelihood="完全不可能", causes=["硬件条件保障"])
    hits = _hits(pkg, "monitor.impossible_uncorrected")
    assert len(hits) == 1 and hits[0].location.path.endswith(".remark") and "≥98%" in hits[0].message
    _forecast(pkg, "90%", likelihood="完全不可能", causes=["硬件条件保障"], remark="已申请调整目标，增购设备。")
    assert _hits(pkg, "monitor.impossible_uncorrected") == []
    # no remark, but the bureau approved an adjusted target the forecast meets
    _forecast(pkg, "90%", likelihood="完全不可能", causes=["硬件条件保障"])
    adjusted = targets(projects=1, overall=False)
    indicator(adjusted.projects[0], "设施完好率").target = IndicatorValue.model_validate("≥90%")
    assert _hits(pkg, "monitor.impossible_uncorrected", CycleContext(approved_targets=adjusted)) == []
    indicator(adjusted.projects[0], "设施完好率").target = IndicatorValue.model_validate("≥95%")  # still short
    assert len(_hits(pkg, "monitor.impossible_uncorrected", CycleContext(approved_targets=adjusted))) == 1


def test_likelihood_outside_the_packs_words():
    pkg = _project()
    _forecast(pkg, "98%", likelihood="大概能")
    hits = _hits(pkg, "monitor.likelihood_invalid")
    assert len(hits) == 1 and "确定能、有可能、完全不可能" in hits[0].message
