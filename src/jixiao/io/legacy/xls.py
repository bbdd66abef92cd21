"""Excel 97-2003 workbooks (.xls, and the .et WPS Spreadsheets saves as BIFF8) read natively with xlrd.

xlrd gives each sheet's cells, their number formats and the merged ranges. We hand them
to the .xlsx reader's own sheet walker (``xlsx_io.sheet_blocks``) shaped like openpyxl's
worksheet, so merges become spans and vertical merges, numbers are shown through their
format, and parts and rows are found exactly as for an .xlsx. Formulas are never
evaluated: a BIFF file stores each formula's last result, and that is what is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import InputError
from ..docx_reader.blocks import Document
from ..xlsx_io import MAX_COLS, MAX_ROWS, sheet_blocks

MAX_SHEETS = 200


class XlsUnreadable(InputError):
    """xlrd could not parse the workbook (the caller may try LibreOffice instead)."""


@dataclass
class _Cell:
    value: object
    number_format: str


@dataclass
class _Range:
    min_row: int
    max_row: int
    min_col: int
    max_col: int


@dataclass
class _Merged:
    ranges: list[_Range]


@dataclass
class _Sheet:
    """The part of openpyxl's Worksheet that xlsx_io.sheet_blocks reads (1-based coordinates)."""

    title: str
    _cells: dict[tuple[int, int], _Cell] = field(default_factory=dict)
    merged_cells: _Merged = field(default_factory=lambda: _Merged([]))


def xls_document(data: bytes, name: str) -> Document:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True, logfile=_Quiet())
    except Exception as exc:  # xlrd raises XLRDError, struct.error, AssertionError... on broken files
        raise XlsUnreadable(f"{name} 无法作为 Excel 97-2003 工作簿读取（{_short(exc)}）") from exc
    try:
        if book.nsheets > MAX_SHEETS:
            raise InputError(f"{name} 含有 {book.nsheets} 个工作表，超过上限 {MAX_SHEETS}，已拒绝")
        doc = Document(source=name)
        for index in range(book.nsheets):
            try:
                sheet = book.sheet_by_index(index)
            except Exception as exc:
                raise XlsUnreadable(f"{name} 的第{index + 1}个工作表无法读取（{_short(exc)}）") from exc
            doc.blocks.extend(sheet_blocks(_adapt(book, sheet)))
            book.unload_sheet(index)
        return doc
    finally:
        book.release_resources()


def _adapt(book, sheet) -> _Sheet:
    import xlrd

    out = _Sheet(title=sheet.name)
    formats: dict[int, str] = {}
    for r in range(min(sheet.nrows, MAX_ROWS)):
        for c in range(min(sheet.row_len(r), MAX_COLS)):
            ctype = sheet.cell_type(r, c)
            if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            value = sheet.cell_value(r, c)
            xf = sheet.cell_xf_index(r, c)
            if xf not in formats:
                key = book.xf_list[xf].format_key if xf < len(book.xf_list) else 0
                fmt = book.format_map.get(key)
                formats[xf] = fmt.format_str if fmt is not None else "General"
            if ctype == xlrd.XL_CELL_TEXT:
                pass
            elif ctype == xlrd.XL_CELL_NUMBER:
                value = float(value)
            elif ctype == xlrd.XL_CELL_DATE:
                try:
                    value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    value = float(value)
            elif ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            elif ctype == xlrd.XL_CELL_ERROR:
                value = xlrd.error_text_from_code.get(value, "#VALUE!")
            out._cells[(r + 1, c + 1)] = _Cell(value, formats[xf])
    out.merged_cells.ranges = [
        _Range(rlo + 1, rhi, clo + 1, chi) for rlo, rhi, clo, chi in sheet.merged_cells if rhi > rlo and chi > clo
    ]
    return out


class _Quiet:
    """xlrd writes warnings to a log file; nobody reads them."""

    def write(self, _text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:80]
