"""Cells the form computes from other cells: subtotals of the sum tree, totals, rates.

One list, from the form definition, used by everything that computes: the checks compare a
written cell with it, ``render --fill-computed`` fills a blank cell with it, the web sheet
shows it as a hint beside the cell. The rate formulas (which cell over which) are data in the
form definition's ``derived.rates``; the sums come from its sum tree (``sum_of``/``items``).

The 其中 rows of a funds block add up to its 年度资金总额 (``fund_sums``), by the rows the form
prints on each table kind (``project_fund_rows`` / ``overall_fund_rows``).

Values are unrounded Decimals; whoever shows one rounds it once (ROUND_HALF_UP).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import fmt_label, load_form
from .paths import value_at
from .spec import FUND_ROW_FIELDS

_ZERO = Decimal(0)


def cell_sum(cells: list[Any]) -> Decimal | None:
    """Sum of the filled cells; None when every cell is blank (a blank cell is not zero)."""
    total, filled = _ZERO, False
    for cell in cells:  # one loop, no generator: every sum of every table of every package
        value = cell if type(cell) is Decimal else _number(cell)
        if value is not None:
            total += value  # from Decimal(0), as sum() did: the same digits in every message
            filled = True
    return total if filled else None


def pct(numerator: Decimal, denominator: Decimal) -> Decimal:
    """A ratio in percent, unrounded."""
    return numerator / denominator * 100


def _number(cell: Any) -> Decimal | None:
    """The number in a cell (a Decimal, or a head count), None when blank or '/'."""
    if isinstance(cell, Decimal):
        return cell
    if isinstance(cell, int) and not isinstance(cell, bool):
        return Decimal(cell)
    return None



# ------------------------------------------------------------------ the 基础数据表 sum tree


def effective(basic: Any, rows: dict[str, dict[str, Any]], field: str, column: str) -> Decimal | None:
    """A row's value in a column; a blank subtotal counts as the sum of its parts."""
    written = _number(getattr(getattr(basic, field), column))
    if written is not None:
        return written
    return computed(basic, rows, field, column)


def computed(basic: Any, rows: dict[str, dict[str, Any]], field: str, column: str, *, deep: bool = False):
    """The sum of a row's parts. Parts that are subtotals count as written (their own
    error is reported on them), or, with ``deep``, as recomputed from their leaves."""
    spec = rows[field]
    if "items" in spec:
        return cell_sum([getattr(item, column) for item in getattr(basic, spec["items"])])
    if "sum_of" in spec:
        if deep:
            parts = [
                computed(basic, rows, c, column, deep=True)
                if ("sum_of" in rows[c] or "items" in rows[c])
                else _number(getattr(getattr(basic, c), column))
                for c in spec["sum_of"]
            ]
        else:
            parts = [effective(basic, rows, child, column) for child in spec["sum_of"]]
        return cell_sum(parts)
    return None


@dataclass(slots=True)  # not frozen: made for every row of every package, five times cheaper
class Subtotal:
    path: str  # 'basic.sangong.final'
    field: str
    column: str
    row: str  # the row as messages name it
    column_label: str  # '2023年决算数'
    value: Decimal | None  # the sum of its parts (None: every part blank)


def subtotals(package: Any, form: dict[str, Any] | None = None) -> Iterator[Subtotal]:
    """Every subtotal cell of the 基础数据表 (rows with ``sum_of`` or ``items``), column by column."""
    from . import row_label

    form = form or load_form()
    basic = package.basic
    if basic is None:
        return
    rows = {r["field"]: r for r in form["basic"]["amount_rows"]}
    year = package.fiscal_year
    columns = [(c["field"], fmt_label(c["label"], year)) for c in form["basic"]["amount_columns"]]
    for field, spec in rows.items():
        if "sum_of" not in spec and "items" not in spec:
            continue
        for column, label in columns:
            yield Subtotal(f"basic.{field}.{column}", field, column, row_label(spec), label,
                           computed(basic, rows, field, column))


# ------------------------------------------------------------------ rates


@dataclass(slots=True)  # not frozen: made for every row of every package, five times cheaper
class Rate:
    path: str  # the rate cell: 'basic.staffing.control_rate', 'projects.0.funds.execution_rate'
    part: str  # 'basic' or 'evaluation'
    prefix: str  # 'basic', 'overall', 'projects.0'
    index: int | None  # the project table's index
    row: str  # the row as messages name it
    column: str
    formula: str  # '本年实际在职人数 ÷ 编制数'
    written: Any  # what the cell holds (None blank, '/' not applicable, a Decimal)
    numerator: Decimal | None
    denominator: Decimal | None

    @property
    def value(self) -> Decimal | None:
        """The rate in percent, unrounded; None when a figure is missing or the denominator is 0."""
        if self.numerator is None or self.denominator is None or self.denominator == 0:
            return None
        return pct(self.numerator, self.denominator)


def rates(package: Any, form: dict[str, Any] | None = None, part: str | None = None) -> Iterator[Rate]:
    """Every rate cell of the package, as the form's ``derived.rates`` defines them."""
    form = form or load_form()
    for spec in (form.get("derived") or {}).get("rates") or []:  # a form may compute no rate
        if part is not None and spec["part"] != part:
            continue
        for prefix, index in _places(package, spec["part"]):
            if not _printed_on(spec, form, index):
                continue
            if "each" in spec:
                items = value_at(package, f"{prefix}.{spec['each']}") or []
                for i, item in enumerate(items):
                    name = value_at(item, spec["row_from"]) if spec.get("row_from") else None
                    row = name or spec["row"].format(n=i + 1)
                    yield _rate(spec, item, f"{prefix}.{spec['each']}.{i}", prefix, index, row)
            else:
                yield _rate(spec, value_at(package, prefix), prefix, prefix, index, spec["row"])


def _printed_on(spec: dict[str, Any], form: dict[str, Any], index: int | None) -> bool:
    """A rate on a 其中 row stands only on the table kinds that print that row."""
    row = spec["field"].split(".")[0]
    if spec["part"] != "evaluation" or row not in FUND_ROW_FIELDS:
        return True
    return row in fund_rows(form, "overall" if index is None else "project")


def _places(package: Any, part: str) -> Iterator[tuple[str, int | None]]:
    if part == "basic":
        if package.basic is not None:
            yield "basic", None
        return
    if package.overall is not None:
        yield "overall", None
    for i, _ in enumerate(package.projects):
        yield f"projects.{i}", i


def _rate(spec: dict[str, Any], node: Any, at: str, prefix: str, index: int | None, row: str) -> Rate:
    return Rate(
        path=f"{at}.{spec['field']}", part=spec["part"], prefix=prefix, index=index, row=row,
        column=spec["column"], formula=spec["formula"], written=value_at(node, spec["field"]),
        numerator=_number(value_at(node, spec["numerator"])), denominator=_number(value_at(node, spec["denominator"])),
    )


# ------------------------------------------------------------------ the funds block's 其中 rows

# The amount columns a funds total adds its 其中 rows up in (rates, weights and scores are not sums).
# A target form's 中期资金总额 and a monitoring form's 全年预计执行数 add up the same way.
FUND_SUM_COLUMNS = ("initial_budget", "full_year_budget", "executed", "mid_term_budget", "forecast")


def fund_rows(form: dict[str, Any], kind: str) -> list[str]:
    """The 其中 rows (fields) a table of ``kind`` ('overall' | 'project') prints under 年度资金总额."""
    return [r["field"] for r in form["evaluation"].get(f"{kind}_fund_rows") or []]


@dataclass(slots=True)  # not frozen: made for every row of every package, five times cheaper
class FundSum:
    path: str  # the total's cell: 'projects.0.funds.executed'
    prefix: str  # 'overall', 'projects.0'
    index: int | None
    column: str
    written: Any
    value: Decimal | None  # the sum of the 其中 rows (None: every one blank)


def fund_sums(package: Any, form: dict[str, Any] | None = None) -> Iterator[FundSum]:
    """年度资金总额 = the sum of the table kind's 其中 rows, per amount column, on every table."""
    form = form or load_form()
    for prefix, index in _places(package, "evaluation"):
        rows = fund_rows(form, "overall" if index is None else "project")
        if not rows:
            continue
        table = value_at(package, prefix)
        for column in FUND_SUM_COLUMNS:
            yield FundSum(f"{prefix}.funds.{column}", prefix, index, column, value_at(table, f"funds.{column}"),
                          cell_sum([value_at(table, f"{r}.{column}") for r in rows]))


# ------------------------------------------------------------------ 年度主要任务's 金额合计

TASK_SUM_COLUMNS = ("total", "fiscal", "other")  # 预算金额: 总额, 财政拨款, 其他资金


@dataclass(slots=True)  # not frozen: made for every row of every package, five times cheaper
class TaskSum:
    path: str  # the 金额合计 cell: 'overall.tasks_total.fiscal'
    column: str
    written: Any
    value: Decimal | None  # the sum of the task rows (None: every one blank)


def task_sums(package: Any, form: dict[str, Any] | None = None) -> Iterator[TaskSum]:
    """金额合计 = the sum of the 年度主要任务 rows, per amount column, on a form that prints them."""
    form = form or load_form()
    tasks = form["evaluation"].get("tasks")
    if not tasks or value_at(package, "overall") is None:
        return
    printed = {c["field"] for c in tasks["columns"]}
    rows = value_at(package, "overall.tasks") or []
    for column in TASK_SUM_COLUMNS:
        if column in printed:
            yield TaskSum(f"overall.tasks_total.{column}", column, value_at(package, f"overall.tasks_total.{column}"),
                          cell_sum([value_at(row, column) for row in rows]))
