"""HTML of the package, the source of the PDF: the same layout as Word and Excel.

The look lives in templates/official.css (fonts with Linux fallbacks, A4 pages, landscape
for the evaluation tables) so it can be restyled without touching code. Everything printed
from the package goes through ``html.escape``.
"""

from __future__ import annotations

import re
from html import escape
from importlib import resources
from typing import TYPE_CHECKING

from ..rules.findings import SEVERITY_ZH
from .docx_writer import clean_text, signature_text
from .layout import Cell, Grid, Part

if TYPE_CHECKING:
    from ..api import CheckResult
    from .fill import FilledCell

_SUBHEADING = re.compile(r"^\s*[（(][一二三四五六七八九十]+[)）]")


def stylesheet() -> str:
    return resources.files("jixiao.render").joinpath("templates", "official.css").read_text(encoding="utf-8")


def _lines(text: str | None) -> str:
    return "<br>".join(escape(line) for line in clean_text(text).split("\n"))


def render_html(parts: list[Part], *, title: str, extra: str = "", css: str | None = None) -> str:
    body = "".join(part_html(p, paged=True) for p in parts) + extra
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{css if css is not None else stylesheet()}</style></head>"
        f"<body>{body}</body></html>"
    )


def part_html(part: Part, *, paged: bool = False) -> str:
    """One part as HTML. ``paged``: for print, long tables repeat their header rows on each page
    (the web's published pages scroll, and show each table whole)."""
    cls = "part landscape" if part.landscape else "part"
    out = [f'<section class="{cls} {part.key}">']
    if part.key == "report":
        out.append(f'<h1 class="report-title">{_lines(part.title)}</h1>')
        for section in part.report.sections if part.report else []:
            out.append(f'<h2 class="report-h1">{_lines(section.heading)}</h2>')
            for line in clean_text(section.body).split("\n") if section.body else []:
                kind = "report-h2" if _SUBHEADING.match(line) else "report-body"
                out.append(f'<p class="{kind}">{escape(line)}</p>')
    else:
        if part.attachment:
            out.append(f'<p class="attachment">{escape(part.attachment)}</p>')
        if part.preamble:
            out.append(f'<p class="preamble">{_lines(part.preamble)}</p>')
        out.append(f'<h1 class="title">{_lines(part.title)}</h1>')
        out += [f'<p class="title-line">{_lines(line)}</p>' for line in part.title_lines]
        if part.grid is not None:
            out.append(grid_html(part.grid, paged=paged))
        if part.note:
            out.append(f'<p class="note">{_lines(f"{part.note[0]}：{part.note[1]}")}</p>')
        if part.signature:
            out.append(f'<p class="signature">{escape(signature_text(part.signature))}</p>')
    out.append("</section>")
    return "".join(out)


def grid_html(grid: Grid, *, paged: bool = True) -> str:
    """The grid as one or two tables: rows from the repeated header on are a table of their own
    whose <thead> (the header rows) WeasyPrint prints again at the top of each page. Not
    ``paged``: one table, no <thead>."""
    grid.occupancy()  # refuse a malformed layout rather than print a broken table
    cols = "".join(f'<col style="width:{w:g}mm">' for w in grid.widths)
    width = sum(grid.widths)
    tables = []
    for n, (start, end, heads) in enumerate(grid.split() if paged else [(0, len(grid.rows), 0)]):
        rows = _rows_html(grid, start, end, heads)
        head, body = "".join(rows[:heads]), "".join(rows[heads:])
        cls = "form continued" if n else "form"
        tables.append(
            f'<table class="{cls}" style="width:{width:g}mm"><colgroup>{cols}</colgroup>'
            + (f"<thead>{head}</thead>" if heads else "") + f"<tbody>{body}</tbody></table>"
        )
    return "".join(tables)


def _td(cell: Cell, text: str, rowspan: int, extra: str = "") -> str:
    attrs = [f'class="{"header " if cell.header else ""}{cell.align}{extra}"']
    if cell.colspan > 1:
        attrs.append(f'colspan="{cell.colspan}"')
    if rowspan > 1:
        attrs.append(f'rowspan="{rowspan}"')
    return f"<td {' '.join(attrs)}>{_lines(text)}</td>"


def _rows_html(grid: Grid, start: int, end: int, heads: int) -> list[str]:
    """<tr>s of rows [start, end). A header cell merged down into the body (the vertical 绩效指标)
    cannot span from <thead> into <tbody>: its head part stays empty and open at the bottom, the
    body part below carries the text."""
    carried: dict[int, list[tuple[Cell, int]]] = {}
    rows = []
    for r in range(start, end):
        cells: list[tuple[int, str]] = []
        for cell in grid.rows[r]:
            if r - start < heads and r - start + cell.rowspan > heads:
                inside = heads - (r - start)
                cells.append((cell.col, _td(cell, "", inside, " open-bottom")))
                carried.setdefault(start + heads, []).append((cell, cell.rowspan - inside))
            else:
                cells.append((cell.col, _td(cell, cell.text, cell.rowspan)))
        for cell, span in carried.pop(r, []):
            cells.append((cell.col, _td(cell, cell.text, span, " open-top")))
        cells.sort(key=lambda c: c[0])
        html = "".join(td for _, td in cells)
        rows.append(f'<tr class="blank">{html}</tr>' if grid.blank_row(r) else f"<tr>{html}</tr>")
    return rows


# ------------------------------------------------------------------ findings page



def findings_html(check: CheckResult | None, filled: list[FilledCell]) -> str:
    """The last page: scores of each table, every finding, and the cells filled by computation."""
    out = ['<section class="part findings">', '<h1 class="title">审核结果与评分</h1>']
    if check is not None:
        counts = "，".join(f"{SEVERITY_ZH[s]} {check.count(s)} 项" for s in ("error", "warning", "info"))
        out.append(f'<p class="summary">{escape(check.package.unit_name)} {check.package.fiscal_year} 年度材料：{counts}。</p>')
        out.append(_scores_table(check))
        out.append(_findings_table(check))
    if filled:
        out.append('<h2 class="findings-h">按公式补填的计算值</h2>')
        out.append('<table class="list"><colgroup><col style="width:75%"><col style="width:25%"></colgroup>'
                   "<thead><tr><th>单元格</th><th>补填值</th></tr></thead>")
        out += [f'<tr><td>{escape(f.where)}</td><td class="right">{escape(f.value)}</td></tr>' for f in filled]
        out.append("</table>")
    out.append("</section>")
    return "".join(out)


def _num(value) -> str:
    return "" if value is None else escape(format(value, "f"))


def _scores_table(check: CheckResult) -> str:
    rows = [
        '<h2 class="findings-h">评分</h2><table class="list">'
        '<colgroup><col style="width:34%"><col><col><col><col><col></colgroup>'
        "<thead><tr><th>表格</th><th>分值合计</th><th>自评总分</th><th>按规则核定得分</th><th>自评等级</th>"
        "<th>核定等级</th></tr></thead>"
    ]
    for t in check.scores:
        rows.append(
            f"<tr><td>{escape(t.table)}</td><td class=\"right\">{_num(t.weight_total)}</td>"
            f"<td class=\"right\">{_num(t.self_total)}</td><td class=\"right\">{_num(t.computed_total)}</td>"
            f"<td class=\"center\">{escape(t.self_grade or '')}</td><td class=\"center\">{escape(t.computed_grade or '')}</td></tr>"
        )
    if not check.scores:
        rows.append('<tr><td colspan="6" class="center">没有可评分的自评表</td></tr>')
    rows.append("</table>")
    return "".join(rows)


def _findings_table(check: CheckResult) -> str:
    rows = [
        '<h2 class="findings-h">审核发现</h2><table class="list">'
        '<colgroup><col style="width:7%"><col style="width:8%"><col style="width:85%"></colgroup>'
        "<thead><tr><th>序号</th><th>级别</th><th>说明</th></tr></thead>"
    ]
    for n, f in enumerate(check.findings, start=1):
        rows.append(
            f'<tr class="{f.severity}"><td class="center">{n}</td><td class="center">{SEVERITY_ZH[f.severity]}</td>'
            f"<td>{escape(f.message)}</td></tr>"
        )
    if not check.findings:
        rows.append('<tr><td colspan="3" class="center">未发现问题</td></tr>')
    rows.append("</table>")
    return "".join(rows)
