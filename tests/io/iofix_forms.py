"""Test fixtures: the national 项目/部门整体 tables and the province's 部门预算项目 table, laid out the
many ways units print them, built by code with python-docx and openpyxl (never with our renderer).

``draw_*`` turn a table's data (a ProjectTable / OverallTable of the model) and a ``Layout`` into
blocks (paragraphs and grid tables); ``docx_bytes`` / ``xlsx_bytes`` write the blocks as a file.
A Layout is drawn at random (``random_layout``) for the property test or set by hand per case;
``injected`` lists the texts a layout added that no form row or column holds (each must be named
by an import finding).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.model import (
    FundsRow,
    Goals,
    Indicator,
    Level1,
    Level2,
    OverallTable,
    Package,
    ProjectTable,
    Signature,
)

# ------------------------------------------------------------------ blocks


@dataclass
class C:
    text: str = ""
    span: int = 1
    up: bool = False  # continues the vertical merge of the cell above


@dataclass
class Tab:
    rows: list[list[C]]
    grid: int


Block = str | Tab


def docx_bytes(blocks: list[Block]) -> bytes:
    """A Word file of the blocks: spans as w:gridSpan, vertical merges as w:vMerge, as Word writes them."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def prop(tc, tag: str, value: str | None) -> None:
        el = OxmlElement(tag)
        if value is not None:
            el.set(qn("w:val"), value)
        tc.get_or_add_tcPr().append(el)

    doc = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            doc.add_paragraph(block)
            continue
        table = doc.add_table(rows=len(block.rows), cols=block.grid)
        starts: list[set[int]] = []  # grid columns where a vertical merge starts, per row
        for r, row in enumerate(block.rows):
            assert sum(c.span for c in row) == block.grid, (block.grid, [c.text for c in row])
            tr = table.rows[r]._tr
            tcs = list(tr.tc_lst)
            col = 0
            starts.append(set())
            for cell in row:
                tc = tcs[col]
                for extra in tcs[col + 1 : col + cell.span]:
                    tr.remove(extra)
                if cell.span > 1:
                    prop(tc, "w:gridSpan", str(cell.span))
                if cell.up:
                    prop(tc, "w:vMerge", None)
                    starts[r - 1].add(col)
                elif cell.text:
                    tc.remove(tc.p_lst[0])
                    for line in cell.text.split("\n"):
                        p = OxmlElement("w:p")
                        run = OxmlElement("w:r")
                        t = OxmlElement("w:t")
                        t.text = line
                        t.set(qn("xml:space"), "preserve")
                        run.append(t)
                        p.append(run)
                        tc.append(p)
                col += cell.span
        for r, cols in enumerate(starts):  # the first cell of each merge says it restarts one
            for row_cells, c in ((block.rows[r], c) for c in cols):
                if not _is_up(row_cells, c):
                    tc = _tc_at(table.rows[r]._tr, row_cells, c)
                    prop(tc, "w:vMerge", "restart")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _is_up(row: list[C], col: int) -> bool:
    at = 0
    for cell in row:
        if at == col:
            return cell.up
        at += cell.span
    return False


def _tc_at(tr, row: list[C], col: int):
    at = 0
    for i, cell in enumerate(row):
        if at == col:
            return tr.tc_lst[i]
        at += cell.span
    raise IndexError(col)


def xlsx_bytes(blocks: list[Block], sheet: str = "Sheet1") -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    width = max((b.grid for b in blocks if isinstance(b, Tab)), default=1)
    r = 1
    for block in blocks:
        if isinstance(block, str):
            ws.cell(r, 1, block)
            if width > 1:
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            r += 1
            continue
        top: dict[int, int] = {}
        for i, row in enumerate(block.rows):
            col = 1
            for cell in row:
                if cell.up:
                    start = top[col]
                    ws.unmerge_cells(start_row=start, start_column=col, end_row=r + i - 1, end_column=col + cell.span - 1) \
                        if (r + i - 1 > start or cell.span > 1) else None
                    ws.merge_cells(start_row=start, start_column=col, end_row=r + i, end_column=col + cell.span - 1)
                else:
                    top[col] = r + i
                    if cell.text:
                        ws.cell(r + i, col, cell.text)
                    if cell.span > 1:
                        ws.merge_cells(start_row=r + i, start_column=col, end_row=r + i, end_column=col + cell.span - 1)
                col += cell.span
        r += len(block.rows) + 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ------------------------------------------------------------------ layouts


@dataclass
class Layout:
    year_line: str = "（{year}年度）"  # '' : the year is in the title
    annex: str = ""  # '附件', '附件2' above the title
    preamble: bool = True  # the province's 报表编号 line
    score_header: str = "得分"
    reason_column: bool = True  # national: 偏差原因分析及改进措施 printed
    reason_header: str = "偏差原因分析及改进措施"
    funds_caption: str = "项目资金（万元）"
    total_label: str = "年度资金总额"
    sub_labels: tuple[str, ...] = ("其中：当年财政拨款", "上年结转资金", "其他资金")
    sub_blank: str = "—"  # what a sub-row holds under 分值/得分
    split_header: bool = False  # the indicator header written over two rows
    repeat_level: bool = False  # 一级/二级 written on every row instead of merged down
    cut: str = ""  # '' | 'before_indicators' | 'inside_indicators' : the table cut into two (pages)
    repeat_header: bool = True  # the indicator header repeated on the cut-off part
    inject_row: str = ""  # an unknown row's text, added inside the table
    inject_column: str = ""  # an unknown column's header, added at the right
    label_value_gap: bool = False  # national overall: 部门（单位）名称 written with a blank cell before its value
    signature: bool = True
    text_below: bool = False  # province: the text of 项目实施内容及过程概述 in the row under its label
    notes_in_reason: bool = True  # province: the form's printed notes in the 原因 cell of 总额
    injected: list[str] = field(default_factory=list)


def random_layout(rnd: random.Random, inject: bool) -> Layout:
    lay = Layout(
        year_line=rnd.choice(["（{year}年度）", "({year}年度)", "{year}年度", "（{year}年）", ""]),
        annex=rnd.choice(["", "", "附件", "附件2"]),
        preamble=rnd.random() < 0.8,
        reason_column=rnd.random() < 0.6,
        reason_header=rnd.choice(["偏差原因分析及改进措施", "偏差原因分析"]),
        funds_caption=rnd.choice(["项目资金（万元）", "预算资金（万元）", "项目资金"]),
        total_label=rnd.choice(["年度资金总额", "年度资金总额：", "年度资金总额:"]),
        sub_labels=(rnd.choice(["其中：当年财政拨款", "其中：本年财政拨款", "当年财政拨款", "其中:本年财政拨款"]),
                    rnd.choice(["上年结转资金", "上年结转"]), "其他资金"),
        sub_blank=rnd.choice(["—", "", "/", "-"]),
        split_header=rnd.random() < 0.3,
        repeat_level=rnd.random() < 0.3,
        cut=rnd.choice(["", "", "before_indicators", "inside_indicators"]),
        repeat_header=rnd.random() < 0.5,
        signature=rnd.random() < 0.7,
        text_below=rnd.random() < 0.5,
        notes_in_reason=rnd.random() < 0.7,
    )
    if inject:
        tag = f"{rnd.randrange(10**6):06d}"
        if rnd.random() < 0.5:
            lay.inject_row = f"附加核对信息{tag}"
        else:
            lay.inject_column = f"核对栏{tag}"
    return lay


# ------------------------------------------------------------------ data


def _amount(rnd: random.Random, places: int) -> Decimal:
    return Decimal(rnd.randrange(1, 10**6)).scaleb(-places)


def _funds(rnd: random.Random, weight: Decimal | None, three_places: bool) -> FundsRow:
    places = rnd.choice([2, 3, 4]) if three_places else 2
    budget = _amount(rnd, places)
    executed = min(budget, _amount(rnd, places))
    rate = (executed / budget * 100).quantize(Decimal("0.01"))
    score = None if weight is None else (weight * min(rate, Decimal(100)) / 100).quantize(Decimal("0.01"))
    return FundsRow(initial_budget=budget, full_year_budget=budget, executed=executed, weight=weight,
                    execution_rate=rate, self_score=score)


TARGETS = [("≥30个", "30"), ("≥98百分比", "98百分比"), ("≤15万元", "15"), ("10月底前", "2023年11月"),
           ("显著提升", "已完成"), ("按规定执行", "按规定执行"), ("100%", "100%"), ("≥95%", "已完成")]
LEVEL2 = {"产出指标": ["数量指标", "质量指标", "时效指标", "成本指标"],
          "效益指标": ["社会效益指标", "经济效益指标", "可持续影响指标"],
          "满意度指标": ["服务对象满意度指标"]}
WEIGHTS = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}


def national_indicators(rnd: random.Random, *, numbered: bool, labelled: bool, reason: bool,
                        province: bool = False) -> list[Level1]:
    levels = []
    n = 0
    for l1 in ("产出指标", "效益指标", "满意度指标"):
        names = list(LEVEL2[l1])
        rnd.shuffle(names)  # 二级 rows in another order
        children = []
        for l2 in names[: rnd.randint(1, len(names))]:
            inds = []
            for _ in range(rnd.randint(1, 2)):
                n += 1
                target, actual = rnd.choice(TARGETS)
                name = f"指标{n}：完成事项{n}" if numbered else f"完成事项{n}"
                ind = Indicator(name=name, target=target, actual=actual, weight=Decimal(rnd.randint(1, 20)),
                                self_score=Decimal(rnd.randint(0, 10)),
                                deviation_reason=rnd.choice([None, "无偏差", "受天气影响延后"]) if reason else None)
                if province:
                    nature = rnd.choice(["=", "≥", "≤", "定性"])
                    ind = Indicator(**{**ind.model_dump(exclude={"target", "actual"}), "nature": nature,
                                       "unit": rnd.choice(["%", "万元", "次", "人"]), "target": str(rnd.randint(1, 100)),
                                       "actual": rnd.choice(["100", "30", "已完成"])})
                inds.append(ind)
            children.append(Level2(label=l2, indicators=inds))
        if rnd.random() < 0.1:  # the 二级 column left empty for the whole 一级 group
            children = [Level2(label="", indicators=[i for c in children for i in c.indicators])]
        label = f"{l1}({WEIGHTS[l1]}分)" if labelled else l1
        levels.append(Level1(label=label, children=children))
    return levels


def _code(rnd: random.Random, name: str) -> str:
    return rnd.choice(["", "305-", "305002-", "101001 - "]) + name if name else name


def national_project(rnd: random.Random, year: int, unit: str) -> ProjectTable:
    funds = _funds(rnd, Decimal(10), True)
    subs = {"current_appropriation": _funds(rnd, None, True)}
    if rnd.random() < 0.5:
        subs["carryover"] = _funds(rnd, None, True)
    if rnd.random() < 0.5:
        subs["other_funds"] = _funds(rnd, None, True)
    return ProjectTable(
        title="项目支出绩效自评表", project_name=f"{year}年某某专项{rnd.randrange(100)}",
        department=_code(rnd, "某某县教育局"), implementing_unit=_code(rnd, unit),
        funds=funds, **subs,
        goals=Goals(expected="完成年度任务，提升服务水平。", actual="已按计划完成。"),
        indicators=national_indicators(rnd, numbered=rnd.random() < 0.3, labelled=rnd.random() < 0.7,
                                       reason=rnd.random() < 0.5),
        total_weight=Decimal(100), total_self_score=Decimal(rnd.randint(60, 100)),
    )


def national_overall(rnd: random.Random, year: int, unit: str) -> OverallTable:
    funds = _funds(rnd, Decimal(10), True)
    return OverallTable(
        title="部门整体支出绩效自评表", unit_name=_code(rnd, unit), funds=funds,
        current_appropriation=_funds(rnd, None, True), other_funds=_funds(rnd, None, True),
        goals=Goals(expected="保障部门运转，完成年度重点工作。", actual="重点工作全部完成。"),
        indicators=national_indicators(rnd, numbered=False, labelled=True, reason=False),
        total_weight=Decimal(100), total_self_score=Decimal(rnd.randint(60, 100)),
    )


def province_project(rnd: random.Random, year: int, unit: str) -> ProjectTable:
    funds = _funds(rnd, Decimal(10), False)
    funds = funds.model_copy(update={"reason": rnd.choice([None, None, "项目延期，部分资金未支付"])})
    # every 其中 row is printed, '/' under 权重 and 得分 (not applicable)
    subs = {fld: _funds(rnd, None, False).model_copy(update={"weight": "/", "self_score": "/"})
            if fld == "fiscal_funds" or rnd.random() < 0.3 else FundsRow(weight="/", self_score="/")
            for fld in ("fiscal_funds", "special_account_funds", "unit_funds", "other_funds")}
    code = f"51{rnd.randrange(10**8):08d}T0000{rnd.randrange(10**8):08d}"
    inds = national_indicators(rnd, numbered=False, labelled=False, reason=True, province=True)
    return ProjectTable(
        title=f"部门预算项目支出绩效自评表（{year}年度）", project_name=f"{code}-{year}年某某补助资金项目",
        department=_code(rnd, "某某县农业农村局"), implementing_unit=unit, funds=funds, **subs,
        goals=Goals(expected="完成补助发放。", actual="补助已全部发放到位。"), summary="项目按计划实施，资金拨付及时。",
        indicators=inds, total_weight=Decimal(100), total_self_score=Decimal(rnd.randint(60, 100)),
        conclusion="自评得分95分，评价结果为优。", problems="个别指标设置不够细化。", improvements="进一步细化绩效目标。",
        signature=Signature(project_head="张三", finance_head="李四"),
    )


# ------------------------------------------------------------------ drawing


def _num(value) -> str:
    return "" if value is None else f"{value}"


def _rate(value) -> str:
    return "" if value is None else f"{value}%"


def _preface(title: str, year: int, lay: Layout, *, province: bool) -> list[Block]:
    out: list[Block] = []
    if province and lay.preamble:
        out.append("报表编号：510000_0013zp")
    if lay.annex and not province:
        out.append(lay.annex)
    if province:
        out.append(title)
    elif lay.year_line:
        out += [title, lay.year_line.format(year=year)]
    else:
        out.append(f"{year}年度{title}")
    out.append("单位：万元")
    return out


def _signature(lay: Layout, blocks: list[Block]) -> None:
    if lay.signature:
        blocks.append("填表人：王五    联系电话：0731-1234567    填报日期：2023年3月1日")


NATIONAL_GRID = 10  # section | 一级 | 二级 | 三级 ×2 | 指标值 | 完成值 | 分值 | 得分 | 偏差原因


def draw_national(table: ProjectTable | OverallTable, year: int, lay: Layout) -> list[Block]:
    project = isinstance(table, ProjectTable)
    grid = NATIONAL_GRID if lay.reason_column else NATIONAL_GRID - 1
    extra = 1 if lay.inject_column else 0
    grid += extra
    title = "项目支出绩效自评表" if project else "部门整体支出绩效自评表"
    blocks = _preface(title, year, lay, province=False)
    rows: list[list[C]] = []

    def pad(cells: list[C], extra_text: str = "") -> list[C]:
        used = sum(c.span for c in cells)
        width = grid - extra
        if used < width:
            cells[-1].span += width - used
        if extra:
            cells.append(C(extra_text))
        return cells

    if project:
        rows.append(pad([C("项目名称", 2), C(table.project_name or "")]))
        rows.append(pad([C("主管部门", 2), C(table.department or "", 3), C("实施单位", 2), C(table.implementing_unit or "")]))
    else:
        rows.append(pad([C("部门（单位）名称", 2), C(table.unit_name or "")]))
    heads = ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", lay.score_header]
    value_span = max(1, (grid - extra - 3) // 6)
    label_span = grid - extra - 1 - value_span * 6
    rows.append(pad([C(lay.funds_caption), C("", label_span), *[C(h, value_span) for h in heads]],
                    lay.inject_column))
    subs = [("funds", lay.total_label)] + [
        (fld, label) for fld, label in zip(("current_appropriation", "carryover", "other_funds"), lay.sub_labels, strict=True)
    ]
    for fld, label in subs:
        row: FundsRow = getattr(table, fld)
        total = fld == "funds"
        cells = [C(up=True), C(label, label_span)] + [
            C(_num(row.initial_budget), value_span), C(_num(row.full_year_budget), value_span), C(_num(row.executed), value_span),
            C(_num(row.weight) if total else lay.sub_blank, value_span), C(_rate(row.execution_rate), value_span),
            C(_num(row.self_score) if total else lay.sub_blank, value_span)]
        rows.append(pad(cells, "已核" + lay.inject_column[-6:] if lay.inject_column and total else ""))
    if lay.inject_column and "已核" + lay.inject_column[-6:] not in lay.injected:
        lay.injected += [lay.inject_column, "已核" + lay.inject_column[-6:]]
    if lay.inject_row:  # under the funds rows (under the goals it would read as more goal text)
        rows.append(pad([C(lay.inject_row, 2), C("见附件材料")]))
        lay.injected += [lay.inject_row, "见附件材料"]
    half = (grid - extra - 1) // 2
    rows.append(pad([C("年度总体目标"), C("预期目标", half), C("实际完成情况")]))
    rows.append(pad([C(up=True), C(table.goals.expected or "", half), C(table.goals.actual or "")]))
    head = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", lay.score_header]
    spans = [1, 1, 2, 1, 1, 1, 1]
    if lay.reason_column:
        head.append(lay.reason_header)
        spans.append(1)
    ind_rows: list[list[C]] = []
    header_rows = []
    if lay.split_header:
        top = ["一级指标", "二级指标", "三级指标", "年度", "实际", "分值", lay.score_header] + ([lay.reason_header] if lay.reason_column else [])
        low = ["", "", "", "指标值", "完成值", "", ""] + ([""] if lay.reason_column else [])
        header_rows.append(pad([C("绩效指标"), *[C(t, s) for t, s in zip(top, spans, strict=True)]]))
        header_rows.append(pad([C(up=True), *[C(t, s, up=not t) for t, s in zip(low, spans, strict=True)]]))
    else:
        header_rows.append(pad([C("绩效指标"), *[C(t, s) for t, s in zip(head, spans, strict=True)]]))
    for l1 in table.indicators:
        first1 = True
        for l2 in l1.children:
            first2 = True
            for ind in l2.indicators:
                cells = [C(up=True),
                         C(l1.label, up=not first1 and not lay.repeat_level),
                         C(l2.label, up=not first2 and not lay.repeat_level),
                         C(ind.name or "", 2), C(ind.target.raw or ""), C(ind.actual.raw or ""),
                         C(_num(ind.weight)), C(_num(ind.self_score))]
                if lay.reason_column:
                    cells.append(C(ind.deviation_reason or ""))
                ind_rows.append(pad(cells))
                first1 = first2 = False
    total = pad([C("总分", 7), C(_num(table.total_weight)), C(_num(table.total_self_score))]
                + ([C("")] if lay.reason_column else []))
    return _cut(blocks, rows, header_rows, ind_rows, [total], grid, lay, _signature)


def _cut(blocks, rows, header_rows, ind_rows, tail, grid, lay: Layout, sign) -> list[Block]:
    """The table whole, or cut in two where a page ends (the indicator header repeated or not)."""
    if lay.cut == "before_indicators":
        blocks.append(Tab(rows, grid))
        blocks.append(Tab(_restart(header_rows + ind_rows + tail), grid))
    elif lay.cut == "inside_indicators" and len(ind_rows) > 2:
        at = len(ind_rows) // 2
        blocks.append(Tab(rows + header_rows + ind_rows[:at], grid))
        again = [[C(c.text, c.span, c.up) for c in r] for r in header_rows] if lay.repeat_header else []
        blocks.append(Tab(_restart(again + _relabel(ind_rows[:at], ind_rows[at:]) + tail), grid))
    else:
        blocks.append(Tab(rows + header_rows + ind_rows + tail, grid))
    sign(lay, blocks)
    return blocks


def _restart(rows: list[list[C]]) -> list[list[C]]:
    """A table's first row cannot continue a merge: write the continued cells' text again? No: blank."""
    if rows:
        rows[0] = [C(c.text, c.span) for c in rows[0]]
    return rows


def _relabel(before: list[list[C]], after: list[list[C]]) -> list[list[C]]:
    """Where a page cuts a merged 一级/二级 group, Word prints the label again on the new page."""
    if not after:
        return after
    first = [C(c.text, c.span, c.up) for c in after[0]]
    for i in (1, 2):
        if first[i].up:
            text = next(r[i].text for r in reversed(before) if not r[i].up)
            first[i] = C(text, first[i].span)
    first[0] = C("绩效指标") if first[0].up else first[0]
    return [first, *after[1:]]


PROVINCE_GRID = 11  # section | label | 一级… the indicator block's 10 columns


def draw_province(table: ProjectTable, year: int, lay: Layout) -> list[Block]:
    grid = PROVINCE_GRID + (1 if lay.inject_column else 0)
    extra = grid - PROVINCE_GRID
    blocks = _preface(table.title or "", year, lay, province=True)
    rows: list[list[C]] = []

    def pad(cells: list[C], extra_text: str = "") -> list[C]:
        used = sum(c.span for c in cells)
        if used < PROVINCE_GRID:
            cells[-1].span += PROVINCE_GRID - used
        if extra:
            cells.append(C(extra_text))
        return cells

    rows.append(pad([C("项目名称", 2), C(table.project_name or "")]))
    rows.append(pad([C("主管部门", 2), C(table.department or "", 4), C("实施单位（盖章）", 2), C(table.implementing_unit or "")]))
    rows.append(pad([C("项目基本情况"), C("1.项目年度目标完成情况")]))
    rows.append(pad([C(up=True), C("项目年度目标", 5), C("年度目标完成情况")]))
    actual = table.goals.actual or ""
    if lay.notes_in_reason:
        actual = "对照年度目标，说明相关任务目标的完成情况（100字以内）\n" + actual
    rows.append(pad([C(up=True), C(table.goals.expected or "", 5), C(actual)]))
    if lay.text_below:
        rows.append(pad([C(up=True), C("2.项目实施内容及过程概述")]))
        rows.append(pad([C(up=True), C(table.summary or "")]))
    else:
        rows.append(pad([C(up=True), C("2.项目实施内容及过程概述", 3), C(table.summary or "")]))
    heads = ["年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因"]
    rows.append(pad([C("预算执行情况（10分）"), C("年度预算数（万元）", 3), *[C(h) for h in heads]], lay.inject_column))
    notes = ("1.预算执行率=预算执行数/调整后预算数；预算执行率低于90%的需说明原因（100字以内）。\n"
             "2.年中追加或调减预算的，需单独说明原因。\n3.其他资金包括社会投入资金、银行贷款。")
    labels = {"funds": "总额", "fiscal_funds": "其中：财政资金", "special_account_funds": "财政专户管理资金",
              "unit_funds": "单位资金", "other_funds": "其他资金"}
    for fld, label in labels.items():
        row: FundsRow = getattr(table, fld)
        total = fld == "funds"
        reason = row.reason or ""
        if total and lay.notes_in_reason:
            reason = f"{reason}\n{notes}" if reason else notes
        tag = ("已核" + lay.inject_column[-6:]) if lay.inject_column and total else ""
        rows.append(pad([C(up=True), C(label, 3), C(_num(row.initial_budget)), C(_num(row.full_year_budget)),
                         C(_num(row.executed)), C(_rate(row.execution_rate)),
                         C(_num(row.weight) if total else "/"), C(_num(row.self_score) if total else "/"),
                         C(reason if total else row.reason or "")], tag))
    if lay.inject_column:
        lay.injected += [lay.inject_column, "已核" + lay.inject_column[-6:]]
    if lay.inject_row:
        rows.append(pad([C(lay.inject_row, 2), C("见附件材料")]))
        lay.injected += [lay.inject_row, "见附件材料"]
    head = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因分析"]
    header_rows = []
    if lay.split_header:
        top = ["一级指标", "二级指标", "三级指标", "指标", "指标值", "度量", "完成值", "权重", "得分", "未完成原因分析"]
        low = ["", "", "", "性质", "", "单位", "", "", "", ""]
        header_rows.append(pad([C("绩效指标（90分）"), *[C(t) for t in top]]))
        header_rows.append(pad([C(up=True), *[C(t, up=not t) for t in low]]))
    else:
        header_rows.append(pad([C("绩效指标（90分）"), *[C(t) for t in head]]))
    ind_rows = []
    for l1 in table.indicators:
        first1 = True
        for l2 in l1.children:
            first2 = True
            for ind in l2.indicators:
                ind_rows.append(pad([C(up=True), C(l1.label, up=not first1 and not lay.repeat_level),
                                     C(l2.label, up=not first2 and not lay.repeat_level), C(ind.name or ""),
                                     C(ind.nature or ""), C(ind.target.raw or ""), C(ind.unit or ""),
                                     C(ind.actual.raw or ""), C(_num(ind.weight)), C(_num(ind.self_score)),
                                     C(ind.deviation_reason or "")]))
                first1 = first2 = False
    tail = [pad([C("合计", 8), C(_num(table.total_weight)), C(_num(table.total_self_score)), C("")])]
    for label, text in (("评价结论", table.conclusion), ("存在问题", table.problems), ("改进措施", table.improvements)):
        tail.append(pad([C(label, 2), C(text or "")]))
    sig = table.signature
    tail.append(pad([C(f"项目负责人：{sig.project_head or ''}", 6), C(f"财务负责人：{sig.finance_head or ''}")]))
    return _cut(blocks, rows, header_rows, ind_rows, tail, grid, lay, lambda lay, blocks: None)


def national_package(rnd: random.Random, year: int, *, overall: bool) -> Package:
    unit = "某某县某某中心"
    table = national_overall(rnd, year, unit) if overall else national_project(rnd, year, unit)
    return Package(form="national", fiscal_year=year, unit_name=unit,
                   overall=table if overall else None, projects=[] if overall else [table])


def expected(pkg: Package, lay: Layout, year: int) -> Package:
    """The package a file drawn from ``pkg`` in ``lay`` reads back as: what the layout adds or says."""
    def fix(table):
        update: dict = {}
        if pkg.form == "national":
            if lay.signature:
                update["signature"] = Signature(filled_by="王五", phone="0731-1234567", date="2023年3月1日")
            if not lay.year_line:
                update["title"] = f"{year}年度{table.title}"
            if not lay.reason_column:
                update["indicators"] = [
                    l1.model_copy(update={"children": [
                        l2.model_copy(update={"indicators": [i.model_copy(update={"deviation_reason": None})
                                                             for i in l2.indicators]}) for l2 in l1.children]})
                    for l1 in table.indicators]
            na = "/" if lay.sub_blank == "/" else None
            for fld in ("current_appropriation", "carryover", "other_funds"):
                update[fld] = getattr(table, fld).model_copy(update={"weight": na, "self_score": na})
        return table.model_copy(update=update)

    return pkg.model_copy(update={"overall": fix(pkg.overall) if pkg.overall else None,
                                  "projects": [fix(p) for p in pkg.projects]})
