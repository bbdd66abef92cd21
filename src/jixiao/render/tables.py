"""The printed parts of a package: the form's one grid (jixiao.forms.grid) with the package's
values put in, plus the report. Word, Excel and HTML/PDF draw what this returns, so the three
documents cannot disagree on a row, a label or a merge — nor with the web sheet, which draws
the same grid."""

from __future__ import annotations

from typing import Any

from ..forms import fmt_label, load_form
from ..forms.grid import TICK_MARK, GridCell, GridPart, build_grid
from ..forms.grid import default_title as _default_title
from ..forms.paths import text_of, value_at
from ..model import Package
from .layout import Cell, Grid, Part, amount_cell, count_cell, percent_cell, score_cell, text_cell

_NUMBER_CELLS = {"amount": amount_cell, "percent": percent_cell, "count": count_cell, "score": score_cell}


def default_title(form: dict[str, Any], key: str, package: Package) -> str:
    return _default_title(form, key, package)


def build_parts(package: Package, form: dict[str, Any] | None = None) -> list[Part]:
    """All printed parts, in the order of the package: 基础数据表, 整体, 项目 × n, 报告."""
    form = form or load_form()
    parts = [_printed(part, package, form) for part in build_grid(package, form, printed=True)]
    if package.report is not None and "report" in form["parts"]:
        report = package.report
        parts.append(Part(
            key="report", name=form["parts"]["report"]["name"], label=form["parts"]["report"]["name"], path="report",
            title=report.title or default_title(form, "report", package), report=report,
        ))
    return parts


def _printed(part: GridPart, package: Package, form: dict[str, Any]) -> Part:
    grid = Grid(list(part.widths))
    for row in part.rows:
        grid.rows.append([_cell(c, package) for c in row])
    grid.repeat = _repeated_header(part, form, package.fiscal_year)
    caption, note_path = part.note or (None, None)
    note = value_at(package, note_path) if note_path else None
    return Part(
        key=part.key, name=part.name, label=part.label, path=part.path, title=part.title, landscape=part.landscape,
        attachment=part.attachment, grid=grid, note=(caption, note) if note else None,
        signature=[(label, value_at(package, path)) for label, path in part.signature],
        title_lines=list(part.title_lines), preamble=part.preamble,
    )


def _repeated_header(part: GridPart, form: dict[str, Any], year: int) -> tuple[int, int] | None:
    """The rows [start, end) a printed page repeats when the table runs on: the column header of
    the indicators (一级指标 … 偏差原因; two rows where a group's caption is over its columns) of an
    evaluation table, the amounts header of 基础数据表."""
    if part.key == "basic":
        amounts = fmt_label(form["captions"]["basic"]["amounts"], year)
        found = (r for r, row in enumerate(part.rows) if row and row[0].kind == "caption" and row[0].text == amounts)
        head = next(found, None)
        return None if head is None else (head, head + 1)
    anchor = f"{part.path}.indicators"
    for r, row in enumerate(part.rows):
        if any(c.anchor == anchor for c in row):
            return r, r + max((c.rowspan for c in row if c.anchor != anchor), default=1)
    return None


def _cell(c: GridCell, package: Package) -> Cell:
    if c.kind == "caption":
        return Cell(c.text, c.col, c.colspan, c.rowspan, align="center", header=True)
    if c.kind in _NUMBER_CELLS:
        cell = _NUMBER_CELLS[c.kind](value_at(package, c.path), c.col, c.colspan, path=c.path)
    elif c.kind == "tick":
        ticked = c.option in (value_at(package, c.path) or [])
        cell = text_cell(TICK_MARK if ticked else "", c.col, c.colspan, align="center", path=c.path)
    else:
        text = c.text if c.kind == "label" else text_of(value_at(package, c.path)) if c.path else None
        cell = text_cell(text, c.col, c.colspan, align=c.align, path=c.path)
        if c.kind == "blank":
            cell.align = c.align if c.align != "left" else cell.align
    cell.rowspan = c.rowspan
    cell.kind = c.kind
    cell.choices = (TICK_MARK,) if c.kind == "tick" else c.choices
    return cell
