"""Lay the package out as the official forms: rows, labels and merges from the form definition.

Grids follow the seed's Word tables. 基础数据表 has seven columns (a label and six narrow
columns; amount columns span two, the 楼堂馆所 rows use all six). The evaluation tables
have ten: a narrow section column (年度预算申请 / 年度总体目标 / 绩效指标, merged down),
一级, 二级, 三级 (two columns), 年度指标值, 实际完成值, 分值, 自评得分, 偏差原因.
"""

from __future__ import annotations

from typing import Any

from ..forms import basic_rows, load_form
from ..model import BasicDataTable, Package, ProjectTable
from ..model.package import _EvaluationTable
from .layout import (
    Cell,
    Grid,
    Part,
    amount_cell,
    caption,
    count_cell,
    percent_cell,
    score_cell,
    signature_line,
    text_cell,
)

# Millimetres. Portrait A4 leaves 170 mm between 20 mm margins, landscape 257 mm.
BASIC_WIDTHS = [62.0, 18.0, 18.0, 18.0, 18.0, 18.0, 18.0]
EVAL_WIDTHS = [10.0, 20.0, 22.0, 30.0, 30.0, 30.0, 34.0, 15.0, 17.0, 49.0]


def default_title(form: dict[str, Any], key: str, package: Package) -> str:
    return form["captions"]["titles"][key].format(year=package.fiscal_year, unit=package.unit_name)


def build_parts(package: Package, form: dict[str, Any] | None = None) -> list[Part]:
    """All printed parts, in the order of the package: 基础数据表, 整体, 项目 × n, 报告."""
    form = form or load_form()
    parts: list[Part] = []
    if package.basic is not None:
        parts.append(basic_part(package, package.basic, form))
    if package.overall is not None:
        parts.append(evaluation_part(package, package.overall, None, form))
    for i, project in enumerate(package.projects):
        parts.append(evaluation_part(package, project, i, form))
    if package.report is not None:
        report = package.report
        parts.append(Part(
            key="report", name="自评报告", label="自评报告", path="report",
            title=report.title or default_title(form, "report", package), report=report,
        ))
    return parts


# ------------------------------------------------------------------ 基础数据表


def basic_part(package: Package, basic: BasicDataTable, form: dict[str, Any]) -> Part:
    caps = form["captions"]["basic"]
    year = package.fiscal_year
    fmt = {"year": year, "prev_year": year - 1}
    grid = Grid(list(BASIC_WIDTHS))
    add = grid.rows.append

    add([caption(caps["unit_name"], 0), text_cell(basic.unit_name, 1, 6, path="basic.unit_name")])

    staffing = form["basic"]["staffing_columns"]
    add([caption(caps["staffing"], 0, rowspan=2)]
        + [caption(c["label"].format(**fmt), 1 + 2 * i, 2) for i, c in enumerate(staffing)])
    s = basic.staffing
    add([
        count_cell(s.establishment, 1, 2, path="basic.staffing.establishment"),
        count_cell(s.actual, 3, 2, path="basic.staffing.actual"),
        percent_cell(s.control_rate, 5, 2, path="basic.staffing.control_rate"),
    ])

    columns = form["basic"]["amount_columns"]
    add([caption(caps["amounts"], 0)] + [caption(c["label"].format(**fmt), 1 + 2 * i, 2) for i, c in enumerate(columns)])
    for spec in basic_rows(form):
        row_field = spec["field"]
        add(_amount_row(spec["label"], getattr(basic, row_field), f"basic.{row_field}", columns))
        if "items" in spec:
            for k, item in enumerate(getattr(basic, spec["items"])):
                add(_amount_row(item.name, item, f"basic.{spec['items']}.{k}", columns, name_path=True))

    building_cols = form["basic"]["building_columns"]
    add([caption(caps["buildings"].format(**fmt), 0)] + [caption(c["label"], 1 + i) for i, c in enumerate(building_cols)])
    # An empty list still prints one row to fill in, as the form does.
    for k, b in enumerate(basic.buildings or [None]):
        at = f"basic.buildings.{k}" if b is not None else None  # the empty line is not data
        row = [text_cell(b.name if b else None, 0, path=at and f"{at}.name")]
        for i, c in enumerate(building_cols):
            value = getattr(b, c["field"]) if b else None
            make = percent_cell if c["field"].endswith("control_rate") else amount_cell
            row.append(make(value, 1 + i, path=at and f"{at}.{c['field']}"))
        add(row)

    add([caption(caps["frugality"], 0), text_cell(basic.frugality_measures, 1, 6, path="basic.frugality_measures")])
    return Part(
        key="basic", name=form["parts"]["basic"]["name"], label=form["parts"]["basic"]["name"], path="basic",
        title=basic.title or default_title(form, "basic", package),
        attachment=form["captions"]["attachments"]["basic"], grid=grid,
        note=(caps["note"], basic.note) if basic.note else None,
        signature=signature_line(basic.signature, form),
    )


def _amount_row(label: str, row: Any, path: str, columns: list[dict], *, name_path: bool = False) -> list[Cell]:
    head = text_cell(label, 0, path=f"{path}.name" if name_path else None)
    return [head] + [
        amount_cell(getattr(row, c["field"]), 1 + 2 * i, 2, path=f"{path}.{c['field']}") for i, c in enumerate(columns)
    ]


# ---------------------------------------------------- 整体 / 项目支出绩效自评表

# Grid columns of the six funds columns (年初预算数 … 自评得分) and their spans.
FUNDS_SLOTS = [(3, 1), (4, 1), (5, 1), (6, 1), (7, 2), (9, 1)]


def evaluation_part(package: Package, table: _EvaluationTable, index: int | None, form: dict[str, Any]) -> Part:
    caps = form["captions"]["evaluation"]
    is_project = isinstance(table, ProjectTable)
    prefix = f"projects.{index}" if is_project else "overall"
    grid = Grid(list(EVAL_WIDTHS))
    add = grid.rows.append

    if is_project:
        add([caption(caps["project_name"], 0, 3), text_cell(table.project_name, 3, 7, path=f"{prefix}.project_name")])
        add([
            caption(caps["department"], 0, 3), text_cell(table.department, 3, 3, path=f"{prefix}.department"),
            caption(caps["implementing_unit"], 6), text_cell(table.implementing_unit, 7, 3, path=f"{prefix}.implementing_unit"),
        ])
    else:
        add([caption(caps["unit_name"], 0, 3), text_cell(table.unit_name, 3, 7, path=f"{prefix}.unit_name")])

    # Funds block: a header, the 年度资金总额 row, then the split rows.
    ev = form["evaluation"]
    if is_project:
        split_rows = [
            _funds_row(spec["label"], getattr(table, spec["field"]), f"{prefix}.{spec['field']}", ev)
            for spec in ev["project_fund_rows"]
        ]
    else:
        split_rows = _overall_split_rows(table, caps, ev)
    section = caps["project_funds"] if is_project else caps["overall_funds"]
    header = [caption(section, 0, rowspan=2 + len(split_rows)), caption("", 1, 2)]
    header += [caption(c["label"], col, span) for c, (col, span) in zip(ev["funds_columns"], FUNDS_SLOTS, strict=True)]
    add(header)
    add(_funds_row(ev["funds_total"]["label"], table.funds, f"{prefix}.funds", ev))
    for row in split_rows:
        add(row)

    # 年度总体目标.
    add([caption(caps["goals"], 0, rowspan=2), caption(caps["goals_expected"], 1, 4), caption(caps["goals_actual"], 5, 5)])
    add([
        text_cell(table.goals.expected, 1, 4, path=f"{prefix}.goals.expected"),
        text_cell(table.goals.actual, 5, 5, path=f"{prefix}.goals.actual"),
    ])

    # 绩效指标: 一级 and 二级 cells merged down over their rows.
    indicator_rows = _indicator_rows(table, prefix)
    cols = {c["field"]: c["label"] for c in ev["indicator_columns"]}
    add([
        caption(caps["indicators"], 0, rowspan=1 + len(indicator_rows)),
        caption(cols["level1"], 1), caption(cols["level2"], 2), caption(cols["name"], 3, 2),
        caption(cols["target"], 5), caption(cols["actual"], 6), caption(cols["weight"], 7),
        caption(cols["self_score"], 8), caption(cols["deviation_reason"], 9),
    ])
    for row in indicator_rows:
        add(row)
    add([
        caption(caps["total"], 0, 7),
        score_cell(table.total_weight, 7, path=f"{prefix}.total_weight"),
        score_cell(table.total_self_score, 8, path=f"{prefix}.total_self_score"),
        text_cell(None, 9),
    ])

    key = "project" if is_project else "overall"
    note_label = caps["project_note"] if is_project else caps["overall_note"]
    name = form["parts"][key]["name"]
    label = name
    if is_project:
        shown = table.project_name if table.project_name and table.project_name.strip() not in ("", "/") else None
        label = f"{name}（{shown or f'第{index + 1}张'}）"
    return Part(
        key=key, name=name, label=label, path=prefix, landscape=True,
        title=table.title or default_title(form, key, package),
        attachment=form["captions"]["attachments"][key], grid=grid,
        note=(note_label, table.note) if table.note else None,
        signature=signature_line(table.signature, form),
    )


def _funds_row(label: str, funds: Any, path: str, ev: dict[str, Any]) -> list[Cell]:
    row = [text_cell(label, 1, 2, align="center")]
    for c, (col, span) in zip(ev["funds_columns"], FUNDS_SLOTS, strict=True):
        value, field_path = getattr(funds, c["field"]), f"{path}.{c['field']}"
        if c["field"] == "execution_rate":
            row.append(percent_cell(value, col, span, path=field_path))
        elif c["field"] in ("weight", "self_score"):
            row.append(score_cell(value, col, span, path=field_path))
        else:
            row.append(amount_cell(value, col, span, path=field_path))
    return row


def _overall_split_rows(table: Any, caps: dict[str, str], ev: dict[str, Any]) -> list[list[Cell]]:
    """按收入性质分 (four rows) beside 按支出性质分 (two rows), label and amount in their own cells."""
    rows = [[caption(caps["income"], 1, 4), caption(caps["spending"], 5, 5)]]
    income, spending = ev["income_rows"], ev["spending_rows"]
    for i in range(max(len(income), len(spending))):
        row: list[Cell] = []
        if i < len(income):
            spec = income[i]
            row += [text_cell(spec["label"], 1, 3),
                    amount_cell(getattr(table.income, spec["field"]), 4, path=f"overall.income.{spec['field']}")]
        else:
            row += [text_cell(None, 1, 3), text_cell(None, 4)]
        if i < len(spending):
            spec = spending[i]
            row += [text_cell(spec["label"], 5, 3),
                    amount_cell(getattr(table.spending, spec["field"]), 8, 2, path=f"overall.spending.{spec['field']}")]
        else:
            row += [text_cell(None, 5, 3), text_cell(None, 8, 2)]
        rows.append(row)
    return rows


def _indicator_rows(table: _EvaluationTable, prefix: str) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for i, l1 in enumerate(table.indicators):
        l1_rows: list[list[Cell]] = []
        for j, l2 in enumerate(l1.children):
            l2_path = f"{prefix}.indicators.{i}.children.{j}"
            # A 二级 without indicators still prints one empty row under its label.
            inds = l2.indicators or [None]
            for k, ind in enumerate(inds):
                p = f"{l2_path}.indicators.{k}"
                row = []
                if k == 0:
                    row.append(text_cell(l2.label, 2, align="center", path=f"{l2_path}.label"))
                    row[0].rowspan = len(inds)
                row += _indicator_cells(ind, p)
                l1_rows.append(row)
        if not l1_rows:
            l1_rows.append([text_cell(None, 2)] + _indicator_cells(None, f"{prefix}.indicators.{i}.children.0.indicators.0"))
        head = text_cell(l1.label, 1, align="center", path=f"{prefix}.indicators.{i}.label")
        head.rowspan = len(l1_rows)
        l1_rows[0].insert(0, head)
        rows += l1_rows
    return rows


def _indicator_cells(ind: Any, path: str) -> list[Cell]:
    if ind is None:
        return [text_cell(None, 3, 2), text_cell(None, 5), text_cell(None, 6),
                score_cell(None, 7), score_cell(None, 8), text_cell(None, 9)]
    return [
        text_cell(ind.name, 3, 2, path=f"{path}.name"),
        text_cell(ind.target.raw, 5, align="center", path=f"{path}.target"),
        text_cell(ind.actual.raw, 6, align="center", path=f"{path}.actual"),
        score_cell(ind.weight, 7, path=f"{path}.weight"),
        score_cell(ind.self_score, 8, path=f"{path}.self_score"),
        text_cell(ind.deviation_reason, 9, path=f"{path}.deviation_reason"),
    ]
