"""整体支出 / 项目支出绩效自评表: funds, income and spending splits, goals, indicator tree, totals.

Sections are recognised by their header rows (年初预算数 …, 预期目标/实际完成情况, 一级指标 …),
values are read at the header's grid columns, so merges arranged differently do not matter.
一级/二级 labels are usually merged down their group; a layout that repeats them on every
row, or leaves them blank below the first, reads the same.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ...forms import caption_name, column_labels, reader_settings
from ...model import (
    FundsRow,
    Goals,
    IncomeSplit,
    Indicator,
    Level1,
    Level2,
    OverallTable,
    ProjectTable,
    SpendingSplit,
    Task,
)
from ...model.package import clean_label
from ...model.values import fold
from .blocks import Row
from .cells import clean, is_numberish, label_value, number, tick
from .common import (
    Sink,
    account,
    combine_header_bands,
    header,
    is_blank_label,
    label_left_of,
    pairs,
    row_trailer,
    signature_line,
    value_cell,
)
from .vocab import Vocab, months_in, norm, tick_option, without_form_text

FUNDS_FIELDS = ("initial_budget", "full_year_budget", "executed", "weight", "execution_rate", "self_score", "reason",
                "mid_term_budget", "forecast")
IND_VALUE_FIELDS = ("name", "nature", "target", "unit", "actual", "weight", "self_score", "deviation_reason",
                    "mid_term_target", "forecast", "likelihood", "remark")
IND_TEXT_FIELDS = ("deviation_reason", "nature", "unit", "target", "actual", "mid_term_target", "forecast", "likelihood",
                   "remark")
# The 其中 rows of a funds block, whichever a form prints (FundsRow fields of the evaluation tables).
FUND_ROW_FIELDS = ("current_appropriation", "carryover", "other_funds", "fiscal_funds", "special_account_funds",
                   "unit_funds")


def _funds_row(row: Row, cols: dict[str, int], end: int, sink: Sink, label: str, v: Vocab) -> FundsRow:
    values = {}
    for fld in FUNDS_FIELDS:
        if fld not in cols:
            continue
        text = value_cell(row, cols[fld], end)
        if fld == "reason":  # the form's printed notes in this cell are not the unit's reason
            values[fld] = clean(without_form_text(text, v))
            continue
        if fld == "execution_rate":
            value, problem = number(text, unit="", percent=True)
        elif fld in ("weight", "self_score"):
            value, problem = number(text, unit="分")
        else:
            value, problem = number(text)
        if problem:
            sink.add(row.where, f"“{label}”行“{v.column_label(('evaluation', 'funds_columns'), fld)}”列：{problem}")
        values[fld] = value
    return FundsRow(**values)


class _Tree:
    """Builds 一级 → 二级 → 三级 from indicator rows."""

    def __init__(self, cols: dict[str, int], sink: Sink, form: dict, block: str | None = None):
        self.cols, self.sink = cols, sink
        # a table printing its indicators twice ('中期绩效指标' then '年度绩效指标'): the 中期 block's
        # 指标值 is the indicators' 中期指标值 (``merge_mid_term`` puts it beside the year's)
        self.block = block
        self.left: _Tree | None = None  # on the right half of a table printing 中期 and 年度 side by side
        self.form = form
        self.names = column_labels("indicator", form)  # what messages call the columns
        self.levels: list[Level1] = []
        self.l1: Level1 | None = None
        self.l2: Level2 | None = None

    def _label(self, row: Row, fld: str) -> tuple[str | None, bool]:
        """(label text, whether this row starts it) for the 一级/二级 column."""
        if fld not in self.cols:
            return None, False
        cell = row.at(self.cols[fld])
        if cell is None:
            return None, False
        cell.mark()
        if cell.origin is not None:
            return cell.origin.text or None, False
        return cell.text or None, bool(cell.text)

    def add(self, row: Row) -> None:
        l1_text, l1_new = self._label(row, "level1")
        l2_text, l2_new = self._label(row, "level2")
        if l1_text and (self.l1 is None or (l1_new and clean_label(l1_text) != clean_label(self.l1.label))):
            self.l1 = Level1(label=l1_text)
            self.levels.append(self.l1)
            self.l2 = None
        if l2_text and (self.l2 is None or (l2_new and clean_label(l2_text) != clean_label(self.l2.label))):
            if self.l1 is None:
                self.sink.add(row.where, f"{self.names['level2']}前没有{self.names['level1']}")
                self.l1 = Level1(label="")
                self.levels.append(self.l1)
            self.l2 = Level2(label=l2_text)
            self.l1.children.append(self.l2)
        keys = [k for k in self.cols if tick_option(k)[0] in IND_VALUE_FIELDS or tick_option(k)[1]]
        first = min(self.cols[k] for k in keys)
        texts = {}
        for fld in keys:
            if fld in self.cols:
                cell = row.at(self.cols[fld])
                ok = cell is not None and cell.origin is None and cell.col >= first
                texts[fld] = cell.text if ok else ""
                if ok:
                    cell.mark()
        if all(is_blank_label(t) for t in texts.values()):
            return  # a blank or '……' template row
        values: dict = {"name": clean(texts.get("name"))}
        for fld in IND_TEXT_FIELDS:
            if fld in texts:
                values[fld] = clean(texts[fld])
        if self.block == "mid_term" and "target" in values:
            values["mid_term_target"] = values.pop("target")
        _fraction_beside_percent(values, self.sink, row, self.form)
        causes = self._ticks(row, texts, values)
        if causes:
            values["causes"] = causes
        for fld in ("weight", "self_score"):
            value, problem = number(texts.get(fld), unit="分")
            if problem:
                self.sink.add(row.where, f"指标“{values['name'] or ''}”的{self.names[fld]}：{problem}")
            values[fld] = value
        if self.l2 is None:
            if self.l1 is None:
                self.sink.add(row.where, f"指标“{values['name'] or ''}”没有一级、{self.names['level2']}，已归入空白分组")
                self.l1 = Level1(label="")
                self.levels.append(self.l1)
            self.l2 = Level2(label="")
            self.l1.children.append(self.l2)
        self.l2.indicators.append(Indicator(**values))

    def _ticks(self, row: Row, texts: dict[str, str], values: dict) -> list[str]:
        """The options ticked in the row's tick columns, in the form's order; a mark that is no tick
        is named (table, row and column) and not read."""
        ticked = []
        for key, text in texts.items():
            fld, option = tick_option(key)
            if option is None:
                continue
            on, problem = tick(text)
            if problem:
                self.sink.add(row.where, f"指标“{values.get('name') or ''}”的“{option}”栏：{problem}")
            if on:
                ticked.append(option)
        return ticked


_BARE_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
def _fraction_beside_percent(values: dict, sink: Sink, row: Row, form: dict) -> None:
    """'95%' as the target and 0.95 as the result (a spreadsheet cell left in General format): the
    bare number is the fraction of a percent, read as 95% with a finding that says so."""
    target, actual = values.get("target"), values.get("actual")
    if not target or not actual:
        return
    for bare, other in (("actual", target), ("target", actual)):
        text = fold(values[bare]).strip()
        if _BARE_NUMBER.match(text) and fold(other).strip().endswith("%"):
            value = Decimal(text)
            if 0 < value <= Decimal(reader_settings()["rate_fraction_max"]):
                shown = f"{(value * 100).normalize():f}%"
                column = column_labels("indicator", form)[bare]
                sink.add(row.where, f"指标“{values.get('name') or ''}”的{column}“{values[bare]}”是小数比例"
                                    f"（另一列写的是百分数），已读作{shown}")
                values[bare] = shown
            return


def read_evaluation(rows: list[Row], v: Vocab, sink: Sink, project: bool):
    """An OverallTable or ProjectTable, and the note/signature lines found inside it."""
    data: dict = {}
    funds: dict[str, FundsRow] = {}
    income: dict = {}
    spending: dict = {}
    goals: dict[str, list[str]] = {"expected": [], "actual": [], "mid_term": []}
    tasks: list[Task] = []
    tasks_total: list[Task] = []
    trees: list[_Tree] = []  # one indicator block, or a 中期 and a 年度 block
    block: str | None = None  # the indicator block a caption row announced ('中期绩效指标')
    months: dict[int, str] = {}  # a monitoring table's months ('1-6月') -> the header cell that says so
    funds_pairs: dict[str, dict] = {}  # row field -> column field -> value (the paired funds layout)
    trailers: list[tuple[str, object]] = []
    texts: dict[str, list[str]] = {}  # free-text rows (项目实施内容及过程概述, 评价结论 …)
    waiting: list[str | None] = [None]  # a text row whose text stands in the row below its label
    tree: _Tree | None = None
    mode, cols = None, {}
    cap = v.caption
    table_rows = rows
    rows = combine_header_bands(rows, [(v.indicators, 4), (v.funds, v.funds_minimum), (v.goals, 2), (v.tasks, 2)])
    previous: Row | None = None
    for row in rows:
        after_header, previous = previous, None
        own = row.own()
        if not own:
            continue
        first = own[0].text
        if v.text_rows.index and _text_row(row, v, texts, waiting):
            if mode == "goals":
                mode = None  # a text row closes the goals block above it
            continue
        if mode == "indicators" and tree is not None:  # the bulk of the rows: check only what can end them
            kind = _block_caption_row(row, v)
            if kind is not None:  # '年度绩效指标' on a row of its own: the next header starts that block
                block = kind
                continue
            if cap("evaluation", "total", first):
                _totals(row, cols, data, sink, v.form)
                mode = None
            elif found := _header_again(row, v.indicators, v, after_header is not None, 4):
                kind = _block_of(row, v) or block
                if kind is not None and kind != tree.block and not (after_header and len(found) < 4):
                    tree = _Tree(dict(found), sink, v.form, kind)  # the other block begins
                    cols = tree.cols
                    trees.append(tree)
                else:
                    for key, col in found.items():  # a second header row (the ticks under 偏差原因分析)
                        tree.cols.setdefault(key, col)
                block = None
                _note_months(row, months)
                _mark_sections(row, v, header=True)  # the header repeated where the table continues
                previous = row
            elif (line := row_trailer(row, v)) is not None:
                trailers.append(line)
            else:
                if tree.left is not None:
                    tree.left.add(row)  # the left half of a side-by-side table
                tree.add(row)
                _mark_sections(row, v)  # '绩效指标' written again on every row instead of merged down
            continue
        if mode == "tasks":
            if found := _header_again(row, v.tasks, v, after_header is not None, 2):
                for key, col in found.items():  # 总额 | 财政拨款 | 其他资金 under 预算金额（万元）
                    cols.setdefault(key, col)
                _mark_sections(row, v, header=True)
                previous = row
                continue
            if _task_row(row, cols, v, sink, tasks, tasks_total):
                continue
            mode = None
        kv = pairs(row, lambda t: _head_field(t, v, project))
        if kv:
            for key, value, _ in kv:
                data[key] = value
            continue
        kind = _block_caption_row(row, v)
        if kind is not None:
            block = kind
            continue
        found = header(row, v.indicators, 4)
        if found:
            kind = _block_of(row, v) or block
            block = None
            right = _right_half(row, found, v)
            left = None
            if right is not None:  # 88号: 中期 二级 | 三级 | 指标值 on the left, 年度 on the right
                left = _Tree(found, sink, v.form, "mid_term")
                trees.append(left)
                found, kind = right, "year"
            mode, cols, tree = "indicators", found, _Tree(found, sink, v.form, kind)
            tree.left = left
            trees.append(tree)
            _note_months(row, months)
            _mark_sections(row, v, header=True)
            previous = row
            continue
        found = header(row, v.funds, v.funds_minimum)
        if found and (paired := _paired_columns(row, found, v)) is not None:
            mode, cols = "paired", paired  # '中期资金总额： | 100 | 年度资金总额： | 50', 其中 rows alike
            _mark_sections(row, v, header=True)
            _paired_row(row, cols, v, sink, funds_pairs, first=True)
            continue
        if found:
            mode, cols = "funds", found
            _note_months(row, months)
            _mark_sections(row, v, header=True)
            continue
        found = header(row, v.goals, 2)
        if found:
            mode, cols = "goals", found
            _note_months(row, months)
            _mark_sections(row, v, header=True)
            continue
        found = header(row, v.tasks, 2)
        if found:
            mode, cols = "tasks", found
            _mark_sections(row, v, header=True)
            previous = row
            continue
        if v.form["evaluation"].get("goals_columns") and (pair := _goals_pair(row, v, goals)):
            mode, cols = ("goals", pair) if isinstance(pair, dict) else (None, cols)
            continue
        split_caps = [c for c in own[:3] if len(c.text) < 20 and _is_split_caption(c.text, v)]
        if split_caps:
            mode = "split"
            for c in split_caps:
                c.mark()
            _mark_sections(row, v)
            continue
        if cap("evaluation", "total", _row_label(row)):
            _totals(row, cols if mode == "indicators" else {}, data, sink, v.form)
            mode = None
            continue
        line = row_trailer(row, v)
        if line:
            trailers.append(line)
            continue
        if mode == "paired":
            if _paired_row(row, cols, v, sink, funds_pairs):
                continue
            mode = None
        if mode == "goals":
            _mark_sections(row, v)
            for fld, col in cols.items():
                text = value_cell(row, col, 0)
                if text:
                    goals[fld].append(text)
        elif mode in ("funds", "split"):
            _mark_sections(row, v)
            if not _funds_or_split(row, cols, project, funds, income, spending, v, sink):
                sink.unplaced(row)
        elif all(len(c.text) <= 40 and _is_section(c.text, v) for c in own):
            for c in own:  # captions only ('项目基本情况 | 1.项目年度目标完成情况')
                c.mark()
        else:
            sink.unplaced(row)
    for fld, values in funds_pairs.items():
        funds.setdefault(fld, FundsRow(**values))
    account(table_rows, sink)
    period_months = _months_finding(months, v, sink)
    common = dict(
        period_months=period_months,
        funds=funds.get("funds", FundsRow()),
        goals=Goals(expected=_text(goals["expected"], v), actual=_text(goals["actual"], v),
                    mid_term=_text(goals["mid_term"], v)),
        indicators=merge_mid_term(trees, sink, v),
        total_weight=data.get("total_weight"),
        total_self_score=data.get("total_self_score"),
        **{fld: funds[fld] for fld in FUND_ROW_FIELDS if fld in funds},
        **{fld: _text(lines, v) for fld, lines in texts.items()},
    )
    if project:
        table = ProjectTable(
            project_name=data.get("project_name"),
            department=data.get("department"),
            implementing_unit=data.get("implementing_unit"),
            project_type=data.get("project_type"),
            project_period=data.get("project_period"),
            **common,
        )
    else:
        table = OverallTable(
            unit_name=data.get("unit_name"), income=IncomeSplit(**income), spending=SpendingSplit(**spending),
            tasks=tasks, tasks_total=tasks_total[0] if tasks_total else Task(), **common
        )
    return table, trailers


def _text(lines: list[str], v: Vocab) -> str | None:
    """Text cells joined, without the hints the form prints in them."""
    return clean(without_form_text("\n".join(lines), v))


def _text_row(row: Row, v: Vocab, texts: dict[str, list[str]], waiting: list[str | None]) -> bool:
    """A free-text row ('评价结论 | …'), or the text under a text row's label; True when placed."""
    own = [c for c in row.own() if not (_is_section(c.text, v) and len(c.text) <= 40)]
    label_at = next((i for i, c in enumerate(own) if v.text_rows.match(c.text)), None)
    if label_at is None:
        if waiting[0] is None or not own or any(
            v.funds.match(c.text) or v.goals.match(c.text) or v.indicators.match(c.text) or signature_line(c.text, v)
            for c in own
        ):
            waiting[0] = None
            return False
        fld, waiting[0] = waiting[0], None  # the label's text stands in the row below it
        _mark_sections(row, v)
        for c in own:
            c.mark()
        texts.setdefault(fld, []).extend(c.text for c in own if c.text)
        return True
    fld = v.text_rows.match(own[label_at].text)
    _mark_sections(row, v)
    own[label_at].mark()
    values = [c for c in own[label_at + 1 :] if c.text]
    for c in values:
        c.mark()
    texts.setdefault(fld, []).extend(c.text for c in values)
    waiting[0] = None if values else fld
    for c in own[:label_at]:  # cells left of the label other than captions: not the text row's
        if c.text and not c.used:
            return False
    return True


def _head_field(text: str, v: Vocab, project: bool) -> str | None:
    if project:
        return v.project_fields.match(text)
    return "unit_name" if v.caption("evaluation", "unit_name", text) else None


def _is_split_caption(text: str, v: Vocab) -> bool:
    label = norm(text)
    return any(v.is_caption("evaluation", k, label) for k in ("income", "spending"))


def _mark_sections(row: Row, v: Vocab, *, header: bool = False) -> None:
    """Section captions beside a header or value row ('绩效指标', '年度预算申请（万元）')."""
    for cell in row.own():
        if cell.used or len(cell.text) > 40:
            continue
        if _is_section(cell.text, v) or (header and (norm(cell.text) in v.generic_headers or norm(cell.text) in v.groups)):
            cell.mark()


def _is_section(text: str, v: Vocab) -> bool:
    cap = v.caption
    return any(
        cap("evaluation", k, text, prefix=True)
        for k in ("overall_funds", "project_funds", "goals", "indicators", "basic_info", "funds_unit", "tasks",
                  "tasks_budget")
    )


def _row_label(row: Row) -> str:
    own = row.own()
    return own[0].text if own else ""


def _totals(row: Row, cols: dict[str, int], data: dict, sink: Sink, form: dict) -> None:
    label = row.own()[0]
    label.mark()
    texts: list[str | None] = []
    if "weight" in cols and "self_score" in cols:
        texts = [value_cell(row, cols["weight"], label.end), value_cell(row, cols["self_score"], label.end)]
    if not any(texts):  # columns do not line up with the header: take the numbers after the label in order
        after = [c for c in row.cells if c.col >= label.end and c.origin is None and c.text][:2]
        for c in after:
            c.mark()
        texts = [c.text for c in after]
    for fld, text in zip(("total_weight", "total_self_score"), texts, strict=False):
        value, problem = number(text, unit="分")
        if problem:
            sink.add(row.where, f"{caption_name('evaluation', 'total', form)}行：{problem}")
        data[fld] = value


def _funds_or_split(row, cols, project, funds, income, spending, v: Vocab, sink: Sink) -> bool:
    """A funds row (年度资金总额, 其中：当年财政拨款 …) or cells of the income/spending split."""
    if cols:
        def caption(text: str) -> bool:  # '年度资金（万元）' beside the row, not '年度资金总额' itself
            return _is_section(text, v) and v.fund_match.exact(text) is None and (
                v.overall_fund_match is None or v.overall_fund_match.exact(text) is None)

        label, end = label_left_of(row, min(cols.values()), mark=False, skip=caption)
        fld = _fund_field(label, v, project, funds, row, sink) if label else None
        if fld:
            label_left_of(row, min(cols.values()), skip=caption)
            if fld in funds:
                row.mark_all()
                sink.add(row.where, f"“{label}”行重复出现，以第一次为准，本行未导入：“{row.flat()}”")
            else:
                funds[fld] = _funds_row(row, cols, end, sink, label, v)
            return True
    if project:
        return False
    placed = False
    cells = [c for c in row.cells if c.origin is None and c.text]
    skip = set()
    for i, cell in enumerate(cells):
        if i in skip:
            continue
        lv = label_value(cell.text)
        label, text = lv if lv else (cell.text, None)
        key = _split_field(label, v, row, sink)
        if key is None:
            if _is_section(cell.text, v):
                cell.mark()
                placed = True
            continue
        group, fld = key.split(".")
        target = income if group == "income" else spending
        cell.mark()
        if text is None and i + 1 < len(cells) and is_numberish(cells[i + 1].text):
            text = cells[i + 1].text
            cells[i + 1].mark()
            skip.add(i + 1)
        value, problem = number(text)
        if problem:
            sink.add(row.where, f"“{label}”：{problem}")
        if fld in target:
            sink.add(row.where, f"“{label}”重复出现，以第一次为准，“{cell.text}”未导入")
        else:
            target[fld] = value
        placed = True
    return placed


def _fund_field(label: str, v: Vocab, project: bool, funds: dict, row: Row, sink: Sink) -> str | None:
    if not project and v.overall_fund_match is not None:  # a form whose 整体 table prints its own 其中 rows
        match = v.overall_fund_match
        fld = match.exact(label)
        if fld is None:
            guess = match.guess(label, {f for f in match.names if f not in funds})
            if guess is not None and guess.confident:
                sink.add(row.where, f"行名称“{label}”按“{guess.label}”行读入（相似度{guess.score:.2f}）")
                fld = guess.field
        return fld
    fld = v.fund_match.exact(label)
    if fld is None:
        allowed = {f for f in v.fund_match.names if f not in funds and (project or f != "other_funds")}
        guess = v.fund_match.guess(label, allowed)
        if guess is not None and guess.confident:
            sink.add(row.where, f"行名称“{label}”按“{guess.label}”行读入（相似度{guess.score:.2f}）")
            fld = guess.field
    if fld == "other_funds" and not project:
        return None  # the overall table's 其他资金 is part of the income split
    return fld


def _split_field(label: str, v: Vocab, row: Row, sink: Sink) -> str | None:
    """'income.general_budget' / 'spending.basic' for a split label, by name, alias or a confident guess."""
    if len(label) > 40:
        return None
    key = v.split_match.exact(label)
    if key is not None:
        return key
    guess = v.split_match.guess(label)
    if guess is not None and guess.confident:
        sink.add(row.where, f"“{label}”按“{guess.label}”读入（相似度{guess.score:.2f}）")
        return guess.field
    return None


# ------------------------------------------------------------------ the cycle's forms (docs/cycle-reading.md)

_BLOCKS = (("mid_term", "indicators_mid_term"), ("year", "indicators_year"))


def _block_kind(text: str, v: Vocab) -> str | None:
    """'mid_term' / 'year' for a caption that heads one of two indicator blocks ('中期绩效指标')."""
    return next((kind for kind, key in _BLOCKS if v.caption("evaluation", key, text, prefix=True)), None)


def _block_caption_row(row: Row, v: Vocab) -> str | None:
    """The block a row holding only such a caption announces (the caption marked), else None."""
    own = row.own()
    kinds = {_block_kind(c.text, v) for c in own}
    if not own or None in kinds or len(kinds) != 1:
        return None
    for c in own:
        c.mark()
    return kinds.pop()


def _block_of(row: Row, v: Vocab) -> str | None:
    """The block a header row's own caption names ('中期绩效指标 | 一级指标 | …'), the caption marked."""
    for cell in row.own():
        if not cell.used and (kind := _block_kind(cell.text, v)) is not None:
            cell.mark()
            return kind
    return None


def merge_mid_term(trees: list[_Tree], sink: Sink, v: Vocab) -> list[Level1]:
    """One indicator tree: the year's block, each indicator with its 中期指标值 from the 中期 block
    (matched by 一级, 二级 and 三级 names). A 中期 indicator the year's block lacks is added under its
    levels, with a finding; a table with one block is that block."""
    year = [t for t in trees if t.block != "mid_term"]
    mids = [t for t in trees if t.block == "mid_term"]
    levels = [l1 for t in year for l1 in t.levels] if year else [l1 for t in mids for l1 in t.levels]
    if not year or not mids:
        return levels
    where: dict[tuple[str, str, str], Indicator] = {}
    for l1 in levels:
        for l2 in l1.children:
            for ind in l2.indicators:
                where.setdefault((clean_label(l1.label), clean_label(l2.label), clean_label(ind.name or "")), ind)
    for l1m in (l1 for t in mids for l1 in t.levels):
        for l2m in l1m.children:
            for mid in l2m.indicators:
                key = (clean_label(l1m.label), clean_label(l2m.label), clean_label(mid.name or ""))
                found = where.get(key)
                if found is not None and found.mid_term_target.raw is None:
                    found.mid_term_target = mid.mid_term_target
                    continue
                sink.add(caption_name("evaluation", "indicators", v.form), f"中期指标“{mid.name or ''}”（{l1m.label}/{l2m.label}）在年度指标中没有，已单列为一条指标")
                l1 = next((x for x in levels if clean_label(x.label) == key[0]), None)
                if l1 is None:
                    l1 = Level1(label=l1m.label)
                    levels.append(l1)
                l2 = next((x for x in l1.children if clean_label(x.label) == key[1]), None)
                if l2 is None:
                    l2 = Level2(label=l2m.label)
                    l1.children.append(l2)
                l2.indicators.append(mid)
    return levels


def _note_months(row: Row, months: dict[int, str]) -> None:
    """The months a monitoring header says its figures cover ('1-7月执行数', '1—6月实际完成值')."""
    for cell in row.cells:
        for src in cell.sources or (cell,):
            n = months_in(src.text)
            if n is not None:
                months.setdefault(n, src.text)


def _months_finding(months: dict[int, str], v: Vocab, sink: Sink) -> int | None:
    """Figures of other months than the form prints ('1-6月' on a '1-7月' form) are read in their
    columns; the finding keeps which months they are, and names two spans in one table. Returns the
    table's own months (its ``period_months``, which the checks compare time progress with) when
    its headers name one span other than the form's; None otherwise."""
    printed = {n for c in v.form["evaluation"]["funds_columns"] + v.form["evaluation"]["indicator_columns"]
               if (n := months_in(c["label"])) is not None}
    if not months or set(months) <= printed:
        return None
    spans = "、".join(f"1-{n}月（“{text}”）" for n, text in sorted(months.items()))
    form = "、".join(f"1-{n}月" for n in sorted(printed)) or "—"
    if len(months) > 1:
        sink.add("表头", f"同一张表写了不同的期间：{spans}，已按各列读入，请核对")
        return None
    n = next(iter(months))
    sink.add("表头", f"本表为{spans}的执行数据（表式为{form}），已按列读入；时间进度按1-{n}月计算")
    return n


def _task_row(row: Row, cols: dict[str, int], v: Vocab, sink: Sink, tasks: list[Task], total: list[Task]) -> bool:
    """A row of 年度主要任务 or its 金额合计; False when the row is neither (the block has ended)."""
    own = row.own()
    label = norm(own[0].text) if own else ""
    first = min(cols.values())
    names = {c["field"]: c["label"] for c in v.form["evaluation"]["tasks"]["columns"]}
    caption_left = [c for c in own if c.col < first]
    is_total = label in v.tasks_total or any(norm(c.text) in v.tasks_total for c in caption_left)
    def tasks_caption(text: str) -> bool:
        return any(v.caption("evaluation", k, text, prefix=True) for k in ("tasks", "tasks_budget"))

    if not is_total and any(c.text and not tasks_caption(c.text) for c in caption_left):
        return False  # another block's caption ('年度总体目标'): the tasks have ended
    if any(header(row, cols_, 3) for cols_ in (v.indicators, v.goals, v.funds)):
        return False
    if not is_total and v.caption("evaluation", "total", label):
        return False
    values: dict = {}
    for fld, col in cols.items():
        text = value_cell(row, col, 0)
        if fld in ("name", "content"):
            if not (is_total and norm(text or "") in v.tasks_total):
                values[fld] = clean(text)
            continue
        value, problem = number(text)
        if problem:
            where = v.form["evaluation"]["tasks"]["total_label"] if is_total else f"任务“{values.get('name') or ''}”"
            sink.add(row.where, f"年度主要任务{where}的“{names[fld]}”：{problem}")
        values[fld] = value
    for c in caption_left:
        c.mark()
    if is_total:
        for c in own:
            if norm(c.text) in v.tasks_total:
                c.mark()
        if total:
            row.mark_all()
            sink.add(row.where, f"{v.form['evaluation']['tasks']['total_label']}行重复出现，以第一次为准，本行未导入：“{row.flat()}”")
        else:
            total.append(Task(**{k: val for k, val in values.items() if k not in ("name", "content")}))
        return True
    if all(is_blank_label(values.get(f)) if f in ("name", "content") else values.get(f) is None for f in values):
        return True  # a blank template row
    tasks.append(Task(**values))
    return True


def _goals_pair(row: Row, v: Vocab, goals: dict[str, list[str]]) -> dict[str, int] | bool:
    """'年度总体目标 | text': a goal written beside its caption (an 整体 target table): True. '总体目标 |
    年度总体目标' (the section, then the goal's own caption, as jixiao draws the table): the header
    over the goal's text on the next row, as {field: column}. False: neither."""
    own = row.own()
    if len(own) != 2 or len(own[0].text) > 40:
        return False
    fld = v.goals.match(own[0].text)
    if fld is None and v.caption("evaluation", "goals", own[0].text):
        fld = "expected"
    if fld is None or v.goals.match(own[1].text):
        return False
    own[0].mark()
    own[1].mark()
    if len(own[1].text) <= 40 and v.caption("evaluation", "goals", own[1].text):
        return {fld: own[1].col}
    goals[fld].append(own[1].text)
    return True


def _paired_columns(row: Row, found: dict[str, int], v: Vocab) -> dict[str, tuple[int, int]] | None:
    """The official target table's funds block: each column's label cell ('中期资金总额：') has its value
    in the next cell, and the 其中 rows repeat the pattern. Column field -> (label column, value
    column), or None when the header row is an ordinary column header (nothing after each label)."""
    cells = row.cells
    out = {}
    for fld, col in found.items():
        at = next(i for i, c in enumerate(cells) if c.col == col)
        nxt = cells[at + 1] if at + 1 < len(cells) else None
        if nxt is None or nxt.origin is not None or v.funds.match(nxt.text) or not (is_numberish(nxt.text) or not nxt.text):
            return None
        out[fld] = (col, nxt.col)
    # a column header with blank cells between its labels has no number anywhere: not a pair
    return out if any(is_numberish(row.at(vc).text) for _, vc in out.values()) else None


def _paired_row(row: Row, cols: dict[str, tuple[int, int]], v: Vocab, sink: Sink, out: dict[str, dict], *,
                first: bool = False) -> bool:
    """One row of the paired funds block; False when the row is not one (the block has ended)."""
    found = []
    for col_fld, (label_col, value_col) in cols.items():
        label_cell, value = row.at(label_col), row.at(value_col)
        if label_cell is None or value is None or label_cell.origin is not None:
            continue
        fld = "funds" if first else v.fund_match.exact(label_cell.text)
        if fld is None or fld == "funds" and not first:
            continue
        found.append((col_fld, fld, label_cell, value))
    if not found:
        return False
    _mark_sections(row, v)
    for col_fld, fld, label_cell, value in found:
        label_cell.mark()
        text = value_cell(row, value.col, 0)
        number_, problem = number(text)
        column = v.column_label(("evaluation", "funds_columns"), col_fld)
        if problem:
            sink.add(row.where, f"“{label_cell.text}”行“{column}”列：{problem}")
        values = out.setdefault(fld, {})
        if col_fld in values:
            sink.add(row.where, f"“{label_cell.text}”行“{column}”列重复出现，以第一次为准，“{text}”未导入")
        else:
            values[col_fld] = number_
    return True


def _right_half(row: Row, left: dict[str, int], v: Vocab) -> dict[str, int] | None:
    """The second 二级指标 | 三级指标 | 指标值 of a header printing the 中期 and 年度 indicators side by side
    (财预〔2015〕88号: 一级指标 | 二级指标 | 三级指标 | 指标值 | 二级指标 | 三级指标 | 指标值): field -> column of
    the right half, 一级 shared; None for any other header. The cells found are marked."""
    if "target" not in left or "mid_term_target" in left:
        return None
    after = [c for c in row.own() if c.col > left["target"] and not c.used]
    right: dict[str, object] = {}
    for cell in after:
        key = v.indicators.match(cell.text)
        if key in ("level2", "name", "target") and key not in right:
            right[key] = cell
    if set(right) != {"level2", "name", "target"}:
        return None
    for cell in right.values():
        cell.mark()
    return {"level1": left["level1"], **{k: c.col for k, c in right.items()}} if "level1" in left else None


def _header_again(row: Row, columns, v: Vocab, second: bool, minimum: int) -> dict[str, int] | None:
    """A header repeated (a continuation page), or the second row of a header right under its first."""
    if second and _all_headers(row, columns, v):
        return header(row, columns, 1)
    return header(row, columns, minimum)


def _all_headers(row: Row, columns, v: Vocab) -> bool:
    """Every cell of the row heads a column or a group of them: the second row of a header (the ticks
    under 偏差原因分析, 总额 | 财政拨款 | 其他资金 under 预算金额), never a data row that holds one label."""
    own = row.own()
    return bool(own) and all(columns.match(c.text) or norm(c.text) in v.groups or _is_section(c.text, v) for c in own)
