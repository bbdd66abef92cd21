"""Test fixtures: the cycle's tables (绩效目标申报表 项目/整体, 绩效目标执行监控表 项目/整体) as units
lay them out, built by code (python-docx / openpyxl through ``iofix_forms``), never with our renderer.

``cycle_case(seed)`` draws a package and a layout at random and returns what the file must read
back as, the blocks to write, and the texts whose findings are expected (injected rows, other
months). Layouts: year line variants, labels with spaces and full-width characters, headers over
two rows, 中期/年度 indicator values as two columns in either order or as two blocks, tick marks
of every kind, other month spans, columns in another order, 一级/二级 repeated on every row,
tables cut across pages, unknown rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from iofix_forms import LEVEL2, C, Tab

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
    Task,
)

UNIT = "某某县某某中心"
TARGETS = [("≥30个", "≥90个"), ("≥98%", "≥98%"), ("≤15万元", "≤45万元"), ("10月底前", "每年10月底前"),
           ("＝12次", "＝36次"), ("按规定执行", "按规定执行"), ("100%", "100%"), ("≥95%", "≥95%")]
CAUSES = ["经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"]
TICKS = ["✓", "√", "☑", "■", "是", "1", "✔"]
UNTICKS = ["", "", "□", "☐", "否"]


@dataclass
class CycleLayout:
    year_line: str = "（{year}年度）"
    spaced: bool = False  # labels written with spaces and full-width characters ('项 目 名 称')
    split_header: bool = False  # the indicator header over two rows ('年度' / '指标值')
    two_blocks: bool = False  # targets: a 中期 and a 年度 indicator block instead of two columns
    block_caption_row: bool = False  # the block's caption on a row of its own, not in the section column
    mid_first: bool = True  # targets: 中期指标值 before 年度指标值
    tick_group: bool = True  # monitoring: 偏差原因分析 printed over the tick columns (two header rows)
    months: int = 7
    dash: str = "-"  # '1-7月', '1—7月', '1～7月'
    remark_first: bool = False  # monitoring: 备注 before 完成目标可能性
    repeat_level: bool = False
    cut: bool = False  # the table cut into two before the indicators
    inject_row: str = ""
    signature: bool = True
    tasks_split: bool = False  # targets 整体: 预算金额（万元） over 总额 | 财政拨款 | 其他资金
    side_by_side: bool = False  # targets 项目, as 88号 prints it: 中期 二级|三级|指标值 beside 年度 ones
    paired_funds: bool = False  # targets 项目, as 财预〔2015〕88号 prints it: '中期资金总额： | x | 年度资金总额： | y'
    yuan: bool = False  # amounts written in 元 ('单位：元', '项目资金（元）'): read back ÷10000
    injected: list[str] = field(default_factory=list)  # texts a finding must name


def random_cycle_layout(rnd: random.Random, monitoring: bool) -> CycleLayout:
    lay = CycleLayout(
        year_line=rnd.choice(["（{year}年度）", "({year}年度)", "{year}年度", "（{year}年）", ""]
                             + (["（{year}年度{span}）", "（{year}年{span}）"] if monitoring else [])),
        spaced=rnd.random() < 0.3, split_header=rnd.random() < 0.3, two_blocks=rnd.random() < 0.4,
        block_caption_row=rnd.random() < 0.5, mid_first=rnd.random() < 0.7, tick_group=rnd.random() < 0.7,
        months=rnd.choice([7, 7, 7, 6, 8, 9]) if monitoring else 7, dash=rnd.choice(["-", "—", "～", "-"]),
        remark_first=rnd.random() < 0.2, repeat_level=rnd.random() < 0.3, cut=rnd.random() < 0.3,
        signature=rnd.random() < 0.7, tasks_split=rnd.random() < 0.5, paired_funds=rnd.random() < 0.4,
        side_by_side=rnd.random() < 0.3, yuan=rnd.random() < 0.2,
    )
    if rnd.random() < 0.3:
        lay.inject_row = f"附加核对信息{rnd.randrange(10**6):06d}"
    return lay


# ------------------------------------------------------------------ data


def _amount(rnd: random.Random) -> Decimal:
    return Decimal(rnd.randrange(1, 10**6)).scaleb(-rnd.choice([2, 2, 3]))


def _indicators(rnd: random.Random, stage: str, project: bool) -> list[Level1]:
    levels, n = [], 0
    for l1 in ("产出指标", "效益指标", "满意度指标"):
        names = list(LEVEL2[l1])
        rnd.shuffle(names)
        children = []
        for l2 in names[: rnd.randint(1, len(names))]:
            inds = []
            for _ in range(rnd.randint(1, 2)):
                n += 1
                year, mid = rnd.choice(TARGETS)
                values: dict = {"name": f"完成事项{n}", "target": year}
                if stage == "targets" and project and rnd.random() < 0.9:
                    values["mid_term_target"] = mid
                if stage == "monitoring":
                    values.update(actual=rnd.choice(["18个", "50%", "进行中", None]), forecast=rnd.choice([year, "28个", None]),
                                  causes=[c for c in CAUSES if rnd.random() < 0.25],
                                  likelihood=rnd.choice(["确定能", "有可能", "完全不可能", None]),
                                  remark=rnd.choice([None, None, "加快拨付进度"]))
                inds.append(Indicator(**values))
            children.append(Level2(label=l2, indicators=inds))
        levels.append(Level1(label=l1, children=children))
    return levels


def _funds(rnd: random.Random, stage: str) -> FundsRow:
    budget = _amount(rnd)
    if stage == "targets":
        return FundsRow(mid_term_budget=budget * 3, initial_budget=budget)
    executed = min(budget, _amount(rnd))
    return FundsRow(initial_budget=budget, executed=executed,
                    execution_rate=(executed / budget * 100).quantize(Decimal("0.01")),
                    forecast=rnd.choice([budget, executed, None]))


def cycle_package(rnd: random.Random, form: str, part: str, year: int) -> Package:
    stage = "targets" if form == "targets-national" else "monitoring"
    kind = {"targets": "绩效目标申报表", "monitoring": "绩效目标执行监控表"}[stage]
    common: dict = dict(indicators=_indicators(rnd, stage, part == "project"), funds=_funds(rnd, stage),
                        current_appropriation=_funds(rnd, stage), other_funds=_funds(rnd, stage))
    if stage == "targets":
        common["goals"] = Goals(mid_term="1.三年内完成全部建设任务；\n2.服务覆盖全县。", expected="完成年度建设任务。") \
            if part == "project" else Goals(expected="保障部门运转，完成年度重点工作。")
    else:
        common["goals"] = Goals(expected="完成年度建设任务。", actual=rnd.choice(["已完成60%。", None]))
    if part == "project":
        if stage == "targets":
            common |= dict(project_type=rnd.choice(["新增", "延续"]), project_period=rnd.choice(["3年", "2024-2026年", "1年"]))
        table = ProjectTable(title=f"项目支出{kind}", project_name=f"{year}年某某专项{rnd.randrange(100)}",
                             department="某某县教育局", implementing_unit=UNIT, **common)
        return Package(form=form, fiscal_year=year, unit_name=UNIT, projects=[table])
    if stage == "targets":
        for fld in ("funds", "current_appropriation", "other_funds"):
            common.pop(fld)
        tasks = [Task(name=f"任务{i}", content=f"开展第{i}项重点工作", total=_amount(rnd), fiscal=_amount(rnd),
                      other=rnd.choice([None, _amount(rnd)])) for i in range(1, rnd.randint(1, 4) + 1)]
        common |= dict(tasks=tasks, tasks_total=Task(total=sum(t.total for t in tasks), fiscal=sum(t.fiscal for t in tasks)))
    table = OverallTable(title=f"部门（单位）整体支出{kind}", unit_name=UNIT, **common)
    return Package(form=form, fiscal_year=year, unit_name=UNIT, overall=table)


# ------------------------------------------------------------------ drawing


def _sp(text: str, lay: CycleLayout) -> str:
    """A label as a clerk may type it: spaced out, full-width parentheses and digits."""
    if not lay.spaced or len(text) > 8:
        return text
    return " ".join(text).replace("(", "（").replace(")", "）").replace("1", "１") if len(text) <= 4 else f" {text}　"


def _num(value) -> str:
    return "" if value is None else f"{value}"


def _money(value, lay: CycleLayout) -> str:
    """An amount as the layout writes it: 万元, or 元 (×10000) in a table that says so."""
    return _num(value * 10000 if lay.yuan and value is not None else value)


def _unit(lay: CycleLayout) -> str:
    return "元" if lay.yuan else "万元"


class _Grid:
    def __init__(self, width: int):
        self.width = width
        self.rows: list[list[C]] = []

    def add(self, cells: list[C]) -> list[C]:
        used = sum(c.span for c in cells)
        assert used <= self.width, [c.text for c in cells]
        if used < self.width:
            cells[-1].span += self.width - used
        self.rows.append(cells)
        return cells


def draw_cycle(pkg: Package, lay: CycleLayout, rnd: random.Random) -> list:
    monitoring = pkg.form == "monitoring-national"
    table = pkg.overall or pkg.projects[0]
    project = pkg.overall is None
    title = table.title
    blocks: list = []
    if lay.year_line:
        blocks += [title, lay.year_line.format(year=pkg.fiscal_year, span=f"1{lay.dash}{lay.months}月")]
    else:
        blocks.append(f"{pkg.fiscal_year}年度{title}")
    blocks.append(f"单位：{_unit(lay)}")
    if lay.yuan:
        lay.injected.append("以元为单位")
    ind_cols = _indicator_columns(lay, monitoring, project)
    side = lay.side_by_side and project and not monitoring
    width = 8 if side else max(1 + sum(span for _, _, span in ind_cols), 7)
    g = _Grid(width)
    if project:
        g.add([C(_sp("项目名称", lay), 2), C(table.project_name)])
        g.add([C(_sp("主管部门及代码" if not monitoring else "主管部门", lay), 2), C(table.department, 2), C(_sp("实施单位", lay)),
               C(table.implementing_unit)])
        if not monitoring:
            g.add([C(_sp("项目属性", lay), 2), C(table.project_type, 2), C(_sp("项目期", lay)), C(table.project_period)])
    else:
        g.add([C(_sp("部门（单位）名称", lay), 2), C(table.unit_name)])
    m = f"1{lay.dash}{lay.months}月"
    if project and not monitoring and lay.paired_funds:
        _paired_funds(g, table, lay)
    elif monitoring or project:
        heads = [("中期资金总额", "mid_term_budget"), ("年度资金总额", "initial_budget")] if not monitoring else [
            ("年初预算数", "initial_budget"), (f"{m}执行数", "executed"), (f"{m}执行率", "execution_rate"),
            ("全年预计执行数", "forecast")]
        if not monitoring and rnd.random() < 0.5:
            heads = [("中期资金", "mid_term_budget"), ("年度资金", "initial_budget")]
        vs = max(1, (width - 3) // len(heads))
        caption = f"项目资金（{_unit(lay)}）" if project else f"年度资金（{_unit(lay)}）"
        g.add([C(caption), C("", 2), *[C(_sp(h, lay), vs) for h, _ in heads]])
        total = rnd.choice(["年度资金总额", "年度资金总额："] if monitoring else ["资金总额", "资金总额："])
        for fld, label in (("funds", total), ("current_appropriation", rnd.choice(["其中：财政拨款", "财政拨款", "其中:财政拨款"])),
                           ("other_funds", "其他资金")):
            row = getattr(table, fld)
            g.add([C(up=True), C(_sp(label, lay), 2)] + [
                C(f"{row.execution_rate}%" if f == "execution_rate" and row.execution_rate is not None
                  else _money(getattr(row, f), lay), vs) for _, f in heads])
    else:
        _tasks(g, table, lay)
    if lay.inject_row:
        g.add([C(lay.inject_row, 2), C("见附件材料")])
        lay.injected += [lay.inject_row, "见附件材料"]
    if monitoring:
        half = (width - 1) // 2
        g.add([C("年度总体目标"), C(_sp("年初设定目标", lay), half), C(f"{m}实际完成情况")])
        g.add([C(up=True), C(table.goals.expected or "", half), C(table.goals.actual or "")])
    elif project:
        half = (width - 1) // 2
        g.add([C("总体目标"), C(f"中期目标（{pkg.fiscal_year}年－{pkg.fiscal_year + 2}年）", half), C(_sp("年度目标", lay))])
        g.add([C(up=True), C(table.goals.mid_term or "", half), C(table.goals.expected or "")])
    else:
        g.add([C(_sp("年度总体目标", lay), 2), C(table.goals.expected or "")])
    head_rows = len(g.rows)
    if side:
        _side_by_side(g, table, lay)
    elif not monitoring and project and lay.two_blocks:
        for kind, field_ in (("中期", "mid_term_target"), ("年度", "target")):
            cols = [(lbl, f, s) for lbl, f, s in _indicator_columns(lay, False, False)]
            cols = [(lbl if f != "target" else "指标值", f if f != "target" else field_, s) for lbl, f, s in cols]
            _indicator_block(g, table, cols, lay, f"{kind}绩效指标")
    else:
        _indicator_block(g, table, ind_cols, lay, "绩效指标")
    if lay.cut:
        blocks += [Tab(g.rows[:head_rows], width), Tab(_restart(g.rows[head_rows:]), width)]
    else:
        blocks.append(Tab(g.rows, width))
    if lay.signature:
        blocks.append("填报人：王五    联系电话：0731-1234567    填报日期：2024年8月5日")
    if lay.months != 7:
        lay.injected.append(f"1-{lay.months}月")
        table.period_months = lay.months  # the reader keeps the table's own months
    return blocks


def _paired_funds(g: _Grid, table: ProjectTable, lay: CycleLayout) -> None:
    """项目资金 | 中期资金总额： | x | 年度资金总额： | y, then the 其中 rows alike."""
    rows = [("funds", "中期资金总额：", "年度资金总额："), ("current_appropriation", "其中：财政拨款", "其中：财政拨款"),
            ("other_funds", "其他资金", "其他资金")]
    vs = max(1, (g.width - 3) // 2)
    for i, (fld, left, right) in enumerate(rows):
        row: FundsRow = getattr(table, fld)
        g.add([C(f"项目资金（{_unit(lay)}）", up=i > 0), C(_sp(left, lay)),
               C(_money(row.mid_term_budget, lay), vs - 1 if vs > 1 else 1), C(_sp(right, lay)),
               C(_money(row.initial_budget, lay))])


def _side_by_side(g: _Grid, table: ProjectTable, lay: CycleLayout) -> None:
    heads = ["一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"]
    g.add([C("绩效指标")] + [C(_sp(h, lay)) for h in heads])
    for l1 in table.indicators:
        first1 = True
        for l2 in l1.children:
            first2 = True
            for ind in l2.indicators:
                l2cell = (l2.label, not first2 and not lay.repeat_level)
                g.add([C(up=True), C(l1.label, up=not first1 and not lay.repeat_level), C(l2cell[0], up=l2cell[1]),
                       C(ind.name), C(ind.mid_term_target.raw or ""), C(l2cell[0], up=l2cell[1]), C(ind.name),
                       C(ind.target.raw or "")])
                first1 = first2 = False


def _restart(rows: list[list[C]]) -> list[list[C]]:
    rows[0] = [C(c.text or ("绩效指标" if i == 0 else ""), c.span) for i, c in enumerate(rows[0])]
    return rows


def _tasks(g: _Grid, table: OverallTable, lay: CycleLayout) -> None:
    if lay.tasks_split:
        g.add([C("年度主要任务"), C(_sp("任务名称", lay)), C(_sp("主要内容", lay), 2), C(f"预算金额（{_unit(lay)}）", 3)])
        g.add([C(up=True), C(up=True), C(up=True, span=2), C(_sp("总额", lay)), C("财政拨款"), C("其他资金")])
    else:
        g.add([C("年度主要任务"), C(_sp("任务名称", lay)), C(_sp("主要内容", lay), 2), C(_sp("总额", lay)), C("财政拨款"),
               C("其他资金")])
    for t in table.tasks:
        g.add([C(up=True), C(t.name), C(t.content, 2), *[C(_money(v, lay)) for v in (t.total, t.fiscal, t.other)]])
    t = table.tasks_total
    g.add([C(up=True), C("金额合计", 3), *[C(_money(v, lay)) for v in (t.total, t.fiscal, t.other)]])


def _indicator_columns(lay: CycleLayout, monitoring: bool, project: bool) -> list[tuple[str, str, int]]:
    """(header, field, span) of the indicator block after the section column; tick columns' field is
    'causes:<option>'."""
    cols = [("一级指标", "level1", 1), ("二级指标", "level2", 1), ("三级指标", "name", 1)]
    if monitoring:
        m = f"1{lay.dash}{lay.months}月"
        cols += [("年度指标值", "target", 1), (f"{m}实际完成值", "actual", 1), ("全年预计完成值", "forecast", 1)]
        cols += [(c, f"causes:{c}", 1) for c in CAUSES]
        tail = [("完成目标可能性", "likelihood", 1), ("备注", "remark", 1)]
        cols += tail[::-1] if lay.remark_first else tail
    elif project:
        pair = [("中期指标值", "mid_term_target", 1), ("年度指标值", "target", 1)]
        cols += pair if lay.mid_first else pair[::-1]
    else:
        cols += [("指标值", "target", 1)]
    return cols


def _indicator_block(g: _Grid, table, cols, lay: CycleLayout, caption: str) -> None:
    ticks = [c for c in cols if c[1].startswith("causes:")]
    if lay.block_caption_row and caption != "绩效指标":
        g.add([C(caption, g.width)])
        caption = "绩效指标"
    if ticks and lay.tick_group:
        first = cols.index(ticks[0])
        top = [C(caption)] + [C(_sp(h, lay), s) for h, _, s in cols[:first]] + [C("偏差原因分析", len(ticks))] + [
            C(_sp(h, lay), s) for h, _, s in cols[first + len(ticks):]]
        low = [C(up=True)] + [C(up=True, span=s) for _, _, s in cols[:first]] + [C(h) for h, _, _ in ticks] + [
            C(up=True, span=s) for _, _, s in cols[first + len(ticks):]]
        g.add(top)
        g.add(low)
    elif lay.split_header and not ticks:
        top = [C(caption)] + [C(h[:-3] if h.endswith("指标值") and len(h) > 3 else h, s) for h, _, s in cols]
        low = [C(up=True)] + [C("指标值") if h.endswith("指标值") and len(h) > 3 else C(up=True, span=s) for h, _, s in cols]
        g.add(top)
        g.add(low)
    else:
        g.add([C(caption)] + [C(_sp(h, lay), s) for h, _, s in cols])
    rnd_tick = random.Random(len(g.rows))
    for l1 in table.indicators:
        first1 = True
        for l2 in l1.children:
            first2 = True
            for ind in l2.indicators:
                cells = [C(up=True)]
                for _, fld, s in cols:
                    if fld == "level1":
                        cells.append(C(l1.label, s, up=not first1 and not lay.repeat_level))
                    elif fld == "level2":
                        cells.append(C(l2.label, s, up=not first2 and not lay.repeat_level))
                    elif fld.startswith("causes:"):
                        on = fld.split(":")[1] in ind.causes
                        cells.append(C(rnd_tick.choice(TICKS) if on else rnd_tick.choice(UNTICKS), s))
                    else:
                        value = getattr(ind, fld)
                        cells.append(C(getattr(value, "raw", value) or "", s))
                g.add(cells)
                first1 = first2 = False


def expected_cycle(pkg: Package, lay: CycleLayout) -> Package:
    def fix(table):
        update: dict = {}
        if lay.signature:
            update["signature"] = Signature(filled_by="王五", phone="0731-1234567", date="2024年8月5日")
        if not lay.year_line:
            update["title"] = f"{pkg.fiscal_year}年度{table.title}"
        return table.model_copy(update=update)

    return pkg.model_copy(update={"overall": fix(pkg.overall) if pkg.overall else None,
                                  "projects": [fix(p) for p in pkg.projects]})


def cycle_case(seed: int) -> tuple[Package, list, list[str], str]:
    """(package expected, blocks to write, texts findings must name, form) for one random draw."""
    rnd = random.Random(seed)
    form = rnd.choice(["targets-national", "monitoring-national"])
    part = rnd.choice(["project", "overall"])
    year = rnd.choice([2024, 2025])
    pkg = cycle_package(rnd, form, part, year)
    lay = random_cycle_layout(rnd, form == "monitoring-national")
    blocks = draw_cycle(pkg, lay, rnd)
    return expected_cycle(pkg, lay), blocks, lay.injected, form
