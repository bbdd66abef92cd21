"""Writing a drafted report: Markdown, or a plain Word file through python-docx.

Kept small on purpose: the official renderer (jixiao.render) may take over the Word output.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Report


def to_markdown(report: Report) -> str:
    out = [f"# {report.title}", ""] if report.title else []
    for section in report.sections:
        out += [f"## {section.heading}", ""]
        for line in section.body.splitlines():
            if line.strip():
                out += [line.strip(), ""]
    return "\n".join(out).rstrip() + "\n"


def _east_asian(run_or_style, font: str) -> None:
    # python-docx sets only the Latin font; without w:eastAsia, Word falls back to a Japanese face.
    from docx.oxml.ns import qn

    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)


def write_docx(report: Report, path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "仿宋"
    normal.font.size = Pt(14)
    _east_asian(normal, "仿宋")
    if report.title:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(report.title)
        run.bold = True
        run.font.size = Pt(18)
        run.font.name = "宋体"
        _east_asian(run, "宋体")
    for section in report.sections:
        run = doc.add_paragraph().add_run(section.heading)
        run.bold = True
        run.font.name = "黑体"
        _east_asian(run, "黑体")
        for line in section.body.splitlines():
            if line.strip():
                p = doc.add_paragraph(line.strip())
                p.paragraph_format.first_line_indent = Pt(28)  # two characters
    doc.save(str(path))
