"""Checks against the cycle's context (rules cycle.*): approved targets, open rectification items,
required evidence. Without a context they stay quiet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from jixiao.api import check_package
from jixiao.cycle import CycleContext, Rectification, indicator_key
from jixiao.model import IndicatorValue
from jixiao.rules import check_changed
from support.cycle_world import evaluation, indicator, monitoring, targets
from support.examples import seed


def _cycle(pkg, ctx):
    return [f for f in check_package(pkg, cycle=ctx).findings if f.rule.startswith("cycle.")]


@pytest.mark.parametrize("form", ["national", "sichuan-2023-project"])
def test_a_self_evaluation_as_approved_has_no_cycle_finding(form):
    approved = targets(projects=2, overall=form == "national")
    assert _cycle(evaluation(approved, form), CycleContext(approved_targets=approved)) == []


def test_a_target_lowered_at_year_end_is_an_error_naming_both_values():
    approved = targets()
    pkg = evaluation(approved)
    indicator(pkg.projects[0], "设施完好率").target = IndicatorValue.model_validate("≥95%")
    assert _cycle(pkg, None) == []  # no context: nothing to compare with
    hits = _cycle(pkg, CycleContext(approved_targets=approved))
    assert [(h.rule, h.location.path) for h in hits] == [
        ("cycle.target_changed", "projects.0.indicators.0.children.1.indicators.0.target")]
    msg = hits[0].message
    assert "项目甲" in msg and "设施完好率" in msg and "≥95%" in msg and "≥98%" in msg and hits[0].severity == "error"


@pytest.mark.parametrize("written", ["不低于98%", "≥ 98 %", "98%"])
def test_the_same_target_written_otherwise_is_not_a_change(written):
    approved = targets()
    pkg = evaluation(approved)
    indicator(pkg.projects[0], "设施完好率").target = IndicatorValue.model_validate(written)
    assert _cycle(pkg, CycleContext(approved_targets=approved)) == []


def test_a_changed_weight_is_an_error():
    approved = targets()
    pkg = evaluation(approved)
    indicator(pkg.overall, "群众满意度").weight = D("15")
    hits = _cycle(pkg, CycleContext(approved_targets=approved))
    assert [h.rule for h in hits] == ["cycle.weight_changed"]
    # the national self-evaluation gives 预算执行率 10 of its 100: approved 20 of 100 is 18 of 90
    assert "填报15分" in hits[0].message and "批复的绩效目标为18分（批复20分" in hits[0].message
    assert "相差3分" in hits[0].message and hits[0].message.count("折算") == 1


def test_an_indicator_dropped_or_added():
    approved = targets()
    pkg = evaluation(approved)
    for l1 in pkg.projects[0].indicators:
        for l2 in l1.children:
            if l2.name == "成本指标":
                l2.indicators[0].name = "保洁车辆数"
    rules = sorted(h.rule for h in _cycle(pkg, CycleContext(approved_targets=approved)))
    assert rules == ["cycle.indicator_added", "cycle.indicator_missing"]


def test_an_approved_project_without_a_table():
    approved = targets(projects=2)
    pkg = evaluation(targets(projects=1))
    hits = _cycle(pkg, CycleContext(approved_targets=approved))
    assert [h.rule for h in hits] == ["cycle.project_missing"] and "项目乙" in hits[0].message


def test_monitoring_is_held_to_the_approved_targets_too():
    approved = targets()
    pkg = monitoring(approved)
    indicator(pkg.projects[0], "群众满意度").target = IndicatorValue.model_validate("≥85%")
    indicator(pkg.projects[0], "群众满意度").forecast = IndicatorValue.model_validate("≥85%")
    hits = _cycle(pkg, CycleContext(approved_targets=approved))
    assert [h.rule for h in hits] == ["cycle.target_changed"]


# ------------------------------------------------------------------ rectification

PROBLEM = "三公经费超预算支出"


def _with_answer(text):
    pkg = seed()
    pkg.report.section(8).body = text
    pkg.report.section(9).body = "自评结果将在单位网站公开。"
    return pkg


def _rect(**kw):
    return CycleContext(open_rectifications=(Rectification(problem=PROBLEM, year=2022, due=dt.date(2023, 6, 30), **kw),))


def test_an_open_item_the_report_does_not_answer():
    hits = [h for h in _cycle(_with_answer("加强预算管理。"), _rect()) if h.rule == "cycle.rectification_unaddressed"]
    assert len(hits) == 1
    assert PROBLEM in hits[0].message and "2022年度" in hits[0].message and "2023-06-30" in hits[0].message
    assert hits[0].location.path == "report.sections.7"


def test_the_match_share_is_pinned_on_both_sides():
    # key pieces of 三公经费超预算支出: 三公 公经 经费 费超 超预 预算 算支 支出 (8); 0.5 needs 4
    three = _with_answer("严格控制三公经费。")  # 三公 公经 经费 = 3 of 8
    assert [h for h in _cycle(three, _rect()) if h.rule == "cycle.rectification_unaddressed"]
    enough = _with_answer("严格控制三公经费，压减预算。")  # 三公 公经 经费 预算 = 4 of 8
    assert [h for h in _cycle(enough, _rect()) if h.rule == "cycle.rectification_unaddressed"] == []


def test_a_closed_item_is_not_asked_for():
    assert _cycle(_with_answer("加强预算管理。"), _rect(closed=True)) == []


# ------------------------------------------------------------------ evidence


def test_required_evidence_not_attached():
    approved = targets()
    pkg = evaluation(approved)
    required = CycleContext(evidence_required=("群众满意度",))
    hits = _cycle(pkg, required)
    assert len(hits) == 2 and {h.rule for h in hits} == {"cycle.evidence_missing"}  # overall and 项目甲
    attached = frozenset(indicator_key(t, "群众满意度") for t in [pkg.overall, *pkg.projects])
    assert _cycle(pkg, CycleContext(evidence_required=("群众满意度",), evidence=attached)) == []


def test_a_new_context_reruns_the_cycle_checks_incrementally():
    approved = targets()
    pkg = evaluation(approved)
    indicator(pkg.projects[0], "设施完好率").target = IndicatorValue.model_validate("≥95%")
    first = check_package(pkg)
    again = check_changed(first, pkg, cycle=CycleContext(approved_targets=approved))
    assert [f.rule for f in again.findings if f.rule.startswith("cycle.")] == ["cycle.target_changed"]
