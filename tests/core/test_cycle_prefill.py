"""The cycle's steps start from each other (jixiao.cycle): monitoring and self-evaluation from the
approved targets, next year's targets from this year's."""

from decimal import Decimal

from jixiao.cycle import carried_over_targets, evaluation_from_targets, monitoring_from_targets, stage_of
from jixiao.forms.skeleton import empty_package
from jixiao.model import IndicatorValue, Package


def _targets() -> Package:
    t = Package.model_validate(empty_package("targets-national", unit_name="某单位", year=2024, projects=2))
    p = t.projects[0]
    p.project_name, p.department, p.project_type = "项目甲", "某局", "新增"
    p.funds.initial_budget, p.funds.mid_term_budget = Decimal("100"), Decimal("300")
    p.current_appropriation.initial_budget = Decimal("80")
    p.goals.expected, p.goals.mid_term = "完成甲", "三年完成甲"
    ind = p.indicators[0].children[0].indicators[0]
    ind.name, ind.target, ind.mid_term_target, ind.weight = "培训人次", IndicatorValue.model_validate("≥200人次"), IndicatorValue.model_validate("≥600人次"), Decimal("20")
    t.overall.tasks_total.total = Decimal("500")
    return t


def test_stages_of_the_shipped_forms():
    assert [stage_of(f) for f in ("targets-national", "monitoring-national", "national", None)] == [
        "targets", "monitoring", "evaluation", "evaluation"]


def test_monitoring_starts_from_the_approved_targets():
    m = monitoring_from_targets(_targets())
    assert m.form == "monitoring-national" and m.fiscal_year == 2024 and len(m.projects) == 2
    p = m.projects[0]
    assert (p.project_name, p.department, p.goals.expected) == ("项目甲", "某局", "完成甲")
    assert p.funds.initial_budget == 100 and p.current_appropriation.initial_budget == 80
    ind = p.indicators[0].children[0].indicators[0]
    assert (ind.name, ind.target.raw, ind.weight, ind.actual.raw) == ("培训人次", "≥200人次", None, None)
    assert m.overall.funds.initial_budget == 500  # the 整体 table's 金额合计


def test_the_self_evaluation_keeps_the_approved_values_and_its_forms_execution_weight():
    e = evaluation_from_targets(_targets(), "national")
    ind = e.projects[0].indicators[0].children[0].indicators[0]
    # approved 20 of 100; the national self-evaluation's indicators have 90 beside 预算执行率 10: 18
    assert (ind.target.raw, ind.weight, ind.self_score) == ("≥200人次", Decimal("18"), None)
    assert e.projects[0].funds.initial_budget == 100 and e.projects[0].funds.weight == Decimal("10")
    assert Package.model_validate(e.model_dump(mode="json")) == e


def test_next_years_targets_are_carried_over():
    c = carried_over_targets(_targets())
    assert c.fiscal_year == 2025 and c.projects[0].project_type == "延续"
    assert c.projects[0].indicators[0].children[0].indicators[0].mid_term_target.raw == "≥600人次"


def test_approved_weights_of_100_fill_what_the_execution_weight_leaves():
    """A complete approved table (分值 add up to 100) prefills a self-evaluation whose 分值 add up to
    100 with 预算执行率, so the first save has no weights finding; each 分值 is scaled and rounded
    half up to two places once."""
    from jixiao.api import check_package
    from support.cycle_world import targets

    approved = targets()
    for form in ("national", "hunan-2023"):
        e = evaluation_from_targets(approved, form)
        for table in [e.overall, *e.projects]:
            if table is None:
                continue
            weights = [i.weight for l1 in table.indicators for i in l1.all_indicators()]
            assert sum(weights) + table.funds.weight == 100, (form, weights)
        rules = {f.rule for f in check_package(e).findings}
        assert "weights.total" not in rules, (form, rules)  # (level-1 shares are the approved ones')


def test_weight_scale_and_its_rounding():
    from jixiao.cycle import scaled_weight, weight_scale

    k = weight_scale(Decimal(100), Decimal(10), Decimal(100))
    assert k == Decimal("0.9") and weight_scale(Decimal(100), None, Decimal(100)) == 1
    assert [scaled_weight(Decimal(w), k) for w in ("30", "12.5", "0.05", "0.06")] == [
        Decimal("27"), Decimal("11.25"), Decimal("0.05"), Decimal("0.05")]  # 0.045 → 0.05, 0.054 → 0.05
    assert scaled_weight(Decimal("0.15"), Decimal("0.3")) == Decimal("0.05")  # 0.045 half up
    assert scaled_weight("/", k) == "/" and scaled_weight(None, k) is None
