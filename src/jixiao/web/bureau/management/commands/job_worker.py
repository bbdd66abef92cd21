"""`jixiao manage job_worker`: django-tasks-db's `db_worker`, plus the thread that takes back the
jobs of workers that died (bureau/claims.py). Run this, not `db_worker`, in production: with
`db_worker` alone a job whose worker was killed stays 导入中 until some job_worker runs."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DbWorker

from ...claims import start_reaper_thread


class Command(DbWorker):
    help = "运行后台任务（批量导入、预填、批量公开），并接管已停止心跳的任务从中断处继续"

    def handle(self, *args, **options):
        start_reaper_thread()
        return super().handle(*args, **options)
