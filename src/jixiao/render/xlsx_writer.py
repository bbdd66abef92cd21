"""One Excel workbook, one sheet per table, drawn from the same layout as the Word files.

Numbers are numbers (amounts and scores '0.00', rates '0.00%', head counts '0'); text is
text. Text that starts with = + - @ is stored as a string with Excel's quote prefix, so no
spreadsheet ever runs it as a formula (formula injection). Excel does not grow rows for
wrapped text in merged cells, so row heights are estimated from the text.
"""

from __future__ import annotations

import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .docx_writer import clean_text, signature_text
from .layout import Cell, Part

FONT = "宋体"  # Excel/WPS name; LibreOffice substitutes a CJK face
SIZE = 10.5
FORMULA_START = ("=", "+", "-", "@")
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
MM_PER_WIDTH_UNIT = 2.0  # one Excel width unit (a '0' of the default font) is about 2 mm
_INVALID_SHEET = str.maketrans({c: "_" for c in "[]:*?/\\"})
BLANK_ROW_PT = 19.8  # 7 mm: the least height of a row left blank for writing in by hand
PAGE_FOOTER = "第 &P 页  共 &N 页"
MERGED_TOP = 2  # cells merged down over more rows than this are aligned to their top


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def sheet_title(label: str, used: set[str]) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet name; names must be unique."""
    base = clean_text(label).replace("\n", " ").translate(_INVALID_SHEET).strip("'")[:31] or "表"
    title, n = base, 2
    while title in used:
        suffix = f"({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title)
    return title


def table_top(part: Part) -> int:
    """The sheet row (1-based) of the table's first row: under the attachment line, the preamble,
    the title and the title lines."""
    return 2 + bool(part.attachment) + bool(part.preamble) + len(part.title_lines)


def write_xlsx(parts: list[Part], path: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for part in parts:
        if part.grid is None:
            continue  # the report is prose, not a table
        _write_sheet(wb.create_sheet(sheet_title(part.label, used)), part)
    if not wb.worksheets:
        wb.create_sheet("空")
    wb.properties.creator = "jixiao"
    wb.save(str(path))
    return path


def _put_text(ws: Worksheet, row: int, col: int, text: str):
    cell = ws.cell(row=row, column=col)
    cell.value = text
    if text and is_formula_like(text):
        # openpyxl turns a leading '=' into a formula: force a string and set Excel's quote
        # prefix so editing the cell in Excel/WPS keeps it text too.
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _write_sheet(ws: Worksheet, part: Part) -> None:
    grid = part.grid
    assert grid is not None
    n = grid.n_cols
    for c, width in enumerate(grid.widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = round(width / MM_PER_WIDTH_UNIT, 1)

    r = 1
    if part.attachment:
        _put_text(ws, r, 1, part.attachment).font = Font(name="黑体", size=12)
        r += 1
    if part.preamble:
        _put_text(ws, r, 1, clean_text(part.preamble)).font = Font(name=FONT, size=SIZE)
        r += 1
    title = _put_text(ws, r, 1, clean_text(part.title))
    title.font = Font(name=FONT, size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
    ws.row_dimensions[r].height = 30
    r += 1
    for line in part.title_lines:
        cell = _put_text(ws, r, 1, clean_text(line))
        cell.font = Font(name=FONT, size=12)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
        r += 1

    top = r
    assert top == table_top(part)
    heights = [15.0] * len(grid.rows)
    for i, row in enumerate(grid.rows):
        for cell in row:
            _write_cell(ws, top + i, cell)
            width = sum(grid.widths[cell.col: cell.col + cell.colspan])
            need = _height_pt(cell.text, width) / cell.rowspan
            for k in range(cell.rowspan):
                heights[i + k] = max(heights[i + k], need)
    # Borders on every grid position, merged or not, so merged blocks are framed.
    for i in range(len(grid.rows)):
        if grid.blank_row(i):  # room to write in by hand
            heights[i] = max(heights[i], BLANK_ROW_PT)
        ws.row_dimensions[top + i].height = round(heights[i], 1)
        for c in range(1, n + 1):
            ws.cell(row=top + i, column=c).border = BORDER
    r = top + len(grid.rows)

    lines = []
    if part.note:
        lines.append(f"{part.note[0]}：{part.note[1]}")
    if part.signature:
        lines.append(signature_text(part.signature))
    for line in lines:
        r += 1
        cell = _put_text(ws, r, 1, clean_text(line))
        cell.font = Font(name=FONT, size=SIZE)
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
        ws.row_dimensions[r].height = round(_height_pt(line, sum(grid.widths)), 1)

    if grid.repeat is not None:  # the header rows print again at the top of each page
        ws.print_title_rows = f"{top + grid.repeat[0]}:{top + grid.repeat[1] - 1}"
    ws.oddFooter.center.text = PAGE_FOOTER  # as Word and the PDF number their pages
    ws.oddFooter.center.size = 9
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if part.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.7


def _write_cell(ws: Worksheet, row: int, cell: Cell) -> None:
    col = cell.col + 1
    if cell.value is not None:
        target = ws.cell(row=row, column=col)
        target.value = cell.value
        target.number_format = cell.number_format or "General"
    else:
        target = _put_text(ws, row, col, clean_text(cell.text))
    target.font = Font(name=FONT, size=SIZE, bold=cell.header)
    # A label merged down over several rows (一级/二级指标, 绩效指标) is printed once, where Excel
    # puts it in the merged block: at its top it is on the page where the block starts, where
    # centred it could fall on the break and be lost when the block runs on to the next page.
    vertical = "top" if cell.rowspan > MERGED_TOP else "center"
    target.alignment = Alignment(horizontal=cell.align, vertical=vertical, wrap_text=True)
    if cell.colspan > 1 or cell.rowspan > 1:
        ws.merge_cells(start_row=row, start_column=col, end_row=row + cell.rowspan - 1, end_column=col + cell.colspan - 1)


def _height_pt(text: str, width_mm: float) -> float:
    """Points needed for ``text`` wrapped in ``width_mm``: CJK glyphs are one em wide."""
    if not text:
        return 15.0
    em_mm = SIZE * 25.4 / 72
    per_line = max(1.0, (width_mm - 2) / em_mm)
    lines = 0
    for part in text.split("\n"):
        # Latin letters and digits take about half an em.
        ems = sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in part)
        lines += max(1, math.ceil(ems / per_line))
    return max(15.0, lines * SIZE * 1.35 + 4)
