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
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from .forms import DEFAULT_FORM, load_form
from .forms.skeleton import empty_package
from .model import Indicator, Level1, Level2, Package, ProjectTable, fold, parse_indicator_value
from .model.package import FundsRow, OverallTable, _EvaluationTable

__all__ = ["Comparable", "CycleContext", "Rectification", "carried_over_targets", "comparable", "evaluation_from_targets",
           "falls_short", "monitoring_from_targets", "same_value", "shown_value",
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


def weights_out_of(form: str | None) -> Decimal:
    """The total a form's 分值 add up to: its pack's ``weights.total`` (100 on every shipped pack)."""
    from .pack import pack_for

    return Decimal(str(pack_for(form).get("weights", "total", default=100)))


def weight_scale(approved_out_of: Decimal, execution_weight: Any, total: Decimal) -> Decimal:
    """The factor that turns approved 分值 into the self-evaluation's. A target table's 分值 are out
    of its total (100, all indicators); a self-evaluation's indicators share what its 预算执行率
    weight leaves of its total (national: 100 − 10 = 90), so 30 approved is 27 there. 1 when the
    two agree (no execution weight)."""
    room = total - (execution_weight if isinstance(execution_weight, Decimal) else Decimal(0))
    if approved_out_of <= 0 or room <= 0 or approved_out_of == room:
        return Decimal(1)
    return room / approved_out_of


def scaled_weight(weight: Any, scale: Decimal) -> Any:
    """An approved 分值 in the self-evaluation: × ``scale``, two places, rounded half up once."""
    if not isinstance(weight, Decimal) or scale == 1:
        return weight
    return (weight * scale).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _tree(source: list[Level1], *, weights: bool, scale: Decimal = Decimal(1)) -> list[Level1]:
    """The indicator tree with the year's targets (and, for a self-evaluation, the weights, × ``scale``)
    kept and everything a later step fills in left blank."""
    return [
        Level1(label=l1.label, children=[
            Level2(label=l2.label, indicators=[
                Indicator(name=ind.name, target=ind.target, nature=ind.nature, unit=ind.unit,
                          weight=scaled_weight(ind.weight, scale) if weights else None)
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
                funds_field: str, scale: Decimal = Decimal(1)) -> _EvaluationTable:
    data: dict[str, Any] = {"goals": {"expected": source.goals.expected},
                            "indicators": _tree(source.indicators, weights=weights, scale=scale)}
    for row, amount in _year_budget(source).items():
        data[row] = FundsRow(**{funds_field: amount})
    if isinstance(source, ProjectTable):
        data.update(project_name=source.project_name, department=source.department,
                    implementing_unit=source.implementing_unit)
    else:
        data.update(unit_name=source.unit_name)
    return kind(**data)


def _evaluation_table(source: _EvaluationTable, kind: type[_EvaluationTable], skeleton: dict[str, Any],
                      out_of: Decimal, total: Decimal) -> _EvaluationTable:
    """A self-evaluation table from an approved target table: the form's 执行率 weight, and the
    approved 分值 (out of ``out_of``) scaled to what that weight leaves of ``total`` (``weight_scale``)."""
    weight = (skeleton.get("funds") or {}).get("weight")
    execution = Decimal(str(weight)) if weight is not None else None
    scale = weight_scale(out_of, execution, total)
    table = _next_table(source, kind, weights=True, funds_field="initial_budget", scale=scale)
    if execution is None:
        return table
    return table.model_copy(update={"funds": table.funds.model_copy(update={"weight": execution})})


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
    out_of, total = weights_out_of(targets.form), weights_out_of(form)
    overall = base.overall
    if targets.overall is not None and "overall" in parts:
        overall = _evaluation_table(targets.overall, OverallTable, skeleton["overall"], out_of, total)
    projects = base.projects if not targets.projects else [
        _evaluation_table(p, ProjectTable, skeleton["projects"][0], out_of, total)
        for p in targets.projects] if "project" in parts else []
    return base.model_copy(update={"overall": overall, "projects": projects})


def carried_over_targets(last_year: Package) -> Package:
    """Next year's target package started from this year's: the same projects (now 延续), the same
    mid-term targets and funds, the year's values kept for the unit to revise."""
    projects = [p.model_copy(update={"project_type": "延续" if p.project_type else p.project_type}, deep=True)
                for p in last_year.projects]
    return last_year.model_copy(update={"fiscal_year": last_year.fiscal_year + 1, "projects": projects}, deep=True)


# ---------------------------------------------------------------- comparing 指标值 across steps
#
# A target written at one step is read again at the next: the monitoring table's 全年预计完成值 is
# held to the 年度指标值, the self-evaluation's 年度指标值 to the approved one. These helpers say
# what a 指标值 means for that comparison: its sign ('≥' more is better, '≤' less is better, '='
# exactly), its magnitude with the scale applied ('1.79亿元' = 17900万元) and its unit.

_EQ_PREFIXES = ("=", "＝", "等于")
SIGNS = {"ge": "≥", "le": "≤", "eq": "="}
_NATURE_SIGNS = {"≥": "ge", ">=": "ge", "＞＝": "ge", "≤": "le", "<=": "le", "=": "eq", "＝": "eq",
                 "正向": "ge", "正向指标": "ge", "反向": "le", "反向指标": "le"}


@dataclass(frozen=True)
class Comparable:
    """A quantitative 指标值: its direction ('ge', 'le', 'eq' or None when no sign is written), its
    magnitude (scale applied) and its unit ('%', '元', '次'; None when none is written)."""

    direction: str | None
    magnitude: Decimal
    unit: str | None


@lru_cache(maxsize=8192)  # the same 指标值 are compared and checked many times over (a frozen result)
def comparable(raw: str | None, nature: str | None = None, unit: str | None = None) -> Comparable | None:
    """What a 指标值 states as a quantity, or None when it is blank, '/' or qualitative. ``nature``
    and ``unit`` are the 指标性质 and 度量单位 of forms that print them apart from the figure."""
    text = fold(raw or "").strip()
    direction = None
    for prefix in _EQ_PREFIXES:
        if text.startswith(prefix):
            text, direction = text[len(prefix):].strip(), "eq"
            break
    if nature and fold(nature).strip() in _NATURE_SIGNS:
        direction = _NATURE_SIGNS[fold(nature).strip()]
    if unit and text and text[-1:].isdigit():
        text += fold(unit).strip()
    parsed = parse_indicator_value(text or None)
    if parsed.kind != "quantity" or parsed.magnitude is None:
        return None
    return Comparable(direction=direction or parsed.direction, magnitude=parsed.magnitude, unit=parsed.unit)


def _units_agree(a: Comparable, b: Comparable) -> bool:
    """Units agree when equal, or when one side writes none (a bare '92' against '≥90%')."""
    return a.unit is None or b.unit is None or a.unit == b.unit


def same_value(a: str | None, b: str | None, *, nature_a: str | None = None, unit_a: str | None = None,
               nature_b: str | None = None, unit_b: str | None = None) -> bool:
    """Two 指标值 state the same target: the same quantity (same magnitude and unit, the same sign
    where both write one: '≥95%' = '不低于95%' = '≥ 95 %'; '1.79亿元' = '17900万元'), or the same
    words once spaces and full/half-width forms are folded. A sign written on one side only is not
    a change of target (many forms leave '≥' implied)."""
    ca, cb = comparable(a, nature_a, unit_a), comparable(b, nature_b, unit_b)
    if ca is not None and cb is not None:
        signs_agree = ca.direction is None or cb.direction is None or ca.direction == cb.direction
        return ca.magnitude == cb.magnitude and ca.unit == cb.unit and signs_agree
    if ca is not None or cb is not None:
        return False
    return project_key(a) == project_key(b)


def shown_value(raw: str | None, nature: str | None = None, unit: str | None = None) -> str:
    """A 指标值 as a message prints it: its text, with the 指标性质 sign and 度量单位 of forms that
    print them apart ('≥' '95' '%' → '≥95%'); '空白' when nothing is written."""
    text = (raw or "").strip()
    if not text:
        return "空白"
    sign = fold(nature or "").strip()
    sign = SIGNS.get(_NATURE_SIGNS.get(sign, ""), "") if sign else ""
    tail = (unit or "").strip() if text[-1:].isdigit() else ""
    return f"{sign}{text}{tail}"


def falls_short(target: str | None, result: str | None, *, nature: str | None = None,
                unit: str | None = None) -> bool | None:
    """Whether ``result`` (a 全年预计完成值 or 实际完成值) falls short of ``target``: below it when
    more is better ('≥', or no sign), above it when less is better ('≤'), other than it when '='.
    None when the two cannot be compared (either is not a quantity, or their units differ)."""
    t, r = comparable(target, nature, unit), comparable(result, None, unit)
    if t is None or r is None or not _units_agree(t, r):
        return None
    if t.direction == "le":
        return r.magnitude > t.magnitude
    if t.direction == "eq":
        return r.magnitude != t.magnitude
    return r.magnitude < t.magnitude
