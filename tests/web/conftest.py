"""Web tests: Django configured here only, so the core tests never pay for it.

The suite runs on SQLite by default (a file database: WAL and the live server's threads need
one). `make test` runs tests/web a second time with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/test; when no PostgreSQL answers, those tests
are skipped with a notice, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
os.environ.setdefault("JIXIAO_DATA_DIR", tempfile.mkdtemp(prefix="jixiao-webtest-"))
os.environ["JIXIAO_ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in the test thread

import django  # noqa: E402

django.setup()  # test modules import models at collection time

_PG_PROBLEM: str | None = None


def _postgres_problem() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    try:
        import psycopg

        with psycopg.connect(url.replace("postgresql://", "postgres://", 1), connect_timeout=3):
            return None
    except Exception as exc:  # any reason: refused, auth, missing database
        return f"{type(exc).__name__}: {exc}".strip()


def pytest_configure(config):
    global _PG_PROBLEM
    _PG_PROBLEM = _postgres_problem()
    if _PG_PROBLEM and os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(f"DATABASE_URL 指向的 PostgreSQL 不可用（CI 中这是失败）：{_PG_PROBLEM}")


def pytest_collection_modifyitems(config, items):
    if _PG_PROBLEM:
        skip = pytest.mark.skip(reason=f"PostgreSQL 不可用，跳过：{_PG_PROBLEM}")
        for item in items:
            if "tests/web" in str(item.fspath):
                item.add_marker(skip)
    vendor_pg = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    if not vendor_pg:
        skip_pg = pytest.mark.skip(reason="needs DATABASE_URL=postgres://… (the second `make test` run)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip_pg)


def pytest_terminal_summary(terminalreporter):
    if _PG_PROBLEM:
        terminalreporter.write_line(
            f"注意：PostgreSQL 不可用，tests/web 在 PostgreSQL 上的运行已全部跳过（{_PG_PROBLEM}）", yellow=True
        )


@pytest.fixture(autouse=True, scope="session")
def _fast_hashing(django_db_setup):
    # Django's default PBKDF2 costs ~0.4 s per password on purpose; tests do not need that.
    from django.conf import settings
    from django.contrib.auth import hashers

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()


from webworld import World  # noqa: E402


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def tworld(transactional_db):
    return World()
