"""The Word template to fill: the form's printed tables of an empty package (or of a package to
complete), drawn like every other document from the one grid, with rows to write in."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..forms import DEFAULT_FORM, load_form
from ..pack import DEFAULT_PACK


def write_docx_template(year: int, package=None, projects: int = 1, *, form: str = DEFAULT_FORM,
                        pack: str = DEFAULT_PACK) -> bytes:
    """One .docx of the form's tables (and report headings) for ``year``, blank cells to fill in."""
    from ..io.xlsx_io import template_package
    from .docx_writer import write_docx
    from .tables import build_parts

    pkg = template_package(year, package, projects, form=form, pack=pack)
    parts = build_parts(pkg, load_form(form))
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "t.docx"
        write_docx(parts, target, title=f"{pkg.fiscal_year}年度{load_form(form).get('name') or ''}模板")
        return target.read_bytes()
