"""What a document is to the readers: paragraphs and tables of grid cells, in order.

The Word walker and the Excel reader both produce these blocks, so the part and table
parsers never see OOXML. A cell knows its grid column and span; a cell continuing a
vertical merge points at the cell the merge started from.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Cell:
    col: int  # first grid column
    span: int  # grid columns covered
    text: str  # the cell's own text, stripped; paragraphs joined by '\n'
    origin: Cell | None = None  # set when this cell continues a vertical merge
    used: bool = False  # placed in the package or named in an import finding (see common.account)
    sources: tuple[Cell, ...] = ()  # the cells a combined header cell was made of

    def mark(self) -> None:
        """This cell's text is accounted for (and so are the cells it was combined from)."""
        self.used = True
        for cell in self.sources:
            cell.used = True

    @property
    def label(self) -> str:
        """The text a reader sees in this cell: the merge's first cell when merged vertically."""
        return self.origin.text if self.origin is not None else self.text

    @property
    def end(self) -> int:
        return self.col + self.span


class Row:
    """One table row. Lookups the parsers repeat (cells by column, own cells) are computed once."""

    __slots__ = ("cells", "where", "_own", "_by_col")

    def __init__(self, cells: list[Cell], where: str):
        self.cells = cells
        self.where = where  # '第2张表格第5行', '工作表“基础数据表”第5行'
        self._own: list[Cell] | None = None
        self._by_col: dict[int, Cell] | None = None

    def at(self, col: int) -> Cell | None:
        """The cell covering grid column ``col``."""
        by_col = self._by_col
        if by_col is None:
            by_col = self._by_col = {c: cell for cell in self.cells for c in range(cell.col, cell.col + cell.span)}
        return by_col.get(col)

    def own(self) -> list[Cell]:
        """Cells that start here (not continuing a vertical merge) and hold text."""
        own = self._own
        if own is None:
            own = self._own = [c for c in self.cells if c.origin is None and c.text]
        return own

    def is_blank(self) -> bool:
        return not self.own()

    def mark_all(self) -> None:
        for cell in self.cells:
            cell.mark()

    def flat(self) -> str:
        return " | ".join(c.text.replace("\n", " ") for c in self.own())


@dataclass(slots=True)
class Table:
    rows: list[Row]
    where: str  # '第2张表格'


@dataclass(slots=True)
class Para:
    text: str
    where: str  # '第12段'
    hint: bool = False  # an Excel sheet name: a hint about the part, never its title


@dataclass(slots=True)
class Document:
    blocks: list[Para | Table] = field(default_factory=list)
    source: str = ""
    issues: list = field(default_factory=list)  # ImportIssues found while opening (e.g. uncomputed formulas)
    numbered: list = field(default_factory=list)  # (block index, numId, level, style) of auto-numbered paragraphs


def resolve_vmerge(rows: list[list[tuple[int, int, str, str | None]]], where: str, first_row: int = 1) -> list[Row]:
    """Build rows from (col, span, text, vmerge) tuples, linking vertical-merge continuations.

    ``vmerge`` is None, 'restart' or 'continue'. A continuation points at the first cell of
    its merge: the cell above starting at the same grid column, followed to its origin.
    """
    out: list[Row] = []
    above: dict[int, Cell] = {}
    for n, raw in enumerate(rows):
        cells: list[Cell] = []
        here: dict[int, Cell] = {}
        for col, span, text, vmerge in raw:
            cell = Cell(col, span, text)
            if vmerge == "continue":
                up = above.get(col)
                if up is not None:
                    cell.origin = up.origin or up
            cells.append(cell)
            here[col] = cell
        above = here
        out.append(Row(cells, f"{where}第{n + first_row}行"))
    return out
