"""Helpers the table parsers share: header rows, key-value cells, trailer lines, issues."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...model import Signature
from ...model.values import fold, is_placeholder
from ..issues import ImportIssue
from .blocks import Row
from .cells import clean
from .vocab import Columns, Vocab, norm


@dataclass
class Sink:
    """Collects import findings for one part."""

    part: str
    issues: list[ImportIssue] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.issues.append(ImportIssue(f"{self.part} {where}".strip(), message))

    def unplaced(self, row: Row) -> None:
        self.add(row.where, f"未能识别的行，内容未导入：“{_short(row.flat())}”")


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n] + "…"


def header(row: Row, columns: Columns, minimum: int) -> dict[str, int] | None:
    """Field -> grid column when at least ``minimum`` cells of the row are this kind of header."""
    found: dict[str, int] = {}
    for cell in row.cells:
        if cell.origin is None and cell.text:
            key = columns.match(cell.text)
            if key and key not in found:
                found[key] = cell.col
    return found if len(found) >= minimum else None


def value_cell(row: Row, col: int, label_end: int) -> str | None:
    """Own text of the cell covering ``col``; None when that cell is the label or a merge continuation."""
    cell = row.at(col)
    if cell is None or cell.origin is not None or cell.col < label_end:
        return None
    return cell.text


def label_left_of(row: Row, first_value_col: int) -> tuple[str, int]:
    """Text of the cells left of the first value column (merge continuations skipped), and where it ends."""
    texts, end = [], 0
    for cell in row.cells:
        if cell.col >= first_value_col:
            break
        end = cell.end
        if cell.origin is None and cell.text:
            texts.append(cell.text)
    return " ".join(texts), end


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
        if nxt is not None and nxt.origin is None and match(nxt.text) is None:
            value = clean(nxt.text)
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
    for i, (fld, _start, end) in enumerate(spots):
        stop = spots[i + 1][1] if i + 1 < len(spots) else len(flat)
        out[fld] = clean(_original_slice(text, flat, end, stop))
    return out


def _original_slice(text: str, flat: str, start: int, stop: int) -> str:
    # NFKC keeps the length of these lines' characters in practice; fall back to the folded text.
    return text[start:stop] if len(text) == len(flat) else flat[start:stop]


def merge_signature(current: Signature, fields: dict[str, str | None]) -> Signature:
    data = current.model_dump()
    for key, value in fields.items():
        if value is not None or data.get(key) is None:
            data[key] = value if value is not None else data.get(key)
    return Signature(**data)


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
    if len(own) != 1:
        return None
    return trailer(own[0].text, v)


def is_blank_label(text: str | None) -> bool:
    return not text or is_placeholder(text)
