"""How production runs the web app: gunicorn's command line, in one place (`jixiao serve
--production` execs it; the load and kill benchmarks start the same).

Two processes per CPU with four threads each, not one process per CPU with eight: a save's
transaction holds row locks (the package's, the audit chain head's) across several round trips to
the database, and after each one its thread must get its process's interpreter lock back from the
threads that are checking other packages. Fewer threads per process means shorter waits there,
so shorter lock holds for everyone. Measured with 50 savers on PostgreSQL (scripts/reliability.py,
runs interleaved): p95 267–501 ms against 396–583 ms with 2 × 8; on SQLite the two are alike.
The per-process cache of check results (packages/checking.py) still serves a browser's saves,
whose keep-alive connection stays with one process.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PROCESSES_PER_CPU = 2
THREADS = 4


def default_workers() -> int:
    return PROCESSES_PER_CPU * (os.cpu_count() or 1)


def gunicorn_command(host: str, port: int, workers: int = 0, *, gunicorn: str = "",
                     extra: list[str] | None = None) -> list[str]:
    """``workers``: 0 for the default (default_workers); ``gunicorn``: its path, else beside Python."""
    gunicorn = gunicorn or str(Path(sys.executable).with_name("gunicorn"))
    return [gunicorn, "jixiao.web.wsgi:application", "--bind", f"{host}:{port}",
            "--workers", str(workers or default_workers()), "--worker-class", "gthread", "--threads", str(THREADS),
            *(extra or [])]
