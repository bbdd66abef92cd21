"""Every rule of the default pack: one package that triggers it, one that does not.

The clean example triggers nothing; each mutation below makes one mistake a real
unit makes, and the rule must fire on the cell it names.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jixiao.api import check_package
from jixiao.model import Package, ProjectTable
from jixiao.rules import load_pack, registered_rules
from support.examples import clean


def _ind(p: Package, i: int, j: int, k: int, table=None):
    t = table or p.overall
    return t.indicators[i].children[j].indicators[k]


def _set(obj, **values):
    for k, v in values.items():
        setattr(obj, k, v)


MUTATIONS: dict[str, tuple[Callable[[Package], None], str | None]] = {
    # rule: (mutation, path the finding must point at — None when it has no single cell)
    "basic.subtotal": (lambda p: _set(p.basic.sangong, final="5.00"), "basic.sangong.final"),
    "basic.subtotal_blank": (lambda p: _set(p.basic.vehicle, final=None), "basic.vehicle.final"),
    "basic.items_missing": (lambda p: _set(p.basic, transfer_items=[]), "basic.transfer.final"),
    "basic.subset_exceeds": (lambda p: _set(p.basic.office_funds, final="60.00"), "basic.public_funds.final"),
    "basic.negative": (lambda p: _set(p.basic.reception, final="-0.86"), "basic.reception.final"),
    "rate.mismatch": (lambda p: _set(p.basic.staffing, control_rate="90%"), "basic.staffing.control_rate"),
    "rate.blank": (lambda p: _set(p.overall.funds, execution_rate=None), "overall.funds.execution_rate"),
    "eval.income_split": (lambda p: _set(p.overall.income, general_budget="1000.00"), "overall.income"),
    "eval.spending_split": (lambda p: _set(p.overall.spending, basic="580.00"), "overall.spending"),
    "eval.project_funds_split": (lambda p: _set(p.projects[2].carryover, executed="25.00"), "projects.2.funds.executed"),
    "weights.level1_label": (lambda p: _set(p.overall.indicators[0], label="产出指标(40分)"), "overall.indicators.0"),
    "weights.level1_standard": (
        lambda p: (_set(_ind(p, 0, 0, 0), weight=10, self_score=10), _set(_ind(p, 1, 0, 0), weight=8, self_score=8)),
        "overall.indicators.1",
    ),
    "weights.total": (lambda p: _set(_ind(p, 0, 0, 0), weight=9, self_score=9), "overall.total_weight"),
    "weights.total_row": (lambda p: _set(p.overall, total_weight="90"), "overall.total_weight"),
    "score.total_row": (lambda p: _set(p.overall, total_self_score="99"), "overall.total_self_score"),
    "score.total_blank": (lambda p: _set(p.overall, total_self_score=None), "overall.total_self_score"),
    "score.exceeds_weight": (
        lambda p: _set(_ind(p, 0, 0, 0), self_score=9), "overall.indicators.0.children.0.indicators.0.self_score"
    ),
    "score.weight_invalid": (
        lambda p: _set(_ind(p, 0, 0, 0), weight=0, self_score=0), "overall.indicators.0.children.0.indicators.0.weight"
    ),
    "score.reason_missing": (
        lambda p: _set(_ind(p, 0, 0, 0), self_score=7),
        "overall.indicators.0.children.0.indicators.0.deviation_reason",
    ),
    "score.too_high": (
        lambda p: _set(_ind(p, 0, 1, 1), self_score=6), "overall.indicators.0.children.1.indicators.1.self_score"
    ),
    "score.out_of_band": (
        lambda p: _set(_ind(p, 1, 0, 0), actual="部分完成"), "overall.indicators.1.children.0.indicators.0.self_score"
    ),
    "score.below_band": (
        lambda p: _set(_ind(p, 1, 0, 0), self_score=5, deviation_reason="原因"),
        "overall.indicators.1.children.0.indicators.0.self_score",
    ),
    "score.undetermined": (
        lambda p: _set(_ind(p, 1, 0, 0), target="持续推进", actual="全年规范管理夜宵店467家"),
        "overall.indicators.1.children.0.indicators.0.self_score",
    ),
    "indicator.target_too_low": (
        lambda p: _set(_ind(p, 0, 0, 1), actual="16000人"), "overall.indicators.0.children.0.indicators.1.target"
    ),
    "indicator.incomplete": (
        lambda p: _set(_ind(p, 0, 0, 0), self_score=None), "overall.indicators.0.children.0.indicators.0"
    ),
    "cross.project_spending": (lambda p: _set(p.overall.spending, project="440.00"), "overall.spending.project"),
    "cross.public_exceeds_basic": (lambda p: _set(p.basic.public_funds, final="600.00"), "basic.public_funds.final"),
    "cross.project_table_amount": (lambda p: _set(p.projects[0].funds, executed="120.00"), "projects.0.funds.executed"),
    "complete.part_missing": (lambda p: _set(p, report=None), "report"),
    "complete.unit_name": (lambda p: _set(p.overall, unit_name=None), "overall.unit_name"),
    "identity.unit_name": (lambda p: _set(p.overall, unit_name="别的单位"), "overall.unit_name"),
    "identity.year": (lambda p: _set(p.basic, title="2022年度预算单位整体支出绩效评价基础数据表"), "basic.title"),
    "complete.signature": (lambda p: _set(p.basic.signature, unit_head=None), "basic.signature"),
    "complete.project_table_missing": (lambda p: _set(p, projects=p.projects[1:]), "projects"),
    "complete.project_placeholder": (
        lambda p: _set(p, projects=[*p.projects, ProjectTable(project_name="/")]), "projects.4.project_name"
    ),
    "complete.goals": (lambda p: _set(p.overall.goals, actual=None), "overall.goals.actual"),
    "complete.frugality": (lambda p: _set(p.basic, frugality_measures=" "), "basic.frugality_measures"),
    "complete.date": (lambda p: _set(p.basic.signature, date="五月"), "basic.signature.date"),
    "complete.report_section": (lambda p: _set(p.report.sections[2], body=""), "report.sections.2"),
    "complete.report_numbering": (lambda p: _set(p.report.sections[0], heading="1、单位基本情况"), "report.sections"),
    "complete.placeholder_text": (lambda p: _set(p.report.sections[6], body="待补充"), "report.sections.6.body"),
    "reason.sangong_over_budget": (
        lambda p: (_set(p.basic.vehicle_operation, budget="2.00"), _set(p.basic.vehicle, budget="2.00"),
                   _set(p.basic.sangong, budget="3.20")),
        "basic.sangong.final",
    ),
    "reason.public_over_budget": (lambda p: _set(p.basic.public_funds, budget="60.00"), "basic.public_funds.final"),
    "reason.procurement_over_budget": (lambda p: _set(p.basic.procurement, budget="80.00"), "basic.procurement.final"),
    "reason.staff_over_establishment": (
        lambda p: _set(p.basic.staffing, actual=45, control_rate="107.14"), "basic.staffing.actual"
    ),
    "reason.budget_increase": (
        lambda p: _set(p.overall.funds, initial_budget="700.00"), "overall.funds.full_year_budget"
    ),
    "reason.execution_rate": (
        lambda p: _set(p.overall.funds, full_year_budget="1300.00", execution_rate="79.31", self_score="7.93"),
        "overall.funds.execution_rate",
    ),
    "reason.yoy_change": (lambda p: _set(p.basic.public_funds, prev_final="30.00"), "basic.public_funds.final"),
}

CORE_PREFIXES = ("basic.", "rate.", "eval.", "weights.", "score.", "indicator.", "cross.", "complete.", "identity.", "reason.")


def test_it_finds_nothing_on_the_clean_example():
    result = check_package(clean())
    assert result.findings == []


def test_it_has_a_trigger_for_every_core_rule():
    core = {r for r in registered_rules() if r.startswith(CORE_PREFIXES)}
    pack_rules = {r for r in load_pack().rules if r.startswith(CORE_PREFIXES)}
    assert pack_rules == set(MUTATIONS), f"untested: {pack_rules - set(MUTATIONS)}; unknown: {set(MUTATIONS) - pack_rules}"
    # The rest serve concepts the default form lacks; tests/core/test_standalone_rules.py triggers them.
    others = set().union(*(load_pack(p).rules for p in ("national", "sichuan-2023-project")))
    assert core - pack_rules <= others


@pytest.mark.parametrize("rule", sorted(MUTATIONS))
def test_it_fires_each_rule_on_its_cell(rule):
    mutate, path = MUTATIONS[rule]
    pkg = clean()
    mutate(pkg)
    hits = [f for f in check_package(pkg).findings if f.rule == rule]
    assert hits, f"{rule} did not fire"
    if path:
        assert path in {f.location.path for f in hits}
    conf = load_pack().rules[rule]
    for f in hits:
        assert f.severity == conf["severity"]
        assert "{" not in f.message, f.message  # every placeholder was filled
        assert f.message.startswith(f.location.table or f.location.part)


def test_it_names_both_figures_and_the_difference():
    pkg = clean()
    pkg.basic.sangong.final = "5.00"
    (f,) = [f for f in check_package(pkg).findings if f.rule == "basic.subtotal"]
    assert f.message == (
        "基础数据表“三公经费”行“2023年决算数”列：填报5.00万元，但公务用车购置和维护经费、出国经费、公务接待合计为3.98万元，相差1.02万元。"
    )
    assert (f.expected, f.actual) == ("3.98", "5.00")


def test_a_disabled_rule_stays_silent(tmp_path):
    import yaml

    data = load_pack().data | {"rules": dict(load_pack().rules)}
    data["rules"]["basic.subtotal"] = dict(data["rules"]["basic.subtotal"], enabled=False)
    path = tmp_path / "custom.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    pkg = clean()
    pkg.basic.sangong.final = "5.00"
    assert not [f for f in check_package(pkg, str(path)).findings if f.rule == "basic.subtotal"]
