"""The background worker `jixiao serve` runs beside the web server, so that batch imports
and carry-overs queued in the database (django-tasks-db) run without a second command.

In production (gunicorn, several processes) run `jixiao manage job_worker` processes instead
(deploy/systemd/jixiao-worker.service); this thread is for the single-process server. Both take
back the jobs of workers that died (claims.start_reaper_thread).
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)


def start_worker_thread(interval: float = 1.0) -> threading.Thread:
    from django.db import connection
    from django.utils.crypto import get_random_string
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(queue_names=["default"], interval=interval, batch=False, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id=f"serve-{get_random_string(12)}",
                    excluded_queue_names=[])

    def run() -> None:
        try:
            worker.run()
        except Exception:  # the web server goes on; queued jobs wait for the next start
            log.exception("background worker stopped")
        finally:
            connection.close()

    from .claims import start_reaper_thread

    start_reaper_thread()
    thread = threading.Thread(target=run, name="jixiao-db-worker", daemon=True)
    thread.worker = worker
    thread.start()
    return thread
