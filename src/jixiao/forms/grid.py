"""The one grid of every table: what Word, Excel, HTML/PDF and the web sheet all draw.

A ``GridPart`` is one printed table: its rows of ``GridCell``s placed at grid columns with
their spans, each cell a fixed caption or a value cell named by its model path and kind
(amount, percent, count, score, text, area, indicator). The grid holds no values: the
printed documents look each path up in the ``Package``, the web sheet in the stored JSON
and puts an input there. What the web adds beyond that (buttons, widths in the page) comes
from the cells' ``ops`` and the part's ``widths``.

The geometry follows the seed's Word tables. 基础数据表 has seven columns (a label and six
narrow columns; amount columns span two, the 楼堂馆所 rows use all six). The evaluation tables
have ten: a narrow section column (年度预算申请 / 年度总体目标 / 绩效指标, merged down),
一级, 二级, 三级 (two columns), 年度指标值, 实际完成值, 分值, 自评得分, 偏差原因. Labels, rows and
columns all come from the form definition; nothing here names a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from . import fmt_label, load_form
from .paths import length_at, value_at

Kind = Literal["caption", "label", "text", "area", "amount", "percent", "count", "score", "indicator", "blank"]
Align = Literal["left", "center", "right"]
VALUE_KINDS = ("text", "area", "amount", "percent", "count", "score", "indicator")
NUMBER_FORMATS = {"amount": "0.00", "score": "0.00", "percent": "0.00%", "count": "0"}

# Millimetres. Portrait A4 leaves 170 mm between 20 mm margins, landscape 257 mm.
BASIC_WIDTHS = [62.0, 18.0, 18.0, 18.0, 18.0, 18.0, 18.0]
EVAL_WIDTHS = [10.0, 20.0, 22.0, 30.0, 30.0, 30.0, 34.0, 15.0, 17.0, 49.0]
# Grid columns of the six funds columns (年初预算数 … 自评得分) and their spans.
FUNDS_SLOTS = [(3, 1), (4, 1), (5, 1), (6, 1), (7, 2), (9, 1)]
# The printed 项目支出绩效自评表 has three rows under each 二级指标, the last one '……'.
PRINTED_ROWS = 3
MORE_ROWS = "……"


@dataclass
class GridCell:
    col: int
    colspan: int = 1
    rowspan: int = 1
    kind: Kind = "caption"
    text: str = ""  # a caption's or fixed label's text
    path: str | None = None  # the model path of the value shown here
    label: str = ""  # what the cell is called (row and column), for inputs and messages
    anchor: str | None = None  # a row or section this cell stands for (findings on the row land here)
    ops: tuple[tuple[str, str], ...] = ()  # ('add:<list path>' | 'del:<item path>', title) the web offers
    align: Align = "left"
    style: str = ""  # a presentation hint: 'sum' rows, list 'item's, 'level1'/'level2', 'vertical' captions
    placeholder: str = ""  # what an empty list's row says on screen ('（无三级指标）'); printed blank

    @property
    def is_value(self) -> bool:
        return self.kind in VALUE_KINDS


@dataclass
class GridPart:
    key: Literal["basic", "overall", "project", "report"]
    name: str  # 基础数据表 …
    label: str  # how files, sheets and tabs name this copy: '项目支出绩效自评表（业务工作经费）'
    title: str
    path: str  # 'basic', 'overall', 'projects.2', 'report'
    widths: list[float] = field(default_factory=list)  # millimetres
    rows: list[list[GridCell]] = field(default_factory=list)
    landscape: bool = False
    attachment: str | None = None
    note: tuple[str, str] | None = None  # (caption, path) of the note under the table
    signature: list[tuple[str, str]] = field(default_factory=list)  # (label, path)
    lists: list[tuple[str, int]] = field(default_factory=list)  # (list path, length) of the lists drawn

    @property
    def n_cols(self) -> int:
        return len(self.widths)

    def cells(self):
        for row in self.rows:
            yield from row


def build_grid(source: Any, form: dict[str, Any] | None = None, *, printed: bool = False) -> list[GridPart]:
    """Every table part of a package (a ``Package`` or its JSON), in the order of the paper package.

    ``printed``: the paper form's rows to write in are added (under each 二级指标 of a 项目支出
    绩效自评表, rows up to three, the last '……'); the web sheet adds rows with its buttons instead.
    """
    form = form or load_form()
    year = int(value_at(source, "fiscal_year") or 0)
    parts: list[GridPart] = []
    if value_at(source, "basic") is not None:
        parts.append(basic_grid(source, form, year))
    if value_at(source, "overall") is not None:
        parts.append(evaluation_grid(source, form, year, None))
    for i in range(length_at(source, "projects")):
        parts.append(evaluation_grid(source, form, year, i, printed=printed))
    return parts


def default_title(form: dict[str, Any], key: str, source: Any) -> str:
    year = int(value_at(source, "fiscal_year") or 0)
    return fmt_label(form["captions"]["titles"][key], year, unit=value_at(source, "unit_name") or "")


def _cap(text: str, col: int, colspan: int = 1, rowspan: int = 1, **kw) -> GridCell:
    return GridCell(col, colspan, rowspan, "caption", text, align="center", **kw)


def _val(kind: Kind, path: str, label: str, col: int, colspan: int = 1, **kw) -> GridCell:
    align = kw.pop("align", "right" if kind in NUMBER_FORMATS else "left")
    return GridCell(col, colspan, kw.pop("rowspan", 1), kind, path=path, label=label, align=align, **kw)


# ------------------------------------------------------------------ 基础数据表


def basic_grid(source: Any, form: dict[str, Any], year: int) -> GridPart:
    caps = {k: fmt_label(v, year) for k, v in form["captions"]["basic"].items()}
    spec = form["basic"]
    p = "basic"
    name = form["parts"]["basic"]["name"]
    part = GridPart(
        key="basic", name=name, label=name, path=p, widths=list(BASIC_WIDTHS),
        title=value_at(source, f"{p}.title") or default_title(form, "basic", source),
        attachment=form["captions"]["attachments"]["basic"], note=(caps["note"], f"{p}.note"),
        signature=[(s["label"], f"{p}.signature.{s['field']}") for s in form["captions"]["signature"]],
    )
    add = part.rows.append
    add([_cap(caps["unit_name"], 0, anchor=p), _val("text", f"{p}.unit_name", caps["unit_name"], 1, 6)])

    staffing = [(c["field"], fmt_label(c["label"], year)) for c in spec["staffing_columns"]]
    add([_cap(caps["staffing"], 0, rowspan=2, anchor=f"{p}.staffing")]
        + [_cap(label, 1 + 2 * i, 2) for i, (_, label) in enumerate(staffing)])
    kinds = {"establishment": "count", "actual": "count", "control_rate": "percent"}
    add([_val(kinds.get(f, "amount"), f"{p}.staffing.{f}", label, 1 + 2 * i, 2) for i, (f, label) in enumerate(staffing)])

    columns = [(c["field"], fmt_label(c["label"], year)) for c in spec["amount_columns"]]
    add([_cap(caps["amounts"], 0)] + [_cap(label, 1 + 2 * i, 2) for i, (_, label) in enumerate(columns)])
    for row in spec["amount_rows"]:
        fld, items = row["field"], row.get("items")
        style = "sum" if ("sum_of" in row or items) else ""
        ops = ((f"add:{p}.{items}", f"在“{row['label']}”下增加一行"),) if items else ()
        head = GridCell(0, kind="label", text=row["label"], anchor=f"{p}.{fld}", ops=ops, style=f"rowlabel {style}".strip())
        add([head] + [_val("amount", f"{p}.{fld}.{c}", f"{row['label']} {label}", 1 + 2 * i, 2, style=style)
                      for i, (c, label) in enumerate(columns)])
        n_items = length_at(source, f"{p}.{items}") if items else 0
        if items:
            part.lists.append((f"{p}.{items}", n_items))
        for k in range(n_items):
            ip = f"{p}.{items}.{k}"
            add([_val("text", f"{ip}.name", "专项名称", 0, anchor=ip, ops=((f"del:{ip}", "删除此行"),), style="item")]
                + [_val("amount", f"{ip}.{c}", f"专项 {label}", 1 + 2 * i, 2, style="item") for i, (c, label) in enumerate(columns)])

    building_cols = [(c["field"], fmt_label(c["label"], year)) for c in spec["building_columns"]]
    add([_cap(caps["buildings"], 0, anchor=f"{p}.buildings", ops=((f"add:{p}.buildings", "增加一个楼堂馆所项目"),))]
        + [_cap(label, 1 + i) for i, (_, label) in enumerate(building_cols)])
    n = length_at(source, f"{p}.buildings")
    part.lists.append((f"{p}.buildings", n))
    for k in range(n):
        bp = f"{p}.buildings.{k}"
        add([_val("text", f"{bp}.name", "项目名称", 0, anchor=bp, ops=((f"del:{bp}", "删除此行"),), style="item")]
            + [_val("percent" if f.endswith("control_rate") else "amount", f"{bp}.{f}", label, 1 + i)
               for i, (f, label) in enumerate(building_cols)])
    if n == 0:  # an empty list still prints one row to fill in, as the form does
        add([GridCell(0, kind="blank", placeholder="（无）")]
            + [GridCell(1 + i, kind="blank", align="right") for i in range(len(building_cols))])

    add([_cap(caps["frugality"], 0, anchor=f"{p}.frugality_measures"),
         _val("area", f"{p}.frugality_measures", caps["frugality"], 1, 6)])
    return part


# ---------------------------------------------------- 整体 / 项目支出绩效自评表


def evaluation_grid(source: Any, form: dict[str, Any], year: int, index: int | None, *, printed: bool = False) -> GridPart:
    caps = {k: fmt_label(v, year) for k, v in form["captions"]["evaluation"].items()}
    ev = form["evaluation"]
    is_project = index is not None
    key = "project" if is_project else "overall"
    p = f"projects.{index}" if is_project else "overall"
    name = form["parts"][key]["name"]
    label = name
    if is_project:
        shown = value_at(source, f"{p}.project_name")
        shown = shown if shown and str(shown).strip() not in ("", "/") else None
        label = f"{name}（{shown or f'第{index + 1}张'}）"
    note = caps["project_note" if is_project else "overall_note"]
    part = GridPart(
        key=key, name=name, label=label, path=p, widths=list(EVAL_WIDTHS), landscape=True,
        title=value_at(source, f"{p}.title") or default_title(form, key, source),
        attachment=form["captions"]["attachments"][key], note=(note, f"{p}.note"),
        signature=[(s["label"], f"{p}.signature.{s['field']}") for s in form["captions"]["signature"]],
    )
    add = part.rows.append
    if is_project:
        add([_cap(caps["project_name"], 0, 3, anchor=p), _val("text", f"{p}.project_name", caps["project_name"], 3, 7)])
        add([_cap(caps["department"], 0, 3), _val("text", f"{p}.department", caps["department"], 3, 3),
             _cap(caps["implementing_unit"], 6),
             _val("text", f"{p}.implementing_unit", caps["implementing_unit"], 7, 3)])
    else:
        add([_cap(caps["unit_name"], 0, 3, anchor=p), _val("text", f"{p}.unit_name", caps["unit_name"], 3, 7)])

    if is_project:
        split = [_funds_row(r["label"], f"{p}.{r['field']}", ev) for r in ev["project_fund_rows"]]
    else:
        split = _overall_split_rows(caps, ev, p)
    section = caps["project_funds" if is_project else "overall_funds"]
    header = [_cap(section, 0, rowspan=2 + len(split), anchor=f"{p}.funds", style="vertical"), _cap("", 1, 2)]
    header += [_cap(c["label"], col, span) for c, (col, span) in zip(ev["funds_columns"], FUNDS_SLOTS, strict=True)]
    add(header)
    add(_funds_row(ev["funds_total"]["label"], f"{p}.funds", ev))
    for row in split:
        add(row)

    add([_cap(caps["goals"], 0, rowspan=2, anchor=f"{p}.goals", style="vertical"),
         _cap(caps["goals_expected"], 1, 4), _cap(caps["goals_actual"], 5, 5)])
    add([_val("area", f"{p}.goals.expected", caps["goals_expected"], 1, 4),
         _val("area", f"{p}.goals.actual", caps["goals_actual"], 5, 5)])

    indicator_rows = _indicator_rows(source, p, part.lists, PRINTED_ROWS if printed and is_project else 0)
    cols = {c["field"]: fmt_label(c["label"], year) for c in ev["indicator_columns"]}
    add([
        _cap(caps["indicators"], 0, rowspan=1 + len(indicator_rows), anchor=f"{p}.indicators", style="vertical",
             ops=((f"add:{p}.indicators", "增加一个一级指标"),)),
        _cap(cols["level1"], 1), _cap(cols["level2"], 2), _cap(cols["name"], 3, 2),
        _cap(cols["target"], 5), _cap(cols["actual"], 6), _cap(cols["weight"], 7),
        _cap(cols["self_score"], 8), _cap(cols["deviation_reason"], 9),
    ])
    for row in indicator_rows:
        add(row)
    add([
        _cap(caps["total"], 0, 7, anchor=f"{p}.total"),
        _val("score", f"{p}.total_weight", f"{caps['total']} {cols['weight']}", 7, style="total"),
        _val("score", f"{p}.total_self_score", f"{caps['total']} {cols['self_score']}", 8, style="total"),
        GridCell(9, kind="blank"),
    ])
    return part


def _funds_row(label: str, path: str, ev: dict[str, Any]) -> list[GridCell]:
    kinds = {"execution_rate": "percent", "weight": "score", "self_score": "score"}
    row = [GridCell(1, 2, kind="label", text=label, align="center", anchor=path)]
    for c, (col, span) in zip(ev["funds_columns"], FUNDS_SLOTS, strict=True):
        row.append(_val(kinds.get(c["field"], "amount"), f"{path}.{c['field']}", f"{label} {c['label']}", col, span))
    return row


def _overall_split_rows(caps: dict[str, str], ev: dict[str, Any], p: str) -> list[list[GridCell]]:
    """按收入性质分 beside 按支出性质分, label and amount in their own cells."""
    rows = [[_cap(caps["income"], 1, 4, anchor=f"{p}.income"), _cap(caps["spending"], 5, 5, anchor=f"{p}.spending")]]
    income, spending = ev["income_rows"], ev["spending_rows"]
    for i in range(max(len(income), len(spending))):
        row: list[GridCell] = []
        if i < len(income):
            r = income[i]
            row += [GridCell(1, 3, kind="label", text=r["label"], style="split"),
                    _val("amount", f"{p}.income.{r['field']}", r["label"], 4)]
        else:
            row += [GridCell(1, 3, kind="blank"), GridCell(4, kind="blank")]
        if i < len(spending):
            r = spending[i]
            row += [GridCell(5, 3, kind="label", text=r["label"], style="split"),
                    _val("amount", f"{p}.spending.{r['field']}", r["label"], 8, 2)]
        else:
            row += [GridCell(5, 3, kind="blank"), GridCell(8, 2, kind="blank")]
        rows.append(row)
    return rows


def _indicator_rows(source: Any, p: str, lists: list[tuple[str, int]], pad: int = 0) -> list[list[GridCell]]:
    """一级 and 二级 labels merged down over their 三级 rows; an empty level still prints one row.

    ``pad``: a 二级指标 with fewer 三级 rows gets blank rows up to ``pad``, the last one '……',
    as the printed 项目支出绩效自评表 has them (readers take such rows as placeholders)."""
    rows: list[list[GridCell]] = []
    n1 = length_at(source, f"{p}.indicators")
    lists.append((f"{p}.indicators", n1))
    for i in range(n1):
        lp = f"{p}.indicators.{i}"
        l1_rows: list[list[GridCell]] = []
        n2 = length_at(source, f"{lp}.children")
        lists.append((f"{lp}.children", n2))
        for j in range(n2):
            cp = f"{lp}.children.{j}"
            n3 = length_at(source, f"{cp}.indicators")
            lists.append((f"{cp}.indicators", n3))
            n_rows = max(n3, pad, 1)
            l2 = _val("area", f"{cp}.label", "二级指标", 2, align="center", rowspan=n_rows, anchor=cp, style="level2",
                      ops=((f"add:{cp}.indicators", "在此二级指标下增加一个三级指标"), (f"del:{cp}", "删除此二级指标及其三级指标")))
            for k in range(n_rows):
                if k < n3:
                    cells = _indicator_cells(f"{cp}.indicators.{k}")
                elif k == n_rows - 1 and n3 < pad:
                    cells = _indicator_cells(None, more=True)
                else:
                    cells = _indicator_cells(None, "（无三级指标）" if n3 == 0 else "")
                l1_rows.append(([l2] if k == 0 else []) + cells)
        if not l1_rows:
            l1_rows.append([GridCell(2, kind="blank", placeholder="（无二级指标）"), *_indicator_cells(None)])
        l1 = _val("area", f"{lp}.label", "一级指标", 1, align="center", rowspan=len(l1_rows), anchor=lp, style="level1",
                  ops=((f"add:{lp}.children", "在此一级指标下增加一个二级指标"), (f"del:{lp}", "删除此一级指标")))
        l1_rows[0].insert(0, l1)
        rows += l1_rows
    return rows


def _indicator_cells(ip: str | None, placeholder: str = "", *, more: bool = False) -> list[GridCell]:
    if ip is None:
        name = GridCell(3, 2, kind="label", text=MORE_ROWS) if more else GridCell(3, 2, kind="blank", placeholder=placeholder)
        return [name, GridCell(5, kind="blank"), GridCell(6, kind="blank"),
                GridCell(7, kind="blank", align="right"), GridCell(8, kind="blank", align="right"), GridCell(9, kind="blank")]
    return [
        _val("area", f"{ip}.name", "三级指标", 3, 2, anchor=ip, ops=((f"del:{ip}", "删除此三级指标"),)),
        _val("indicator", f"{ip}.target", "年度指标值", 5, align="center"),
        _val("indicator", f"{ip}.actual", "实际完成值", 6, align="center"),
        _val("score", f"{ip}.weight", "分值", 7),
        _val("score", f"{ip}.self_score", "自评得分", 8),
        _val("area", f"{ip}.deviation_reason", "偏差原因分析及改进措施", 9),
    ]
