"""A format-neutral layout of the printed package: parts, grids of merged cells, notes.

The Word, Excel and HTML/PDF writers all draw the same ``Part`` objects, so the three
documents cannot disagree on a row, a label or a merge. Cell text is exactly what the
package says (blank stays blank, '/' stays '/'); amounts only gain trailing zeros up
to two places, never lose a digit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from ..model import NA, Report, Signature

Align = Literal["left", "center", "right"]


@dataclass
class Cell:
    """One logical cell, placed at a grid column, spanning columns and rows."""

    text: str
    col: int
    colspan: int = 1
    rowspan: int = 1
    align: Align = "left"
    header: bool = False  # a printed caption (bold in the documents), not data
    value: Decimal | int | None = None  # the number behind the text, for spreadsheets
    number_format: str | None = None  # Excel format of ``value``: '0.00', '0', '0.00%'
    path: str | None = None  # dotted model path of the value shown, for marking findings
    kind: str = "text"  # the grid cell's kind (jixiao.forms.grid): amount, percent, count, score, text …
    choices: tuple[str, ...] = ()  # what a tick or choice cell may hold (the template's drop-down)


@dataclass
class Grid:
    widths: list[float]  # column widths in millimetres
    rows: list[list[Cell]] = field(default_factory=list)  # cells by the row they start in
    # Header rows [start, end) a printed page repeats when the table runs on to the next page
    # (the indicator header of 绩效指标, the amounts header of 基础数据表). Word and HTML repeat
    # only the top rows of a table, so they print rows [start, …) as a table of their own.
    repeat: tuple[int, int] | None = None

    @property
    def n_cols(self) -> int:
        return len(self.widths)

    def blank_row(self, r: int) -> bool:
        """A row with nothing in its own cells but captions (labels merged down over it aside):
        it keeps room to write in by hand."""
        values = [c for c in self.rows[r] if not c.header and c.rowspan == 1]
        return bool(values) and all(not c.text for c in values)

    def split(self) -> list[tuple[int, int, int]]:
        """The printed tables as (first row, end row, header rows repeated at the top of each page)."""
        n = len(self.rows)
        if self.repeat is None:
            return [(0, n, 0)]
        start, end = self.repeat
        if start == 0:
            return [(0, n, end)]
        return [(0, start, 0), (start, n, end - start)]

    def occupancy(self) -> list[list[Cell | None]]:
        """Which cell covers each (row, column): raises if cells overlap or stick out."""
        grid: list[list[Cell | None]] = [[None] * self.n_cols for _ in self.rows]
        for r, row in enumerate(self.rows):
            for cell in row:
                for rr in range(r, r + cell.rowspan):
                    for cc in range(cell.col, cell.col + cell.colspan):
                        if rr >= len(self.rows) or cc >= self.n_cols:
                            raise ValueError(f"cell '{cell.text}' at row {r} sticks out of the grid")
                        if grid[rr][cc] is not None:
                            raise ValueError(f"cells overlap at row {rr}, column {cc}")
                        grid[rr][cc] = cell
        return grid


@dataclass
class Part:
    """One printed part: a table with its title, notes and signature line, or the report."""

    key: Literal["basic", "overall", "project", "report"]
    name: str  # 基础数据表 / 整体支出绩效自评表 / 项目支出绩效自评表 / 自评报告
    label: str  # how files and sheets name this copy: '项目支出绩效自评表（业务工作经费）'
    title: str
    landscape: bool = False
    attachment: str | None = None  # '附件1'
    grid: Grid | None = None
    note: tuple[str, str] | None = None  # ('说明', text)
    signature: list[tuple[str, str | None]] | None = None  # [(label, value)]
    report: Report | None = None
    path: str = ""  # model path of the part: 'basic', 'projects.2'
    title_lines: list[str] = field(default_factory=list)  # lines under the title: '（2023年度）'
    preamble: str | None = None  # a line above the title: '报表编号：…'


# ------------------------------------------------------------------ cell text


def number_text(value: Decimal) -> str:
    """A decimal without exponent notation, as written."""
    return format(value, "f")


def amount_text(value: Decimal, places: int = 2) -> str:
    """万元 with at least two places: pads '6' to '6.00', never rounds '1.005' away."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -places:
        value = value.quantize(Decimal(1).scaleb(-places))
    return number_text(value)


def amount_cell(value: Any, col: int, colspan: int = 1, *, path: str | None = None) -> Cell:
    if isinstance(value, Decimal):
        return Cell(amount_text(value), col, colspan, align="right", value=value, number_format="0.00", path=path)
    return _blank_or_na(value, col, colspan, path)


def score_format(value: Decimal) -> str:
    """The Excel format that shows a score as written: '0' for 4, '0.0' for 2.5, '0.00' for 4.00."""
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "0." + "0" * places if places else "0"


def score_cell(value: Any, col: int, colspan: int = 1, *, path: str | None = None) -> Cell:
    """分值 / 自评得分: printed as the unit wrote them ('4', '2.5', '10'), as the form prints them."""
    if isinstance(value, Decimal):
        return Cell(number_text(value), col, colspan, align="right", value=value, number_format=score_format(value),
                    path=path)
    return _blank_or_na(value, col, colspan, path)


def percent_cell(value: Any, col: int, colspan: int = 1, *, path: str | None = None) -> Cell:
    if isinstance(value, Decimal):
        return Cell(
            f"{number_text(value)}%", col, colspan, align="right",
            value=value / 100, number_format="0.00%", path=path,
        )
    return _blank_or_na(value, col, colspan, path)


def count_cell(value: Any, col: int, colspan: int = 1, *, path: str | None = None) -> Cell:
    if isinstance(value, int):
        return Cell(str(value), col, colspan, align="right", value=value, number_format="0", path=path)
    return _blank_or_na(value, col, colspan, path)


def _blank_or_na(value: Any, col: int, colspan: int, path: str | None) -> Cell:
    # '/' is centred like a dash in a printed form; a blank cell stays empty.
    if value == NA:
        return Cell(NA, col, colspan, align="center", path=path)
    return Cell("", col, colspan, align="right", path=path)


def text_cell(text: str | None, col: int, colspan: int = 1, *, align: Align = "left", path: str | None = None) -> Cell:
    return Cell(text or "", col, colspan, align=align, path=path)


def caption(text: str, col: int, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, col, colspan, rowspan, align="center", header=True)


def signature_line(sig: Signature, form: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(spec["label"], getattr(sig, spec["field"])) for spec in form["captions"]["signature"]]
