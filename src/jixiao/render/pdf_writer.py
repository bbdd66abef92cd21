"""PDF of the whole package through our HTML and WeasyPrint (no office suite at run time).

WeasyPrint finds fonts through fontconfig and embeds the subsets it uses, so the Debian CJK
fonts the set-up installs end up inside the PDF.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from .html_writer import findings_html, render_html
from .layout import Part

if TYPE_CHECKING:
    from ..api import CheckResult
    from ..model import Package
    from .fill import FilledCell


def write_pdf(
    parts: list[Part],
    path: Path,
    *,
    package: Package,
    check: CheckResult | None = None,
    filled: list[FilledCell] | None = None,
) -> Path:
    from weasyprint import HTML

    # WeasyPrint logs every CSS property it ignores; none of that is the user's business.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    title = f"{package.fiscal_year}年度{package.unit_name}绩效自评材料"
    extra = findings_html(check, filled or []) if check is not None else ""
    html = render_html(parts, title=title, extra=extra)
    HTML(string=html).write_pdf(str(path))
    return path
