"""The official tables as editable sheets: the form's one grid (jixiao.forms.grid), the same
grid the Word, Excel and PDF documents draw, with an input at every value cell and the
buttons and column widths a page needs. No row, column or label is laid out here."""

from __future__ import annotations

from typing import Any

from jixiao.forms import GridCell, GridPart, basic_grid, evaluation_grid, load_form

from .cells import Cell, Row, Sheet
from .checking import value_at

OPS_ADD, OPS_DEL = "＋", "－"
_INPUT = {"amount": "num", "score": "num", "percent": "pct", "count": "int", "text": "text", "area": "area",
          "indicator": "area", "tick": "tick", "choice": "choice"}
_ROW_STYLES = ("sum", "item", "total")


def _year(doc: dict[str, Any]) -> int:
    try:
        return int(doc.get("fiscal_year") or 0)
    except (TypeError, ValueError):
        return 0


def basic_sheet(doc: dict[str, Any], *, form_name: str, editable: bool, url: str) -> Sheet:
    form = load_form(form_name)
    return _sheet(basic_grid(doc, form, _year(doc)), doc, "basic", editable, url)


def overall_sheet(doc: dict[str, Any], *, form_name: str, editable: bool, url: str) -> Sheet:
    form = load_form(form_name)
    return _sheet(evaluation_grid(doc, form, _year(doc), None), doc, "overall", editable, url)


def project_sheet(doc: dict[str, Any], index: int, *, form_name: str, editable: bool, url: str) -> Sheet:
    form = load_form(form_name)
    return _sheet(evaluation_grid(doc, form, _year(doc), index), doc, f"project-{index}", editable, url)


def _sheet(part: GridPart, doc: dict[str, Any], key: str, editable: bool, url: str) -> Sheet:
    sheet = Sheet(key=key, title=part.label, columns=part.n_cols, rows=[], editable=editable, values={}, url=url)
    sheet.widths = _widths(part.widths)
    sheet.lists = list(part.lists)
    sheet.preamble, sheet.title_lines = part.preamble or "", list(part.title_lines)
    for grid_row in part.rows:
        cells = [_cell(c, sheet, doc) for c in grid_row]
        styles = {s for c in grid_row for s in c.style.split()}
        sheet.rows.append(Row(cells, next((s for s in _ROW_STYLES if s in styles), "")))
    if part.note is not None:
        caption, path = part.note
        sheet.rows.append(Row([Cell("th", text=caption), _input(sheet, doc, "area", path, caption, part.n_cols - 1)]))
    if part.signature:
        cells: list[Cell] = [Cell("th", text="签字栏", anchor=f"{part.path}.signature")]
        for label, path in part.signature:
            cells += [Cell("th", text=label, cls="sig"), _input(sheet, doc, "text", path, label)]
        sheet.footer.append(Row(cells))
    return sheet


def _widths(mm: list[float]) -> list[str]:
    """Column widths as the printed form proportions them; a narrow section column keeps its em."""
    total = sum(mm)
    return ["2.6em" if w <= 12 else f"{100 * w / total:.1f}%" for w in mm]


def _ops(c: GridCell) -> list[tuple[str, str, str]]:
    return [(op, OPS_ADD if op.startswith("add:") else OPS_DEL, title) for op, title in c.ops]


def _input(sheet: Sheet, doc: dict[str, Any], kind: str, path: str, label: str, colspan: int = 1, **kw) -> Cell:
    first = path not in sheet.values
    sheet.values[path] = value_at(doc, path)
    return Cell(kind, path=path, label=label, colspan=colspan, first=first, **kw)


def _cell(c: GridCell, sheet: Sheet, doc: dict[str, Any]) -> Cell:
    if c.kind in ("caption", "label"):
        cls = " ".join(x for x in (c.style, "split" if c.kind == "label" and "split" in c.style else "") if x)
        return Cell("th", text=c.text, colspan=c.colspan, rowspan=c.rowspan, anchor=c.anchor, ops=_ops(c),
                    cls=" ".join(dict.fromkeys(cls.split())))
    if c.kind == "blank":
        return Cell("ro" if c.placeholder else "blank", text=c.placeholder, colspan=c.colspan, rowspan=c.rowspan)
    cls = " ".join(x for x in (c.style, "ind" if c.kind == "indicator" else "") if x)
    return _input(sheet, doc, _INPUT[c.kind], c.path, c.label, c.colspan, rowspan=c.rowspan, ops=_ops(c), cls=cls,
                  anchor=c.anchor, option=c.option, choices=c.choices)


def report_sheet(doc: dict[str, Any], *, form_name: str, editable: bool, url: str) -> Sheet:
    """The report's title and its sections in order; the caller normalised the sections."""
    form = load_form(form_name)
    sheet = Sheet(key="report", title=form["parts"]["report"]["name"], columns=2, rows=[], editable=editable,
                  values={}, url=url)
    sheet.widths = ["7em", ""]
    sheet.rows.append(Row([Cell("th", text="报告标题", anchor="report"),
                           _input(sheet, doc, "text", "report.title", "报告标题")]))
    sections = value_at(doc, "report.sections")
    n = len(sections) if isinstance(sections, list) else 0
    sheet.lists.append(("report.sections", n))
    for i in range(n):
        sp = f"report.sections.{i}"
        heading = _input(sheet, doc, "text", f"{sp}.heading", f"第{i + 1}节标题", cls="heading", anchor=sp)
        heading.hidden = [(f"{sp}.number", value_at(doc, f"{sp}.number"))]
        sheet.rows.append(Row([Cell("th", text=f"第{i + 1}节"), heading]))
        sheet.rows.append(Row([Cell("blank"), _input(sheet, doc, "area", f"{sp}.body", f"第{i + 1}节正文", cls="body")]))
    return sheet
