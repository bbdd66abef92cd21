"""Helpers the table parsers share: header rows, key-value cells, trailer lines, issues.

Every cell a parser reads is marked (``Cell.mark``): placed in the package or named in an
import finding. ``account`` then names every non-blank cell of the table that nothing
marked, so no value is ever lost without a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...model.values import fold, is_placeholder
from ..issues import ImportIssue
from .blocks import Cell, Row
from .cells import clean, is_blank_value, is_numberish
from .vocab import Columns, Vocab, norm


@dataclass
class Sink:
    """Collects import findings for one part."""

    part: str
    issues: list[ImportIssue] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.issues.append(ImportIssue(f"{self.part} {where}".strip(), message))

    def unplaced(self, row: Row, hint: str = "") -> None:
        row.mark_all()
        self.add(row.where, f"未能识别的行，内容未导入：“{_short(row.flat())}”{hint}")


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _header_cells(row: Row, columns: Columns) -> dict[str, Cell]:
    found: dict[str, Cell] = {}
    for cell in row.cells:
        if cell.origin is None and cell.text:
            key = columns.match(cell.text)
            if key and key not in found:
                found[key] = cell
    return found


def header(row: Row, columns: Columns, minimum: int) -> dict[str, int] | None:
    """Field -> grid column when at least ``minimum`` cells of the row are this kind of header.

    The matched cells are marked; a header cell that names no known column is left for
    ``account``, and so is every value under it.
    """
    found = _header_cells(row, columns)
    if len(found) < minimum:
        return None
    for cell in found.values():
        cell.mark()
    return {key: cell.col for key, cell in found.items()}


def value_cell(row: Row, col: int, label_end: int) -> str | None:
    """Own text of the cell covering ``col``; None when that cell is the label or a merge continuation."""
    cell = row.at(col)
    if cell is None or cell.origin is not None or cell.col < label_end:
        return None
    cell.mark()
    return cell.text


def label_left_of(row: Row, first_value_col: int, *, mark: bool = True, skip=None) -> tuple[str, int]:
    """Text of the cells left of the first value column (merge continuations skipped), and where it ends.

    ``skip``: a predicate for cells that are not part of the label — a section caption a layout
    writes again on every row ('年度预算申请（万元）' beside '年度资金总额') instead of merging it down."""
    texts, end = [], 0
    for cell in row.cells:
        if cell.col >= first_value_col:
            break
        end = cell.end
        if cell.origin is None and cell.text and skip is not None and skip(cell.text):
            cell.mark()
            continue
        if cell.origin is None and cell.text:
            if mark:
                cell.mark()
            texts.append(cell.text)
    return " ".join(texts), end


# ------------------------------------------------------------------ headers over several rows

_FRAGMENT_MAX = 12  # a header fragment ('年度', '指标值', '2022年') is short


def combine_header_bands(rows: list[Row], groups: list[tuple[Columns, int]], depth: int = 3) -> list[Row]:
    """Rows with each header written over two or more rows joined into one header row.

    '年度 / 指标值', '2022年 / 决算数', '实际 / 完成值': the texts of a band of rows are
    joined column by column (a cell merged down the band counts once, a cell spanning
    several columns heads each of them), and the band replaces its rows when it names more
    columns of one kind of header than its first row does alone. ``groups``: (columns,
    minimum) of each kind of header the table may hold.
    """
    fragments = "|".join(label for columns, _ in groups for label in columns.index)
    out: list[Row] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        band = _band_at(rows, i, groups, fragments, depth) if _is_fragment_row(row, fragments) else None
        if band is None:
            out.append(row)
            i += 1
        else:
            combined, used = band
            out.append(combined)
            i += used
    return out


def _is_fragment_row(row: Row, fragments: str) -> bool:
    own = row.own()
    if not own or not any(len(c.text) <= _FRAGMENT_MAX and (key := norm(c.text)) and key in fragments for c in own):
        return False
    return not any(is_numberish(c.text) for c in own)


def _band_at(rows, i, groups, fragments, depth) -> tuple[Row, int] | None:
    """The best band starting at row i: rows after the first are fragments, never headers themselves."""
    best: tuple[int, Row, int] | None = None
    single = {id(columns): len(_header_cells(rows[i], columns)) for columns, _ in groups}
    for size in range(2, depth + 1):
        if i + size > len(rows):
            break
        last = rows[i + size - 1]
        if not _is_fragment_row(last, fragments) or any(
            len(found := _header_cells(last, columns)) >= minimum
            and not all(_under_caption(rows[i], c) for c in found.values())
            for columns, minimum in groups
        ):
            break
        combined = _combine(rows[i : i + size])
        for columns, minimum in groups:
            hits = len(_header_cells(combined, columns))
            if hits >= minimum and hits > single[id(columns)] and (best is None or hits > best[0]):
                best = (hits, combined, size)
    return (best[1], best[2]) if best else None


def _under_caption(first: Row, cell: Cell) -> bool:
    """Whether ``cell`` sits under a caption of ``first`` that spans several columns ('指标值' over
    '中期 | 年度'): then it is a fragment of that caption, even where its text alone would head
    another kind of column (the funds' '中期 | 年度')."""
    above = first.at(cell.col)
    above = above.origin or above if above is not None else None
    return above is not None and bool(above.text) and above.span > 1


def _combine(band: list[Row]) -> Row:
    starts = sorted({c.col for r in band for c in r.cells} | {c.end for r in band for c in r.cells})
    cells: list[Cell] = []
    for start, end in zip(starts, starts[1:], strict=False):
        parts: list[Cell] = []
        for r in band:
            cell = r.at(start)
            if cell is None:
                continue
            src = cell.origin or cell
            if src.text and all(p is not src for p in parts):
                parts.append(src)
        text = "".join(p.text for p in parts)
        cells.append(Cell(start, end - start, text, sources=tuple(parts)))
    # cells covering the same sources side by side are one cell (a caption spanning columns)
    merged: list[Cell] = []
    for cell in cells:
        prev = merged[-1] if merged else None
        if prev is not None and prev.sources == cell.sources and all(
            r.at(prev.col) is r.at(cell.col) for r in band
        ):
            merged[-1] = Cell(prev.col, cell.end - prev.col, prev.text, sources=prev.sources)
        else:
            merged.append(cell)
    return Row(merged, f"{band[0].where}至{band[-1].where.rsplit('第', 1)[-1]}")


def pairs(row: Row, match) -> list[tuple[str, str | None, int]]:
    """(key, value text, cell index) for 'label | value' pairs in a row; ``match`` maps a label to a key."""
    out = []
    cells = row.cells
    for i, cell in enumerate(cells):
        if cell.origin is not None or not cell.text:
            continue
        key = match(cell.text)
        if key is None:
            continue
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        value = None
        cell.mark()
        if nxt is not None and nxt.origin is None and match(nxt.text) is None:
            value = clean(nxt.text)
            nxt.mark()
        out.append((key, value, i))
    return out


# ------------------------------------------------------------------ lines under a table


def note_text(text: str, v: Vocab) -> str | None:
    """The note's text when ``text`` is a '说明：…' / '备注：…' line, else None."""
    if ":" not in text[:8] and "：" not in text[:8]:
        return None
    m = re.match(r"^\s*([^:：]{1,6})\s*[:：]\s*(.*)$", text, re.S)
    if m and norm(m.group(1)) in v.notes:
        return m.group(2).strip()
    return None


def signature_line(text: str, v: Vocab) -> dict[str, str | None] | None:
    """Fields of a '单位负责人签字：… 填表人：… 联系电话：… 填报日期：…' line, or None."""
    if ":" not in text and "：" not in text:
        return None
    flat = fold(text)
    spots = []
    for fld, patterns in v.signature:
        for pattern in patterns:
            m = pattern.search(flat)
            if m and not any(s <= m.start() < e for _, s, e in spots):
                spots.append((fld, m.start(), m.end()))
                break
    if len(spots) < 2 and not (spots and spots[0][1] == len(flat) - len(flat.lstrip())):
        return None
    spots.sort(key=lambda s: s[1])
    out: dict[str, str | None] = {}
    unread = []
    for i, (fld, _start, end) in enumerate(spots):
        stop = spots[i + 1][1] if i + 1 < len(spots) else len(flat)
        value = _original_slice(text, flat, end, stop)
        # another label the form does not print ('财务负责人：…' after '单位负责人：王建国'): the value
        # ends before it, and the label with its value is left over, for the reader to name
        other = _OTHER_LABEL.search(value)
        if other is not None:
            unread.append(value[other.start():].strip())
            value = value[: other.start()]
        out[fld] = clean(value)
    if unread:
        out[UNREAD] = "；".join(unread)
    return out


UNREAD = "_unread"  # the key of a signature line's text no field of the form takes
# Another label of a signature line, after the value before it and a space: it ends in a word a
# signature line names people, numbers and dates by ('财务负责人：', '手机：', '单位（盖章）：'). A value
# that only looks like 'X：' ('一一：', '见附件：') stays the value.
_OTHER_LABEL = re.compile(
    r"(?<=\S)\s+(?=[\u4e00-\u9fff（）()]{0,8}(?:负责人|联系人|经办人|审核人|制表人|电话|手机|日期|时间"
    r"|签字|签名|盖章|邮箱|传真)[）)]?(?:[（(][^）)]{0,6}[）)])?\s*[:：])")


def _original_slice(text: str, flat: str, start: int, stop: int) -> str:
    # NFKC keeps the length of these lines' characters in practice; fall back to the folded text.
    return text[start:stop] if len(text) == len(flat) else flat[start:stop]


def trailer(text: str, v: Vocab) -> tuple[str, object] | None:
    """('note', text) or ('signature', fields) for a line that belongs under a table."""
    sig = signature_line(text, v)
    if sig is not None:
        return "signature", sig
    note = note_text(text, v)
    if note is not None:
        return "note", note
    return None


def row_trailer(row: Row, v: Vocab) -> tuple[str, object] | None:
    """A note or signature line written inside the table, as its last row(s)."""
    own = row.own()
    if len(own) > 1:  # a signature line cut into cells ('填表人：刘莉 | 联系电话：…'), as spreadsheets hold it
        parts = [signature_line(c.text, v) for c in own] if len(own) <= 8 else [None]
        if all(part is not None for part in parts):
            fields: dict[str, str | None] = {}
            for part in parts:
                fields.update({k: val for k, val in part.items() if val is not None or k not in fields})
            row.mark_all()
            return "signature", fields
        return None
    if not own:
        return None
    line = trailer(own[0].text, v)
    if line is not None:
        own[0].mark()
    return line


def account(rows: list[Row], sink: Sink) -> None:
    """Name every non-blank cell no parser placed or reported: nothing is lost without a word."""
    for row in rows:
        left = [c for c in row.own() if not c.used and not is_blank_value(c.text)]
        if left:
            texts = "”“".join(_short(c.text.replace("\n", " "), 30) for c in left)
            sink.add(row.where, f"以下内容不在可识别的行或列中，未导入：“{texts}”")


def is_blank_label(text: str | None) -> bool:
    return not text or is_placeholder(text)
