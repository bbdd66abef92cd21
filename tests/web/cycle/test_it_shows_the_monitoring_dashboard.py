"""The bureau's monitoring dashboard: units behind the time progress (1-7月: 58.33%), indicators
likely to miss (全年预计 short, 有可能 / 完全不可能), each linked to its package."""

from __future__ import annotations

from decimal import Decimal

import pytest
from cycleworld import INDICATOR, PROJECT

from jixiao.web.bureau.monitoring import build, time_progress


def fill_monitoring(cw, *, executed="30", rate=None, forecast="4000卷", likelihood="有可能", submit=True,
                    months=None):
    """The unit's monitoring table, prefilled from its approved targets, with 1-7月 figures (or
    ``months``: a table whose headers name other months, as the reader keeps them)."""
    m = cw.start("monitoring")
    doc = m.head.document
    p = doc["projects"][0]
    if months is not None:
        p["period_months"] = months
    p["funds"]["executed"] = executed
    if rate is not None:
        p["funds"]["execution_rate"] = rate
    ind = p["indicators"][0]["children"][0]["indicators"][0]
    ind["actual"] = "2000卷"
    ind["forecast"] = forecast
    ind["likelihood"] = likelihood
    if likelihood != "确定能":
        ind["causes"] = ["经费保障"]
        ind["remark"] = "扫描设备采购延迟"
    cw.save(m, doc)
    return cw.submit(m) if submit else m


def test_time_progress_is_the_months_share_of_the_year():
    assert time_progress(7) == Decimal("58.33") and time_progress(6) == Decimal("50.00")


def test_a_lagging_unit_and_an_indicator_likely_to_miss_are_shown(cw):
    from webworld import client_for

    cw.approved_targets()
    m = fill_monitoring(cw)
    board = build(cw.campaign)
    assert board.time_progress == Decimal("58.33") and board.months == 7
    [row] = board.behind
    lag = next(lg for lg in row.lagging if lg.table == PROJECT)
    assert (lag.rate, lag.gap) == (Decimal("25.00"), Decimal("33.33"))
    [(r, risk)] = board.at_risk
    assert (risk.indicator, risk.target, risk.forecast, risk.likelihood) == (INDICATOR, "≥5000卷", "4000卷", "有可能")
    assert "全年预计完成值4000卷未达年度指标值≥5000卷" in risk.why
    page = client_for(cw.reviewer).get(f"/bureau/c/{cw.campaign.pk}/monitoring/").content.decode()
    assert "时间进度 58.33%" in page and cw.unit.name in page and "25.00%" in page and "33.33个百分点" in page
    assert f"/bureau/p/{m.pk}/review/" in page and "完成目标可能性为“有可能”" in page


@pytest.mark.parametrize(("rate", "behind"), [("58.32", True), ("58.33", False), ("58.34", False)])
def test_the_time_progress_is_the_threshold(cw, rate, behind):
    cw.approved_targets()
    fill_monitoring(cw, executed=str(Decimal(rate) * Decimal("1.2")), rate=rate, forecast="5000卷",
                    likelihood="确定能")
    board = build(cw.campaign)
    assert any(lg.table == PROJECT for r in board.behind for lg in r.lagging) is behind
    assert board.at_risk == []


@pytest.mark.parametrize(("rate", "behind"), [("49.99", True), ("50.00", False)])
def test_a_table_of_other_months_has_its_own_time_progress(cw, rate, behind):
    cw.approved_targets()
    fill_monitoring(cw, executed=str(Decimal(rate) * Decimal("1.2")), rate=rate, forecast="5000卷",
                    likelihood="确定能", months=6)
    lagging = [lg for r in build(cw.campaign).behind for lg in r.lagging if lg.table == f"{PROJECT}（1-6月）"]
    assert bool(lagging) is behind
    if behind:
        assert lagging[0].gap == Decimal("0.01")


@pytest.mark.parametrize(("forecast", "likelihood", "at_risk"), [
    ("5000卷", "确定能", False), ("4999卷", "确定能", True), ("6000卷", "有可能", True), ("", "完全不可能", True)])
def test_likely_to_miss(cw, forecast, likelihood, at_risk):
    cw.approved_targets()
    fill_monitoring(cw, executed="100", forecast=forecast, likelihood=likelihood)
    assert bool(build(cw.campaign).at_risk) is at_risk


def test_a_monitoring_table_not_yet_submitted_is_not_on_the_dashboard(cw):
    cw.approved_targets()
    fill_monitoring(cw, submit=False)
    board = build(cw.campaign)
    assert board.rows == [] and board.not_submitted == 2


def test_a_campaign_without_monitoring_says_so(cw):
    from webworld import client_for

    cw.campaign.monitoring_form = None
    cw.campaign.save()
    page = client_for(cw.reviewer).get(f"/bureau/c/{cw.campaign.pk}/monitoring/").content.decode()
    assert "本任务不收集绩效目标执行监控表" in page


def test_only_the_campaigns_bureau_sees_it(cw):
    from webworld import client_for

    assert client_for(cw.clerk).get(f"/bureau/c/{cw.campaign.pk}/monitoring/").status_code == 403
