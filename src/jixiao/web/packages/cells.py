"""Cells of a sheet and their HTML. Built in Python rather than in template loops: a sheet
has hundreds of cells and this keeps opening a package fast.

Every editable cell is an input named by its model path, followed by an <output> that
carries what the server computed for it (sums, rates, rule scores) and the findings on
it; the HTMX recompute swaps exactly those outputs, so typing never loses focus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape as _escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from jixiao.rules import SEVERITY_ZH

INPUT_KINDS = {"text", "num", "pct", "int", "area", "ind", "tick", "choice"}


def escape(value: Any) -> str:
    # The standard library's escape: Django's lazy-aware one costs a third of a sheet's render time.
    return _escape(str(value), quote=True)


def dom_id(path: str) -> str:
    """'basic.sangong.final' -> 'basic-sangong-final' (fields never contain '-')."""
    return path.replace(".", "-")


@dataclass
class Cell:
    kind: str  # th | text | num | pct | int | area | ind | ro | blank
    text: str = ""
    path: str | None = None
    colspan: int = 1
    rowspan: int = 1
    cls: str = ""
    label: str = ""  # what a screen reader (and a test) calls the cell
    ops: list[tuple[str, str, str]] = field(default_factory=list)  # (op, symbol, title)
    anchor: str | None = None  # a path this header cell stands for (row-level findings)
    hidden: list[tuple[str, Any]] = field(default_factory=list)  # (path, value) kept as hidden inputs
    option: str | None = None  # a tick cell's option (a checkbox of the list at ``path``)
    choices: tuple[str, ...] = ()  # a choice cell's values (a drop-down)
    first: bool = True  # the first cell of its path (the tick cells of one list share it)


@dataclass
class Row:
    cells: list[Cell]
    cls: str = ""


@dataclass
class Sheet:
    key: str  # basic | overall | project-0 | report
    title: str
    columns: int
    rows: list[Row]
    editable: bool
    values: dict[str, Any]  # path -> the text to show in the input
    computed: dict[str, str] = field(default_factory=dict)  # path -> hint
    marks: dict[str, list] = field(default_factory=dict)  # anchor path -> findings
    input_errors: dict[str, str] = field(default_factory=dict)
    lists: list[tuple[str, int]] = field(default_factory=list)  # (list path, length) posted as _len.*
    footer: list[Row] = field(default_factory=list)
    url: str = ""  # where the add/remove buttons post (the sheet's own page)
    widths: list[str] = field(default_factory=list)  # column widths, as the Word form proportions them
    preamble: str = ""  # the line the printed form has above its title ('报表编号：…')
    title_lines: list[str] = field(default_factory=list)  # the lines under its title ('（2023年度）')

    def anchors(self) -> list[str]:
        out: list[str] = []
        for row in [*self.rows, *self.footer]:
            for c in row.cells:
                if c.path:
                    out.append(c.path)
                if c.anchor:
                    out.append(c.anchor)
        return list(dict.fromkeys(out))  # the tick cells of one list share their path


def _attrs(c: Cell) -> str:
    bits = []
    if c.colspan > 1:
        bits.append(f' colspan="{c.colspan}"')
    if c.rowspan > 1:
        bits.append(f' rowspan="{c.rowspan}"')
    return "".join(bits)


def _value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):  # an indicator value: {'raw': ...}
        return value.get("raw") or ""
    return str(value)


def render_output(sheet: Sheet, path: str, *, oob: bool = False) -> SafeString:
    """The <output> after a cell: its computed hint, its input error and its findings."""
    parts = []
    hint = sheet.computed.get(path)
    if hint:
        parts.append(f'<span class="calc">{escape(hint)}</span>')
    err = sheet.input_errors.get(path)
    sev = ""
    if err:
        parts.append(f'<span class="flag error" title="{escape(err)}">输入有误：{escape(err)}</span>')
        sev = "error"
    for f in sheet.marks.get(path, []):
        parts.append(
            f'<a class="flag {f.severity}" href="#f-{f.dom}" title="{escape(f.message)}">{SEVERITY_ZH[f.severity]}</a>'
        )
        if not sev or (sev != "error" and f.severity == "error") or (sev == "info" and f.severity == "warning"):
            sev = f.severity
    oob_attr = ' hx-swap-oob="true"' if oob else ""
    cls = f"mark {sev}".strip()
    return mark_safe(
        f'<output id="m-{dom_id(path)}" class="{cls}" for="c-{dom_id(path)}"{oob_attr}>{"".join(parts)}</output>'
    )


def _ops(sheet: Sheet, c: Cell) -> str:
    if not sheet.editable or not c.ops:
        return ""
    out = []
    for op, symbol, title in c.ops:
        title = escape(title)
        out.append(
            f'<button type="submit" class="op" name="op" value="{escape(op)}" title="{title}" aria-label="{title}" '
            f'hx-post="{escape(sheet.url)}" hx-target="#sheet" hx-select="#sheet" '
            f'hx-select-oob="#findings-panel,#summary" hx-swap="outerHTML">{symbol}</button>'
        )
    return "".join(out)


def render_cell(sheet: Sheet, c: Cell) -> str:
    attrs = _attrs(c)
    if c.kind == "th":
        anchor = f' id="c-{dom_id(c.anchor)}"' if c.anchor else ""
        mark = render_output(sheet, c.anchor) if c.anchor else ""
        cls = f' class="{c.cls}"' if c.cls else ""
        text = escape(c.text).replace("\n", "<br>")
        return f"<th{attrs}{cls}{anchor}>{text}{_ops(sheet, c)}{mark}</th>"
    if c.kind == "blank":
        return f'<td{attrs} class="blank {c.cls}"></td>'
    if c.kind == "ro":
        return f'<td{attrs} class="ro {c.cls}">{escape(c.text)}</td>'
    assert c.path is not None and c.kind in INPUT_KINDS
    if c.kind in ("tick", "choice"):
        return _render_pick(sheet, c, attrs)
    pid = dom_id(c.path)
    value = _value_text(sheet.values.get(c.path))
    cls = f"cell {c.kind} {c.cls}".strip()
    unit = '<span class="unit">%</span>' if c.kind == "pct" else ""
    if sheet.editable:
        label = escape(c.label)
        if c.kind == "area":
            rows = 3 if c.colspan > 2 else 2
            field_html = (
                f'<textarea id="c-{pid}" name="{c.path}" aria-label="{label}" rows="{rows}">{escape(value)}</textarea>'
            )
        else:
            mode = ' inputmode="decimal"' if c.kind in ("num", "pct", "int") else ""
            field_html = f'<input type="text" id="c-{pid}" name="{c.path}" value="{escape(value)}" aria-label="{label}"{mode}>'
    else:
        text = escape(value).replace("\n", "<br>")
        field_html = f'<span id="c-{pid}" class="val" aria-label="{escape(c.label)}">{text}</span>'
    hidden = "".join(
        f'<input type="hidden" name="{p}" value="{escape(_value_text(v))}">' for p, v in c.hidden
    ) if sheet.editable else ""
    # A cell may also stand for its row (an indicator's name, a list item's name): row-level
    # findings are shown and linked there.
    row_id = f' id="c-{dom_id(c.anchor)}"' if c.anchor else ""
    row_mark = render_output(sheet, c.anchor) if c.anchor else ""
    return (f'<td{attrs}{row_id} class="{cls}">{hidden}{field_html}{unit}{_ops(sheet, c)}'
            f"{render_output(sheet, c.path)}{row_mark}</td>")


def _render_pick(sheet: Sheet, c: Cell, attrs: str) -> str:
    """A tick cell as a checkbox of its list (one per option, all named by the list's path, with a
    hidden _list.<path> so unticking saves); a choice cell as a drop-down of the column's values.
    A value the form does not offer (an imported file's own wording) stays selectable as it is."""
    assert c.path is not None
    value = sheet.values.get(c.path)
    label = escape(c.label)
    if c.kind == "tick":
        ticked = isinstance(value, list) and c.option in value
        pid = f"{dom_id(c.path)}-{_slug(c.option)}"
        if sheet.editable:
            field_html = (f'<input type="hidden" name="_list.{c.path}" value="1">'
                          f'<input type="checkbox" id="c-{pid}" name="{c.path}" value="{escape(c.option or "")}"'
                          f' aria-label="{label}"{" checked" if ticked else ""}>')
        else:
            field_html = f'<span id="c-{pid}" class="val" aria-label="{label}">{"√" if ticked else ""}</span>'
        # The list's findings show once, in its first option's cell (an <output> id is unique).
        out = render_output(sheet, c.path) if c.first else ""
        return f'<td{attrs} class="cell tick {c.cls}">{field_html}{out}</td>'
    pid = dom_id(c.path)
    text = _value_text(value)
    if sheet.editable:
        options = [""] + list(c.choices) + ([text] if text and text not in c.choices else [])
        opts = "".join(f'<option value="{escape(o)}"{" selected" if o == text else ""}>{escape(o) or "—"}</option>'
                       for o in options)
        field_html = f'<select id="c-{pid}" name="{c.path}" aria-label="{label}">{opts}</select>'
    else:
        field_html = f'<span id="c-{pid}" class="val" aria-label="{label}">{escape(text)}</span>'
    return f'<td{attrs} class="cell choice {c.cls}">{field_html}{render_output(sheet, c.path)}</td>'


def _slug(option: str | None) -> str:
    """A stable id part for an option ('经费保障' → its code points), ids being ASCII here."""
    return "-".join(f"{ord(ch):x}" for ch in option or "")[:60]


def render_sheet(sheet: Sheet) -> SafeString:
    widths = sheet.widths or [""] * sheet.columns
    cols = "<colgroup>" + "".join(f'<col style="width:{w}">' if w else "<col>" for w in widths) + "</colgroup>"
    body = []
    for row in sheet.rows:
        cls = f' class="{row.cls}"' if row.cls else ""
        body.append(f"<tr{cls}>" + "".join(render_cell(sheet, c) for c in row.cells) + "</tr>")
    foot = []
    for row in sheet.footer:
        foot.append("<tr>" + "".join(render_cell(sheet, c) for c in row.cells) + "</tr>")
    lists = "".join(
        f'<input type="hidden" name="_len.{path}" value="{length}">' for path, length in sheet.lists
    ) if sheet.editable else ""
    table = f'<table class="sheet sheet-{sheet.key.split("-")[0]}">{cols}<tbody>{"".join(body)}</tbody></table>'
    footer = f'<table class="sheet-footer"><tbody>{"".join(foot)}</tbody></table>' if foot else ""
    return mark_safe(lists + table + footer)


def render_outputs(sheet: Sheet) -> SafeString:
    """Every output of the sheet, for an out-of-band swap after a recompute."""
    return mark_safe("".join(render_output(sheet, p, oob=True) for p in sheet.anchors()))
