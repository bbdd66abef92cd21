"""The official documents of a package: Word (one file per part plus a combined file),
one Excel workbook, and one PDF (our HTML through WeasyPrint).

All three are drawn from one layout (``tables.build_parts``), itself laid out from the form
definition, so they show the same rows, labels and merges. By default the documents show
exactly what the package says; ``fill_computed`` fills blank computed cells first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Package
    from .fill import FilledCell

# The layout and the writers' pieces the web app draws with, loaded when first asked for (the
# writers import python-docx, openpyxl and WeasyPrint).
_LAZY = {"build_parts": "tables", "part_html": "html_writer", "write_pdf": "pdf_writer",
         "write_docx_template": "template_docx",
         "is_formula_like": "xlsx_writer"}

__all__ = ["FORMATS", "RenderResult", "render_package", "file_stem", "safe_name", *_LAZY]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)

FORMATS = ("docx", "xlsx", "pdf")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')


@dataclass
class RenderResult:
    files: list[Path] = field(default_factory=list)
    filled: list[FilledCell] = field(default_factory=list)


def file_stem(package: Package) -> str:
    """'2023-岳阳市岳阳楼区城市管理督查考评中心': safe on Windows and Linux file systems."""
    unit = _UNSAFE.sub("_", package.unit_name).strip("._") or "单位"
    return f"{package.fiscal_year}-{unit[:60]}"


def safe_name(text: str) -> str:
    return _UNSAFE.sub("_", text).strip("._")[:80] or "_"


def render_package(
    package: Package,
    out_dir: str | Path,
    formats: tuple[str, ...] | list[str] = FORMATS,
    *,
    fill_computed: bool = False,
    with_findings: bool = False,
    pack: str | None = None,
    template: str | Path | None = None,
    form: str | None = None,
) -> RenderResult:
    """Write the documents of ``package`` into ``out_dir`` and return what was written.

    ``form``: the form definition to lay the tables out by; by default the package's own
    (``Package.form``), else the one ``pack`` names."""
    from ..forms import form_of
    from .tables import build_parts

    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        from ..errors import InputError

        raise InputError(f"不支持的输出格式：{'、'.join(unknown)}（支持：{'、'.join(FORMATS)}）")
    form = form or package.form  # a package on a form of its own is drawn as that form
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = RenderResult()
    if pack is not None:
        from ..pack import read_pack

        definition = form_of(read_pack(pack), form)
    else:
        definition = form_of(None, form)
    if fill_computed:
        from .fill import fill_computed as fill

        package, result.filled = fill(package, definition)
    parts = build_parts(package, definition)
    if not parts:
        from ..errors import InputError

        raise InputError(f"{package.fiscal_year}年度“{package.unit_name}”的材料中没有任何表格或报告，无可出具的文书")
    stem = file_stem(package)

    if "docx" in formats:
        from .docx_writer import write_docx

        for n, part in enumerate(parts, start=1):
            result.files.append(write_docx([part], out / f"{stem}-{n:02d}-{safe_name(part.label)}.docx", template=template))
        title = f"{package.fiscal_year}年度{package.unit_name}绩效自评材料"
        result.files.append(write_docx(parts, out / f"{stem}-全套.docx", template=template, title=title))
    if "xlsx" in formats:
        from .xlsx_writer import write_xlsx

        result.files.append(write_xlsx(parts, out / f"{stem}.xlsx"))
    if "pdf" in formats:
        from .pdf_writer import write_pdf

        check = None
        if with_findings:
            from ..api import check_package

            check = check_package(package, pack)
        result.files.append(write_pdf(parts, out / f"{stem}.pdf", package=package, check=check, filled=result.filled))
    return result
