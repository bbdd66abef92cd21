"""The yearly cycle around the self-evaluation (docs/cycle.md): targets set with the budget and
approved by the bureau, monitored mid-year, evaluated after the year, then rectified.

Each step is a package on its own form (``targets-national``, ``monitoring-national``, the
self-evaluation's form); a form's ``stage`` says which step it is. This module carries one step's
package into the next (the monitoring table and the self-evaluation start from the approved
targets; next year's targets from this year's), and holds what a check of one step needs from
the others (``CycleContext``): the approved targets, the open rectification items.

Tables are matched by project name, compared folded (spaces and full/half-width forms aside).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .forms import DEFAULT_FORM, load_form
from .forms.skeleton import empty_package
from .model import Indicator, Level1, Level2, Package, ProjectTable, fold
from .model.package import FundsRow, OverallTable, _EvaluationTable

__all__ = ["CycleContext", "Rectification", "carried_over_targets", "evaluation_from_targets", "monitoring_from_targets",
           "indicator_key", "project_key", "stage_of"]

STAGES = ("targets", "monitoring", "evaluation")
STAGE_NAMES = {"targets": "绩效目标申报", "monitoring": "绩效运行监控", "evaluation": "绩效自评"}


@dataclass(frozen=True)
class Rectification:
    """A problem the bureau confirmed after a review (整改事项), as a check of next year's package sees it."""

    problem: str  # the problem as the bureau worded it
    due: dt.date | None = None
    response: str | None = None  # the unit's 整改措施 / 整改情况
    closed: bool = False
    year: int | None = None  # the fiscal year whose review found it


@dataclass(frozen=True)
class CycleContext:
    """What a check of one step may compare against: the unit's approved targets for the same year
    (the latest approved version, an approved adjustment included) and its rectification items
    still open from earlier reviews. Both absent: the checks that need them do not run."""

    approved_targets: Package | None = None
    open_rectifications: tuple[Rectification, ...] = ()
    # 佐证材料: the indicators that have evidence attached, as (table, indicator) keys
    # (``indicator_key``), and the 三级指标 names the bureau requires evidence for.
    evidence: frozenset[tuple[str, str]] = frozenset()
    evidence_required: tuple[str, ...] = ()


def stage_of(form: str | None) -> str:
    """The step of the cycle a form belongs to: 'targets', 'monitoring' or 'evaluation'."""
    return load_form(form or DEFAULT_FORM).get("stage", "evaluation")


def project_key(name: str | None) -> str:
    return fold(name or "").replace(" ", "")


def indicator_key(table: _EvaluationTable, indicator_name: str | None) -> tuple[str, str]:
    """An indicator named the way evidence and approved targets are matched across versions and
    steps: its table ('overall', or the project's folded name) and its folded 三级指标 name."""
    where = "overall" if isinstance(table, OverallTable) else project_key(getattr(table, "project_name", None))
    return where, project_key(indicator_name)


def _tree(source: list[Level1], *, weights: bool) -> list[Level1]:
    """The indicator tree with the year's targets (and, for a self-evaluation, the weights) kept and
    everything a later step fills in left blank."""
    return [
        Level1(label=l1.label, children=[
            Level2(label=l2.label, indicators=[
                Indicator(name=ind.name, target=ind.target, nature=ind.nature, unit=ind.unit,
                          weight=ind.weight if weights else None)
                for ind in l2.indicators
            ])
            for l2 in l1.children
        ])
        for l1 in source
    ]


def _year_budget(table: _EvaluationTable) -> dict[str, Any]:
    """The year's budget of a target table, row by row (资金总额, 其中：财政拨款, 其他资金); an 整体
    target table states it as the 金额合计 of its tasks when its funds rows are blank."""
    rows = {"funds": table.funds.initial_budget, "current_appropriation": table.current_appropriation.initial_budget,
            "other_funds": table.other_funds.initial_budget}
    if isinstance(table, OverallTable) and rows["funds"] is None:
        t = table.tasks_total
        rows = {"funds": t.total, "current_appropriation": t.fiscal, "other_funds": t.other}
    return rows


def _next_table(source: _EvaluationTable, kind: type[_EvaluationTable], *, weights: bool,
                funds_field: str) -> _EvaluationTable:
    data: dict[str, Any] = {"goals": {"expected": source.goals.expected},
                            "indicators": _tree(source.indicators, weights=weights)}
    for row, amount in _year_budget(source).items():
        data[row] = FundsRow(**{funds_field: amount})
    if isinstance(source, ProjectTable):
        data.update(project_name=source.project_name, department=source.department,
                    implementing_unit=source.implementing_unit)
    else:
        data.update(unit_name=source.unit_name)
    return kind(**data)


def _with_execution_weight(table: _EvaluationTable, skeleton: dict[str, Any]) -> _EvaluationTable:
    weight = (skeleton.get("funds") or {}).get("weight")
    if weight is None:
        return table
    return table.model_copy(update={"funds": table.funds.model_copy(update={"weight": Decimal(str(weight))})})


def monitoring_from_targets(targets: Package, form: str = "monitoring-national") -> Package:
    """The mid-year monitoring package pre-filled from the approved targets: names, the year's
    budget as 年初预算数, 年初设定目标 and every indicator with its 年度指标值. The 1-7月 figures,
    forecasts, causes and likelihoods are the unit's to fill."""
    parts = load_form(form)["parts"]
    return Package(
        form=None if form == DEFAULT_FORM else form, fiscal_year=targets.fiscal_year, unit_name=targets.unit_name,
        overall=(_next_table(targets.overall, OverallTable, weights=False, funds_field="initial_budget")
                 if targets.overall is not None and "overall" in parts else None),
        projects=[_next_table(p, ProjectTable, weights=False, funds_field="initial_budget") for p in targets.projects]
        if "project" in parts else [],
    )


def evaluation_from_targets(targets: Package, form: str = "national") -> Package:
    """The self-evaluation pre-filled from the approved targets: the year's budget as 年初预算数, the
    年度目标 as 预期目标, every indicator with its 年度指标值 and 分值 (the approved values a
    later check holds the self-evaluation to), the form's own parts and execution weight around them."""
    skeleton = empty_package(form, unit_name=targets.unit_name, year=targets.fiscal_year, projects=1)
    base = Package.model_validate(skeleton)
    parts = load_form(form)["parts"]
    overall = base.overall
    if targets.overall is not None and "overall" in parts:
        overall = _with_execution_weight(
            _next_table(targets.overall, OverallTable, weights=True, funds_field="initial_budget"), skeleton["overall"])
    projects = base.projects if not targets.projects else [
        _with_execution_weight(_next_table(p, ProjectTable, weights=True, funds_field="initial_budget"),
                               skeleton["projects"][0])
        for p in targets.projects] if "project" in parts else []
    return base.model_copy(update={"overall": overall, "projects": projects})


def carried_over_targets(last_year: Package) -> Package:
    """Next year's target package started from this year's: the same projects (now 延续), the same
    mid-term targets and funds, the year's values kept for the unit to revise."""
    projects = [p.model_copy(update={"project_type": "延续" if p.project_type else p.project_type}, deep=True)
                for p in last_year.projects]
    return last_year.model_copy(update={"fiscal_year": last_year.fiscal_year + 1, "projects": projects}, deep=True)
