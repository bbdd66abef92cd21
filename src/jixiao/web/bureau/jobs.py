"""Background jobs that write drafts: the batch import and the carry-over of last year.

``start_*`` records the job and enqueues it (Django Tasks; the database backend in
production, so the row and the queued task commit together). ``run_job`` is what the
worker runs. Each file or unit is one transaction holding its revision, its report line and
the job's counters, committed only while this worker still holds the job (claims.py): a
worker killed mid-job leaves whole files behind it, and the job, taken back by another worker,
resumes after the last committed line. A file whose content the unit's current revision already
holds (a re-uploaded batch) writes no second revision. The upload lives in the database
(jobstore.py) until the job ends.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, transaction
from django.db.models import F
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
from . import claims
from .actions import do_write_draft, require_reviewer
from .jobstore import discard_upload, store_upload, upload_file
from .matching import UnitIndex
from .models import ImportJob, ImportLine, JobKind, JobStatus, LineStatus
from .sources import batch_entries, iter_packages

log = logging.getLogger(__name__)

OK_LINES = (LineStatus.IMPORTED, LineStatus.UNCHANGED, LineStatus.PUBLISHED)


def enqueue(job: ImportJob) -> None:
    from .tasks import run_bureau_job

    result = run_bureau_job.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.task_id = str(result.id)[:64]


def start_import(*, campaign: Campaign, actor, source_name: str, upload=None, path: Path | None = None,
                 request=None, enqueue_it: bool = True) -> ImportJob:
    """``upload``: the uploaded zip's bytes (an iterable of chunks), kept in the database until the
    job ends. ``path``: a zip or folder of the command line's machine, never deleted.
    ``enqueue_it=False``: the caller runs the job itself (the CLI)."""
    require_reviewer(actor, campaign.bureau_id)
    if (upload is None) == (path is None):
        raise ValueError("start_import takes an upload or a path")
    with transaction.atomic():
        job = ImportJob.objects.create(campaign=campaign, kind=JobKind.IMPORT, created_by=actor,
                                       source_name=source_name[:300], stored_path=str(path) if path else "")
        if upload is not None:
            store_upload(job, upload)
        record(request, "batch_import", obj=campaign, user=actor, detail={"job": job.pk, "file": source_name[:200]})
        if enqueue_it:
            enqueue(job)
    return ImportJob.objects.get(pk=job.pk)


def start_prefill(*, campaign: Campaign, actor, request=None) -> ImportJob:
    require_reviewer(actor, campaign.bureau_id)
    with transaction.atomic():
        job = ImportJob.objects.create(campaign=campaign, kind=JobKind.PREFILL, created_by=actor,
                                       source_name=f"{campaign.year - 1}年度材料")
        record(request, "campaign_prefill", obj=campaign, user=actor, detail={"job": job.pk})
        enqueue(job)
    return ImportJob.objects.get(pk=job.pk)


def start_publish_all(*, campaign: Campaign, actor, request=None) -> ImportJob:
    require_reviewer(actor, campaign.bureau_id)
    with transaction.atomic():
        job = ImportJob.objects.create(campaign=campaign, kind=JobKind.PUBLISH, created_by=actor,
                                       source_name="审核通过的材料")
        record(request, "publish", obj=campaign, user=actor, detail={"job": job.pk, "all": True})
        enqueue(job)
    return ImportJob.objects.get(pk=job.pk)


# ------------------------------------------------------------------ the bureau's buttons


def _job_for(actor, job_id: int, *, lock: bool = True) -> ImportJob:
    qs = ImportJob.objects.select_related("campaign")
    job = (qs.select_for_update(of=("self",)) if lock else qs).get(pk=job_id)
    require_reviewer(actor, job.campaign.bureau_id)
    return job


def do_cancel_job(*, job_id: int, actor, request=None) -> ImportJob:
    """Stop the job: what is committed stays; the running worker stops before its next file
    (its claim is gone, so a file in flight is rolled back); the upload is deleted."""
    with transaction.atomic():
        job = _job_for(actor, job_id)
        if not job.can_cancel:
            raise ActionError(f"任务状态为“{job.status_label}”，无需取消。")
        was = job.status
        job.status, job.claimed_by, job.finished_at = JobStatus.CANCELLED, "", timezone.now()
        job.error = f"已由{actor.display_name}取消：已处理的{job.done}个保留，其余{max(job.total - job.done, 0)}个未处理。"
        job.save(update_fields=["status", "claimed_by", "finished_at", "error"])
        discard_upload(job.pk)
        record(request, "job_cancelled", obj=job.campaign, user=actor,
               detail={"job": job.pk, "was": was, "done": job.done, "total": job.total})
    return job


def do_retry_job(*, job_id: int, actor, request=None) -> ImportJob:
    """An interrupted job queued again: it resumes after its last committed line."""
    with transaction.atomic():
        job = _job_for(actor, job_id)
        if not job.can_retry:
            if job.status == JobStatus.INTERRUPTED:
                raise ActionError("这是命令行发起的导入，文件在命令所在的计算机上：请在那里重新运行同一命令继续。")
            raise ActionError(f"任务状态为“{job.status_label}”，只有已中断的任务可以重试。")
        job.status, job.error, job.attempts, job.claimed_by = JobStatus.QUEUED, "", 0, ""
        job.save(update_fields=["status", "error", "attempts", "claimed_by"])
        enqueue(job)
        record(request, "job_retried", obj=job.campaign, user=actor, detail={"job": job.pk, "done": job.done})
    return job


# ------------------------------------------------------------------ the worker's side


def run_job(job_id: int, on_line=None, token: str | None = None) -> dict:
    """``on_line(job, line)``: called after each file or unit (the CLI prints progress with it)."""
    token = token or claims.new_token()
    if not claims.claim(job_id, token):
        return {"skipped": True}
    job = ImportJob.objects.select_related("campaign", "created_by").get(pk=job_id)
    job.on_line = on_line
    try:
        with claims.heartbeat(job.pk, token):
            if job.kind == JobKind.PREFILL:
                _run_prefill(job)
            elif job.kind == JobKind.PUBLISH:
                _run_publish(job)
            else:
                with upload_file(job) as path:
                    job.local_path = path
                    _run_import(job)
    except claims.JobLost:  # cancelled, or taken back by another worker: nothing more to do here
        log.warning("job %s: claim %s lost, stopping", job.pk, token)
    except DatabaseError as exc:  # the database failed us: keep the upload, let 重试 resume later
        return {"job": job.pk, "status": JobStatus.INTERRUPTED, "reason": _interrupt(job, exc), "done": job.done}
    except Exception as exc:  # the whole job failed (e.g. the zip itself is refused): say why, keep the lines
        from jixiao.io import InputError

        from ..uploads import tidy_reason

        if isinstance(exc, InputError):  # name the file as the user knows it, not as we stored it
            local = str(getattr(job, "local_path", "") or "")
            reason = tidy_reason(str(exc), job.source_name, local, Path(local).name if local else "")
        else:
            reason = "导入过程出现内部错误，请联系系统管理员。"
            log.exception("bureau job %s failed", job.pk)
        _end(job, JobStatus.FAILED, reason)
    else:
        _end(job, JobStatus.DONE)
    job.refresh_from_db()
    return {"job": job.pk, "status": job.status, "imported": job.imported, "failed": job.failed}


def _end(job: ImportJob, status: str, error: str = "") -> None:
    with transaction.atomic():
        if claims.mine(job.pk, job.claimed_by).update(status=status, error=error, finished_at=timezone.now(),
                                                        claimed_by=""):
            discard_upload(job.pk)
            _discard_legacy_upload(job)


def _discard_legacy_upload(job: ImportJob) -> None:
    """A web upload queued before uploads moved into the database lies in DATA_DIR/imports/."""
    from django.conf import settings

    if job.kind == JobKind.IMPORT and job.stored_path:
        path = Path(job.stored_path)
        if path.parent == Path(settings.DATA_DIR) / "imports" and path.is_file():
            path.unlink(missing_ok=True)


def _interrupt(job: ImportJob, exc: BaseException) -> str:
    """Record why the database stopped the job (if it still takes that write); returns the reason."""
    from ..errors import storage_reason

    log.error("job %s interrupted by the database: %s", job.pk, exc)
    reason = storage_reason(exc)
    why = (f"{job.kind_label}因{reason}中断：已处理的{job.done}个已保存，其余尚未处理。"
           "问题排除后可点“重试”从中断处继续，已处理的不会重复写入。")
    try:
        with transaction.atomic():
            claims.mine(job.pk, job.claimed_by).update(status=JobStatus.INTERRUPTED, error=why, claimed_by="")
    except DatabaseError:  # still failing: the claim goes stale and a worker takes the job back later
        log.error("job %s: could not record the interruption", job.pk)
    return reason


def _line(job: ImportJob, pos: int, name: str, status: str, message: str, write=None, **kw) -> ImportLine | None:
    """Commit one file's (or unit's) outcome: ``write()`` (its revision, returning the line's status,
    message and fields) and the line and the job's counters, in one transaction, only while this
    worker holds the job (else JobLost, and nothing of the file stays)."""
    with transaction.atomic():
        if write is not None:
            try:
                status, message, more = write()
                kw.update(more)
            except ActionError as exc:
                status, message = LineStatus.SKIPPED, str(exc)
        line = ImportLine.objects.create(job=job, position=pos, file_name=name[:300], status=status,
                                         message=message, **kw)
        ok = status in OK_LINES
        if not claims.mine(job.pk, job.claimed_by).update(
                done=F("done") + 1, imported=F("imported") + int(ok), failed=F("failed") + int(not ok),
                heartbeat_at=timezone.now()):
            raise claims.JobLost
    job.done += 1
    job.imported += ok
    job.failed += not ok
    if getattr(job, "on_line", None):
        job.on_line(job, line)
    return line


def _still_mine(job: ImportJob) -> None:
    """Checked before the slow reading of each file, so a cancel stops the job promptly."""
    if not claims.mine(job.pk, job.claimed_by).exists():
        raise claims.JobLost


def _done_positions(job: ImportJob) -> set[int]:
    return set(ImportLine.objects.filter(job=job).values_list("position", flat=True))


def digest(document: dict) -> str:
    """A content hash of a stored document (its JSON with sorted keys)."""
    text = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _write(job: ImportJob, pos: int, name: str, unit: Unit, document: dict, result, *, source: str, note: str,
           detail: dict, extra: str = "", parts: set[str] = frozenset()) -> ImportLine:
    def write():
        current = Package.objects.filter(campaign=job.campaign, stage="evaluation", unit=unit).select_related("head").first()
        if current is not None and current.head is not None and digest(current.head.document) == digest(document):
            return (LineStatus.UNCHANGED, f"{unit.name}的当前第{current.head_number}版与本文件内容相同，未重复写入。{extra}",
                    {"package": current, "revision_number": current.head_number, "errors": current.head.errors})
        pkg, rev = do_write_draft(campaign=job.campaign, unit=unit, actor=job.created_by, document=document,
                                  result=result, source=source, note=note, audit_detail=detail)
        msg = (f"已写入{unit.name}的第{rev.number}版（填报中）：错误{rev.errors}条、警告{rev.warnings}条、"
               f"提示{rev.infos}条。{extra}")
        return LineStatus.IMPORTED, msg, {"package": pkg, "revision_number": rev.number, "errors": rev.errors}

    return _line(job, pos, name, LineStatus.SKIPPED, "", write=write, unit=unit, parts=",".join(sorted(parts)))


def _run_import(job: ImportJob) -> None:
    campaign = job.campaign
    entries = batch_entries(job.local_path)
    job.total = len(entries)
    ImportJob.objects.filter(pk=job.pk).update(total=job.total)
    index = UnitIndex(campaign.units.all())
    bureau_units = UnitIndex(Unit.objects.filter(bureau_id=campaign.bureau_id))
    n_units = campaign.units.count()
    seen: dict[int, tuple[str, set[str]]] = {}  # unit -> (first file, parts written)
    done = _done_positions(job)
    for line in job.lines.filter(status__in=OK_LINES, unit__isnull=False).order_by("position"):  # a resumed job
        first, written = seen.get(line.unit_id, (line.file_name, set()))
        seen[line.unit_id] = (first, written | set(filter(None, line.parts.split(","))))
    for pos, entry in enumerate(entries):
        if pos in done:
            continue
        _still_mine(job)
        _, package, reason = next(iter_packages([entry]))
        if package is None:
            _line(job, pos, entry.name, LineStatus.UNREADABLE, reason)
            continue
        try:
            _import_one(job, pos, entry, package, index, bureau_units, n_units, seen)
        except (claims.JobLost, DatabaseError):
            raise
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
    current = Package.objects.filter(campaign=campaign, stage="evaluation", unit=unit).select_related("head").first()
    document, kept = keep_absent_parts(document, current.head.document if current and current.head else None,
                                       campaign.form)
    if kept:
        extra += f"文件中没有{'、'.join(kept)}，保留了已有版本中的这些部分。"
    ev = evaluate(document, campaign.rule_pack)
    extra += f"{entry.note}。" if getattr(entry, "note", "") else ""  # old formats: how read, conversion time
    line = _write(job, pos, entry.name, unit, canonical(ev.package), ev.result, source="import",
                  note=f"财政局批量导入：{entry.name}", detail={"job": job.pk, "file": entry.name[:200]}, extra=extra,
                  parts=parts)
    if line.status in OK_LINES:  # only once written: a file that failed does not shadow a later one
        first, written = seen.get(unit.pk, (entry.name, set()))
        seen[unit.pk] = (first, written | parts)


def _run_prefill(job: ImportJob) -> None:
    campaign = job.campaign
    units = list(campaign.units.order_by("name", "pk"))
    job.total = len(units)
    ImportJob.objects.filter(pk=job.pk).update(total=job.total)
    started = set(Package.objects.filter(campaign=campaign, stage="evaluation").values_list("unit_id", flat=True))
    done = _done_positions(job)
    for pos, unit in enumerate(units):
        if pos in done:  # a resumed job: this unit's line (and draft) is already committed
            continue
        _still_mine(job)
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

    pkgs = list(Package.objects.filter(campaign=job.campaign, stage="evaluation", state=State.ACCEPTED).select_related("unit")
                .order_by("unit__name", "pk"))
    job.total = len(pkgs)
    ImportJob.objects.filter(pk=job.pk).update(total=job.total)
    done = _done_positions(job)
    for pos, pkg in enumerate(pkgs):
        if pos in done:
            continue
        _still_mine(job)
        # The PDF is drawn before do_publish's own transaction, so the publication commits there
        # and its line just after. A worker dying between the two leaves no line; the resumed job
        # publishes nothing twice (do_publish refuses a revision already published: a 未公开 line).
        try:
            pub = do_publish(package_id=pkg.pk, actor=job.created_by)
        except ActionError as exc:
            _line(job, pos, pkg.unit.name, LineStatus.SKIPPED, str(exc), unit=pkg.unit, package=pkg)
            continue
        note = "" if pub.pdf else "（PDF 未能生成，已公开网页和数据）"
        _line(job, pos, pkg.unit.name, LineStatus.PUBLISHED, f"第{pub.number}次公开，第{pub.revision_number}版{note}。",
              unit=pkg.unit, package=pkg, revision_number=pub.revision_number)
