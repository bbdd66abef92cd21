"""Batch import pages: the upload, a job's progress bar and report lines (HTMX polling while it
runs), and its 取消 / 重试 buttons."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..audit.log import record
from ..packages.access import deny
from ..packages.actions import ActionError
from .access import get_campaign, require_reviewer
from .jobs import do_cancel_job, do_retry_job, start_import
from .models import ImportJob, LineStatus
from .sources import MAX_BATCH_BYTES


def import_page(request, campaign_id: int):
    campaign = get_campaign(request, campaign_id)
    if request.method == "POST":
        upload = request.FILES.get("file")
        fail = None
        if upload is None:
            fail = "请选择要导入的 .zip 压缩包。"
        elif Path(upload.name).suffix.lower() != ".zip":
            fail = f"批量导入需要 .zip 压缩包，“{upload.name}”不是。单个材料请由单位在本单位页面导入。"
        elif upload.size > MAX_BATCH_BYTES:
            fail = f"压缩包过大（{upload.size / 1048576:.0f} MB），上限为{MAX_BATCH_BYTES // 1048576} MB，请分批上传。"
        if fail is None:
            try:  # the upload goes into the database with the job: any worker on any node can read it
                job = start_import(campaign=campaign, actor=request.user, upload=upload.chunks(),
                                   source_name=upload.name, request=request)
            except ActionError as exc:
                fail = str(exc)
            else:
                return redirect("bureau:job", job.pk)
        with transaction.atomic():
            record(request, "import_failed", obj=campaign, detail={"file": upload.name if upload else "", "reason": fail})
        messages.error(request, fail)
        return redirect("bureau:import", campaign.pk)
    jobs = ImportJob.objects.filter(campaign=campaign).select_related("created_by")[:20]
    return render(request, "bureau/import.html", {"campaign": campaign, "jobs": jobs,
                                                  "max_mb": MAX_BATCH_BYTES // 1048576})


def _get_job(request, job_id: int) -> ImportJob:
    require_reviewer(request)
    job = (ImportJob.objects.select_related("campaign", "created_by")
           .filter(pk=job_id, campaign__bureau_id=request.user.bureau_id).first())
    if job is None:
        deny(request, f"无权访问导入任务#{job_id}", status=404)
    return job


def _context(request, job: ImportJob) -> dict:
    status = request.GET.get("status", "")
    lines = job.lines.select_related("unit", "package")
    if status in LineStatus.values:
        lines = lines.filter(status=status)
    page = Paginator(lines, 200).get_page(request.GET.get("page"))
    # The filters a job of this kind can have (no 已公开 on an import, no 单位不匹配 on a publication).
    kinds = {"publish": {"published", "skipped"}, "prefill": {"imported", "skipped"}}.get(
        job.kind, {"imported", "unchanged", "unmatched", "unreadable", "skipped"})
    statuses = [(k, label) for k, label in LineStatus.choices if k in kinds]
    return {"job": job, "campaign": job.campaign, "page": page, "status": status, "statuses": statuses}


def job_page(request, job_id: int):
    job = _get_job(request, job_id)
    return render(request, "bureau/job.html", _context(request, job))


def job_progress(request, job_id: int):
    """The progress block, polled by HTMX every second until the job has finished."""
    job = _get_job(request, job_id)
    return render(request, "bureau/_job_progress.html", _context(request, job))


@require_POST
def job_cancel(request, job_id: int):
    job = _get_job(request, job_id)
    try:
        do_cancel_job(job_id=job.pk, actor=request.user, request=request)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "任务已取消：已处理的文件保留，其余不再处理；上传的压缩包已删除。")
    return redirect("bureau:job", job.pk)


@require_POST
def job_retry(request, job_id: int):
    job = _get_job(request, job_id)
    try:
        do_retry_job(job_id=job.pk, actor=request.user, request=request)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "任务已重新排队，将从中断处继续；已处理的文件不会重复写入。")
    return redirect("bureau:job", job.pk)
