"""基础数据表: rows found by their labels through the form definition, values by header column.

The amount rows follow the form's order. Under an items row ('3、区级专项资金(一个专项一行)')
come any number of named rows: they belong to that list until a known row that comes
later in the form (so an item named like an earlier row, '公务用车运行维护费', stays an item).
"""

from __future__ import annotations

from decimal import Decimal

from ...forms import caption_name
from ...model import AmountRow, BasicDataTable, BuildingProject, NamedAmountRow, Staffing
from .blocks import Row
from .cells import clean, count, number
from .common import (
    Sink,
    account,
    combine_header_bands,
    header,
    is_blank_label,
    label_left_of,
    pairs,
    row_trailer,
    value_cell,
)
from .vocab import Vocab, norm

AMOUNT_FIELDS = ("prev_final", "budget", "final")


def _amounts(row: Row, cols: dict[str, int], label_end: int, sink: Sink, label: str, v: Vocab) -> dict:
    out = {}
    for fld in AMOUNT_FIELDS:
        if fld not in cols:
            continue
        value, problem = number(value_cell(row, cols[fld], label_end))
        if problem:
            sink.add(row.where, f"“{label}”行“{v.column_label(('basic', 'amount_columns'), fld)}”列：{problem}")
        out[fld] = value
    return out


class _Amounts:
    """The 经费控制情况 rows, in form order, with the open lists.

    Rows whose label the form names (or an alias) are placed as they come. A row with any
    other label waits for ``finish``: there, a similarity guess places it when confident and
    when no other row of the table holds that target; otherwise a finding names the guess.
    """

    def __init__(self, v: Vocab, sink: Sink):
        self.v, self.sink = v, sink
        self.rows: dict[str, AmountRow] = {}
        self.items: dict[str, list[NamedAmountRow]] = {f: [] for f in v.basic_items.values()}
        self.pos = -1
        self.open_list: str | None = None
        self.unknown: list[tuple[Row, str, dict]] = []  # (row, label, values) for finish()

    def add(self, row: Row, cols: dict[str, int]) -> None:
        first = min(cols.values())
        label, end = label_left_of(row, first)
        values = _amounts(row, cols, end, self.sink, label or "（无名称）", self.v)
        filled = any(v is not None for v in values.values())
        if is_blank_label(label):
            if filled:
                self.sink.add(row.where, f"有金额但没有行名称，未导入：“{row.flat()}”")
            return
        match = self.v.basic_match
        fld = match.exact(label)
        later = fld is not None and self.v.basic_order[fld] > self.pos
        if self.open_list and fld is None and (guess := self._next_row_guess(label)) is not None:
            fld, later = guess, True  # '日常公用经费支出' after the last 专项 ends the list
            self.sink.add(row.where, f"行名称“{label}”按“{match.names[fld]}”行读入")
        if self.open_list and not later:
            self.items[self.open_list].append(NamedAmountRow(name=clean(label), **values))
            return
        if fld is None:
            self.unknown.append((row, label, values))
            return
        self._place(row, label, fld, values)

    def _place(self, row: Row, label: str, fld: str, values: dict) -> None:
        if fld in self.rows:
            self.sink.add(row.where, f"“{label}”行重复出现，以第一次为准，本行未导入：“{row.flat()}”")
            return
        self.rows[fld] = AmountRow(**values)
        self.pos = max(self.pos, self.v.basic_order[fld])
        self.open_list = self.v.basic_items.get(fld)

    def _next_row_guess(self, label: str) -> str | None:
        """The first row after the open list, when the label confidently resembles it."""
        order = self.v.basic_order
        following = sorted((f for f in order if order[f] > self.pos and f not in self.rows), key=order.get)
        if not following:
            return None
        guess = self.v.basic_match.guess(label, {following[0]})
        return guess.field if guess is not None and guess.confident else None

    def finish(self) -> None:
        match = self.v.basic_match
        wanted: dict[str, list[tuple[Row, str, dict, object]]] = {}
        for row, label, values in self.unknown:
            free = {f for f in self.v.basic_order if f not in self.rows}
            guess = match.guess(label, free)
            if guess is not None and guess.confident:
                wanted.setdefault(guess.field, []).append((row, label, values, guess))
            elif guess is not None:
                self.sink.add(
                    row.where,
                    f"未能识别的行“{label}”，未导入（最接近“{guess.label}”，相似度{guess.score:.2f}，"
                    f"不足以确定；如是该行，请改用表中的行名称）：“{row.flat()}”",
                )
            else:
                self.sink.add(row.where, f"未能识别的行“{label}”，未导入：“{row.flat()}”")
        for fld, claims in wanted.items():
            if len(claims) > 1:  # two source rows never land on one target
                names = "”“".join(label for _, label, _, _ in claims)
                for row, label, _values, _ in claims:
                    self.sink.add(
                        row.where, f"“{names}”都像“{match.names[fld]}”行，无法确定哪一行是，“{label}”行未导入：“{row.flat()}”"
                    )
                continue
            row, label, values, guess = claims[0]
            self.rows[fld] = AmountRow(**values)
            self.sink.add(row.where, f"行名称“{label}”按“{guess.label}”行读入（相似度{guess.score:.2f}）")


def read_basic(rows: list[Row], v: Vocab, sink: Sink) -> tuple[BasicDataTable, list[tuple[str, object]]]:
    """The table, and the note/signature lines found inside it (applied by the caller)."""
    data: dict = {}
    trailers: list[tuple[str, object]] = []
    amounts = _Amounts(v, sink)
    buildings: list[BuildingProject] = []
    mode, cols, staffing = None, {}, None
    cap = v.caption
    table_rows = rows
    rows = combine_header_bands(rows, [(v.amounts, 2), (v.buildings, 2), (v.staffing, 2)])
    for row in rows:
        if row.is_blank():
            continue
        own = row.own()
        first = own[0].text
        if cap("basic", "unit_name", first):
            own[0].mark()
            data["unit_name"] = clean(own[1].text) if len(own) > 1 else None
            if len(own) > 1:
                own[1].mark()
            continue
        if cap("basic", "frugality", first, prefix=True):
            rest = [c.text for c in own[1:]]
            row.mark_all()
            data["frugality_measures"] = clean("\n".join(rest))
            mode = None
            continue
        found = header(row, v.amounts, 2)
        if found:
            mode, cols = "amounts", found
            _mark_sections(row, v, header=True)
            continue
        found = header(row, v.buildings, 2)
        if found:
            mode, cols = "buildings", found
            _mark_sections(row, v, header=True)
            continue
        found = header(row, v.staffing, 2)
        if found:
            _mark_sections(row, v, header=True)
            kv = pairs(row, v.staffing.match)
            if kv and all(val is not None for _, val, _ in kv):  # '编制数 | 30 | 在职人数 | 28 …' in one row
                staffing = _staffing({k: val for k, val, _ in kv}, row, sink, v)
                mode = None
            else:
                mode, cols = "staffing", found
            continue
        line = row_trailer(row, v)
        if line:
            trailers.append(line)
            continue
        if mode == "amounts":
            amounts.add(row, cols)
        elif mode == "staffing":
            texts = {f: value_cell(row, c, 0) for f, c in cols.items()}
            staffing = _staffing(texts, row, sink, v)
            _mark_sections(row, v)
            mode = None
        elif mode == "buildings":
            building = _building(row, cols, sink, v)
            if building is not None:
                buildings.append(building)
        elif len(own) == 1 and _is_section(first, v):
            own[0].mark()
        else:
            sink.unplaced(row)
    amounts.finish()
    account(table_rows, sink)
    table = BasicDataTable(
        unit_name=data.get("unit_name"),
        staffing=staffing or Staffing(),
        buildings=buildings,
        frugality_measures=data.get("frugality_measures"),
        **amounts.rows,
        **amounts.items,
    )
    return table, trailers


def _mark_sections(row: Row, v: Vocab, *, header: bool = False) -> None:
    """Section captions in a header or value row ('经费控制情况（万元）' left of the columns)."""
    for cell in row.own():
        if not cell.used and (_is_section(cell.text, v) or (header and norm(cell.text) in v.generic_headers)):
            cell.mark()


def _is_section(text: str, v: Vocab) -> bool:
    return any(v.caption("basic", k, text, prefix=True) for k in ("staffing", "amounts", "buildings"))


def _staffing(texts: dict[str, str | None], row: Row, sink: Sink, v: Vocab) -> Staffing:
    est, p1 = count(texts.get("establishment"))
    act, p2 = count(texts.get("actual"))
    rate, p3 = number(texts.get("control_rate"), unit="", percent=True)
    for fld, p in (("establishment", p1), ("actual", p2), ("control_rate", p3)):
        if p:
            sink.add(row.where, f"{caption_name('basic', 'staffing', v.form)}“{v.column_label(('basic', 'staffing_columns'), fld)}”：{p}")
    return Staffing(establishment=est, actual=act, control_rate=rate)


def _building(row: Row, cols: dict[str, int], sink: Sink, v: Vocab) -> BuildingProject | None:
    first = min(cols.values())
    label, end = label_left_of(row, first)
    if _is_section(label, v):
        label = ""
    values: dict[str, Decimal | str | None] = {}
    for fld, col in cols.items():
        percent = fld.endswith("control_rate")
        value, problem = number(value_cell(row, col, end), unit="" if percent else "万元", percent=percent)
        if problem:
            sink.add(row.where, f"{caption_name('basic', 'buildings', v.form)}“{v.column_label(('basic', 'building_columns'), fld)}”：{problem}")
        values[fld] = value
    if is_blank_label(label) and all(x is None for x in values.values()):
        return None
    return BuildingProject(name=clean(label) if not is_blank_label(label) else None, **values)
