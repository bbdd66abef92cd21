"""Word documents from the layout, styled by the template of our own (templates/official.docx).

Tables are written as WordprocessingML directly: one ``w:tc`` per logical cell, merges as
``w:gridSpan`` and ``w:vMerge`` (restart/continue), fixed column widths. That keeps the
output regular for any label-based reader and fast (python-docx's cell merging is O(n²)).
Every paragraph takes a named style of the template, so restyling the template restyles
every document.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from ..errors import InputError
from .layout import Cell, Grid, Part

STYLES = {
    "attachment": "JX 附件号",
    "title": "JX 表题",
    "header": "JX 表头",
    "left": "JX 表格文字",
    "center": "JX 表格居中",
    "right": "JX 表格数字",
    "note": "JX 说明",
    "signature": "JX 签字栏",
    "report_title": "JX 报告标题",
    "report_h1": "JX 报告一级标题",
    "report_h2": "JX 报告二级标题",
    "report_body": "JX 报告正文",
    "table": "JX 表格",
}
TWIPS_PER_MM = 1440 / 25.4
# Characters XML 1.0 cannot carry (control characters other than tab/newline).
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# '（一）职能职责' and the like: second-level headings inside a report section.
_SUBHEADING = re.compile(r"^\s*[（(][一二三四五六七八九十]+[)）]")
SIGNATURE_GAP = "\u3000" * 4  # room to sign when a name is blank
SIGNATURE_SEP = "   "
BLANK_ROW_MM = 7.0  # the least height of a row left blank for writing in by hand
SPACER_XML = (
    f"<w:p {nsdecls('w')}><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"20\" w:lineRule=\"exact\"/>"
    '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>'
)


def template_path(template: str | Path | None = None) -> Path:
    if template is not None:
        return Path(template)
    return Path(str(resources.files("jixiao.render").joinpath("templates", "official.docx")))


def open_template(template: str | Path | None = None):
    path = template_path(template)
    try:
        doc = Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a bad file
        raise InputError(f"无法打开Word模板：{path}（{exc.__class__.__name__}）") from exc
    names = {s.name for s in doc.styles}
    missing = [s for s in STYLES.values() if s not in names]
    if missing:
        raise InputError(f"Word模板缺少样式：{'、'.join(missing)}：{path}")
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    return doc


def write_docx(parts: list[Part], path: Path, *, template: str | Path | None = None, title: str | None = None) -> Path:
    """One .docx holding ``parts`` in order, each starting on a new page in its orientation."""
    doc = open_template(template)
    style_ids = {key: doc.styles[name].style_id for key, name in STYLES.items()}
    for i, part in enumerate(parts):
        section = doc.sections[0] if i == 0 else doc.add_section(WD_SECTION.NEW_PAGE)
        _orient(section, part.landscape)
        if part.key == "report":
            _write_report(doc, part)
        else:
            _write_table_part(doc, part, style_ids)
    add_page_numbers(doc)
    props = doc.core_properties
    props.title = title or (parts[0].title if parts else "")
    props.author = props.last_modified_by = "jixiao"
    props.comments = ""
    doc.save(str(path))
    return path


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _field(instruction: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def add_page_numbers(doc) -> None:
    """'第 X 页  共 Y 页' centred in the footer (as the PDF prints it), unless the template has a PAGE field.

    Later sections have no footer of their own, so they take this one, and numbering runs on
    through the whole file."""
    footer = doc.sections[0].footer
    if not footer.is_linked_to_previous and "PAGE" in "".join(footer._element.itertext()):
        return
    footer.is_linked_to_previous = False
    for p in list(footer._element):
        footer._element.remove(p)
    style = doc.styles[STYLES["center"]].style_id
    footer._element.append(parse_xml(
        f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style}"/><w:jc w:val="center"/></w:pPr>'
        + _run("第 ") + _field("PAGE") + _run(" 页  共 ") + _field("NUMPAGES") + _run(" 页") + "</w:p>"
    ))


def _orient(section, landscape: bool) -> None:
    width, height = section.page_width, section.page_height
    short, long = min(width, height), max(width, height)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def _add_lines(doc, text: str, style: str) -> None:
    for line in clean_text(text).split("\n"):
        doc.add_paragraph(line, style=style)


def clean_text(text: str | None) -> str:
    return _ILLEGAL_XML.sub("", text or "").replace("\r\n", "\n").replace("\r", "\n")


def _write_table_part(doc, part: Part, style_ids: dict[str, str]) -> None:
    if part.attachment:
        doc.add_paragraph(part.attachment, style=STYLES["attachment"])
    if part.preamble:
        doc.add_paragraph(clean_text(part.preamble), style=STYLES["note"])
    _add_lines(doc, part.title, STYLES["title"])
    for line in part.title_lines:
        doc.add_paragraph(clean_text(line), style=STYLES["center"])
    assert part.grid is not None
    for n, (start, end, heads) in enumerate(part.grid.split()):
        if n:
            # Two tables with nothing between them are one table to Word: a hairline paragraph
            # keeps the repeated header's table apart without a visible gap.
            doc.element.body._insert_p(parse_xml(SPACER_XML))
        table = parse_xml(table_xml(part.grid, style_ids, start, end, heads))
        # Append before the body's final sectPr (python-docx's add_paragraph does the same).
        doc.element.body._insert_tbl(table)
    if part.note:
        label, text = part.note
        _add_lines(doc, f"{label}：{text}", STYLES["note"])
    if part.signature:
        doc.add_paragraph(signature_text(part.signature), style=STYLES["signature"])


def signature_text(items: list[tuple[str, str | None]]) -> str:
    """'单位负责人签字：　　　　　    填表人：刘莉    联系电话：…    填报日期：…' on one line."""
    return SIGNATURE_SEP.join(f"{label}：{clean_text(value).strip() or SIGNATURE_GAP}" for label, value in items)


def _write_report(doc, part: Part) -> None:
    report = part.report
    assert report is not None
    _add_lines(doc, part.title, STYLES["report_title"])
    for section in report.sections:
        _add_lines(doc, section.heading, STYLES["report_h1"])
        if not section.body:
            continue
        for line in clean_text(section.body).split("\n"):
            style = STYLES["report_h2"] if _SUBHEADING.match(line) else STYLES["report_body"]
            doc.add_paragraph(line, style=style)


# ------------------------------------------------------------------ tables


def table_xml(grid: Grid, style_ids: dict[str, str], start: int = 0, end: int | None = None, heads: int = 0) -> str:
    """Rows [start, end) of ``grid`` as one ``w:tbl``; its first ``heads`` rows repeat on each page."""
    widths = [round(w * TWIPS_PER_MM) for w in grid.widths]
    occupancy = grid.occupancy()
    end = len(grid.rows) if end is None else end
    out = [
        f"<w:tbl {nsdecls('w')}>",
        f'<w:tblPr><w:tblStyle w:val="{style_ids["table"]}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="0000"/></w:tblPr>',
        "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>",
    ]
    for r in range(start, end):
        row = occupancy[r]
        out.append(_tr(grid, r, r - start < heads))
        c = 0
        while c < grid.n_cols:
            cell = row[c]
            if cell is None:  # a hole in the layout: keep the grid whole with an empty cell
                out.append(_tc("", widths[c], 1, None, "left", False, style_ids))
                c += 1
                continue
            width = sum(widths[cell.col: cell.col + cell.colspan])
            starts_here = cell in grid.rows[r]
            vmerge = None
            if cell.rowspan > 1:
                vmerge = "restart" if starts_here else "continue"
            text = cell.text if starts_here else ""
            out.append(_tc(text, width, cell.colspan, vmerge, cell.align, cell.header, style_ids))
            c += cell.colspan
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _tr(grid: Grid, r: int, header: bool) -> str:
    props = []
    if _short_row(grid.rows[r]):
        props.append("<w:cantSplit/>")
    if grid.blank_row(r):  # room to write in by hand
        props.append(f'<w:trHeight w:val="{round(BLANK_ROW_MM * TWIPS_PER_MM)}" w:hRule="atLeast"/>')
    if header:
        props.append("<w:tblHeader/>")
    return f"<w:tr><w:trPr>{''.join(props)}</w:trPr>" if props else "<w:tr>"


def _short_row(cells: list[Cell]) -> bool:
    # Rows of short cells must not break across pages; rows of long prose may.
    return all(len(c.text) < 120 for c in cells)


def _tc(text: str, width: int, span: int, vmerge: str | None, align: str, header: bool, style_ids) -> str:
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if vmerge == "restart":
        props.append('<w:vMerge w:val="restart"/>')
    elif vmerge == "continue":
        props.append("<w:vMerge/>")
    props.append('<w:vAlign w:val="center"/>')
    style = style_ids["header"] if header else style_ids[align]
    paragraphs = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        + (f'<w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r>' if line else "")
        + "</w:p>"
        for line in clean_text(text).split("\n")
    )
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>{paragraphs}</w:tc>"
