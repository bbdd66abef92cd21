"""Background jobs that write drafts: the batch import and the carry-over of last year.

``start_*`` records the job and enqueues it (Django Tasks; the database backend in
production, so the row and the queued task commit together). ``run_job`` is what the
worker runs: one transaction per file or unit, progress written as it goes, one report
line for everything that happened — nothing is dropped silently.
"""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jixiao.forms import DEFAULT_FORM

from ..accounts.models import Unit
from ..audit.log import record
from ..packages.actions import ActionError, last_year_revision
from ..packages.checking import (
    canonical,
    evaluate,
    form_title,
    keep_absent_parts,
    new_document,
    other_form_reason,
    parts_in,
)
from ..packages.models import Campaign, Package, State
from ..packages.prefill import carry_over, same_form
from .actions import do_write_draft, require_reviewer
from .matching import UnitIndex
from .models import ImportJob, ImportLine, JobKind, JobStatus, LineStatus
from .sources import batch_entries, iter_packages

log = logging.getLogger(__name__)


def upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def store_upload(chunks, suffix: str = ".zip") -> Path:
    """The upload under a name of ours, readable by this account only; deleted after the job."""
    path = upload_dir() / f"{uuid.uuid4().hex}{suffix}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
    return path


def _enqueue(job: ImportJob) -> None:
    from .tasks import run_bureau_job

    result = run_bureau_job.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def start_import(*, campaign: Campaign, actor, path: Path, source_name: str, request=None,
                 enqueue: bool = True) -> ImportJob:
    """``path``: a zip or a folder. Only uploads stored by ``store_upload`` are deleted after the job;
    the CLI's own files are left alone. ``enqueue=False``: the caller runs the job itself (the CLI)."""
    require_reviewer(actor, campaign.bureau_id)
    with transaction.atomic():
        job = ImportJob.objects.create(campaign=campaign, kind=JobKind.IMPORT, created_by=actor,
                                       source_name=source_name[:300], stored_path=str(path))
        record(request, "batch_import", obj=campaign, user=actor, detail={"job": job.pk, "file": source_name[:200]})
        if enqueue:
            _enqueue(job)
    return ImportJob.objects.get(pk=job.pk)


def start_prefill(*, campaign: Campaign, actor, request=None) -> ImportJob:
    require_reviewer(actor, campaign.bureau_id)
    with transaction.atomic():
        job = ImportJob.objects.create(campaign=campaign, kind=JobKind.PREFILL, created_by=actor,
                                       source_name=f"{campaign.year - 1}年度材料")
        record(request, "campaign_prefill", obj=campaign, user=actor, detail={"job": job.pk})
        _enqueue(job)
    return ImportJob.objects.get(pk=job.pk)


def start_publish_all(*, campaign: Campaign, actor, request=None) -> ImportJob:
    require_reviewer(actor, campaign.bureau_id)
    with transaction.atomic():
        job = ImportJob.objects.create(campaign=campaign, kind=JobKind.PUBLISH, created_by=actor,
                                       source_name="审核通过的材料")
        record(request, "publish", obj=campaign, user=actor, detail={"job": job.pk, "all": True})
        _enqueue(job)
    return ImportJob.objects.get(pk=job.pk)


def run_job(job_id: int, on_line=None) -> dict:
    """``on_line(job, line)``: called after each file or unit (the CLI prints progress with it)."""
    job = ImportJob.objects.select_related("campaign", "created_by").get(pk=job_id)
    job.on_line = on_line
    if job.status != JobStatus.QUEUED:
        return {"skipped": True}
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    try:
        if job.kind == JobKind.PREFILL:
            _run_prefill(job)
        elif job.kind == JobKind.PUBLISH:
            _run_publish(job)
        else:
            _run_import(job)
    except Exception as exc:  # the whole job failed (e.g. the zip itself is refused): say why, keep the lines
        from jixiao.io import InputError

        from ..uploads import tidy_reason

        if isinstance(exc, InputError):  # name the file as the user knows it, not as we stored it
            stored = job.stored_path or ""
            reason = tidy_reason(str(exc), job.source_name, stored, Path(stored).name if stored else "")
        else:
            reason = "导入过程出现内部错误，请联系系统管理员。"
        if not isinstance(exc, InputError):
            log.exception("bureau job %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=reason, finished_at=timezone.now())
    else:
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, finished_at=timezone.now())
    finally:
        _discard_upload(job)
    job.refresh_from_db()
    return {"job": job.pk, "status": job.status, "imported": job.imported, "failed": job.failed}


def _discard_upload(job: ImportJob) -> None:
    if job.kind != JobKind.IMPORT or not job.stored_path:
        return
    path = Path(job.stored_path)
    if path.parent == upload_dir() and path.is_file():
        path.unlink(missing_ok=True)


def _line(job: ImportJob, pos: int, name: str, status: str, message: str, **kw) -> ImportLine:
    line = ImportLine.objects.create(job=job, position=pos, file_name=name[:300], status=status, message=message, **kw)
    ok = status in (LineStatus.IMPORTED, LineStatus.PUBLISHED)
    ImportJob.objects.filter(pk=job.pk).update(
        done=pos + 1, imported=job.imported + ok, failed=job.failed + (not ok)
    )
    job.imported += ok
    job.failed += not ok
    if getattr(job, "on_line", None):
        job.on_line(job, line)
    return line


def _write(job: ImportJob, pos: int, name: str, unit: Unit, document: dict, result, *, source: str, note: str,
           detail: dict, extra: str = "") -> None:
    try:
        pkg, rev = do_write_draft(campaign=job.campaign, unit=unit, actor=job.created_by, document=document,
                                  result=result, source=source, note=note, audit_detail=detail)
    except ActionError as exc:
        _line(job, pos, name, LineStatus.SKIPPED, str(exc), unit=unit)
        return
    msg = (f"已写入{unit.name}的第{rev.number}版（填报中）：错误{rev.errors}条、警告{rev.warnings}条、"
           f"提示{rev.infos}条。{extra}")
    _line(job, pos, name, LineStatus.IMPORTED, msg, unit=unit, package=pkg, revision_number=rev.number,
          errors=rev.errors)


def _run_import(job: ImportJob) -> None:
    campaign = job.campaign
    entries = batch_entries(Path(job.stored_path))
    job.total = len(entries)
    ImportJob.objects.filter(pk=job.pk).update(total=job.total)
    index = UnitIndex(campaign.units.all())
    bureau_units = UnitIndex(Unit.objects.filter(bureau_id=campaign.bureau_id))
    n_units = campaign.units.count()
    seen: dict[int, tuple[str, set[str]]] = {}  # unit -> (first file, parts written)
    for pos, (entry, package, reason) in enumerate(iter_packages(entries)):
        if package is None:
            _line(job, pos, entry.name, LineStatus.UNREADABLE, reason)
            continue
        try:
            _import_one(job, pos, entry, package, index, bureau_units, n_units, seen)
        except Exception:  # one file's surprise is one line; the other files are still imported
            log.exception("bureau job %s: file %s failed", job.pk, entry.name)
            _line(job, pos, entry.name, LineStatus.UNREADABLE,
                  f"{entry.name}：导入该文件时出现内部错误，未导入；其他文件不受影响。请联系系统管理员。")


def _import_one(job: ImportJob, pos: int, entry, package, index: UnitIndex, bureau_units: UnitIndex, n_units: int,
                seen: dict[int, tuple[str, set[str]]]) -> None:
    campaign = job.campaign
    if package.fiscal_year != campaign.year:
        _line(job, pos, entry.name, LineStatus.SKIPPED,
              f"材料是{package.fiscal_year}年度的，本评价任务是{campaign.year}年度，未导入。")
        return
    other_form = other_form_reason(package, campaign.form, entry.name)
    if other_form:
        _line(job, pos, entry.name, LineStatus.SKIPPED, other_form)
        return
    unit, extra = index.get(package.unit_name), ""
    if unit is None:
        unit = index.from_file(entry.stem)
        if unit is not None:
            extra = f"文件中的单位名称为“{package.unit_name}”，按文件名对应到{unit.name}，请核对。"
    if unit is None:
        if bureau_units.get(package.unit_name) is not None:
            why = f"文件中的单位“{package.unit_name}”是本局所辖单位，但不在本评价任务的单位名单中，未导入。"
        else:
            why = (f"文件中的单位名称“{package.unit_name}”与本评价任务的{n_units}个单位都对应不上"
                   "（文件名也对应不上），未导入；请核对单位名称，或先把该单位加入任务。")
        _line(job, pos, entry.name, LineStatus.UNMATCHED, why)
        return
    document = canonical(package)
    parts = parts_in(document)
    if unit.pk in seen and seen[unit.pk][1] & parts:
        _line(job, pos, entry.name, LineStatus.SKIPPED,
              f"与“{seen[unit.pk][0]}”同为{unit.name}的材料（含相同的部分），已导入前者，本文件未导入。", unit=unit)
        return
    # Parts the file lacks are kept from the unit's current revision: a file holding only the
    # 基础数据表 (a unit's part files in one batch) never erases what is already there.
    current = Package.objects.filter(campaign=campaign, unit=unit).select_related("head").first()
    document, kept = keep_absent_parts(document, current.head.document if current and current.head else None,
                                       campaign.form)
    if kept:
        extra += f"文件中没有{'、'.join(kept)}，保留了已有版本中的这些部分。"
    ev = evaluate(document, campaign.rule_pack)
    extra += f"{entry.note}。" if getattr(entry, "note", "") else ""  # old formats: how read, conversion time
    _write(job, pos, entry.name, unit, canonical(ev.package), ev.result, source="import",
           note=f"财政局批量导入：{entry.name}", detail={"job": job.pk, "file": entry.name[:200]}, extra=extra)
    # only once written: a file that failed does not shadow a later one
    first, written = seen.get(unit.pk, (entry.name, set()))
    seen[unit.pk] = (first, written | parts)


def _run_prefill(job: ImportJob) -> None:
    campaign = job.campaign
    units = list(campaign.units.order_by("name"))
    job.total = len(units)
    ImportJob.objects.filter(pk=job.pk).update(total=job.total)
    started = set(Package.objects.filter(campaign=campaign).values_list("unit_id", flat=True))
    for pos, unit in enumerate(units):
        if unit.pk in started:
            _line(job, pos, unit.name, LineStatus.SKIPPED, "已有本年度材料，未预填。", unit=unit)
            continue
        last = last_year_revision(campaign, unit.pk)
        if last is None:
            _line(job, pos, unit.name, LineStatus.SKIPPED,
                  f"没有{campaign.year - 1}年度材料可沿用，由单位从空白材料开始填报。", unit=unit)
            continue
        fresh = new_document(unit.name, campaign.year, campaign.form, campaign.rule_pack)
        if not same_form(last.document, fresh):
            _line(job, pos, unit.name, LineStatus.SKIPPED,
                  f"{campaign.year - 1}年度材料是“{form_title(last.document.get('form') or DEFAULT_FORM)}”的，"
                  f"与本任务的“{form_title(campaign.form)}”表式不同，不沿用，由单位从空白材料开始填报。", unit=unit)
            continue
        ev = evaluate(carry_over(last.document, fresh), campaign.rule_pack)
        if not ev.ok:
            _line(job, pos, unit.name, LineStatus.SKIPPED,
                  f"{campaign.year - 1}年度材料第{last.number}版无法沿用（{ev.fatal or '内容无法识别'}）。", unit=unit)
            continue
        _write(job, pos, unit.name, unit, canonical(ev.package), ev.result, source="carryover",
               note=f"按{campaign.year - 1}年度材料第{last.number}版预填",
               detail={"job": job.pk, "from_revision": last.pk})


def _run_publish(job: ImportJob) -> None:
    """Every accepted package not yet published in its current version (the PDF makes this slow)."""
    from .publication import do_publish

    pkgs = list(Package.objects.filter(campaign=job.campaign, state=State.ACCEPTED).select_related("unit")
                .order_by("unit__name"))
    job.total = len(pkgs)
    ImportJob.objects.filter(pk=job.pk).update(total=job.total)
    for pos, pkg in enumerate(pkgs):
        try:
            pub = do_publish(package_id=pkg.pk, actor=job.created_by)
        except ActionError as exc:
            _line(job, pos, pkg.unit.name, LineStatus.SKIPPED, str(exc), unit=pkg.unit, package=pkg)
            continue
        note = "" if pub.pdf else "（PDF 未能生成，已公开网页和数据）"
        _line(job, pos, pkg.unit.name, LineStatus.PUBLISHED, f"第{pub.number}次公开，第{pub.revision_number}版{note}。",
              unit=pkg.unit, package=pkg, revision_number=pub.revision_number)
