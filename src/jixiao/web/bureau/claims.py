"""Who runs a job, and what happens when that worker dies.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: a
worker killed mid-job leaves it RUNNING forever. So each job carries its own claim:

- ``claim``: QUEUED → RUNNING under a fresh token (``claimed_by``), ``attempts`` + 1.
- ``heartbeat``: a thread renews ``heartbeat_at`` every JIXIAO_JOB_HEARTBEAT_SECONDS while the
  job runs; every file's line is committed only if the claim is still this worker's
  (``ImportJob`` row updated with ``claimed_by=token``), else JobLost rolls that file back.
- ``reclaim_stale_jobs``: a claim not renewed for JIXIAO_JOB_STALE_SECONDS is taken back and the
  job queued again as a new task; it resumes after its last committed line. After
  JIXIAO_JOB_MAX_ATTEMPTS claims it stops as 已中断 and waits for the bureau's 重试 or 取消
  (a file that kills its worker every time must not loop forever). A command-line job cannot
  be run by a worker (its folder is on the machine of the command): it becomes 已中断 at once.
- ``start_reaper_thread``: every worker process (``jixiao manage job_worker``, ``jixiao serve``)
  runs the reclaim every heartbeat interval.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import get_random_string

from .models import ImportJob, JobStatus

log = logging.getLogger(__name__)


class JobLost(Exception):
    """This worker's claim is gone (the job was cancelled, or taken back as stale): stop, write nothing."""


def new_token(prefix: str = "") -> str:
    host = socket.gethostname()[:40]
    return f"{prefix or 'worker'}@{host}:{os.getpid()}:{get_random_string(8)}"[:100]


def claim(job_id: int, token: str) -> bool:
    now = timezone.now()
    with transaction.atomic():
        return bool(ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, claimed_by=token, heartbeat_at=now, attempts=F("attempts") + 1,
            started_at=Coalesce("started_at", now), error=""))


def mine(job_id: int, token: str):
    """The job's row, if this worker still holds it (a QuerySet to update inside a transaction)."""
    return ImportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING, claimed_by=token)


@contextmanager
def heartbeat(job_id: int, token: str):
    """Renew the claim from a thread while the body runs. Not inside a transaction (the inline
    task backend of the tests): the thread's writes would wait on that very transaction."""
    if connection.in_atomic_block:
        yield
        return
    stop = threading.Event()
    every = max(0.2, settings.JIXIAO_JOB_HEARTBEAT_SECONDS)

    def beat() -> None:
        from django.db import connection as own

        try:
            while not stop.wait(every):
                try:
                    mine(job_id, token).update(heartbeat_at=timezone.now())
                except DatabaseError as exc:  # the job's own writes will meet the same failure
                    log.warning("job %s: heartbeat not written: %s", job_id, exc)
        finally:
            own.close()

    thread = threading.Thread(target=beat, name=f"jixiao-job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 5)


def _fail_task(task_id: str, why: str) -> None:
    """The django-tasks-db row of a dead worker's task: FAILED, not RUNNING forever."""
    import uuid

    from django_tasks_db.models import DBTaskResult

    try:
        uuid.UUID(task_id)
    except ValueError:  # no database task (another backend's id)
        return

    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
        status="FAILED", finished_at=timezone.now(), exception_class_path="jixiao.web.bureau.claims.JobLost",
        traceback=why)


def reclaim_stale_jobs() -> list[int]:
    """Take back every RUNNING job whose heartbeat is older than the stale limit. Returns their ids."""
    from ..audit.log import record
    from .jobs import enqueue

    cutoff = timezone.now() - timedelta(seconds=settings.JIXIAO_JOB_STALE_SECONDS)
    # No heartbeat at all: a job claimed before heartbeats existed (its worker is long gone).
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True)
    stale = list(ImportJob.objects.filter(silent, status=JobStatus.RUNNING).select_related("campaign").order_by("pk"))
    taken = []
    for job in stale:
        with transaction.atomic():
            row = ImportJob.objects.filter(silent, pk=job.pk, status=JobStatus.RUNNING, claimed_by=job.claimed_by)
            from_cli = not job.task_id
            again = not from_cli and job.attempts < settings.JIXIAO_JOB_MAX_ATTEMPTS
            if again:
                n = row.update(status=JobStatus.QUEUED, claimed_by="")
            else:
                if from_cli:
                    why = (f"命令行导入在处理完{job.done}个文件后中断（进程已停止）。已导入的文件已保存；"
                           "重新运行同一命令即可继续，内容相同的文件不会重复写入。")
                else:
                    why = (f"后台任务进程已中断{job.attempts}次（处理完{job.done}/{job.total}个），任务已暂停。"
                           "已导入的文件已保存；可点“重试”从中断处继续，或点“取消”结束任务。")
                n = row.update(status=JobStatus.INTERRUPTED, claimed_by="", error=why)
            if not n:
                continue  # it renewed its claim, or someone cancelled it meanwhile
            _fail_task(job.task_id, f"worker {job.claimed_by} stopped renewing its claim")
            if again:
                enqueue(job)
            record(None, "job_resumed" if again else "job_interrupted", obj=job.campaign,
                   detail={"job": job.pk, "attempt": job.attempts, "done": job.done, "total": job.total,
                           "worker": job.claimed_by[:100]})
        log.warning("job %s: worker %s stopped renewing its claim; %s", job.pk, job.claimed_by,
                    "queued again" if again else "interrupted")
        taken.append(job.pk)
    return taken


def start_reaper_thread() -> threading.Thread:
    """Reclaim stale jobs every heartbeat interval, for as long as the process lives."""
    every = max(0.2, settings.JIXIAO_JOB_HEARTBEAT_SECONDS)

    def run() -> None:
        from django.db import connection as own

        while True:
            try:
                reclaim_stale_jobs()
            except Exception:  # a database that is down now may be back at the next round
                log.exception("reclaiming stale jobs failed")
                own.close()
            threading.Event().wait(every)

    thread = threading.Thread(target=run, name="jixiao-job-reaper", daemon=True)
    thread.start()
    return thread
