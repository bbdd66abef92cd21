"""The one grid of every table: what Word, Excel, HTML/PDF and the web sheet all draw.

A ``GridPart`` is one printed table: its rows of ``GridCell``s placed at grid columns with
their spans, each cell a fixed caption or a value cell named by its model path and kind
(amount, percent, count, score, text, area, indicator). The grid holds no values: the
printed documents look each path up in the ``Package``, the web sheet in the stored JSON
and puts an input there. What the web adds beyond that (buttons, widths in the page) comes
from the cells' ``ops`` and the part's ``widths``.

Columns with a ``group`` (监控表's 偏差原因分析 over its tick columns) get a two-row header: the
group's caption over its columns' labels, the other captions merged down over both rows. The
cycle's forms add blocks of their own: the 整体 target table's 年度主要任务 (``tasks``: a row per
task, then 金额合计), a 项目 table's header pairs (项目属性 · 项目期) and goals drawn from
``goals_columns`` (中期目标 beside 年度目标); each table kind draws its own columns and blocks.

The geometry of 基础数据表 follows the seed's Word table: seven columns (a label and six
narrow columns; amount columns span two, the 楼堂馆所 rows use all six). The evaluation tables
are drawn from the form's ``evaluation.layout`` (jixiao.forms.spec.LayoutSpec): the grid
columns' widths, the caption spans, the order of the blocks (header, goals, funds, indicators,
total, text rows); funds and indicator columns in the form's order with their own spans.
Labels, rows and columns all come from the form definition; nothing here names a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from . import fmt_label, load_form
from .paths import length_at, value_at

Kind = Literal["caption", "label", "text", "area", "amount", "percent", "count", "score", "indicator", "tick", "choice",
               "blank"]
Align = Literal["left", "center", "right"]
# ``tick``: one option of a list field (偏差原因 经费保障 …), printed TICK_MARK when the list holds it;
# ``choice``: one of the column's ``choices`` (完成目标可能性), printed as the text it holds.
VALUE_KINDS = ("text", "area", "amount", "percent", "count", "score", "indicator", "tick", "choice")
TICK_MARK = "√"  # the mark the printed forms tick a cause with
NUMBER_FORMATS = {"amount": "0.00", "score": "0.00", "percent": "0.00%", "count": "0"}

# Millimetres. Portrait A4 leaves 170 mm between 20 mm margins, landscape 257 mm.
BASIC_WIDTHS = [62.0, 18.0, 18.0, 18.0, 18.0, 18.0, 18.0]
LANDSCAPE_MM = 257.0
SECTION_MM = 10.0  # the narrow section column of a form drawn without a layout
MORE_ROWS = "……"  # the last of the rows a printed table leaves under a 二级指标


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
    option: str | None = None  # a tick cell's option: ticked when the list at ``path`` holds it
    choices: tuple[str, ...] = ()  # a choice cell's values

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
    title_lines: list[str] = field(default_factory=list)  # lines under the title: '（2023年度）'
    preamble: str | None = None  # a line above the title: '报表编号：…'

    @property
    def n_cols(self) -> int:
        return len(self.widths)

    def cells(self):
        for row in self.rows:
            yield from row


def build_grid(source: Any, form: dict[str, Any] | None = None, *, printed: bool = False) -> list[GridPart]:
    """Every table part of a package (a ``Package`` or its JSON), in the order of the paper package.

    ``printed``: the paper form's rows to write in are added (under each 二级指标, rows up to the
    layout's ``printed_rows`` of the table kind, the last '……'); the web sheet adds rows with its
    buttons instead.
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
        attachment=form["captions"].get("attachments", {}).get("basic"), note=(caps["note"], f"{p}.note"),
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

# What a value cell of a column holds, by the column's model field (fields, not labels: every form
# names its columns its own way). Fields not listed are amounts (funds) or text (indicators).
_FUNDS_KINDS: dict[str, Kind] = {"execution_rate": "percent", "weight": "score", "self_score": "score", "reason": "area"}
_INDICATOR_KINDS: dict[str, Kind] = {"name": "area", "target": "indicator", "actual": "indicator", "weight": "score",
                                     "self_score": "score", "deviation_reason": "area", "nature": "text", "unit": "text",
                                     "mid_term_target": "indicator", "forecast": "indicator", "remark": "area",
                                     "causes": "tick", "likelihood": "choice"}
# short marks and figures, centred as the forms print them
_CENTRED = ("nature", "target", "unit", "actual", "mid_term_target", "forecast", "causes", "likelihood")
_SCORES = ("weight", "self_score")
_TASK_AMOUNTS = ("total", "fiscal", "other")  # 年度主要任务's 预算金额 columns; the others are text


def columns_for(columns: list[dict[str, Any]] | None, part: str) -> list[dict[str, Any]]:
    """The columns (dicts of the form definition) the table kind ``part`` prints, in order."""
    return [c for c in columns or [] if c.get("parts") is None or part in c["parts"]]


def evaluation_layout(form: dict[str, Any]):
    """The form's ``evaluation.layout`` (typed), or one drawn from its columns when it has none:
    a narrow section column, every indicator column one grid column wide (or its ``span``), the
    funds columns after a two-column label, the last column of the shorter row stretched."""
    from .spec import Column, LayoutSpec

    ev = form["evaluation"]
    if ev.get("layout") is not None:
        return LayoutSpec.model_validate(ev["layout"])
    indicators = 1 + sum(Column.model_validate(c).span for c in ev["indicator_columns"])
    funds = 1 + 2 + sum(Column.model_validate(c).span for c in ev["funds_columns"])
    n = max(indicators, funds, 6)
    widths = [SECTION_MM] + [round((LANDSCAPE_MM - SECTION_MM) / (n - 1), 1)] * (n - 1)
    half = (n - 1) // 2
    return LayoutSpec(widths=widths, header_label_span=min(3, n - 3), header_pair=(1, 1) if n < 6 else (half - 2, 1),
                      goals_spans=(half, n - 1 - half), split_spans=(1, half - 1, 1, n - 2 - half))


def _placed(columns: list[dict[str, Any]], first: int, n: int) -> list[tuple[dict[str, Any], int, int]]:
    """(column, grid column, span) in the form's order from ``first``; the last one takes what is left."""
    out, col = [], first
    for i, c in enumerate(columns):
        span = c.get("span", 1)
        if i == len(columns) - 1:
            span = max(span, n - col)
        out.append((c, col, span))
        col += span
    return out


def evaluation_grid(source: Any, form: dict[str, Any], year: int, index: int | None, *, printed: bool = False) -> GridPart:
    caps = {k: fmt_label(v, year) for k, v in form["captions"]["evaluation"].items()}
    ev = form["evaluation"]
    lay = evaluation_layout(form)
    is_project = index is not None
    key = "project" if is_project else "overall"
    p = f"projects.{index}" if is_project else "overall"
    name = form["parts"][key]["name"]
    label = name
    if is_project:
        shown = value_at(source, f"{p}.project_name")
        shown = shown if shown and str(shown).strip() not in ("", "/") else None
        label = f"{name}（{shown or f'第{index + 1}张'}）"
    note = caps.get("project_note" if is_project else "overall_note")
    captions = form["captions"]
    unit = value_at(source, "unit_name") or ""
    part = GridPart(
        key=key, name=name, label=label, path=p, widths=list(lay.widths), landscape=lay.landscape,
        title=value_at(source, f"{p}.title") or default_title(form, key, source),
        attachment=captions.get("attachments", {}).get(key), note=(note, f"{p}.note") if note else None,
        signature=[(s["label"], f"{p}.signature.{s['field']}") for s in captions["signature"]],
        title_lines=[fmt_label(line, year, unit=unit) for line in [captions.get("title_lines", {}).get(key)] if line],
        preamble=fmt_label(captions["preamble"][key], year, unit=unit) if captions.get("preamble", {}).get(key) else None,
    )
    pad = lay.printed_rows.get(key, 0) if printed else 0
    blocks = {
        "header": lambda: _header_rows(caps, ev, lay, p, is_project, year),
        "funds": lambda: _funds_block(caps, ev, lay, p, is_project),
        "goals": lambda: _goals_block(caps, ev, lay, p, key, year),
        "indicators": lambda: _indicator_block(source, caps, ev, lay, p, part.lists, year, pad, key),
        "total": lambda: [_total_row(caps, ev, lay, p, year, key)],
        "text": lambda: [_text_row(r, f"{p}.{r['field']}", 0, lay.text_label_span, lay)
                         for r in ev.get("text_rows", []) if r.get("where", "end") == "end"],
    }
    blocks["tasks"] = lambda: _tasks_block(source, caps, ev, lay, p, part.lists)
    for block in lay.blocks_of(key):
        part.rows += blocks[block]()
    return part


def _header_rows(caps: dict[str, str], ev: dict[str, Any], lay, p: str, is_project: bool, year: int) -> list[list[GridCell]]:
    n, hl = len(lay.widths), lay.header_label_span
    if not is_project:
        return [[_cap(caps["unit_name"], 0, hl, anchor=p), _val("text", f"{p}.unit_name", caps["unit_name"], hl, n - hl)]]
    pairs = [(caps["department"], f"{p}.department"), (caps["implementing_unit"], f"{p}.implementing_unit")]
    pairs += [(fmt_label(c["label"], year), f"{p}.{c['field']}") for c in ev.get("project_header") or []]
    rows = [[_cap(caps["project_name"], 0, hl, anchor=p),
             _val("text", f"{p}.project_name", caps["project_name"], hl, n - hl)]]
    # Two caption/value pairs a row (主管部门 · 实施单位, 项目属性 · 项目期); an odd last pair takes the row.
    value_span, caption_span = lay.header_pair
    after = hl + value_span + caption_span
    for i in range(0, len(pairs), 2):
        (left, left_path), *right = pairs[i:i + 2]
        if not right:
            rows.append([_cap(left, 0, hl), _val("text", left_path, left, hl, n - hl)])
            continue
        (label, path), = right
        rows.append([_cap(left, 0, hl), _val("text", left_path, left, hl, value_span),
                     _cap(label, hl + value_span, caption_span), _val("text", path, label, after, n - after)])
    return rows


def _funds_block(caps: dict[str, str], ev: dict[str, Any], lay, p: str, is_project: bool) -> list[list[GridCell]]:
    """The section caption merged down, the column header, 年度资金总额, the table kind's 其中 rows,
    and (on an 整体 table of a form that prints it) 按收入性质分 beside 按支出性质分."""
    n, s = len(lay.widths), lay.section_span
    columns = _placed(columns_for(ev["funds_columns"], "project" if is_project else "overall"), s + lay.funds_label_span, n)
    sub = ev.get("project_fund_rows" if is_project else "overall_fund_rows") or []
    rows = [_funds_row(r["label"], f"{p}.{r['field']}", columns, lay) for r in sub]
    if not is_project and (ev.get("income_rows") or ev.get("spending_rows")):
        rows += _overall_split_rows(caps, ev, lay, p)
    section = caps["project_funds" if is_project else "overall_funds"]
    header = [_cap(section, 0, s, rowspan=2 + len(rows), anchor=f"{p}.funds", style="vertical"),
              _cap(caps.get("funds_unit", ""), s, lay.funds_label_span)]
    header += [_cap(c["label"], col, span) for c, col, span in columns]
    return [header, _funds_row(ev["funds_total"]["label"], f"{p}.funds", columns, lay), *rows]


def _funds_row(label: str, path: str, columns, lay) -> list[GridCell]:
    row = [GridCell(lay.section_span, lay.funds_label_span, kind="label", text=label, align="center", anchor=path)]
    for c, col, span in columns:
        row.append(_val(_FUNDS_KINDS.get(c["field"], "amount"), f"{path}.{c['field']}", f"{label} {c['label']}", col, span))
    return row


def _overall_split_rows(caps: dict[str, str], ev: dict[str, Any], lay, p: str) -> list[list[GridCell]]:
    """按收入性质分 beside 按支出性质分, label and amount in their own cells."""
    s = lay.section_span
    in_label, in_amount, out_label, out_amount = lay.split_spans
    right = s + in_label + in_amount
    rows = [[_cap(caps["income"], s, in_label + in_amount, anchor=f"{p}.income"),
             _cap(caps["spending"], right, out_label + out_amount, anchor=f"{p}.spending")]]
    income, spending = ev.get("income_rows") or [], ev.get("spending_rows") or []
    for i in range(max(len(income), len(spending))):
        row: list[GridCell] = []
        if i < len(income):
            r = income[i]
            row += [GridCell(s, in_label, kind="label", text=r["label"], style="split"),
                    _val("amount", f"{p}.income.{r['field']}", r["label"], s + in_label, in_amount)]
        else:
            row += [GridCell(s, in_label, kind="blank"), GridCell(s + in_label, in_amount, kind="blank")]
        if i < len(spending):
            r = spending[i]
            row += [GridCell(right, out_label, kind="label", text=r["label"], style="split"),
                    _val("amount", f"{p}.spending.{r['field']}", r["label"], right + out_label, out_amount)]
        else:
            row += [GridCell(right, out_label, kind="blank"), GridCell(right + out_label, out_amount, kind="blank")]
        rows.append(row)
    return rows


def _goals_block(caps: dict[str, str], ev: dict[str, Any], lay, p: str, part: str, year: int) -> list[list[GridCell]]:
    """预期目标 beside 实际完成情况 (or the form's ``goals_columns`` of the table kind: 中期目标
    beside 年度目标), and the form's text rows of the goals block. When another caption heads
    the block (项目基本情况), the goals caption labels the goals rows beside them."""
    n, s = len(lay.widths), lay.section_span
    labelled = lay.goals_section != "goals"
    lab = lay.goals_label_span if labelled else 0
    first = s + lab
    own = columns_for(ev.get("goals_columns"), part)
    if own:
        placed = [(fmt_label(c["label"], year), c["field"], col, span) for c, col, span in _placed(own, first, n)]
    else:
        expected, actual = lay.goals_spans or ((n - s - lab) // 2, n - s - lab - (n - s - lab) // 2)
        placed = [(caps["goals_expected"], "expected", first, expected),
                  (caps["goals_actual"], "actual", first + expected, actual)]
    heading = [_cap(label, col, span) for label, _, col, span in placed]
    values = [_val("area", f"{p}.goals.{f}", label, col, span) for label, f, col, span in placed]
    if labelled:
        heading.insert(0, _cap(caps["goals"], s, lab, rowspan=2, anchor=f"{p}.goals"))
    texts = [_text_row(r, f"{p}.{r['field']}", s, lab or lay.text_label_span - s, lay)
             for r in ev.get("text_rows", []) if r.get("where", "end") == "goals"]
    rows = [heading, values, *texts]
    section = caps[lay.goals_section]
    anchor = f"{p}.{'goals' if not labelled else 'basic_info'}"
    rows[0].insert(0, _cap(section, 0, s, rowspan=len(rows), anchor=anchor, style="vertical"))
    return rows


def _text_row(row: dict[str, Any], path: str, col: int, span: int, lay) -> list[GridCell]:
    """A free-text row: its label, the text beside it to the right edge."""
    n = len(lay.widths)
    return [_cap(row["label"], col, span, anchor=path), _val("area", path, row["label"], col + span, n - col - span)]


def _column_header(columns, labels: list[str], group_of) -> list[list[GridCell]]:
    """The caption row of ``columns`` (placed), or two rows when some have a group: the group's
    caption over its columns' labels, the other captions merged down over both rows."""
    groups = [group_of(c) for c, _, _ in columns]
    if not any(groups):
        return [[_cap(label, col, span) for (c, col, span), label in zip(columns, labels, strict=True)]]
    top: list[GridCell] = []
    under: list[GridCell] = []
    for i, ((_c, col, span), label) in enumerate(zip(columns, labels, strict=True)):
        group = groups[i]
        if not group:
            top.append(_cap(label, col, span, rowspan=2))
            continue
        if i == 0 or groups[i - 1] != group:  # the first column of a run of the group
            width = 0
            for (_, _, sp), g in zip(columns[i:], groups[i:], strict=True):
                if g != group:
                    break
                width += sp
            top.append(_cap(group, col, width, style="group"))
        under.append(_cap(label, col, span))
    return [top, under]


def _indicator_block(source: Any, caps: dict[str, str], ev: dict[str, Any], lay, p: str, lists: list[tuple[str, int]],
                     year: int, pad: int, part: str = "project") -> list[list[GridCell]]:
    printed = columns_for(ev["indicator_columns"], part)
    columns = _placed(printed, lay.section_span, len(lay.widths))
    labels = {c["field"]: fmt_label(c["label"], year) for c in printed if not c.get("option")}
    rows = _indicator_rows(source, p, lists, columns, labels, pad)
    header = _column_header(columns, [fmt_label(c["label"], year) for c, _, _ in columns], lambda c: c.get("group"))
    header[0].insert(0, _cap(caps["indicators"], 0, lay.section_span, rowspan=len(header) + len(rows),
                             anchor=f"{p}.indicators", style="vertical", ops=((f"add:{p}.indicators", "增加一个一级指标"),)))
    return [*header, *rows]


def _tasks_block(source: Any, caps: dict[str, str], ev: dict[str, Any], lay, p: str,
                 lists: list[tuple[str, int]]) -> list[list[GridCell]]:
    """年度主要任务: the column header (预算金额 over 总额 · 财政拨款 · 其他资金), a row per task
    (an empty list still prints one row to fill in), then 金额合计 under the amounts."""
    spec = ev["tasks"]
    n, s = len(lay.widths), lay.section_span
    columns = _placed(spec["columns"], s, n)
    budget = caps.get("tasks_budget")
    header = _column_header(columns, [c["label"] for c, _, _ in columns],
                            lambda c: c.get("group") or (budget if c["field"] in _TASK_AMOUNTS else None))
    count = length_at(source, f"{p}.tasks")
    lists.append((f"{p}.tasks", count))
    rows: list[list[GridCell]] = []
    for k in range(count):
        tp = f"{p}.tasks.{k}"
        row = []
        for c, col, span in columns:
            f, label = c["field"], f"任务{k + 1} {c['label']}"
            if f in _TASK_AMOUNTS:
                row.append(_val("amount", f"{tp}.{f}", label, col, span, style="item"))
            elif f == "name":
                row.append(_val("area", f"{tp}.{f}", label, col, span, anchor=tp, style="item",
                                ops=((f"del:{tp}", "删除此任务"),)))
            else:
                row.append(_val("area", f"{tp}.{f}", label, col, span, style="item"))
        rows.append(row)
    if count == 0:
        rows.append([GridCell(col, span, kind="blank", placeholder="（无）" if i == 0 else "",
                              align="right" if c["field"] in _TASK_AMOUNTS else "left")
                     for i, (c, col, span) in enumerate(columns)])
    first_amount = min((col for c, col, _ in columns if c["field"] in _TASK_AMOUNTS), default=n)
    total_label = spec.get("total_label", "金额合计")
    total = [GridCell(s, first_amount - s, kind="label", text=total_label, align="center", anchor=f"{p}.tasks_total",
                      style="sum")]
    total += [_val("amount", f"{p}.tasks_total.{c['field']}", f"{total_label} {c['label']}", col, span, style="sum")
              for c, col, span in columns if c["field"] in _TASK_AMOUNTS]
    block = [*header, *rows, total]
    block[0].insert(0, _cap(caps["tasks"], 0, s, rowspan=len(block), anchor=f"{p}.tasks", style="vertical",
                            ops=((f"add:{p}.tasks", "增加一项年度主要任务"),)))
    return block


def _total_row(caps: dict[str, str], ev: dict[str, Any], lay, p: str, year: int, part: str = "project") -> list[GridCell]:
    """总分 across the columns before 分值, then the totals of 分值 and 自评得分, blank after."""
    printed = columns_for(ev["indicator_columns"], part)
    columns = _placed(printed, lay.section_span, len(lay.widths))
    labels = {c["field"]: fmt_label(c["label"], year) for c in printed if not c.get("option")}
    first = min((col for c, col, _ in columns if c["field"] in _SCORES), default=len(lay.widths))
    row = [_cap(caps["total"], 0, first, anchor=f"{p}.total")]
    for c, col, span in columns:
        if col < first:
            continue
        f = c["field"]
        if f in _SCORES:
            row.append(_val("score", f"{p}.total_{f}", f"{caps['total']} {labels[f]}", col, span, style="total"))
        else:
            row.append(GridCell(col, span, kind="blank"))
    return row


def _indicator_rows(source: Any, p: str, lists: list[tuple[str, int]], columns, labels: dict[str, str],
                    pad: int = 0) -> list[list[GridCell]]:
    """一级 and 二级 labels merged down over their 三级 rows; an empty level still prints one row.

    ``pad``: a 二级指标 with fewer 三级 rows gets blank rows up to ``pad``, the last one '……',
    as a printed table has them (readers take such rows as placeholders)."""
    at = {c["field"]: (col, span) for c, col, span in columns}
    rest = [(c, col, span) for c, col, span in columns if c["field"] not in ("level1", "level2")]
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
            l2 = _val("area", f"{cp}.label", labels["level2"], *at["level2"], align="center", rowspan=n_rows, anchor=cp,
                      style="level2",
                      ops=((f"add:{cp}.indicators", "在此二级指标下增加一个三级指标"), (f"del:{cp}", "删除此二级指标及其三级指标")))
            for k in range(n_rows):
                if k < n3:
                    cells = _indicator_cells(f"{cp}.indicators.{k}", rest, labels)
                elif k == n_rows - 1 and n3 < pad:
                    cells = _indicator_cells(None, rest, labels, more=True)
                else:
                    cells = _indicator_cells(None, rest, labels, "（无三级指标）" if n3 == 0 else "")
                l1_rows.append(([l2] if k == 0 else []) + cells)
        if not l1_rows:
            l1_rows.append([GridCell(*at["level2"], kind="blank", placeholder="（无二级指标）"),
                            *_indicator_cells(None, rest, labels)])
        l1 = _val("area", f"{lp}.label", labels["level1"], *at["level1"], align="center", rowspan=len(l1_rows), anchor=lp,
                  style="level1", ops=((f"add:{lp}.children", "在此一级指标下增加一个二级指标"), (f"del:{lp}", "删除此一级指标")))
        l1_rows[0].insert(0, l1)
        rows += l1_rows
    return rows


def _indicator_cells(ip: str | None, rest, labels: dict[str, str], placeholder: str = "", *,
                     more: bool = False) -> list[GridCell]:
    """The cells of one 三级 row after the two label columns, in the form's column order."""
    cells = []
    for c, col, span in rest:
        f = c["field"]
        if ip is None:
            if f == "name":
                cells.append(GridCell(col, span, kind="label", text=MORE_ROWS) if more
                             else GridCell(col, span, kind="blank", placeholder=placeholder))
            else:
                cells.append(GridCell(col, span, kind="blank", align="right" if f in _SCORES else "left"))
        elif f == "name":
            cells.append(_val("area", f"{ip}.name", labels[f], col, span, anchor=ip, ops=((f"del:{ip}", "删除此三级指标"),)))
        elif c.get("option"):
            label = f"{c.get('group') or ''} {c['label']}".strip()
            cells.append(_val("tick", f"{ip}.{f}", label, col, span, align="center", option=c["option"]))
        elif f in _INDICATOR_KINDS and _INDICATOR_KINDS[f] == "choice":
            cells.append(_val("choice", f"{ip}.{f}", labels[f], col, span, align="center",
                              choices=tuple(c.get("choices") or ())))
        else:
            kind = _INDICATOR_KINDS.get(f, "text")
            extra = {"align": "center"} if f in _CENTRED else {}
            cells.append(_val(kind, f"{ip}.{f}", labels[f], col, span, **extra))
    return cells
