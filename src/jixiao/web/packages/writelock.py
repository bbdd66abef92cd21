"""One writer at a time on SQLite, queued in the application rather than in SQLite's busy
handler. SQLite makes a waiting writer poll with growing sleeps (up to 100 ms each), so under
contention saves pile up behind sleeps, not behind work; a thread lock (threaded server) plus
an flock on a file beside the database (several worker processes) wake the next writer as
soon as the lock is free. PostgreSQL needs none of this: the row lock queues writers."""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from pathlib import Path

from django.db import connection

_THREAD_LOCK = threading.Lock()
_FILES: dict[str, int] = {}
_HELD = threading.local()  # nesting depth in this thread: inner actions reuse the outer lock


def _lock_fd(db_name: str) -> int:
    fd = _FILES.get(db_name)
    if fd is None:
        path = Path(str(db_name) + ".writelock")
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        _FILES[db_name] = fd
    return fd


@contextlib.contextmanager
def write_lock():
    if connection.vendor != "sqlite" or str(connection.settings_dict["NAME"]).startswith(":memory"):
        yield
        return
    if getattr(_HELD, "depth", 0):
        _HELD.depth += 1
        try:
            yield
        finally:
            _HELD.depth -= 1
        return
    fd = _lock_fd(connection.settings_dict["NAME"])
    with _THREAD_LOCK:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _HELD.depth = 1
        try:
            yield
        finally:
            _HELD.depth = 0
            fcntl.flock(fd, fcntl.LOCK_UN)
