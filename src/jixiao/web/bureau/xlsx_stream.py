"""An .xlsx written as it goes: the bureau's exports streamed to the browser row by row.

openpyxl spends most of a 20,000-unit summary on per-cell style objects (about 40 µs a cell);
these workbooks need five fixed styles, so the sheet XML is written here directly, with
inline strings, into a zip that is handed on in chunks while it is written (zipfile writes a
non-seekable stream with data descriptors). The result opens in Excel, LibreOffice and openpyxl.

Cells: str as text (one that starts like a formula gets Excel's quote prefix, so a unit name
never becomes one), Decimal/int/float as numbers (two decimal places shown as money), date and
datetime as Excel dates, None as an empty cell.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone

from jixiao.render import is_formula_like

Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]

# Style indexes of styles.xml below (cellXfs order).
PLAIN, HEADER, MONEY, DATETIME, DATE, QUOTED = range(6)
_EPOCH = datetime(1899, 12, 30)
# Characters XML 1.0 cannot hold: dropped rather than making a file Excel refuses.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CHUNK_ROWS = 500  # rows written between two chunks handed on

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="#,##0.00"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/><numFmt numFmtId="166" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
_SHEET_TAIL = "</sheetData></worksheet>"


_NEEDS_CARE = re.compile("[<>&\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str, style: int) -> str:
    if _NEEDS_CARE.search(value):
        value = escape(_ILLEGAL.sub("", value))
    space = ' xml:space="preserve"' if value != value.strip() else ""
    s = f' s="{style}"' if style else ""
    return f'<c{s} t="inlineStr"><is><t{space}>{value}</t></is></c>'


def _serial(value: datetime | date) -> str:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return repr((value - _EPOCH).total_seconds() / 86400)
    return str((value - _EPOCH.date()).days)


def cell_xml(value: Any) -> str:
    """One cell. Cells carry no reference: each row writes all of its cells in order, a blank
    one as an empty element, which is what a reader counts columns by."""
    kind = type(value)
    if kind is str:
        return _text(value, QUOTED if value and is_formula_like(value) else PLAIN)
    if value is None:
        return "<c/>"
    if kind is Decimal:
        if not value.is_finite():
            return _text(str(value), PLAIN)
        number = format(value, "f")
        # Two decimal places as written: money, shown as money (the exponent read off the text).
        style = f' s="{MONEY}"' if number[-3:-2] == "." else ""
        return f"<c{style}><v>{number}</v></c>"
    if kind is int or kind is float:
        return f"<c><v>{value!r}</v></c>"
    if kind is bool:
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime):
        return f'<c s="{DATETIME}"><v>{_serial(value)}</v></c>'
    if isinstance(value, date):
        return f'<c s="{DATE}"><v>{_serial(value)}</v></c>'
    # Subclasses (a SafeString, an IntEnum) are written as their base type.
    for base in (str, Decimal, int, float):
        if isinstance(value, base):
            return cell_xml(base(value))
    return _text(str(value), PLAIN)


def _rows_xml(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    yield _SHEET_HEAD
    yield '<row r="1">' + "".join(_text(str(v), HEADER) for v in header) + "</row>"
    for r, row in enumerate(rows, start=2):
        yield f'<row r="{r}">' + "".join(map(cell_xml, row)) + "</row>"
    yield _SHEET_TAIL


class _Sink:
    """A write-only file whose bytes are taken away as they come (zipfile writes it unseekable)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def stream_workbook(sheets: Sequence[Sheet]) -> Iterator[bytes]:
    """The .xlsx of (title, header, rows) per sheet, as chunks of bytes while it is written."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        titles = [_sheet_title(t, i) for i, (t, _, _) in enumerate(sheets)]
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES.format(
            sheets="".join(_SHEET_TYPE.format(n=n) for n in range(1, len(sheets) + 1))))
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _workbook_xml(titles))
        zf.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        zf.writestr("xl/styles.xml", _STYLES)
        yield sink.take()
        for n, (_, header, rows) in enumerate(sheets, start=1):
            with zf.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as out:
                pending: list[str] = []
                for piece in _rows_xml(header, rows):
                    pending.append(piece)
                    if len(pending) >= CHUNK_ROWS:
                        out.write("".join(pending).encode("utf-8"))
                        pending = []
                        data = sink.take()
                        if data:
                            yield data
                out.write("".join(pending).encode("utf-8"))
    yield sink.take()


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    return b"".join(stream_workbook(sheets))


def _sheet_title(title: str, index: int) -> str:
    # Excel: at most 31 characters, none of : \ / ? * [ ]
    clean = re.sub(r"[:\\/?*\[\]]", "", _ILLEGAL.sub("", title))[:31]
    return clean or f"Sheet{index + 1}"


def _workbook_xml(titles: list[str]) -> str:
    sheets = "".join(f'<sheet name="{escape(t, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
                     for n, t in enumerate(titles, start=1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<sheets>{sheets}</sheets></workbook>")


def _workbook_rels(count: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, count + 1))
    rels += (f'<Relationship Id="rId{count + 1}" '
             'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
