"""The official tables as editable sheets, laid out from the form definition (jixiao.forms):
the same rows, column groups and merged cells as the Word forms. No label is listed here
that the form definition already holds."""

from __future__ import annotations

from typing import Any

from jixiao.forms import basic_rows, load_form

from .cells import Cell, Row, Sheet
from .checking import value_at

OPS_ADD, OPS_DEL = "＋", "－"
# 绩效指标 columns: the section caption, 一级, 二级, 三级, 指标值, 完成值, 分值, 得分, 偏差原因.
EVALUATION_WIDTHS = ["2.6em", "9%", "9%", "19%", "12%", "14%", "6.5%", "8%", ""]


class _Builder:
    def __init__(self, doc: dict[str, Any], key: str, title: str, columns: int, editable: bool, url: str):
        self.doc = doc
        self.sheet = Sheet(key=key, title=title, columns=columns, rows=[], editable=editable, values={}, url=url)

    def th(self, text: str, colspan: int = 1, rowspan: int = 1, *, anchor: str | None = None, ops=(), cls="") -> Cell:
        return Cell("th", text=text, colspan=colspan, rowspan=rowspan, anchor=anchor, ops=list(ops), cls=cls)

    def inp(self, kind: str, path: str, label: str, colspan: int = 1, rowspan: int = 1, *, ops=(), cls="",
            anchor: str | None = None) -> Cell:
        self.sheet.values[path] = value_at(self.doc, path)
        return Cell(kind, path=path, label=label, colspan=colspan, rowspan=rowspan, ops=list(ops), cls=cls,
                    anchor=anchor)

    def blank(self, colspan: int = 1, text: str = "") -> Cell:
        return Cell("ro" if text else "blank", text=text, colspan=colspan)

    def row(self, *cells: Cell, cls: str = "") -> None:
        self.sheet.rows.append(Row(list(cells), cls))

    def foot(self, *cells: Cell) -> None:
        self.sheet.footer.append(Row(list(cells)))

    def length(self, path: str) -> int:
        items = value_at(self.doc, path)
        n = len(items) if isinstance(items, list) else 0
        self.sheet.lists.append((path, n))
        return n

    def signature(self, prefix: str, form: dict[str, Any]) -> None:
        cells: list[Cell] = [self.th("签字栏", anchor=f"{prefix}.signature")]
        for spec in form["captions"]["signature"]:
            name, label = spec["field"], spec["label"]
            cells.append(self.th(label, cls="sig"))
            cells.append(self.inp("text", f"{prefix}.signature.{name}", label))
        self.foot(*cells)


def _year_label(label: str, year: int) -> str:
    return label.format(year=year, prev_year=year - 1)


def basic_sheet(doc: dict[str, Any], *, form_name: str, editable: bool, url: str) -> Sheet:
    form = load_form(form_name)
    year = int(doc.get("fiscal_year") or 0)
    spec = form["basic"]
    cap = {k: _year_label(v, year) for k, v in form["captions"]["basic"].items()}
    b = _Builder(doc, "basic", form["parts"]["basic"]["name"], 7, editable, url)
    b.sheet.widths = ["19%"] + ["13.5%"] * 6
    p = "basic"
    b.row(b.th(cap["unit_name"], anchor=p), b.inp("text", f"{p}.unit_name", cap["unit_name"], 6))
    staff = spec["staffing_columns"]
    b.row(
        b.th(cap["staffing"], rowspan=2, anchor=f"{p}.staffing"),
        *[b.th(_year_label(c["label"], year), 2) for c in staff],
    )
    kinds = {"establishment": "int", "actual": "int", "control_rate": "pct"}
    b.row(*[
        b.inp(kinds.get(c["field"], "num"), f"{p}.staffing.{c['field']}", _year_label(c["label"], year), 2)
        for c in staff
    ])
    cols = [(c["field"], _year_label(c["label"], year)) for c in spec["amount_columns"]]
    b.row(b.th(cap["amounts"]), *[b.th(label, 2) for _, label in cols])
    for r in basic_rows(form):
        field = r["field"]
        items = r.get("items")
        ops = [(f"add:{p}.{items}", OPS_ADD, f"在“{r['label']}”下增加一行")] if items else []
        cls = "sum" if ("sum_of" in r or items) else ""
        b.row(
            b.th(r["label"], anchor=f"{p}.{field}", ops=ops, cls="rowlabel " + cls),
            *[b.inp("num", f"{p}.{field}.{col}", f"{r['label']} {label}", 2) for col, label in cols],
            cls=cls,
        )
        if items:
            for i in range(b.length(f"{p}.{items}")):
                ip = f"{p}.{items}.{i}"
                b.row(
                    b.inp("text", f"{ip}.name", "专项名称", ops=[(f"del:{ip}", OPS_DEL, "删除此行")], cls="item",
                          anchor=ip),
                    *[b.inp("num", f"{ip}.{col}", f"专项 {label}", 2) for col, label in cols],
                    cls="item",
                )
    bcols = spec["building_columns"]
    b.row(
        b.th(cap["buildings"], anchor=f"{p}.buildings",
             ops=[(f"add:{p}.buildings", OPS_ADD, "增加一个楼堂馆所项目")]),
        *[b.th(c["label"]) for c in bcols],
    )
    n = b.length(f"{p}.buildings")
    for i in range(n):
        bp = f"{p}.buildings.{i}"
        b.row(
            b.inp("text", f"{bp}.name", "项目名称", ops=[(f"del:{bp}", OPS_DEL, "删除此行")], cls="item", anchor=bp),
            *[b.inp("pct" if "rate" in c["field"] else "num", f"{bp}.{c['field']}", c["label"]) for c in bcols],
        )
    if n == 0:
        b.row(b.blank(1, "（无）"), *[b.blank() for _ in bcols])
    b.row(b.th(cap["frugality"], anchor=f"{p}.frugality_measures"),
          b.inp("area", f"{p}.frugality_measures", cap["frugality"], 6))
    b.row(b.th(cap["note"]), b.inp("area", f"{p}.note", cap["note"], 6))
    b.signature(p, form)
    return b.sheet


def _funds_header(b: _Builder, label: str, rowspan: int, cols: list[dict], anchor: str) -> None:
    b.row(b.th(label, rowspan=rowspan, anchor=anchor, cls="vertical"), b.th("", 2), *[b.th(c["label"]) for c in cols])


def _funds_row(b: _Builder, path: str, label: str, cols: list[dict]) -> list[Cell]:
    kinds = {"weight": "num", "self_score": "num", "execution_rate": "pct"}
    return [
        b.th(label, 2, anchor=path),
        *[b.inp(kinds.get(c["field"], "num"), f"{path}.{c['field']}", f"{label} {c['label']}") for c in cols],
    ]


def _goals(b: _Builder, p: str, cap: dict[str, str]) -> None:
    b.row(b.th(cap["goals"], rowspan=2, anchor=f"{p}.goals", cls="vertical"),
          b.th(cap["goals_expected"], 4), b.th(cap["goals_actual"], 4))
    b.row(b.inp("area", f"{p}.goals.expected", cap["goals_expected"], 4),
          b.inp("area", f"{p}.goals.actual", cap["goals_actual"], 4))


def _indicators(b: _Builder, p: str, form: dict[str, Any], cap: dict[str, str]) -> None:
    """绩效指标: 一级 and 二级 labels merged down over their 三级 rows, as in the Word form."""
    cols = form["evaluation"]["indicator_columns"]
    rows: list[list[Cell]] = []
    n1 = b.length(f"{p}.indicators")
    for i in range(n1):
        lp = f"{p}.indicators.{i}"
        n2 = b.length(f"{lp}.children")
        l1_rows: list[list[Cell]] = []
        for j in range(n2):
            cp = f"{lp}.children.{j}"
            n3 = b.length(f"{cp}.indicators")
            l2_cell = b.inp("area", f"{cp}.label", "二级指标", rowspan=max(n3, 1), cls="level2", anchor=cp, ops=[
                (f"add:{cp}.indicators", OPS_ADD, "在此二级指标下增加一个三级指标"),
                (f"del:{cp}", OPS_DEL, "删除此二级指标及其三级指标"),
            ])
            if n3 == 0:
                l1_rows.append([l2_cell, b.blank(6, "（无三级指标）")])
            for k in range(n3):
                ip = f"{cp}.indicators.{k}"
                cells = [l2_cell] if k == 0 else []
                cells += [
                    b.inp("area", f"{ip}.name", "三级指标", ops=[(f"del:{ip}", OPS_DEL, "删除此三级指标")], anchor=ip),
                    b.inp("area", f"{ip}.target", "年度指标值", cls="ind"),
                    b.inp("area", f"{ip}.actual", "实际完成值", cls="ind"),
                    b.inp("num", f"{ip}.weight", "分值"),
                    b.inp("num", f"{ip}.self_score", "自评得分"),
                    b.inp("area", f"{ip}.deviation_reason", "偏差原因分析及改进措施"),
                ]
                l1_rows.append(cells)
        l1_cell = b.inp("area", f"{lp}.label", "一级指标", rowspan=max(len(l1_rows), 1), cls="level1", anchor=lp, ops=[
            (f"add:{lp}.children", OPS_ADD, "在此一级指标下增加一个二级指标"),
            (f"del:{lp}", OPS_DEL, "删除此一级指标"),
        ])
        if not l1_rows:
            l1_rows = [[b.blank(7, "（无二级指标）")]]
        l1_rows[0].insert(0, l1_cell)
        rows += l1_rows
    header = [b.th(c["label"]) for c in cols]
    b.row(
        b.th(cap["indicators"], rowspan=len(rows) + 1, anchor=f"{p}.indicators", cls="vertical",
             ops=[(f"add:{p}.indicators", OPS_ADD, "增加一个一级指标")]),
        *header,
    )
    for cells in rows:
        b.row(*cells)
    b.row(
        b.th(cap["total"], 6, anchor=f"{p}.total"),
        b.inp("num", f"{p}.total_weight", "总分 分值"),
        b.inp("num", f"{p}.total_self_score", "总分 自评得分"),
        b.blank(),
        cls="total",
    )


def overall_sheet(doc: dict[str, Any], *, form_name: str, editable: bool, url: str) -> Sheet:
    form = load_form(form_name)
    ev = form["evaluation"]
    cap = form["captions"]["evaluation"]
    b = _Builder(doc, "overall", form["parts"]["overall"]["name"], 9, editable, url)
    b.sheet.widths = EVALUATION_WIDTHS
    p = "overall"
    b.row(b.th(cap["unit_name"], 2, anchor=p), b.inp("text", f"{p}.unit_name", cap["unit_name"], 7))
    cols = ev["funds_columns"]
    income, spending = ev["income_rows"], ev["spending_rows"]
    n = max(len(income), len(spending))
    _funds_header(b, cap["overall_funds"], 3 + n, cols, f"{p}.funds")
    b.row(*_funds_row(b, f"{p}.funds", ev["funds_total"]["label"], cols))
    b.row(b.th(cap["income"], 4, anchor=f"{p}.income"), b.th(cap["spending"], 4, anchor=f"{p}.spending"))
    for i in range(n):
        cells: list[Cell] = []
        for rows, group in ((income, "income"), (spending, "spending")):
            if i < len(rows):
                r = rows[i]
                label = ("其中：" if i == 0 else "") + r["label"] + "："
                cells += [b.th(label, 2, cls="split"), b.inp("num", f"{p}.{group}.{r['field']}", r["label"], 2)]
            else:
                cells.append(b.blank(4))
        b.row(*cells)
    _goals(b, p, cap)
    _indicators(b, p, form, cap)
    b.row(b.th(cap["overall_note"]), b.inp("area", f"{p}.note", cap["overall_note"], 8))
    b.signature(p, form)
    return b.sheet


def project_sheet(doc: dict[str, Any], index: int, *, form_name: str, editable: bool, url: str) -> Sheet:
    form = load_form(form_name)
    ev = form["evaluation"]
    p = f"projects.{index}"
    name = value_at(doc, f"{p}.project_name") or f"第{index + 1}张"
    cap = form["captions"]["evaluation"]
    b = _Builder(doc, f"project-{index}", f"{form['parts']['project']['name']}（{name}）", 9, editable, url)
    b.sheet.widths = EVALUATION_WIDTHS
    b.row(b.th(cap["project_name"], 2, anchor=p), b.inp("text", f"{p}.project_name", cap["project_name"], 7))
    b.row(
        b.th(cap["department"], 2), b.inp("text", f"{p}.department", cap["department"], 3),
        b.th(cap["implementing_unit"]), b.inp("text", f"{p}.implementing_unit", cap["implementing_unit"], 3),
    )
    cols = ev["funds_columns"]
    fund_rows = ev["project_fund_rows"]
    _funds_header(b, cap["project_funds"], 2 + len(fund_rows), cols, f"{p}.funds")
    b.row(*_funds_row(b, f"{p}.funds", ev["funds_total"]["label"], cols))
    for r in fund_rows:
        b.row(*_funds_row(b, f"{p}.{r['field']}", r["label"], cols))
    _goals(b, p, cap)
    _indicators(b, p, form, cap)
    b.row(b.th(cap["project_note"]), b.inp("area", f"{p}.note", cap["project_note"], 8))
    b.signature(p, form)
    return b.sheet


def report_sheet(doc: dict[str, Any], *, form_name: str, editable: bool, url: str) -> Sheet:
    """The report's title and its sections in order; the caller normalised the sections."""
    form = load_form(form_name)
    b = _Builder(doc, "report", form["parts"]["report"]["name"], 2, editable, url)
    b.sheet.widths = ["7em", ""]
    b.row(b.th("报告标题", anchor="report"), b.inp("text", "report.title", "报告标题"))
    n = b.length("report.sections")
    for i in range(n):
        sp = f"report.sections.{i}"
        heading = b.inp("text", f"{sp}.heading", f"第{i + 1}节标题", cls="heading", anchor=sp)
        heading.hidden = [(f"{sp}.number", value_at(doc, f"{sp}.number"))]
        b.row(b.th(f"第{i + 1}节"), heading)
        b.row(b.blank(), b.inp("area", f"{sp}.body", f"第{i + 1}节正文", cls="body"))
    return b.sheet
