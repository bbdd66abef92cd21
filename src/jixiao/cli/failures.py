"""Storage failures said plainly on the command line: a full disk, a read-only database or file
system, a database that cannot be reached. Commands that write (import-batch, backup, restore,
manage …) end with one Chinese line that says nothing was saved and why, exit status 2, no
traceback. The reasons are the web's (jixiao.web.errors.storage_reason), so a clerk's page and an
operator's terminal say the same thing."""

from __future__ import annotations

import errno
import sys

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _is_database_error(exc: BaseException) -> bool:
    if "django.db" in sys.modules:
        from django.db import DatabaseError

        if isinstance(exc, DatabaseError):
            return True
    if "sqlite3" in sys.modules:
        import sqlite3

        if isinstance(exc, sqlite3.Error):
            return True
    if "psycopg" in sys.modules:
        import psycopg

        if isinstance(exc, psycopg.Error):
            return True
    return False


def storage_reason(exc: BaseException) -> str | None:
    """Why storage refused, in Chinese; None when ``exc`` is not a storage failure."""
    seen = set()
    while exc is not None and id(exc) not in seen:  # the driver's error is often the cause of a wrapper
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in _FULL:
            return "磁盘已满"
        if isinstance(exc, OSError) and exc.errno == errno.EROFS:
            return "文件系统为只读"
        if _is_database_error(exc):
            from jixiao.web.errors import storage_reason as database_reason

            return database_reason(exc)
        exc = exc.__cause__ or exc.__context__
    return None


def storage_failure_line(exc: BaseException, command: str) -> str | None:
    reason = storage_reason(exc)
    if reason is None:
        return None
    nothing = "备份文件没有生成" if command == "backup" else "本次没有保存任何更改"
    return f"jixiao {command} 未完成：{reason}，{nothing}。请排除问题后重新运行。"
