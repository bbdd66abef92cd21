"""``--fill-computed``: put computed values into cells the unit left blank, and only those.

Values come from the checker's own functions (``computed`` for subtotals, ``pct`` for rates,
``cell_sum`` for totals), rounded as the checker shows them, so a filled cell can never
disagree with what ``jixiao check`` would have asked for. A filled-in cell is never
overwritten, even when it is wrong: that is a finding, not something to hide.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..forms import basic_rows, load_form, row_label
from ..model import Package, money, value_of
from ..rules.checks import cell_sum, pct
from ..rules.checks.basic import computed
from ..scoring import iter_indicators, table_name


@dataclass(frozen=True)
class FilledCell:
    path: str  # dotted model path
    where: str  # how a clerk names the cell: '基础数据表“三公经费”行“2023年决算数”列'
    value: str  # as printed


def fill_computed(package: Package, form: dict[str, Any] | None = None) -> tuple[Package, list[FilledCell]]:
    """A copy of ``package`` with blank computed cells filled, and the list of what was filled."""
    form = form or load_form()
    pkg = package.model_copy(deep=True)
    filled: list[FilledCell] = []
    if pkg.basic is not None:
        _fill_basic(pkg, form, filled)
    if pkg.overall is not None:
        _fill_table(pkg.overall, "overall", None, filled)
    for i, project in enumerate(pkg.projects):
        _fill_project_funds(project, f"projects.{i}", i, filled)
        _fill_table(project, f"projects.{i}", i, filled)
    return pkg, filled


def amount_columns_for(year: int, form: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, printed label) of the 基础数据表 amount columns, as the checker names them."""
    return [(c["field"], c["label"].format(year=year, prev_year=year - 1)) for c in form["basic"]["amount_columns"]]


def _rate(numerator: Any, denominator: Any) -> Decimal | None:
    num, den = value_of(numerator), value_of(denominator)
    if num is None or den is None or den == 0:
        return None
    return money(pct(num, den))


def _fill_basic(pkg: Package, form: dict[str, Any], filled: list[FilledCell]) -> None:
    basic = pkg.basic
    rows = {r["field"]: r for r in basic_rows(form)}
    # Subtotals first, deepest rows first, so 三公经费 sees its filled 公务用车 row; the
    # checker's ``computed`` already treats blank parts as their own sums, so order only
    # matters for the report, not for the values.
    for field in reversed(list(rows)):
        spec = rows[field]
        if "sum_of" not in spec and "items" not in spec:
            continue
        row = getattr(basic, field)
        for column, column_label in amount_columns_for(pkg.fiscal_year, form):
            if getattr(row, column) is not None:
                continue
            value = computed(basic, rows, field, column)
            if value is None:
                continue
            setattr(row, column, money(value))
            filled.append(FilledCell(f"basic.{field}.{column}", f"基础数据表“{row_label(spec)}”行“{column_label}”列",
                                     f"{money(value)}"))
    s = basic.staffing
    if s.control_rate is None and (rate := _rate(s.actual, s.establishment)) is not None:
        s.control_rate = rate
        filled.append(FilledCell("basic.staffing.control_rate", "基础数据表“财政供养人员情况”行“控制率”列", f"{rate}%"))
    for i, b in enumerate(basic.buildings):
        name = b.name or f"楼堂馆所第{i + 1}行"
        for field, num, den, label in (
            ("area_control_rate", b.actual_area, b.approved_area, "规模控制率"),
            ("investment_control_rate", b.actual_investment, b.budget_investment, "投资概算控制率"),
        ):
            if getattr(b, field) is None and (rate := _rate(num, den)) is not None:
                setattr(b, field, rate)
                filled.append(FilledCell(f"basic.buildings.{i}.{field}", f"基础数据表“{name}”行“{label}”列", f"{rate}%"))


def _fill_project_funds(project, prefix: str, index: int, filled: list[FilledCell]) -> None:
    """年度资金总额 of a project table = 当年财政拨款 + 上年结转资金 + 其他资金, per amount column."""
    name = table_name(project, index)[1]
    for field, label in (("initial_budget", "年初预算数"), ("full_year_budget", "全年预算数"), ("executed", "全年执行数")):
        if getattr(project.funds, field) is not None:
            continue
        parts = cell_sum([getattr(r, field) for r in (project.current_appropriation, project.carryover, project.other_funds)])
        if parts is not None:
            setattr(project.funds, field, money(parts))
            filled.append(FilledCell(f"{prefix}.funds.{field}", f"{name}“年度资金总额”行“{label}”列", f"{money(parts)}"))


def _fill_table(table, prefix: str, index: int | None, filled: list[FilledCell]) -> None:
    name = table_name(table, index)[1]
    f = table.funds
    if f.execution_rate is None and (rate := _rate(f.executed, f.full_year_budget)) is not None:
        f.execution_rate = rate
        filled.append(FilledCell(f"{prefix}.funds.execution_rate", f"{name}“年度资金总额”行“执行率”列", f"{rate}%"))
    indicators = [ind for _, _, _, ind in iter_indicators(table, prefix)]
    if table.total_weight is None:
        total = cell_sum([f.weight, *(ind.weight for ind in indicators)])
        if total is not None and indicators:
            table.total_weight = total
            filled.append(FilledCell(f"{prefix}.total_weight", f"{name}“总分”行“分值”列", f"{total}"))
    if table.total_self_score is None:
        total = cell_sum([f.self_score, *(ind.self_score for ind in indicators)])
        if total is not None and indicators:
            table.total_self_score = total
            filled.append(FilledCell(f"{prefix}.total_self_score", f"{name}“总分”行“自评得分”列", f"{total}"))
