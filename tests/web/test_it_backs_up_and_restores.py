"""`jixiao backup` during writes, then restore: every revision and audit row acknowledged before the
backup began comes back, byte for byte (timestamps exact), with the data directory's files.
Runs on SQLite (the backup API: the write-ahead log is included) and on PostgreSQL (pg_dump)."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from webworld import World, client_for

from jixiao.web.backup import BackupError, backup, read_manifest, restore
from jixiao.web.packages.models import Revision

SAVES = 12


def _rows(cur) -> tuple[dict, dict]:
    cur.execute("SELECT id, number, created_at, package_id FROM packages_revision")
    revisions = {r[0]: tuple(str(x) for x in r) for r in cur.fetchall()}
    cur.execute("SELECT id, at, action, CAST(detail AS TEXT) FROM audit_auditevent")
    audits = {r[0]: tuple(str(x) for x in r) for r in cur.fetchall()}
    return revisions, audits


def test_a_backup_taken_during_writes_restores_every_acknowledged_row(transactional_db, tmp_path):
    world = World()
    data = tmp_path / "data"
    (data / "imports").mkdir(parents=True)
    (data / "secret_key").write_text("s3cret")
    (data / "imports" / "job-1.zip").write_bytes(b"PK pending upload")
    url = f"/p/{world.package.pk}/sheet/basic/"
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer():
        try:
            client = client_for(world.clerk)
            n = 0
            while not stop.is_set() and n < SAVES:
                base = Revision.objects.filter(package_id=world.package.pk).order_by("-number").first().number
                client.post(url, {"base_revision": str(base), "basic.note": f"第{n}次保存"})
                n += 1
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.3)  # some saves are acknowledged before the backup, others race it
    with connection.cursor() as cur:
        before_revisions, before_audits = _rows(cur)
    archive = tmp_path / "b.tar.gz"
    manifest = backup(archive, data_dir=data)
    stop.set()
    thread.join(timeout=60)
    assert not errors, errors
    assert read_manifest(archive)["counts"]["packages_revision"] == manifest.counts["packages_revision"]

    restored_data = tmp_path / "restored"
    db = dict(connection.settings_dict)
    if db["ENGINE"].endswith("sqlite3"):
        db["NAME"] = str(tmp_path / "restored.sqlite3")
        restore(archive, data_dir=restored_data, settings_dict=db)
        con = sqlite3.connect(db["NAME"])
        cur = con.cursor()
        after_revisions, after_audits = _rows(cur)
        con.close()
    else:
        import psycopg

        name = "jixiao_restore_test"
        admin = psycopg.connect(host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"] or None,
                                dbname="postgres", autocommit=True)
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
        try:
            db["NAME"] = name
            restore(archive, data_dir=restored_data, settings_dict=db)
            with psycopg.connect(host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"] or None,
                                 dbname=name) as con, con.cursor() as cur:
                after_revisions, after_audits = _rows(cur)
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")
            admin.close()
    assert before_revisions and all(after_revisions.get(k) == v for k, v in before_revisions.items())
    assert before_audits and all(after_audits.get(k) == v for k, v in before_audits.items())
    assert (restored_data / "secret_key").read_text() == "s3cret"
    assert (restored_data / "imports" / "job-1.zip").read_bytes() == b"PK pending upload"


def test_restore_refuses_what_it_cannot_use(transactional_db, tmp_path):
    World()
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a backup")
    with pytest.raises(BackupError, match="不是 jixiao 的备份文件"):
        restore(junk, data_dir=tmp_path)
    archive = tmp_path / "b.tar.gz"
    backup(archive, data_dir=tmp_path / "none")
    with pytest.raises(BackupError, match="已有材料"):  # the live database holds packages
        restore(archive, data_dir=tmp_path / "d")


def test_a_backup_file_appears_whole_or_not_at_all(transactional_db, tmp_path):
    World()
    archive = tmp_path / "b.tar.gz"
    backup(archive, data_dir=tmp_path / "none")
    assert archive.exists() and not Path(str(archive) + ".part").exists()
