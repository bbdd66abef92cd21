"""The production path: the job is queued in the database (django-tasks-db) and run by the
worker process's loop (`jixiao manage db_worker`), not inline."""

from __future__ import annotations

import pytest
from bureauworld import batch_zip
from django.core.management import call_command
from django.urls import reverse
from webworld import client_for

from jixiao.web.bureau.models import ImportJob, JobStatus
from jixiao.web.packages.models import Package


@pytest.mark.db_worker
def test_it_queues_the_import_and_the_worker_runs_it(tworld):
    from django_tasks_db.models import DBTaskResult

    from jixiao.web.accounts.models import Unit

    units = [Unit.objects.create(bureau=tworld.bureau, name=n) for n in ("甲单位服务中心", "乙单位服务中心")]
    tworld.campaign.units.add(*units)
    import io

    upload = io.BytesIO(batch_zip([u.name for u in units]))
    upload.name = "各单位材料.zip"
    client = client_for(tworld.reviewer)
    resp = client.post(reverse("bureau:import", args=[tworld.campaign.pk]), {"file": upload})
    job = ImportJob.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("bureau:job", args=[job.pk])
    assert job.status == JobStatus.QUEUED and job.task_id
    queued = DBTaskResult.objects.get(id=job.task_id)
    assert queued.task_path.endswith("run_bureau_job") and queued.status == "READY"
    # The page polls while queued.
    assert 'hx-trigger="every 1s"' in client.get(reverse("bureau:job_progress", args=[job.pk])).content.decode()

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload", verbosity=0)

    job.refresh_from_db()
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL" and job.status == JobStatus.DONE
    assert (job.imported, job.failed) == (2, 5)
    assert Package.objects.filter(campaign=tworld.campaign, unit__in=units).count() == 2
    done = client.get(reverse("bureau:job_progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in done and "导入报告" in done and "<b id=\"job-failed\">5</b>" in done
