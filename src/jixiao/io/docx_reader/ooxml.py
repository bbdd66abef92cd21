"""Walking ``word/document.xml`` into paragraphs and grid tables.

python-docx's ``row.cells`` repeats merged cells, hides vMerge and is slow, so the grid
is walked here: gridBefore shifts a row, gridSpan widens a cell (legacy hMerge too), vMerge
links a continuation to the cell its merge started from. Text is what Word shows: the runs
of a paragraph joined however many runs a word was cut into, tabs and line breaks kept;
bookmarks, field codes, deleted text and text boxes left out. A table nested in a cell
adds its paragraphs to that cell.

Speed matters (an import should cost little more than parsing the XML): each table is
one ``iter`` with a tag filter (the filtering runs in C) and, unless a table is nested in
it, no parent lookups at all: in document order every paragraph belongs to the last cell
seen and every gridSpan/vMerge to the last cell's properties.
"""

from __future__ import annotations

from lxml import etree

from .blocks import Document, Para, Table, resolve_vmerge

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, TBL, TR, TC, R = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("r")
T, TAB, BR, CR, NBH = _w("t"), _w("tab"), _w("br"), _w("cr"), _w("noBreakHyphen")
BODY, TR_PR, SDT, SDT_CONTENT, CUSTOM_XML = _w("body"), _w("trPr"), _w("sdt"), _w("sdtContent"), _w("customXml")
GRID_SPAN, V_MERGE, H_MERGE, GRID_BEFORE = _w("gridSpan"), _w("vMerge"), _w("hMerge"), _w("gridBefore")
DEL, TXBX = _w("del"), _w("txbxContent")
PPR, NUMPR, NUMID, ILVL, PSTYLE = _w("pPr"), _w("numPr"), _w("numId"), _w("ilvl"), _w("pStyle")
VAL, TYPE = _w("val"), _w("type")
_TEXT_TAGS = (T, TAB, BR, CR, NBH)
_TABLE_TAGS = (T, P, TC, TR, TBL, TAB, BR, CR, NBH, GRID_SPAN, V_MERGE, H_MERGE, GRID_BEFORE, DEL)


def _int(el: etree._Element, default: int) -> int:
    try:
        return max(int(el.get(VAL, default)), 0)
    except ValueError:
        return default


def _blocks(container: etree._Element):
    """Paragraphs and tables of the body in order, looking through content controls and custom XML."""
    for child in container:
        tag = child.tag
        if tag == P or tag == TBL:
            yield child
        elif tag == SDT:
            for inner in child:
                if inner.tag == SDT_CONTENT:
                    yield from _blocks(inner)
        elif tag == CUSTOM_XML:
            yield from _blocks(child)


def _text(el: etree._Element, tag: str, para: list[str]) -> None:
    """Add what a tab, break or hyphen element shows to the paragraph being read."""
    if tag == TAB:
        if el.getparent().tag == R:  # not a tab stop defined in pPr/tabs
            para.append("\t")
    elif tag == BR:
        if el.get(TYPE) in (None, "textWrapping"):  # page and column breaks are layout
            para.append("\n")
    elif tag == CR:
        para.append("\n")
    elif tag == NBH:
        para.append("-")


def paragraph_text(p: etree._Element) -> str:
    para: list[str] = []
    for el in p.iter(_TEXT_TAGS):
        tag = el.tag
        if tag == T:
            if el.text:
                para.append(el.text)
        else:
            _text(el, tag, para)
    return "".join(para)


class _Cell:
    __slots__ = ("el", "paras", "span", "vmerge", "hcont", "props")

    def __init__(self, el):
        self.el, self.paras, self.span, self.vmerge, self.hcont = el, [], 1, None, False
        self.props: set[str] = set()  # which properties were set: the first wins (tcPrChange holds old ones)


def _table_rows(tbl: etree._Element) -> tuple[list[list[_Cell]], list[int]]:  # noqa: C901 - one flat loop
    nested = False  # from the first nested table on, rows and cells are checked against their owners
    rows: list[list[_Cell]] = []
    before: list[int] = []
    deleted: set[int] = set()
    cell: _Cell | None = None
    para: list[str] | None = None
    tr = None
    for el in tbl.iter(_TABLE_TAGS):
        tag = el.tag
        if tag == T:
            if para is not None:
                text = el.text
                if text:
                    para.append(text)
        elif tag == P:
            if cell is not None:  # this cell's paragraph, or one of a table nested in it
                para = []
                cell.paras.append(para)
            else:
                para = None
        elif tag == TC:
            if tr is not None and (not nested or _owner(el, TR) is tr):
                cell = _Cell(el)
                rows[-1].append(cell)
        elif tag == TR:
            if not nested or _owner(el, TBL) is tbl:
                tr, cell, para = el, None, None
                rows.append([])
                before.append(-1)
        elif tag == GRID_SPAN or tag == V_MERGE or tag == H_MERGE:
            if cell is not None and tag not in cell.props and (not nested or el.getparent().getparent() is cell.el):
                cell.props.add(tag)
                if tag == GRID_SPAN:
                    cell.span = max(_int(el, 1), 1)
                elif tag == V_MERGE:
                    cell.vmerge = "restart" if el.get(VAL) == "restart" else "continue"
                else:
                    cell.hcont = el.get(VAL) != "restart"
        elif tag == GRID_BEFORE:
            if rows and before[-1] < 0 and (not nested or el.getparent().getparent() is tr):
                before[-1] = _int(el, 0)
        elif tag == DEL:
            parent = el.getparent()
            if tr is not None and parent.tag == TR_PR and parent.getparent() is tr:
                deleted.add(len(rows) - 1)  # a row deleted with track changes on
        elif tag == TBL:
            nested = nested or el is not tbl
        elif para is not None:
            _text(el, tag, para)
    keep = [n for n in range(len(rows)) if n not in deleted]
    return [rows[n] for n in keep], [max(before[n], 0) for n in keep]


def _owner(el: etree._Element, tag: str) -> etree._Element | None:
    parent = el.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _table(tbl: etree._Element, number: int) -> Table:
    rows, before = _table_rows(tbl)
    raw = []
    for cells, col in zip(rows, before, strict=True):
        out: list[tuple[int, int, str, str | None]] = []
        for c in cells:
            paras = c.paras
            text = ("".join(paras[0]) if len(paras) == 1 else "\n".join("".join(p) for p in paras)).strip()
            if c.hcont and out:  # legacy horizontal merge: widen the cell on the left
                c0, s0, t0, v0 = out[-1]
                out[-1] = (c0, s0 + c.span, t0 or text, v0)
            else:
                out.append((col, c.span, text, c.vmerge))
            col += c.span
        raw.append(out)
    where = f"第{number}张表格"
    return Table(resolve_vmerge(raw, where), where)


def _note_numbering(p: etree._Element, index: int, doc: Document) -> None:
    """Remember a paragraph Word numbers automatically (directly or by its style); see numbering.py."""
    ppr = p.find(PPR)
    if ppr is None:
        return
    num, style = ppr.find(NUMPR), ppr.find(PSTYLE)
    if num is None and style is None:
        return
    num_id = level = None
    if num is not None:
        nid, lvl = num.find(NUMID), num.find(ILVL)
        num_id = nid.get(VAL) if nid is not None else None
        level = _int(lvl, 0) if lvl is not None else None
    doc.numbered.append((index, num_id, level, style.get(VAL) if style is not None else None))


def walk(root: etree._Element, source: str = "") -> Document:
    """The body of a parsed document.xml as blocks in reading order."""
    doc = Document(source=source)
    body = root.find(BODY)
    if body is None:
        return doc
    for box in list(body.iter(TXBX)):  # text boxes float outside the flow (and come twice: Choice + Fallback)
        box.getparent().remove(box)
    tables = paras = 0
    for block in _blocks(body):
        if block.tag == P:
            paras += 1
            _note_numbering(block, len(doc.blocks), doc)
            doc.blocks.append(Para(paragraph_text(block).strip(), f"第{paras}段"))
        else:
            tables += 1
            doc.blocks.append(_table(block, tables))
    return doc
