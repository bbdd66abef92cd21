"""Excel: the workbook template to fill, and reading filled workbooks back.

The template is the printed layout (``jixiao.render``: one sheet per table, the official
rows and merges) made fillable: captions locked, value cells unlocked with number formats
and validation that still lets '/' through, a sheet for the report's ten sections.

Reading turns each sheet into the same grid blocks as a Word table (merged ranges become
spans and vertical merges), so the part and table parsers are the Word reader's: a
workbook that follows the form's labels reads whatever its layout. The upload passes the
safety checks first and every XML part is checked for a DOCTYPE before openpyxl sees it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..forms import DEFAULT_FORM, caption, part_name
from ..pack import DEFAULT_PACK
from . import InputError
from .docx_reader.blocks import Document, Para, Table, resolve_vmerge
from .issues import ImportIssue, ImportResult
from .safe import OLE_MAGIC, open_ooxml, read_upload, refuse_doctype

MAX_ROWS = 3000  # a filled package has a few hundred rows
MAX_COLS = 60
_PLACES = re.compile(r"0\.(0+)")


# ------------------------------------------------------------------ reading


def _number_text(value: int | float, fmt: str) -> str:
    d = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    percent = "%" in fmt
    if percent:
        d = d * 100
    text = format(d.normalize(), "f") if d != d.to_integral_value() else format(d.to_integral_value(), "f")
    m = _PLACES.search(fmt)
    if m:  # pad to the places the cell shows ('6' in a 0.00 cell reads '6.00'); never round
        want = len(m.group(1))
        have = len(text.split(".")[1]) if "." in text else 0
        if have < want:
            text += ("." if have == 0 else "") + "0" * (want - have)
    return text + "%" if percent else text


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return _number_text(value, cell.number_format or "General")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _sheet_rows(ws) -> list[list[tuple[int, int, str, str | None]]]:
    """Rows of (grid column, span, text, vMerge) from a sheet, merged ranges as spans and vertical merges."""
    cells = getattr(ws, "_cells", None)
    if cells is None:  # pragma: no cover - openpyxl has kept _cells for years
        cells = {(c.row, c.column): c for row in ws.iter_rows() for c in row}
    merged: dict[tuple[int, int], tuple[int, int]] = {}  # first column of each row of a range -> (span, top row)
    hidden: set[tuple[int, int]] = set()  # the rest of a range
    for rng in ws.merged_cells.ranges:
        span = rng.max_col - rng.min_col + 1
        for r in range(rng.min_row, min(rng.max_row, MAX_ROWS) + 1):
            merged[(r, rng.min_col)] = (span, rng.min_row)
            hidden.update((r, c) for c in range(rng.min_col + 1, min(rng.max_col, MAX_COLS) + 1))
    by_row: dict[int, dict[int, tuple[int, int, str, str | None]]] = {}
    for (r, c), (span, top) in merged.items():
        if c > MAX_COLS:
            continue
        if r == top:
            cell = cells.get((r, c))
            tall = (r + 1, c) in merged and merged[(r + 1, c)][1] == top
            by_row.setdefault(r, {})[c] = (c - 1, span, _cell_text(cell) if cell is not None else "", "restart" if tall else None)
        else:
            by_row.setdefault(r, {})[c] = (c - 1, span, "", "continue")
    for (r, c), cell in cells.items():
        if r > MAX_ROWS or c > MAX_COLS or (r, c) in hidden or (r, c) in merged:
            continue
        text = _cell_text(cell)
        if text:
            by_row.setdefault(r, {})[c] = (c - 1, 1, text, None)
    last = max(by_row, default=0)
    return [[by_row[r][c] for c in sorted(by_row[r])] if r in by_row else [] for r in range(1, last + 1)]


def _is_report(ws_title: str, rows) -> bool:
    if "报告" in ws_title:
        return True
    first = next((row for row in rows if row), [])
    return bool(first) and part_name("report") in first[0][2] and len(first) == 1


def xlsx_document(data: bytes, name: str) -> Document:
    if data[:8] == OLE_MAGIC:  # an old binary file named .xlsx: read it as what it is
        from .legacy import legacy_document

        return legacy_document(data, name)
    arc = open_ooxml(data, name, "xlsx")
    formulas = False
    for entry in arc.names():  # openpyxl parses these itself: no DOCTYPE may reach it
        if entry.lower().endswith((".xml", ".rels", ".vml")):
            raw = arc.read(entry)
            refuse_doctype(raw, f"{name} 中的 {entry}")
            formulas = formulas or (entry.startswith("xl/worksheets/") and b"<f" in raw)
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        raise InputError(f"{name} 无法作为 Excel 工作簿读取（{type(exc).__name__}）") from exc
    doc = Document(source=name)
    for sheet, coords in (_uncomputed(data) if formulas else {}).items():
        doc.issues.append(ImportIssue(
            f"工作表“{sheet}”{'、'.join(coords[:5])}{'等' if len(coords) > 5 else ''}",
            "含有未计算的公式，没有结果值，按空白导入；请在 Excel 中打开并保存后再导入", name,
        ))
    for ws in wb.worksheets:
        doc.blocks.extend(sheet_blocks(ws))
    return doc


def sheet_blocks(ws) -> list:
    """The blocks of one worksheet: openpyxl's, or one shaped like it (legacy/xls.py for .xls)."""
    where = f"工作表“{ws.title}”"
    rows = _sheet_rows(ws)
    if _is_report(ws.title, rows):
        return [Para(line.strip(), f"{where}第{n}行")
                for n, row in enumerate(rows, 1) for _col, _span, text, _v in row for line in text.split("\n")]
    return [Para(ws.title, where, hint=True), Table(resolve_vmerge(rows, where), where)]


def _uncomputed(data: bytes) -> dict[str, list[str]]:
    """Cells holding a formula that was never calculated (a file written by a program): sheet -> cells."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
        formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False, keep_links=False)
    out: dict[str, list[str]] = {}
    for ws in formulas.worksheets:
        for (r, c), cell in getattr(ws, "_cells", {}).items():
            if isinstance(cell.value, str) and cell.value.startswith("=") and values[ws.title].cell(r, c).value is None:
                out.setdefault(ws.title, []).append(cell.coordinate)
    return out


def import_xlsx_bytes(data: bytes, name: str) -> ImportResult:
    from .docx_reader.bundle import import_documents

    return import_documents([xlsx_document(data, name)])


def import_xlsx(path: Path) -> ImportResult:
    if path.suffix.lower() in (".xlsm", ".xltm"):
        raise InputError(f"{path.name} 是含宏的 Excel 文件，出于安全原因不予导入；请另存为 .xlsx")
    return import_xlsx_bytes(read_upload(path), str(path))


def read_xlsx(path: Path):
    return import_xlsx(path).package


# ------------------------------------------------------------------ the template

# The template's input kinds by the grid's cell kinds (jixiao.forms.grid): one place decides a kind.
_TEMPLATE_KIND = {"amount": "amount", "score": "score", "percent": "rate", "count": "count"}
ITEM_ROWS = {"district_special_items": 8, "transfer_items": 4}
INDICATOR_ROWS = 3


def _skeleton(year: int, projects: int, form_name: str = DEFAULT_FORM, pack_name: str = DEFAULT_PACK):
    """An empty package with the rows a unit fills: the form's one skeleton (jixiao.forms.skeleton),
    with open lists and three indicator rows per 二级 to write in."""
    from ..forms import load_form, skeleton
    from ..model import Package
    from ..pack import read_pack

    form, pack = load_form(form_name), read_pack(pack_name)
    doc = skeleton.new_document("", year, form_name, pack)
    if "report" in doc:
        doc["report"]["title"] = None
    if "basic" in doc:
        doc["basic"] = {"buildings": [{}], **{k: [{"name": ""} for _ in range(n)] for k, n in ITEM_ROWS.items()}}
    if "overall" in doc:
        doc["overall"]["indicators"] = skeleton.indicator_tree(form, pack.get("weights", "level1", default={}) or {},
                                                               INDICATOR_ROWS)
        del doc["overall"]["unit_name"]
        doc["overall"]["funds"] = {}
    if "project" in form["parts"]:
        doc["projects"] = [{"indicators": skeleton.indicator_tree(form, pack.get("weights", "level1", default={}) or {},
                                                                INDICATOR_ROWS)} for _ in range(projects)]
    return Package.model_validate(doc)


def _padded(package):
    """A copy of a package with blank rows added to its open lists, so there is room to write."""
    from ..model import NamedAmountRow

    pkg = package.model_copy(deep=True)
    if pkg.basic is not None:
        for key in ITEM_ROWS:
            getattr(pkg.basic, key).extend(NamedAmountRow(name="") for _ in range(3))
    return pkg


def write_template(year: int, package=None, projects: int = 1, *, form: str = DEFAULT_FORM,
                   pack: str = DEFAULT_PACK) -> bytes:
    """The fillable workbook: the printed layout of ``form``, captions locked, value cells open with
    formats and checks; the 一级 labels carry ``pack``'s standard weights."""
    import openpyxl
    from openpyxl.styles import Protection

    from ..forms import load_form
    from ..render.tables import build_parts
    from ..render.xlsx_writer import table_top, write_xlsx

    pkg = template_package(year, package, projects, form=form, pack=pack)
    has_report = "report" in load_form(form)["parts"]  # forms without a narrative report get no report sheet
    parts = build_parts(pkg, load_form(form))
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "t.xlsx"
        write_xlsx(parts, target)
        wb = openpyxl.load_workbook(target)
    tables = [p for p in parts if p.grid is not None]
    for ws, part in zip(wb.worksheets, tables, strict=True):
        top = table_top(part)
        checks = {k: _validation(k) for k in ("amount", "score", "rate", "count")}
        for dv in checks.values():
            ws.add_data_validation(dv)
        lists: dict[tuple[str, ...], Any] = {}  # a drop-down per set of values (ticks: '√'; 完成目标可能性)
        for i, row in enumerate(part.grid.rows):
            for cell in row:
                if not cell.path:
                    continue
                target_cell = ws.cell(row=top + i, column=cell.col + 1)
                target_cell.protection = Protection(locked=False)
                kind = _TEMPLATE_KIND.get(cell.kind, "text")
                if cell.choices:
                    if cell.choices not in lists:
                        lists[cell.choices] = _list_validation(cell.choices, tick=cell.kind == "tick")
                        ws.add_data_validation(lists[cell.choices])
                    lists[cell.choices].add(target_cell.coordinate)
                elif kind != "text":
                    target_cell.number_format = {"amount": "0.00", "score": "0.##", "rate": "0.00%", "count": "0"}[kind]
                    checks[kind].add(target_cell.coordinate)
        # the note and signature lines under the table are text the unit completes
        for r in range(top + len(part.grid.rows), ws.max_row + 1):
            ws.cell(row=r, column=1).protection = Protection(locked=False)
        _protect(ws)
    if has_report:
        _report_sheet(wb, pkg, form)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_package(year: int, package=None, projects: int = 1, *, form: str = DEFAULT_FORM,
                     pack: str = DEFAULT_PACK):
    """The package a template draws: ``package`` with room to write in its open lists, or the
    form's empty package (task rows, three indicator rows per 二级, the report's sections)."""
    from ..forms import load_form

    pkg = _padded(package) if package is not None else _skeleton(year, projects, form, pack)
    if pkg.report is None and "report" in load_form(form)["parts"]:
        pkg.report = _skeleton(pkg.fiscal_year, 0, form, pack).report
    return pkg


def _list_validation(values: tuple[str, ...], *, tick: bool):
    """A drop-down of the values the form offers: a tick cell takes '√' or nothing, a choice cell
    (完成目标可能性) one of its values."""
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True, showErrorMessage=True,
                        showInputMessage=True)
    prompt = "选中的原因打“√”，其余留空。" if tick else f"从下拉列表中选择：{'、'.join(values)}。"
    dv.error, dv.errorTitle = f"请从下拉列表中选择。{prompt}", "输入无效"
    dv.prompt, dv.promptTitle = prompt, "填写说明"
    return dv


def _report_sheet(wb, pkg, form: str) -> None:
    from openpyxl.styles import Alignment, Protection

    from ..render.xlsx_writer import is_formula_like

    report = pkg.report
    ws = wb.create_sheet(part_name("report", form))
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 100
    title = ws.cell(row=1, column=1, value=report.title or caption(
        "titles", "report", form, year=pkg.fiscal_year, unit=pkg.unit_name))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=2)
    title.protection = Protection(locked=False)
    for n, section in enumerate(report.sections, start=2):
        ws.cell(row=n, column=1, value=section.heading).alignment = Alignment(vertical="top", wrap_text=True)
        body = ws.cell(row=n, column=2, value=section.body or None)
        if section.body and is_formula_like(section.body):
            body.data_type, body.quotePrefix = "s", True
        body.alignment = Alignment(vertical="top", wrap_text=True)
        body.protection = Protection(locked=False)
        ws.row_dimensions[n].height = 120
    _protect(ws)


def _validation(kind: str):
    """Numbers (or '/' for not applicable); an error message in Chinese when something else is typed."""
    from openpyxl.worksheet.datavalidation import DataValidation

    x = "INDIRECT(\"RC\",FALSE)"
    rule = {
        "amount": f'OR(ISNUMBER({x}),{x}="/")',
        "score": f'OR(AND(ISNUMBER({x}),{x}>=0,{x}<=100),{x}="/")',
        "rate": f'OR(AND(ISNUMBER({x}),{x}>=0),{x}="/")',
        "count": f'OR(AND(ISNUMBER({x}),{x}>=0,INT({x})={x}),{x}="/")',
    }[kind]
    prompt = {
        "amount": "金额（万元），保留两位小数；不适用填“/”，未发生留空。",
        "score": "分值或得分（0～100）；不适用填“/”。",
        "rate": "百分比，如 93.33%；不适用填“/”。",
        "count": "人数（整数）。",
    }[kind]
    dv = DataValidation(type="custom", formula1=rule, allow_blank=True, showErrorMessage=True, showInputMessage=True)
    dv.error, dv.errorTitle = f"请输入数值。{prompt}", "输入无效"
    dv.prompt, dv.promptTitle = prompt, "填写说明"
    return dv


def _protect(ws) -> None:
    # Locked captions keep the labels the reader finds rows by; rows may still be inserted for more items.
    ws.protection.sheet = True
    ws.protection.insertRows = False
    ws.protection.deleteRows = False
    ws.protection.formatRows = False
    ws.protection.formatColumns = False
    ws.protection.formatCells = False
