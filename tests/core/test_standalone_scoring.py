"""Scoring on the forms that print the target in three columns (指标性质, 指标值, 度量单位) and on
the national form, whose results must be figures when the target is one."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from jixiao.api import check_package
from jixiao.model import Indicator
from jixiao.pack import pack_for, read_pack
from jixiao.scoring import effective_values, score_execution, score_indicator
from support.standalone import NATIONAL, PROVINCE, province_project

PROVINCE_PACK = pack_for(PROVINCE)
NATIONAL_PACK = pack_for(NATIONAL)
DEFAULT_PACK = read_pack()


def _score(pack=PROVINCE_PACK, level2="数量指标", **cells):
    ind = Indicator(weight=cells.pop("weight", 20), self_score=cells.pop("self_score", None), **cells)
    return score_indicator(ind, level2, pack)


def test_each_form_has_its_own_pack():
    assert (PROVINCE_PACK.id, NATIONAL_PACK.id) == (PROVINCE, NATIONAL)
    assert pack_for(None).id == pack_for("hunan-2023").id == DEFAULT_PACK.id


def test_the_effective_target_joins_nature_figure_and_unit():
    target, actual, method = effective_values(Indicator(nature="≥", target="95", unit="%", actual="96"), PROVINCE_PACK)
    assert (target.magnitude, target.unit, actual.magnitude, actual.unit, method) == (D(95), "%", D(96), "%", "positive")


def test_a_unit_written_in_the_cell_is_not_doubled():
    target, actual, _ = effective_values(Indicator(nature="≥", target="95%", unit="%", actual="96%"), PROVINCE_PACK)
    assert (target.unit, actual.unit) == ("%", "%")


def test_without_a_nature_the_target_cell_holds_everything():
    ind = Indicator(target="≥95%", actual="96%")
    assert effective_values(ind, PROVINCE_PACK) == (ind.target.parsed, ind.actual.parsed, None)


@pytest.mark.parametrize(("actual", "computed"), [("100", D(20)), ("99.9", D(0)), ("100.1", D(0))])
def test_equal_means_met_or_not(actual, computed):
    method, extra = _score(nature="=", target="100", unit="%", actual=actual)
    assert (method, extra["computed"]) == ("exact", computed)


@pytest.mark.parametrize(("actual", "computed"), [("520", D(20)), ("500", D(20)), ("450", D(18))])
def test_at_least_is_positive(actual, computed):
    method, extra = _score(nature="≥", target="500", unit="人次", actual=actual)
    assert (method, extra["computed"]) == ("positive", computed)


@pytest.mark.parametrize(("actual", "computed"), [("480", D(20)), ("500", D(20)), ("625", D(16))])
def test_at_most_is_reverse(actual, computed):
    method, extra = _score(nature="≤", target="500", unit="元", actual=actual)
    assert (method, extra["computed"]) == ("reverse", computed)


def test_qualitative_nature_or_text_is_scored_in_bands():
    assert _score(nature="定性", target="明显提升", actual="明显提升")[1]["achievement"] == "achieved"
    assert _score(nature="定性", target="100", actual="100")[0] == "qualitative"  # 定性 wins over a figure
    method, extra = _score(nature="优良中差", target="优", actual="部分完成")
    assert (method, extra["achievement"]) == ("qualitative", "partial")


def test_a_result_in_words_against_a_figure_cannot_be_verified():
    assert _score(nature="≥", target="95", unit="%", actual="已完成")[0] == "unverifiable"
    assert _score(NATIONAL_PACK, target="≥95%", actual="已完成")[0] == "unverifiable"


def test_the_default_pack_keeps_scoring_words_as_qualitative():
    assert _score(DEFAULT_PACK, target="≥95%", actual="已完成")[0] == "qualitative"


def test_a_deadline_met_may_be_said_in_words():
    method, extra = _score(NATIONAL_PACK, level2="时效指标", target="10月底前", actual="已完成")
    assert (method, extra["achievement"]) == ("qualitative", "achieved")


@pytest.mark.parametrize(("executed", "computed"), [("98", D("9.8")), ("100", D(10)), ("105", D(10)), ("89.99", D("8.999"))])
def test_execution_score_is_weight_times_rate_capped(executed, computed):
    from jixiao.model import FundsRow

    item = score_execution(FundsRow(full_year_budget=D(100), executed=D(executed), weight=10), "projects.0.funds")
    assert item.computed == computed


def test_the_execution_row_is_named_by_the_form_without_a_report():
    from jixiao.forms import load_form
    from jixiao.model import FundsRow

    assert score_execution(FundsRow(), "p", load_form(PROVINCE)).name == "预算执行率"
    assert score_execution(FundsRow(), "p", load_form(NATIONAL)).name == "执行率"


def test_a_low_sub_row_alone_is_asked_for_its_reason_on_its_own_row():
    pkg = province_project()
    t = pkg.projects[0]
    t.unit_funds.executed, t.unit_funds.execution_rate = D("15.00"), D("75.00")
    t.fiscal_funds.executed, t.fiscal_funds.execution_rate = D("180.00"), D("100.00")
    t.funds.executed = D("195.00")
    t.funds.execution_rate, t.funds.self_score, t.total_self_score = D("97.50"), D("9.75"), D("99.75")
    hits = [f for f in check_package(pkg).findings]
    assert [(f.rule, f.location.row, f.location.path) for f in hits] == [
        ("reason.execution_unexplained", "单位资金", "projects.0.unit_funds.reason")]
    assert hits[0].message.endswith("“单位资金”行“原因”列：预算执行率为75.00%，低于90%，但“原因”栏未说明原因。")
    t.unit_funds.reason = "部分自有资金结转下年使用"
    assert check_package(pkg).findings == []


def test_a_missed_target_needs_the_reason_even_at_full_score():
    pkg = province_project()
    ind = pkg.projects[0].indicators[0].children[1].indicators[0]  # = 100 %
    ind.actual = "98"
    rules = [f.rule for f in check_package(pkg).findings]
    assert sorted(rules) == ["indicator.reason_missing", "score.too_high"]
    ind.deviation_reason, ind.self_score = "2户信息有误，已追回", 0
    pkg.projects[0].total_self_score = D("79.80")
    assert check_package(pkg).findings == []


@pytest.mark.parametrize(("nature", "method"), [("＝", "exact"), ("＞＝", "positive"), ("正向指标", "positive"),
                                                ("反向", "reverse"), (" ≤ ", "reverse")])
def test_natures_are_read_as_written(nature, method):
    assert _score(nature=nature, target="500", unit="元", actual="500")[0] == method


@pytest.mark.parametrize(("target", "actual", "method", "computed"), [
    ("≥2万亩", "2.1", "positive", D(10)),  # met: 2.1万亩 ≥ 2万亩
    ("≥2万亩", "1.9", "positive", D("9.5")),  # missed: 1.9 ÷ 2
    ("≤15万元", "16", "reverse", D(10) * 15 / 16),  # over the cap: 16万元 > 15万元
    ("≤15万元", "15", "reverse", D(10)),
    ("2", "2.1万", "positive", D(10)),  # the bare side is the target: read as 2万
])
def test_a_bare_figure_is_read_in_the_other_cells_unit_and_scale(target, actual, method, computed):
    """Seen in files written from the description: results written bare ('2.1') in the target's terms."""
    ind = Indicator.model_validate({"name": "x", "target": target, "actual": actual, "weight": 10})
    got_method, got = score_indicator(ind, "数量指标", read_pack("national"))
    assert (got_method, got["computed"]) == (method, computed)


def test_a_package_is_checked_by_the_pack_given_else_its_own_forms():
    from jixiao.model import Package
    from jixiao.rules import pack_of

    pkg = Package(unit_name="某单位", fiscal_year=2023, form=PROVINCE)
    assert pack_of(pkg).id == PROVINCE_PACK.id
    assert pack_of(Package(unit_name="某单位", fiscal_year=2023)).id == DEFAULT_PACK.id
    assert pack_of(pkg, NATIONAL).id == NATIONAL_PACK.id and pack_of(pkg, NATIONAL_PACK) is NATIONAL_PACK
