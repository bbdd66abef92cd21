"""Jobs that survive their worker (in one process; tests/web/test_it_survives_kills.py kills real
worker processes): a job whose worker stopped mid-way is taken back and resumes after its last
committed file, writing no revision twice and leaving exactly one report line per file; a cancel
stops it and rolls back the file in flight; a re-uploaded batch writes nothing new; a database
failure interrupts it with its upload kept for 重试."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bureauworld import batch_zip, generated_document, json_file, zip_bytes
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from webworld import client_for

from jixiao.web.audit.models import AuditEvent
from jixiao.web.bureau import claims, jobs
from jixiao.web.bureau.jobs import do_cancel_job, do_retry_job, run_job, start_import
from jixiao.web.bureau.models import ImportJob, ImportLine, JobStatus, JobUploadChunk, LineStatus
from jixiao.web.packages.models import Revision


class Killed(BaseException):
    """What kill -9 looks like from inside: the run stops between two statements, nothing is tidied."""


def _killer(after: int):
    def on_line(job, line):
        if job.done >= after:
            raise Killed
    return on_line


def _queued(world, units, **kw) -> ImportJob:
    return start_import(campaign=world.campaign, actor=world.reviewer, upload=[batch_zip([u.name for u in units])],
                        source_name="各单位.zip", enqueue_it=False, **kw)


def _stale(job: ImportJob, seconds: int = 3600) -> None:
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=seconds))


def _revisions(units) -> dict[str, int]:
    return {u.name: Revision.objects.filter(package__unit=u).count() for u in units}


def test_a_job_whose_worker_died_resumes_where_it_stopped(world, campaign_units, settings):
    settings.JIXIAO_JOB_STALE_SECONDS = 60
    job = _queued(world, campaign_units)
    ImportJob.objects.filter(pk=job.pk).update(task_id="0b5d3c64-7a51-4a3e-9d61-6f2f1f1e2a10")  # as if queued for a worker
    with pytest.raises(Killed):
        run_job(job.pk, on_line=_killer(2))
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.done == 2 and job.claimed_by
    assert JobUploadChunk.objects.filter(job=job).exists(), "the upload is kept until the job ends"
    first_two = set(job.lines.values_list("position", flat=True))
    assert first_two == {0, 1}

    assert claims.reclaim_stale_jobs() == [], "a fresh heartbeat is not taken back"
    _stale(job)
    assert claims.reclaim_stale_jobs() == [job.pk]  # queued again; the inline backend runs it at once
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2 and job.done == job.total == len(campaign_units) + 5
    positions = list(ImportLine.objects.filter(job=job).order_by("position").values_list("position", flat=True))
    assert positions == list(range(job.total)), "one line per file, none missing, none twice"
    assert _revisions(campaign_units) == dict.fromkeys((u.name for u in campaign_units), 1), "no revision twice"
    assert (job.imported, job.failed) == (3, 5)
    assert not JobUploadChunk.objects.filter(job=job).exists() and job.upload_bytes == 0
    resumed = AuditEvent.objects.get(action="job_resumed")
    assert resumed.detail["job"] == job.pk and resumed.detail["done"] == 2


def test_a_job_that_kills_its_worker_every_time_stops_for_the_bureau(world, campaign_units, settings):
    settings.JIXIAO_JOB_MAX_ATTEMPTS = 1
    job = _queued(world, campaign_units)
    ImportJob.objects.filter(pk=job.pk).update(task_id="0b5d3c64-7a51-4a3e-9d61-6f2f1f1e2a10")
    with pytest.raises(Killed):
        run_job(job.pk, on_line=_killer(1))
    _stale(job)
    assert claims.reclaim_stale_jobs() == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.INTERRUPTED and job.can_retry and "中断1次" in job.error and "重试" in job.error
    assert AuditEvent.objects.filter(action="job_interrupted").count() == 1

    page = client_for(world.reviewer).get(reverse("bureau:job", args=[job.pk])).content.decode()
    assert 'id="job-retry"' in page and 'id="job-cancel"' in page and "hx-trigger" not in page
    resp = client_for(world.reviewer).post(reverse("bureau:job_retry", args=[job.pk]))
    assert resp.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.done == job.total
    assert _revisions(campaign_units) == dict.fromkeys((u.name for u in campaign_units), 1)
    retried = AuditEvent.objects.get(action="job_retried")
    assert retried.actor == world.reviewer and retried.detail["done"] == 1


def test_a_command_line_job_whose_process_died_is_interrupted_not_requeued(world, campaign_units, tmp_path):
    folder = tmp_path / "批量"
    folder.mkdir()
    for u in campaign_units:
        (folder / f"{u.name}.json").write_bytes(json_file(generated_document(u.name, 3)))
    job = start_import(campaign=world.campaign, actor=world.reviewer, path=folder, source_name="批量",
                       enqueue_it=False)
    with pytest.raises(Killed):
        run_job(job.pk, on_line=_killer(1))
    _stale(job)
    claims.reclaim_stale_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.INTERRUPTED and not job.can_retry and "重新运行同一命令" in job.error
    assert folder.exists(), "the command line's own files are never deleted"


def test_cancel_stops_the_job_keeps_what_is_done_and_deletes_the_upload(world, campaign_units):
    job = _queued(world, campaign_units)

    def cancel_after_first(job, line):
        if job.done == 1:
            do_cancel_job(job_id=job.pk, actor=world.reviewer)

    run_job(job.pk, on_line=cancel_after_first)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and job.done == 1 and job.lines.count() == 1
    assert "已处理的1个保留" in job.error and not JobUploadChunk.objects.filter(job=job).exists()
    assert sum(_revisions(campaign_units).values()) <= 1
    assert AuditEvent.objects.get(action="job_cancelled").detail == {"job": job.pk, "was": "running", "done": 1,
                                                                     "total": job.total}
    with pytest.raises(jobs.ActionError, match="无需取消"):
        do_cancel_job(job_id=job.pk, actor=world.reviewer)


def test_a_file_in_flight_when_the_claim_is_lost_leaves_nothing(world, campaign_units, monkeypatch):
    """The revision and its line commit together only while the worker holds the job: a cancel
    (or a reclaim) landing in between rolls the file back whole."""
    real = jobs.do_write_draft

    def write_then_lose_the_claim(**kw):
        out = real(**kw)
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.CANCELLED)  # another node's cancel
        return out

    monkeypatch.setattr(jobs, "do_write_draft", write_then_lose_the_claim)
    job = start_import(campaign=world.campaign, actor=world.reviewer, source_name="a.zip", enqueue_it=False,
                       upload=[zip_bytes({"a.json": json_file(generated_document(campaign_units[0].name, 1))})])
    run_job(job.pk)
    assert ImportLine.objects.filter(job=job).count() == 0
    assert Revision.objects.filter(package__unit=campaign_units[0]).count() == 0


def test_a_re_uploaded_batch_writes_no_second_revision(world, campaign_units):
    data = batch_zip([u.name for u in campaign_units], broken=False)
    first = start_import(campaign=world.campaign, actor=world.reviewer, upload=[data], source_name="1.zip")
    again = start_import(campaign=world.campaign, actor=world.reviewer, upload=[data], source_name="1.zip")
    assert first.imported == again.imported == len(campaign_units) and again.failed == 0
    assert {ln.status for ln in again.lines.all()} == {LineStatus.UNCHANGED}
    line = again.lines.first()
    assert line.message.startswith(f"{line.unit.name}的当前第1版与本文件内容相同，未重复写入")
    assert _revisions(campaign_units) == dict.fromkeys((u.name for u in campaign_units), 1)
    # A changed file is a new revision, as before.
    changed = zip_bytes({"x.json": json_file(generated_document(campaign_units[0].name, 99))})
    third = start_import(campaign=world.campaign, actor=world.reviewer, upload=[changed], source_name="2.zip")
    assert third.lines.get().status == LineStatus.IMPORTED
    assert _revisions(campaign_units)[campaign_units[0].name] == 2


def test_a_database_failure_interrupts_the_job_and_keeps_its_upload(world, campaign_units, monkeypatch):
    real, calls = jobs.do_write_draft, []

    def full_disk_on_the_second(**kw):
        calls.append(1)
        if len(calls) == 2:
            raise OperationalError("database or disk is full")
        return real(**kw)

    monkeypatch.setattr(jobs, "do_write_draft", full_disk_on_the_second)
    job = _queued(world, campaign_units)
    outcome = run_job(job.pk)
    job.refresh_from_db()
    assert outcome["reason"] == "服务器磁盘已满" and job.status == JobStatus.INTERRUPTED
    assert job.error.startswith("批量导入因服务器磁盘已满中断") and job.can_retry
    assert JobUploadChunk.objects.filter(job=job).exists()
    done_before = job.done
    do_retry_job(job_id=job.pk, actor=world.reviewer)  # the disk has room again: resumes inline
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.done == job.total and done_before < job.total
    assert _revisions(campaign_units) == dict.fromkeys((u.name for u in campaign_units), 1)


def test_the_job_page_shows_lines_while_running_and_cancels(world, campaign_units):
    job = _queued(world, campaign_units)
    with pytest.raises(Killed):
        run_job(job.pk, on_line=_killer(2))
    client = client_for(world.reviewer)
    page = client.get(reverse("bureau:job_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "处理中，逐个文件更新" in page
    assert page.count('class="line-') == 2 and 'id="job-cancel"' in page and 'id="job-retry"' not in page
    resp = client.post(reverse("bureau:job_cancel", args=[job.pk]))
    assert resp.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and job.finished
    page = client.get(reverse("bureau:job", args=[job.pk])).content.decode()
    assert "任务已取消" in page and 'id="job-cancel"' not in page and "hx-trigger" not in page
