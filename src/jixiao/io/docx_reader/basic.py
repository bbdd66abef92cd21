"""基础数据表: rows found by their labels through the form definition, values by header column.

The amount rows follow the form's order. Under an items row ('3、区级专项资金(一个专项一行)')
come any number of named rows: they belong to that list until a known row that comes
later in the form (so an item named like an earlier row, '公务用车运行维护费', stays an item).
"""

from __future__ import annotations

from decimal import Decimal

from ...model import AmountRow, BasicDataTable, BuildingProject, NamedAmountRow, Staffing
from .blocks import Row
from .cells import clean, count, number
from .common import Sink, header, is_blank_label, label_left_of, pairs, row_trailer, value_cell
from .vocab import Vocab, norm

PART = "基础数据表"
AMOUNT_FIELDS = ("prev_final", "budget", "final")


def _amounts(row: Row, cols: dict[str, int], label_end: int, sink: Sink, label: str) -> dict:
    out = {}
    for fld in AMOUNT_FIELDS:
        if fld not in cols:
            continue
        value, problem = number(value_cell(row, cols[fld], label_end))
        if problem:
            sink.add(row.where, f"“{label}”行：{problem}")
        out[fld] = value
    return out


class _Amounts:
    """The 经费控制情况 rows, in form order, with the open lists."""

    def __init__(self, v: Vocab, sink: Sink):
        self.v, self.sink = v, sink
        self.rows: dict[str, AmountRow] = {}
        self.items: dict[str, list[NamedAmountRow]] = {f: [] for f in v.basic_items.values()}
        self.pos = -1
        self.open_list: str | None = None

    def add(self, row: Row, cols: dict[str, int]) -> None:
        first = min(cols.values())
        label, end = label_left_of(row, first)
        values = _amounts(row, cols, end, self.sink, label or "（无名称）")
        filled = any(v is not None for v in values.values())
        if is_blank_label(label):
            if filled:
                self.sink.add(row.where, "有金额但没有行名称，未导入")
            return
        fld = self.v.basic_rows.get(norm(label))
        later = fld is not None and self.v.basic_order[fld] > self.pos
        if self.open_list and not later:
            self.items[self.open_list].append(NamedAmountRow(name=clean(label), **values))
            return
        if fld is None:
            self.sink.add(row.where, f"未能识别的行“{label}”，未导入")
            return
        if fld in self.rows:
            self.sink.add(row.where, f"“{label}”行重复出现，以第一次为准")
            return
        self.rows[fld] = AmountRow(**values)
        self.pos = max(self.pos, self.v.basic_order[fld])
        self.open_list = self.v.basic_items.get(fld)


def read_basic(rows: list[Row], v: Vocab, sink: Sink) -> tuple[BasicDataTable, list[tuple[str, object]]]:
    """The table, and the note/signature lines found inside it (applied by the caller)."""
    data: dict = {}
    trailers: list[tuple[str, object]] = []
    amounts = _Amounts(v, sink)
    buildings: list[BuildingProject] = []
    mode, cols, staffing = None, {}, None
    cap = v.caption
    for row in rows:
        if row.is_blank():
            continue
        own = row.own()
        first = own[0].text
        if cap("basic", "unit_name", first):
            data["unit_name"] = clean(own[1].text) if len(own) > 1 else None
            continue
        if cap("basic", "frugality", first, prefix=True):
            rest = [c.text for c in own[1:]]
            data["frugality_measures"] = clean("\n".join(rest))
            mode = None
            continue
        found = header(row, v.amounts, 2)
        if found:
            mode, cols = "amounts", found
            continue
        found = header(row, v.buildings, 2)
        if found:
            mode, cols = "buildings", found
            continue
        found = header(row, v.staffing, 2)
        if found:
            kv = pairs(row, v.staffing.match)
            if kv and all(val is not None for _, val, _ in kv):  # '编制数 | 30 | 在职人数 | 28 …' in one row
                staffing = _staffing({k: val for k, val, _ in kv}, row, sink)
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
            staffing = _staffing(texts, row, sink)
            mode = None
        elif mode == "buildings":
            building = _building(row, cols, sink, v)
            if building is not None:
                buildings.append(building)
        elif not (len(own) == 1 and _is_section(first, v)):
            sink.unplaced(row)
    table = BasicDataTable(
        unit_name=data.get("unit_name"),
        staffing=staffing or Staffing(),
        buildings=buildings,
        frugality_measures=data.get("frugality_measures"),
        **amounts.rows,
        **amounts.items,
    )
    return table, trailers


def _is_section(text: str, v: Vocab) -> bool:
    return any(v.caption("basic", k, text, prefix=True) for k in ("staffing", "amounts", "buildings"))


def _staffing(texts: dict[str, str | None], row: Row, sink: Sink) -> Staffing:
    est, p1 = count(texts.get("establishment"))
    act, p2 = count(texts.get("actual"))
    rate, p3 = number(texts.get("control_rate"), unit="", percent=True)
    for p in (p1, p2, p3):
        if p:
            sink.add(row.where, f"财政供养人员情况：{p}")
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
            sink.add(row.where, f"楼堂馆所控制情况：{problem}")
        values[fld] = value
    if is_blank_label(label) and all(x is None for x in values.values()):
        return None
    return BuildingProject(name=clean(label) if not is_blank_label(label) else None, **values)
