"""Test fixtures: the seed's text (each cell starts with a tab, rows separated by a blank line)
back into blocks, and any Package into the same blocks, as the official forms lay them out.

Blocks are ('p', text) paragraphs and ('t', kind, rows) tables whose rows are lists of cell
texts (paragraphs of a cell joined by '\\n'). iofix_docx turns them into Word files.
"""

from __future__ import annotations

from pathlib import Path

from jixiao.model import Package

ROOT = Path(__file__).resolve().parents[2]
# The text of the real 2023 Word package (shared/seeds), kept in the repo so tests run anywhere.
SEED_TXT = ROOT / "examples" / "source" / "000_749a43b3eb24d10d.txt"
SEED_JSON = ROOT / "examples" / "2023-yueyanglou-chengguan-ducha.json"
TABLE_ENDS = ("说明", "备注", "单位负责人签字")


def _rows(lines: list[str]) -> list[list[str]]:
    """Cells of one table. A blank line before a tab line ends the row, other lines are paragraphs."""
    rows: list[list[list[str]]] = [[]]
    blanks = 0
    for line in lines:
        if line.startswith("\t"):
            if blanks and rows[-1]:
                rows[-1][-1].extend([""] * (blanks - 1))
                rows.append([])
            rows[-1].append([line[1:]])
            blanks = 0
        elif line == "":
            blanks += 1
        else:
            rows[-1][-1].extend([""] * blanks + [line])
            blanks = 0
    return [["\n".join(paras) for paras in row] for row in rows if row]


def _fix_indicator_rows(rows: list[list[str]], width: int = 9) -> list[list[str]]:
    """A cell ending in an empty paragraph looks like a row end in the text: join fragments to full rows."""
    out: list[list[str]] = []
    in_indicators = False
    for row in rows:
        if in_indicators and out and len(out[-1]) < width and not row[0].startswith("总分") and len(out[-1]) + len(row) <= width:
            out[-1][-1] += "\n"
            out[-1].extend(row)
            continue
        out.append(list(row))
        if any(c.strip() == "一级指标" for c in row):
            in_indicators = True
        if row[0].startswith("总分"):
            in_indicators = False
    return out


def seed_blocks(path: Path = SEED_TXT) -> list[tuple]:
    """The seed document as blocks: tables in order are the basic, overall and project tables."""
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    blocks: list[tuple] = []
    kinds = iter(["basic", "overall", "project"])
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.startswith("\t"):
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if not (line == "" and nxt.startswith("\t")):  # the blank line before a table is not a paragraph
                blocks.append(("p", line))
            i += 1
            continue
        j = i
        while j < len(lines) and not (lines[j] and not lines[j].startswith("\t") and lines[j].lstrip().startswith(TABLE_ENDS)):
            j += 1
        body = lines[i:j]
        while body and body[-1] == "":
            body.pop()
        blocks.append(("t", next(kinds), _fix_indicator_rows(_rows(body))))
        i = j
    return blocks


def seed_package() -> Package:
    return Package.model_validate_json(SEED_JSON.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ any package, official layout


def _s(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "raw"):
        return value.raw or ""
    return str(value)


def _pct(value) -> str:
    return "" if value is None else (str(value) if value == "/" else f"{value}%")


def _sig(sig) -> str:
    return (
        f"单位负责人签字：{sig.unit_head or ''}          填表人：{sig.filled_by or ''}     "
        f"联系电话：{sig.phone or ''}   填报日期：{sig.date or ''}"
    )


BASIC_LABELS = [
    ("sangong", "三公经费"), ("vehicle", "1、公务用车购置和维护经费"), ("vehicle_purchase", "其中：公车购置"),
    ("vehicle_operation", "公车运行维护"), ("overseas", "2、出国经费"), ("reception", "3、公务接待"),
    ("project_spending", "项目支出："), ("business_funds", "1、业务工作经费"), ("operation_funds", "2、运行维护经费"),
    ("district_special", "3、区级专项资金(一个专项一行)"), ("transfer", "4、上级转移支付(一个专项一行）"),
    ("public_funds", "公用经费"), ("office_funds", "其中：办公经费"), ("utilities_travel", "水费、电费、差旅费"),
    ("meeting_training", "会议费、培训费"), ("procurement", "政府采购金额"), ("basic_budget_adjustment", "部门基本支出预算调整"),
]


def _basic_rows(b, year: int) -> list[list[str]]:
    rows = [["预算单位名称", b.unit_name or ""]]
    rows.append(["财政供养人员情况(人)", "编制数", f"{year}年实际在职人数", "控制率"])
    st = b.staffing
    rows.append(["", _s(st.establishment), _s(st.actual), _pct(st.control_rate)])
    rows.append(["经费控制情况(万元)", f"{year - 1}年决算数", f"{year}年预算数", f"{year}年决算数"])
    for fld, label in BASIC_LABELS:
        r = getattr(b, fld)
        rows.append([label, _s(r.prev_final), _s(r.budget), _s(r.final)])
        items = {"district_special": b.district_special_items, "transfer": b.transfer_items}.get(fld, [])
        rows.extend([it.name, _s(it.prev_final), _s(it.budget), _s(it.final)] for it in items)
    rows.append([f"楼堂馆所控制情况\n({year}年完工项目)", "批复规模\n(m²)", "实际规\n模(m²)", "规模控制率",
                 "预算投资\n(万元)", "实际\n投资\n(万元)", "投资概\n算控制\n率"])
    for bd in b.buildings or [None]:
        if bd is None:
            rows.append([""] * 7)
        else:
            rows.append([bd.name or "", _s(bd.approved_area), _s(bd.actual_area), _pct(bd.area_control_rate),
                         _s(bd.budget_investment), _s(bd.actual_investment), _pct(bd.investment_control_rate)])
    rows.append(["厉行节约保障措施", b.frugality_measures or ""])
    return rows


def _funds(label: str, f) -> list[str]:
    return ["", label, _s(f.initial_budget), _s(f.full_year_budget), _s(f.executed), _s(f.weight),
            _pct(f.execution_rate), _s(f.self_score)]


def _eval_rows(t, project: bool) -> list[list[str]]:
    if project:
        rows = [["项目支出名称", t.project_name or ""], ["主管部门", t.department or "", "实施单位", t.implementing_unit or ""]]
        rows.append(["\n项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "自评得分"])
        rows.append(_funds("年度资金总额", t.funds))
        rows.append(_funds("其中：当年财政拨款", t.current_appropriation))
        rows.append(_funds("上年结转资金", t.carryover))
        rows.append(_funds("其他资金", t.other_funds))
    else:
        rows = [["预算单位名称", t.unit_name or ""]]
        rows.append(["\n年度预  算申请  （万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "自评得分"])
        rows.append(_funds("年度资金总额", t.funds))
        inc, sp = t.income, t.spending
        rows.append(["", "按收入性质分：", "按支出性质分："])
        rows.append(["", f"其中：  一般公共预算：{_s(inc.general_budget)}", f"其中：基本支出：{_s(sp.basic)}"])
        rows.append(["", f"政府性基金拨款：{_s(inc.government_fund)}", f"项目支出：{_s(sp.project)}"])
        rows.append(["", f"纳入专户管理的非税收入拨款：{_s(inc.special_account)}", ""])
        rows.append(["", f"其他资金：{_s(inc.other)}", ""])
    rows.append(["年度总体目标", "预期目标", "实际完成情况"])
    rows.append(["", t.goals.expected or "", t.goals.actual or ""])
    rows.append(["\n绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "自评得分", "偏差原因分析及改进措施"])
    for l1 in t.indicators:
        first1 = True
        for l2 in l1.children:
            first2 = True
            for ind in l2.indicators or [None]:
                cells = ["", l1.label if first1 else "", l2.label if first2 else ""]
                if ind is None:
                    cells += [""] * 6
                else:
                    cells += [ind.name or "", _s(ind.target), _s(ind.actual), _s(ind.weight), _s(ind.self_score),
                              ind.deviation_reason or ""]
                rows.append(cells)
                first1 = first2 = False
    rows.append(["总分", _s(t.total_weight), _s(t.total_self_score), ""])
    return rows


def package_blocks(pkg: Package) -> list[tuple]:
    """A package as the blocks of one Word file in the official layout (what a unit would hand in)."""
    y = pkg.fiscal_year
    blocks: list[tuple] = []
    if pkg.basic:
        b = pkg.basic
        blocks += [("p", "附件1"), ("p", b.title or f"{y}年度预算单位整体支出绩效评价基础数据表"),
                   ("t", "basic", _basic_rows(b, y))]
        if b.note:
            blocks.append(("p", f"说明：{b.note}"))
        blocks.append(("p", _sig(b.signature)))
    if pkg.overall:
        o = pkg.overall
        blocks += [("p", "附件2"), ("p", o.title or f"{y}年度预算单位整体支出绩效自评表"), ("t", "overall", _eval_rows(o, False))]
        if o.note:
            blocks.append(("p", f"说明：{o.note}"))
        blocks.append(("p", _sig(o.signature)))
    for p in pkg.projects:
        blocks += [("p", "附件3"), ("p", p.title or f"{y}年度项目支出绩效自评表"), ("t", "project", _eval_rows(p, True))]
        if p.note:
            blocks.append(("p", f"备注：{p.note}"))
        blocks.append(("p", _sig(p.signature)))
    if pkg.report:
        blocks.append(("p", pkg.report.title or ""))
        for s in pkg.report.sections:
            blocks.append(("p", s.heading))
            blocks.extend(("p", line) for line in s.body.split("\n"))
    return blocks


def split_blocks(blocks: list[tuple]) -> dict[str, list[tuple]]:
    """The blocks of one Word file cut into one file per part: 'basic', 'overall', 'project1'…, 'report'."""
    files: dict[str, list[tuple]] = {}
    current: list[tuple] = []
    projects = 0
    pending: list[tuple] = []
    for block in blocks:
        if block[0] == "t":
            kind = block[1]
            if kind == "project":
                projects += 1
                kind = f"project{projects}"
            current = files.setdefault(kind, [])
            current.extend(pending)
            current.append(block)
            pending = []
        elif "自评报告" in block[1] and len(block[1]) < 80:
            current = files.setdefault("report", [])
            current.extend([block])
        elif block[1].strip().startswith(("附件",)) or ("年度" in block[1] and "表" in block[1] and len(block[1]) < 60):
            pending.append(block)
        else:
            current.append(block)
    return files
