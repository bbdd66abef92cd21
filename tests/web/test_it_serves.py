"""`jixiao serve`: settings from the environment, migrate and demo on an empty database, and the
downloads and imports the package page offers."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from webworld import client_for

from jixiao.web.envconfig import database_from_url


def test_it_reads_database_urls(tmp_path):
    db = database_from_url("sqlite:////var/lib/jixiao/db.sqlite3", tmp_path)
    assert db["NAME"] == "/var/lib/jixiao/db.sqlite3" and db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"] and "busy_timeout" in db["OPTIONS"]["init_command"]
    assert database_from_url("sqlite:///data/x.db", tmp_path)["NAME"] == "data/x.db"
    assert database_from_url(None, tmp_path)["NAME"] == str(tmp_path / "jixiao.sqlite3")
    pg = database_from_url("postgres://u:p%40ss@db.example:6543/jixiao", tmp_path)
    assert (pg["ENGINE"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "django.db.backends.postgresql", "u", "p@ss", "db.example", "6543", "jixiao")
    with pytest.raises(ImproperlyConfigured, match="不支持"):
        database_from_url("mysql://x/y", tmp_path)


def test_it_uses_wal_on_sqlite(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cur:
        cur.execute("PRAGMA journal_mode")
        assert cur.fetchone()[0] == "wal"
        cur.execute("PRAGMA busy_timeout")
        assert cur.fetchone()[0] == 20000


def test_it_loads_the_demo_into_an_empty_database(db):
    from jixiao.web.accounts.models import User
    from jixiao.web.demo import load_demo
    from jixiao.web.packages.models import Package

    logins = load_demo()
    assert {r for _, r, _ in logins} == {"填表人", "单位负责人", "财政局审核人", "系统管理员", "安全管理员", "审计管理员"}
    states = dict(Package.objects.filter(campaign__year=2023).values_list("unit__name", "state"))
    assert states["岳阳市岳阳楼区城市管理督查考评中心"] == "draft"
    assert sorted(states.values()) == ["draft", "prepared", "returned", "submitted"]
    assert User.objects.count() == len(logins)
    seed = Package.objects.get(unit__name="岳阳市岳阳楼区城市管理督查考评中心").head
    assert seed.errors > 0 and seed.source == "demo"
    # The next year's campaign runs on the national forms: its package is on that form, checked by its pack.
    other = Package.objects.select_related("campaign", "head").get(campaign__year=2024, stage="evaluation")
    assert (other.campaign.form, other.campaign.rule_pack, other.state) == ("national", "national", "draft")
    assert other.head.document["form"] == "national" and other.head.errors == 0


@pytest.mark.parametrize("fmt", ["json", "docx", "xlsx", "pdf"])
def test_it_downloads_each_format(world, fmt):
    from jixiao.web.packages.views import _formats

    if fmt not in _formats():
        pytest.skip(f"{fmt} renderer not installed")
    resp = client_for(world.head).get(reverse("packages:download", args=[world.package.pk, fmt]))
    assert resp.status_code == 200
    magic = {"json": b"{", "docx": b"PK", "xlsx": b"PK", "pdf": b"%PDF"}[fmt]
    assert resp.content.startswith(magic)
    assert "filename*=UTF-8''2023-" in resp["Content-Disposition"]


def test_it_imports_json_as_a_new_revision(world):
    doc = world.package.head.document
    doc["basic"]["note"] = "导入的说明"
    import json

    f = io.BytesIO(json.dumps(doc, ensure_ascii=False).encode())
    f.name = "材料.json"
    resp = client_for(world.clerk).post(reverse("packages:import", args=[world.package.pk]),
                                        {"file": f, "base_revision": "2"})
    assert resp.status_code == 302 and resp["Location"].endswith("/findings/")
    world.package.refresh_from_db()
    assert world.package.head.source == "import" and world.package.head.note == "导入 材料.json"
    assert world.package.head.document["basic"]["note"] == "导入的说明"


def test_it_explains_a_bad_upload_in_one_line(world):
    f = io.BytesIO(b"{not json")
    f.name = "坏文件.json"
    resp = client_for(world.clerk).post(reverse("packages:import", args=[world.package.pk]),
                                        {"file": f, "base_revision": "2"})
    msgs = [str(m) for m in resp.wsgi_request._messages]
    assert any("坏文件.json 不是有效的 JSON" in m for m in msgs), msgs
    assert not any("/tmp" in m for m in msgs)  # our temporary path never shows


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="serves its own SQLite file")
def test_it_serves_on_a_fresh_database(tmp_path):
    env = {**os.environ, "JIXIAO_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    jixiao = str(Path(sys.executable).with_name("jixiao"))
    import socket

    with socket.socket() as sock:  # a port nobody uses right now
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([jixiao, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        body = None
        deadline = time.monotonic() + 120  # migrating a fresh database and loading the demo: slow on a busy machine
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert body and "登录" in body
        assert (tmp_path / "jixiao.sqlite3").exists()
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert "演示账户" in out and "ducha-tianbiao" in out and f"http://127.0.0.1:{port}/" in out


def test_it_creates_the_first_administrator_from_the_command_line(db, monkeypatch):
    from django.core.management import CommandError, call_command

    from jixiao.web.accounts.models import User

    monkeypatch.setenv("JIXIAO_NEW_PASSWORD", "short")
    with pytest.raises(CommandError, match="密码不符合要求"):
        call_command("adduser", "xitong", role="sysadmin")
    monkeypatch.setenv("JIXIAO_NEW_PASSWORD", "Xitong-Admin-2024")
    call_command("adduser", "xitong", role="sysadmin")
    assert User.objects.get(username="xitong").role == "sysadmin"
    with pytest.raises(CommandError, match="须用 --unit"):
        call_command("adduser", "clerk9", role="clerk")


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_it_imports_the_documents_it_renders(world, tmp_path, fmt):
    """Word and Excel through jixiao.io's readers: the seed rendered, uploaded, read back."""
    from jixiao.io import READERS
    from jixiao.render import render_package
    from jixiao.web.packages.checking import evaluate

    if f".{fmt}" not in READERS:
        pytest.skip(f"no {fmt} reader registered")
    package = evaluate(world.package.head.document, "hunan-2023").package
    files = render_package(package, tmp_path, formats=(fmt,)).files
    path = next((f for f in files if "全套" in f.name), files[-1])
    with path.open("rb") as fh:
        resp = client_for(world.clerk).post(reverse("packages:import", args=[world.package.pk]),
                                            {"file": fh, "base_revision": "2"})
    assert resp.status_code == 302, [str(m) for m in resp.wsgi_request._messages]
    world.package.refresh_from_db()
    head = world.package.head
    assert head.source == "import" and head.number == 3
    assert head.document["basic"]["district_special"]["budget"] == "66.00"
    assert head.errors >= 1
