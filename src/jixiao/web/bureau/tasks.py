"""The bureau's background task (Django Tasks API). The job row holds everything the task
needs, so the task takes only its id and can be retried or inspected from the page."""

from __future__ import annotations

from django_tasks import task


@task()
def run_bureau_job(job_id: int) -> dict:
    from .jobs import run_job

    return run_job(job_id)
