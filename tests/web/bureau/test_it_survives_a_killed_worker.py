"""A real `jixiao manage job_worker` process killed with SIGKILL in the middle of a batch import:
a second worker takes the job back once its heartbeat is stale and finishes it — every file has
exactly one report line, no unit gets a revision twice, and the upload is deleted at the end.
On the suite's database (SQLite, or PostgreSQL in the second run)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bureauworld import generated_document, json_file, zip_bytes
from django.db import connection

from jixiao.web.audit.models import AuditEvent
from jixiao.web.bureau.jobs import start_import
from jixiao.web.bureau.models import ImportJob, ImportLine, JobStatus, JobUploadChunk
from jixiao.web.packages.models import Revision

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

import reliability  # noqa: E402

UNITS = 40


def _worker(env: dict, log: Path) -> subprocess.Popen:
    jixiao = str(Path(sys.executable).with_name("jixiao"))
    with log.open("a") as fh:
        return subprocess.Popen([jixiao, "manage", "job_worker", "--no-startup-delay", "--interval", "0.2",
                                 "--no-reload"], env=env, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _until(check, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.db_worker
def test_a_job_whose_worker_is_killed_resumes_on_another_worker(tworld, tmp_path):
    from django_tasks_db.models import DBTaskResult

    from jixiao.web.accounts.models import Unit

    units = [Unit.objects.create(bureau=tworld.bureau, name=f"岳阳楼区第{i}服务中心") for i in range(UNITS)]
    tworld.campaign.units.add(*units)
    files = {f"{u.name}.json": json_file(generated_document(u.name, i + 1)) for i, u in enumerate(units)}
    job = start_import(campaign=tworld.campaign, actor=tworld.reviewer, upload=[zip_bytes(files)],
                       source_name="各单位.zip")
    first_task = job.task_id
    env = {**os.environ, "DATABASE_URL": reliability.database_url(connection.settings_dict),
           "JIXIAO_JOB_HEARTBEAT_SECONDS": "1", "JIXIAO_JOB_STALE_SECONDS": "3"}
    connection.close()
    one = _worker(env, tmp_path / "worker1.log")
    two = None
    try:
        _until(lambda: ImportLine.objects.filter(job=job).count() >= 3, 120, "the first worker's lines")
        os.killpg(one.pid, signal.SIGKILL)
        one.wait(timeout=30)
        job.refresh_from_db()
        at_kill = job.done
        assert job.status == JobStatus.RUNNING and 3 <= at_kill < UNITS, (job.status, at_kill)
        assert JobUploadChunk.objects.filter(job=job).exists()

        two = _worker(env, tmp_path / "worker2.log")
        _until(lambda: ImportJob.objects.get(pk=job.pk).status == JobStatus.DONE, 180, "the resumed job")
        # The task row is marked after the job's last commit: wait for it before stopping the worker.
        _until(lambda: DBTaskResult.objects.get(id=ImportJob.objects.get(pk=job.pk).task_id).status != "RUNNING",
               60, "the resumed task's result")
    finally:
        for proc in (one, two):
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
    job.refresh_from_db()
    assert job.attempts == 2 and job.done == job.total == UNITS and (job.imported, job.failed) == (UNITS, 0)
    positions = list(ImportLine.objects.filter(job=job).order_by("position").values_list("position", flat=True))
    assert positions == list(range(UNITS)), "every file has its line, none twice"
    per_unit = {u.pk: Revision.objects.filter(package__unit=u).count() for u in units}
    assert set(per_unit.values()) == {1}, "no unit got a second revision from the resumed job"
    assert not JobUploadChunk.objects.filter(job=job).exists() and job.upload_bytes == 0
    assert AuditEvent.objects.filter(action="job_resumed", detail__job=job.pk).count() == 1
    assert AuditEvent.objects.filter(action="batch_import_file").count() == UNITS
    assert DBTaskResult.objects.get(id=first_task).status == "FAILED", "the dead worker's task is not RUNNING forever"
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
