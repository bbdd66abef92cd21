"""Writing a drafted report: Markdown, or Word through the official renderer (jixiao.render)."""

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


def write_docx(report: Report, path: Path, *, template: str | Path | None = None) -> None:
    """The report as the official documents print it: the Word writer of jixiao.render on our
    template (A4, 仿宋/黑体/楷体 styles set through w:eastAsia, page numbers in the footer)."""
    from ..forms import part_name
    from ..render.docx_writer import write_docx as write_parts
    from ..render.layout import Part

    name = part_name("report")
    part = Part(key="report", name=name, label=name, title=report.title or "", path="report", report=report)
    write_parts([part], Path(path), template=template, title=report.title or name)
