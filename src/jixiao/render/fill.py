"""``--fill-computed``: put computed values into cells the unit left blank, and only those.

Values come from the form's derived cells (``jixiao.forms.derived``: subtotals of the sum tree,
rates by their formulas, totals), the same ones the checker compares with, rounded as the checker
shows them, so a filled cell can never disagree with what ``jixiao check`` would have asked for. A filled-in cell is never
overwritten, even when it is wrong: that is a finding, not something to hide.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..forms import caption_name, column_labels, load_form, part_name, row_name
from ..forms.derived import cell_sum, fund_sums, rates, subtotals, task_sums
from ..forms.paths import value_at
from ..model import Package, money
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
        _fill_rates(pkg, form, filled, "basic")
    sums = {s.path: s for s in fund_sums(pkg, form)}
    if pkg.overall is not None:
        _fill_tasks(pkg, filled, form)
        _fill_funds(pkg, filled, form, "overall", sums)
        _fill_rates(pkg, form, filled, "overall")
        _fill_table(pkg.overall, "overall", None, filled, form)
    for i, project in enumerate(pkg.projects):
        _fill_funds(pkg, filled, form, f"projects.{i}", sums)
        _fill_rates(pkg, form, filled, f"projects.{i}")
        _fill_table(project, f"projects.{i}", i, filled, form)
    return pkg, filled


def _fill_basic(pkg: Package, form: dict[str, Any], filled: list[FilledCell]) -> None:
    # Subtotals first, deepest rows first, so 三公经费 sees its filled 公务用车 row; the sums
    # already treat blank parts as their own sums, so order only matters for the report.
    cells = list(subtotals(pkg, form))
    order = {c.field: i for i, c in enumerate(cells)}
    for cell in sorted(cells, key=lambda c: -order[c.field]):  # stable: columns keep their order
        row = getattr(pkg.basic, cell.field)
        if getattr(row, cell.column) is None and cell.value is not None:
            setattr(row, cell.column, money(cell.value))
            filled.append(FilledCell(cell.path, f"{part_name('basic', form)}“{cell.row}”行“{cell.column_label}”列", f"{money(cell.value)}"))


def _fill_rates(pkg: Package, form: dict[str, Any], filled: list[FilledCell], prefix: str) -> None:
    for rate in rates(pkg, form):
        if rate.prefix != prefix or rate.written is not None or rate.value is None:
            continue
        value = money(rate.value)
        holder, _, field = rate.path.rpartition(".")
        setattr(value_at(pkg, holder), field, value)
        if rate.part == "basic":
            where = f"{part_name('basic', form)}“{rate.row}”行“{rate.column}”列"
        else:
            where = f"{table_name(value_at(pkg, rate.prefix), rate.index, form)[1]}“{rate.row}”行“{rate.column}”列"
        filled.append(FilledCell(rate.path, where, f"{value}%"))


def _fill_funds(pkg: Package, filled: list[FilledCell], form: dict[str, Any], prefix: str, sums) -> None:
    """年度资金总额 = the sum of the 其中 rows the table kind prints (当年财政拨款 + 上年结转资金 +
    其他资金 …), per amount column; before the table's rates, which read it."""
    total, labels = row_name("funds", "funds", form), column_labels("funds", form)
    for s in sums.values():
        if s.prefix != prefix or s.written is not None or s.value is None:
            continue
        setattr(value_at(pkg, s.prefix).funds, s.column, money(s.value))
        name = table_name(value_at(pkg, s.prefix), s.index, form)[1]
        filled.append(FilledCell(s.path, f"{name}“{total}”行“{labels[s.column]}”列", f"{money(s.value)}"))


def _fill_tasks(pkg: Package, filled: list[FilledCell], form: dict[str, Any]) -> None:
    """年度主要任务's 金额合计 = the sum of the task rows, per amount column."""
    spec = form["evaluation"].get("tasks") or {}
    labels = {c["field"]: c["label"] for c in spec.get("columns", [])}
    name = table_name(pkg.overall, None, form)[1]
    for s in task_sums(pkg, form):
        if s.written is not None or s.value is None:
            continue
        setattr(pkg.overall.tasks_total, s.column, money(s.value))
        filled.append(FilledCell(s.path, f"{name}“{spec.get('total_label', '金额合计')}”行“{labels[s.column]}”列",
                                 f"{money(s.value)}"))


def _fill_table(table, prefix: str, index: int | None, filled: list[FilledCell], form: dict[str, Any]) -> None:
    from ..forms.grid import evaluation_layout

    if "total" not in evaluation_layout(form).blocks_of("overall" if index is None else "project"):
        return  # a table without the 合计 row (the cycle's target and monitoring tables)
    name = table_name(table, index, form)[1]
    total_row = caption_name("evaluation", "total", form)
    col = column_labels("indicator", form)
    f = table.funds
    indicators = [ind for _, _, _, ind in iter_indicators(table, prefix)]
    if table.total_weight is None:
        total = cell_sum([f.weight, *(ind.weight for ind in indicators)])
        if total is not None and indicators:
            table.total_weight = total
            filled.append(FilledCell(f"{prefix}.total_weight", f"{name}“{total_row}”行“{col['weight']}”列", f"{total}"))
    if table.total_self_score is None:
        total = cell_sum([f.self_score, *(ind.self_score for ind in indicators)])
        if total is not None and indicators:
            table.total_self_score = total
            filled.append(FilledCell(f"{prefix}.total_self_score", f"{name}“{total_row}”行“{col['self_score']}”列", f"{total}"))
