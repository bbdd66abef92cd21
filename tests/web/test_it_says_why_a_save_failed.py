"""A database that will not take a write says so: the save is refused with a Chinese message that
says it was not stored and why, and what the clerk typed stays on the page; a login or any other
request meeting such a database gets a Chinese 503 page, never the generic 500.

On SQLite the failures are real: ``PRAGMA query_only`` makes the connection read-only and
``PRAGMA max_page_count`` makes the file full. On PostgreSQL the save path is driven by the
driver's own read-only message."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from webworld import PASSWORD, client_for

from jixiao.web.packages.models import Revision

SQLITE = connection.vendor == "sqlite"


def _save(world, note: str, client=None, before=None):
    client = client or client_for(world.clerk)  # logged in before the database turns read-only
    if before is not None:
        before()
    url = reverse("packages:sheet", args=[world.package.pk, "basic"])
    return client.post(url, {"base_revision": str(world.package.head_number), "basic.note": note})


def _query_only(on: bool) -> None:
    with connection.cursor() as cur:
        cur.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")


@pytest.fixture
def read_only(world, monkeypatch):
    """A callable that makes the database refuse writes (undone after the test)."""
    if SQLITE:
        yield lambda: _query_only(True)
        _query_only(False)
    else:
        from jixiao.web.packages import sheet_views

        def refuse(**kwargs):
            raise OperationalError("cannot execute INSERT in a read-only transaction")

        yield lambda: monkeypatch.setattr(sheet_views, "do_save", refuse)


def test_a_save_on_a_read_only_database_is_refused_and_the_typed_text_kept(world, read_only):
    before = Revision.objects.filter(package=world.package).count()
    resp = _save(world, "这段说明是刚输入的", before=read_only)
    page = resp.content.decode()
    assert resp.status_code == 503
    assert "保存未成功：数据库当前为只读" in page and "没有存入系统" in page and "您输入的内容仍在本页上" in page
    assert "这段说明是刚输入的" in page  # the typed value is still in its input
    if SQLITE:
        _query_only(False)
    assert Revision.objects.filter(package=world.package).count() == before


@pytest.mark.skipif(not SQLITE, reason="PRAGMA max_page_count is SQLite's")
def test_a_save_on_a_full_disk_says_the_disk_is_full(world):
    def fill():
        with connection.cursor() as cur:
            cur.execute("PRAGMA page_count")
            pages = cur.fetchone()[0]
            cur.execute(f"PRAGMA max_page_count = {pages}")

    try:
        resp = _save(world, "很长的说明" * 4000, before=fill)
    finally:
        with connection.cursor() as cur:
            cur.execute("PRAGMA max_page_count = 1073741823")
    page = resp.content.decode()
    assert resp.status_code == 503 and "保存未成功：服务器磁盘已满" in page and "没有存入系统" in page


@pytest.mark.skipif(not SQLITE, reason="PRAGMA query_only is SQLite's")
def test_a_login_on_a_read_only_database_gets_a_chinese_page(world, read_only):
    client = Client()
    read_only()
    resp = client.post(reverse("accounts:login"), {"username": "clerk-a", "password": PASSWORD})
    page = resp.content.decode()
    assert resp.status_code == 503
    assert "登录未能完成：数据库当前为只读" in page and "没有存入任何内容" in page


@pytest.mark.parametrize(("message", "reason"), [
    ("database or disk is full", "服务器磁盘已满"), ("could not extend file: No space left on device", "服务器磁盘已满"),
    ("attempt to write a readonly database", "数据库当前为只读"),
    ("cannot execute INSERT in a read-only transaction", "数据库当前为只读"),
    ("connection to server at \"127.0.0.1\", port 5432 failed: Connection refused", "无法连接数据库"),
    ("database is locked", "数据库正忙（其他保存尚未完成）"), ("disk I/O error", "服务器读写磁盘出错"),
    ("something else", "数据库出现故障"),
])
def test_each_storage_failure_has_its_reason(message, reason):
    from jixiao.web.errors import storage_reason

    assert storage_reason(OperationalError(message)) == reason
