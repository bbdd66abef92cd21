"""Publishing (公开): a frozen, dated copy of an accepted package.

Everything the public pages show is computed once, at publication, and stored in the row:
the document JSON, the official tables as HTML (the renderer's own layout, the same as
Word/PDF), an open CSV of every cell, and the PDF. Later changes to the package never reach
a publication; publishing again makes a new one with its own date, and the old one stays.
"""

from __future__ import annotations

import csv
import io
import logging
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jixiao.model import Package as DocPackage

from ..audit.log import record
from ..packages.actions import ActionError
from ..packages.checking import evaluate
from ..packages.cycle_context import cycle_context_for
from ..packages.labels import describe
from ..packages.models import Package, State
from .actions import require_reviewer
from .models import Publication, Review

log = logging.getLogger(__name__)
CSV_HEADER = ("部分", "单元格", "路径", "内容")


def parts_of(package: DocPackage, form_name: str | None = None):
    """The printed parts of a package, laid out by its campaign's form."""
    from jixiao.forms import form_of
    from jixiao.render import build_parts

    return build_parts(package, form_of(None, form_name))


def html_of(parts) -> str:
    from jixiao.render import part_html

    return "".join(part_html(p) for p in parts)


def csv_of(parts, document: dict[str, Any], form_name: str) -> str:
    """Every data cell of the tables (captions left out) and every report section: one row each."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_HEADER)
    for part in parts:
        if part.grid is not None:
            for row in part.grid.rows:
                for cell in row:
                    if cell.header or not cell.path:
                        continue
                    w.writerow([part.label, describe(cell.path, document, form_name), cell.path, _safe(cell.text)])
        if part.report is not None:
            for i, section in enumerate(part.report.sections):
                w.writerow([part.label, section.heading, f"report.sections.{i}.body", _safe(section.body)])
    return buf.getvalue()


def _safe(text: str | None) -> str:
    """Spreadsheets open CSV too: text that would start a formula gets a leading apostrophe."""
    text = text or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _numeric(text) else text


def _numeric(text: str) -> bool:
    try:
        float(text.replace(",", ""))
        return True
    except ValueError:
        return False


def pdf_of(parts, package: DocPackage) -> bytes | None:
    """The PDF through the renderer (WeasyPrint); None when it cannot be made (the page says so)."""
    if not getattr(settings, "JIXIAO_PUBLISH_PDF", True):
        return None
    try:
        from jixiao.render import write_pdf

        with tempfile.TemporaryDirectory(prefix="jixiao-publish-") as tmp:
            path = write_pdf(parts, Path(tmp) / "package.pdf", package=package)
            return path.read_bytes()
    except Exception:  # a renderer failure must not block publishing the data and tables
        log.exception("PDF for publication of %s %s failed", package.fiscal_year, package.unit_name)
        return None


def do_publish(*, package_id: int, actor, request=None) -> Publication:
    pkg = Package.objects.select_related("campaign", "unit", "head").get(pk=package_id)
    require_reviewer(actor, pkg.campaign.bureau_id)
    if pkg.state != State.ACCEPTED:
        raise ActionError(f"材料当前状态为“{pkg.state_label}”，只有审核通过的材料可以公开。")
    if pkg.stage != "evaluation":  # the public pages show self-evaluations (绩效自评结果公开)
        raise ActionError(f"{pkg.stage_label}材料不在公开范围内，只公开绩效自评材料。")
    ev = evaluate(pkg.head.document, pkg.rule_pack, cycle=cycle_context_for(pkg))
    if ev.package is None:
        raise ActionError("材料内容无法识别，不能公开。")
    # The slow part (layout, PDF) runs before the transaction, so the database is not held.
    parts = parts_of(ev.package, pkg.form)
    html, text = html_of(parts), csv_of(parts, pkg.head.document, pkg.form)
    pdf = pdf_of(parts, ev.package)
    review = Review.objects.filter(package=pkg, revision_number=pkg.head_number, decision="accept").first()
    with transaction.atomic():
        locked = Package.objects.select_for_update(of=("self",)).get(pk=pkg.pk)
        if locked.state != State.ACCEPTED or locked.head_number != pkg.head_number:
            raise ActionError("材料在公开过程中发生了变化，请刷新页面后重试。")
        previous = Publication.objects.filter(package=pkg).order_by("-number").first()
        if previous is not None and previous.revision_number == pkg.head_number:
            raise ActionError(f"第{pkg.head_number}版已于{timezone.localtime(previous.published_at):%Y-%m-%d %H:%M}"
                              "公开，内容没有变化，无需重复公开。")
        last = previous.number if previous else 0
        pub = Publication.objects.create(
            package=pkg, campaign=pkg.campaign, unit=pkg.unit, number=last + 1, revision_number=pkg.head_number,
            published_by=actor, unit_name=pkg.unit.name, fiscal_year=pkg.campaign.year, document=pkg.head.document,
            html=html, csv=text, pdf=pdf, self_total=pkg.head.self_total,
            review_total=review.review_total if review else None,
            grade=(review.review_grade if review and review.review_grade else pkg.head.computed_grade or ""),
        )
        record(request, "publish", obj=pkg, user=actor,
               detail={"publication": pub.pk, "number": pub.number, "revision": pkg.head_number, "pdf": pdf is not None})
    return pub
