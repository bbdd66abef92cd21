"""Target review (rules target.*): each check fires on its cell and stays quiet on a right table."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from jixiao.api import check_package
from jixiao.model import IndicatorValue
from support.cycle_world import indicator, targets
from support.examples import seed


def _hits(pkg, rule):
    return [f for f in check_package(pkg).findings if f.rule == rule]


@pytest.mark.parametrize("variant", [dict(), dict(projects=2, overall=False), dict(projects=0), dict(weights=False)])
def test_right_targets_have_no_finding(variant):
    assert check_package(targets(**variant)).findings == []


@pytest.mark.parametrize("column", ["mid_term_budget", "initial_budget"])
def test_funds_split_per_column_with_tolerance_both_sides(column):
    pkg = targets()
    setattr(pkg.projects[0].funds, column, getattr(pkg.projects[0].funds, column) + D("0.01"))  # at the tolerance
    rule = "target.mid_term_funds_split" if column == "mid_term_budget" else "eval.project_funds_split"
    assert _hits(pkg, rule) == []
    setattr(pkg.projects[0].funds, column, getattr(pkg.projects[0].funds, column) + D("0.01"))  # beyond it
    hits = _hits(pkg, rule)
    assert [h.location.path for h in hits] == [f"projects.0.funds.{column}"]
    assert "相差0.02万元" in hits[0].message and hits[0].severity == "error"


def test_task_row_total_is_fiscal_plus_other():
    pkg = targets()
    pkg.overall.tasks[0].total = D("310")
    hits = _hits(pkg, "target.task_split")
    assert [h.location.path for h in hits] == ["overall.tasks.0.total"]
    assert "310" in hits[0].message and "300" in hits[0].message


def test_tasks_total_is_the_sum_of_the_rows_in_each_column():
    pkg = targets()
    pkg.overall.tasks_total.fiscal = D("449.98")
    hits = _hits(pkg, "target.tasks_total")
    assert [h.location.path for h in hits] == ["overall.tasks_total.fiscal"]
    assert "2项任务合计450" in hits[0].message
    pkg.overall.tasks_total.fiscal = D("449.99")  # within the tolerance
    assert _hits(pkg, "target.tasks_total") == []


def test_tasks_total_against_the_year_budget_when_written():
    pkg = targets()
    assert _hits(pkg, "target.tasks_vs_funds") == []  # blank budget: nothing to compare
    pkg.overall.funds.initial_budget = D("520")
    hits = _hits(pkg, "target.tasks_vs_funds")
    assert len(hits) == 1 and "520" in hits[0].message and "相差20" in hits[0].message
    pkg.overall.funds.initial_budget = D("500")
    assert _hits(pkg, "target.tasks_vs_funds") == []


def _drop_level2(table, name):
    for l1 in table.indicators:
        for l2 in l1.children:
            if l2.name == name:
                l2.indicators = []


def test_a_required_level2_without_indicator():
    pkg = targets(projects=1, overall=False)
    _drop_level2(pkg.projects[0], "时效指标")
    hits = _hits(pkg, "target.level2_missing")
    assert len(hits) == 1 and "时效指标" in hits[0].message and hits[0].location.path == "projects.0.indicators"


def test_cost_indicator_required():
    pkg = targets(projects=1, overall=False)
    assert _hits(pkg, "target.cost_missing") == []
    _drop_level2(pkg.projects[0], "成本指标")
    hits = _hits(pkg, "target.cost_missing")
    assert len(hits) == 1 and "成本指标" in hits[0].message
    assert _hits(pkg, "target.level2_missing") == []  # said once, by its own rule


def test_weights_add_up_to_the_packs_total():
    pkg = targets(projects=1, overall=False)
    indicator(pkg.projects[0], "群众满意度").weight = D("19")
    hits = _hits(pkg, "target.weights_total")
    assert len(hits) == 1 and "合计99分" in hits[0].message and "应为100分" in hits[0].message
    indicator(pkg.projects[0], "群众满意度").weight = None
    hits = _hits(pkg, "target.weights_total")
    assert "另有1项未填分值" in hits[0].message
    assert _hits(targets(weights=False), "target.weights_total") == []


@pytest.mark.parametrize("value, rule", [
    ("持续推进", "target.vague"), ("全面提升", "target.vague"), ("有所提高", "target.vague"), ("逐步完善", "target.vague"),
    ("进一步加强", "target.vague"), ("显著改善", "target.vague"),
    ("=126", "target.unmeasurable"), ("≥90", "target.unmeasurable"), ("95%", "target.unmeasurable"),
    ("≥95%", None), ("≤30万元", None), ("=12次", None), ("达标", None), ("合格", None), ("12月底前", None),
    ("进一步提高至95%", None), ("≥ 95 %", None),  # a figure stated: not vague
])
@pytest.mark.parametrize("field", ["target", "mid_term_target"])
def test_indicator_quality_on_the_year_and_mid_term_values(value, rule, field):
    pkg = targets(projects=1, overall=False)
    setattr(indicator(pkg.projects[0], "设施完好率"), field, IndicatorValue.model_validate(value))
    found = [f for f in check_package(pkg).findings if f.rule in ("target.vague", "target.unmeasurable")]
    if rule is None:
        assert found == []
    else:
        assert [(f.rule, f.location.path.rsplit(".", 1)[1]) for f in found] == [(rule, field)]
        assert found[0].severity == "error" and value in found[0].message


def test_unmeasurable_names_what_is_missing():
    pkg = targets(projects=1, overall=False)
    indicator(pkg.projects[0], "设施完好率").target = IndicatorValue.model_validate("98")
    msg = _hits(pkg, "target.unmeasurable")[0].message
    assert "符号" in msg and "计量单位" in msg and "年度指标值" in msg


def test_the_seeds_vague_targets_are_warnings_on_the_self_evaluation():
    hits = _hits(seed(), "target.vague")
    said = {h.actual for h in hits}
    assert {"持续推进", "全面提升"} <= said
    assert all(h.severity == "warning" for h in hits)
    # the self-evaluation's form leaves '≥' implied: '95%' is not asked for a sign there
    assert _hits(seed(), "target.unmeasurable") == []


def test_a_table_without_any_indicator_misses_every_required_level():
    pkg = targets(projects=1, overall=False)
    pkg.projects[0].indicators = []
    assert len(_hits(pkg, "target.level2_missing")) == 4 and len(_hits(pkg, "target.cost_missing")) == 1


def test_the_cycle_forms_ask_for_no_signature():
    """The official targets and monitoring tables print no signature line: a blank one is no finding
    there, while the self-evaluation's packs still ask for it."""
    from jixiao.model import Signature
    from support.cycle_world import evaluation, monitoring

    for build in (targets, lambda: monitoring(targets())):
        pkg = build()
        for table in [pkg.overall, *pkg.projects]:
            if table is not None:
                table.signature = Signature()
        assert _hits(pkg, "complete.signature") == []
    pkg = evaluation(targets())
    pkg.projects[0].signature = Signature()
    assert _hits(pkg, "complete.signature")
