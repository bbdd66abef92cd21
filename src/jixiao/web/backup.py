"""Backup and restore of a running installation: the database and the data directory, in one file.

A backup is a tar archive (gzip) holding:

- ``manifest.json``: what it is, when it was taken, which database, and the row counts of the
  tables that matter (revisions, audit events), so a restore can be checked;
- ``database.sqlite3`` — a consistent online copy made by SQLite's backup API (a file copy of a
  running SQLite database misses what is still in its write-ahead log) — or ``database.pgdump``,
  ``pg_dump``'s custom format, a consistent snapshot of a PostgreSQL database;
- ``data/``: the data directory's own files (the secret key, pending batch uploads), not the
  SQLite files (they are in the copy above) nor collected static files.

Timestamps and every column come back exactly: the copy is of the database's own pages or dump,
never a re-serialisation of rows.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import JixiaoError

FORMAT = "jixiao-backup"
VERSION = 1
SKIP_DATA = {"static"}  # rebuilt by collectstatic


class BackupError(JixiaoError):
    """A backup or restore that cannot be made; the message says why, in one Chinese line."""


@dataclass
class Manifest:
    created_at: str
    database: str  # 'sqlite' | 'postgresql'
    counts: dict[str, int]

    def to_json(self) -> bytes:
        return json.dumps({"format": FORMAT, "version": VERSION, "created_at": self.created_at,
                           "database": self.database, "counts": self.counts}, ensure_ascii=False, indent=2).encode()


def _db(settings_dict: dict | None = None) -> dict:
    if settings_dict is not None:
        return settings_dict
    from django.db import connection

    return connection.settings_dict


def _kind(db: dict) -> str:
    return "sqlite" if db["ENGINE"].endswith("sqlite3") else "postgresql"


def _counts() -> dict[str, int]:
    from django.db import connection

    out = {}
    with connection.cursor() as cur:
        for table in ("packages_revision", "audit_auditevent", "packages_package"):
            cur.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed table names
            out[table] = cur.fetchone()[0]
    return out


def _pg_env(db: dict) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL")}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _pg_args(db: dict) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return args


def backup(target: Path, *, data_dir: Path, settings_dict: dict | None = None) -> Manifest:
    """Write a backup of the database and the data directory to ``target``."""
    db = _db(settings_dict)
    kind = _kind(db)
    target = Path(target)
    if target.exists() and target.is_dir():
        raise BackupError(f"备份文件的位置是一个目录：{target}")
    with tempfile.TemporaryDirectory(prefix="jixiao-backup-") as tmp:
        work = Path(tmp)
        counts = _counts()
        if kind == "sqlite":
            copy = work / "database.sqlite3"
            src = sqlite3.connect(db["NAME"], timeout=30)
            dst = sqlite3.connect(copy)
            try:
                src.backup(dst)  # one consistent snapshot, the write-ahead log included
            finally:
                dst.close()
                src.close()
            db_member = copy
        else:
            db_member = work / "database.pgdump"
            cmd = ["pg_dump", "-Fc", "--no-owner", "-f", str(db_member), *_pg_args(db), str(db["NAME"])]
            done = subprocess.run(cmd, capture_output=True, text=True, env=_pg_env(db), timeout=3600)
            if done.returncode != 0:
                raise BackupError(_pg_failure("pg_dump", done, db, "备份文件没有生成"))
        manifest = Manifest(created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), database=kind,
                            counts=counts)
        partial = target.with_name(target.name + ".part")
        try:
            with tarfile.open(partial, "w:gz") as tar:
                info = tarfile.TarInfo("manifest.json")
                raw = manifest.to_json()
                info.size = len(raw)
                tar.addfile(info, io.BytesIO(raw))
                tar.add(db_member, arcname=db_member.name)
                for path in _data_files(data_dir, db if kind == "sqlite" else None):
                    tar.add(path, arcname=f"data/{path.relative_to(data_dir).as_posix()}")
            os.replace(partial, target)  # a finished backup appears whole, or not at all
        except BaseException:  # a full disk half-way: no half archive left behind to be mistaken for one
            partial.unlink(missing_ok=True)
            raise
    return manifest


def _data_files(data_dir: Path, sqlite_db: dict | None) -> list[Path]:
    skip: set[Path] = set()
    if sqlite_db is not None:
        name = Path(sqlite_db["NAME"])
        skip = {p.resolve() for p in (name, name.with_name(name.name + "-wal"), name.with_name(name.name + "-shm"),
                                       name.with_name(name.name + "-journal"))}
    out = []
    if not data_dir.is_dir():
        return out
    for path in sorted(data_dir.rglob("*")):
        rel = path.relative_to(data_dir)
        if rel.parts and rel.parts[0] in SKIP_DATA:
            continue
        if path.is_file() and not path.is_symlink() and path.resolve() not in skip:
            if path.suffix in (".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".writelock"):
                continue  # other databases (test copies) are not this installation's data
            out.append(path)
    return out


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.getmember("manifest.json")
            data = json.loads(tar.extractfile(member).read())
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(f"{archive} 不是 jixiao 的备份文件（{type(exc).__name__}）") from exc
    if data.get("format") != FORMAT or data.get("version") != VERSION:
        raise BackupError(f"{archive} 不是本版本 jixiao 的备份文件")
    return data


def restore(archive: Path, *, data_dir: Path, settings_dict: dict | None = None, force: bool = False) -> dict:
    """Bring a backup back into the configured database and data directory.

    Refuses to overwrite a database that holds packages unless ``force``; the web server and the
    job worker must be stopped (SQLite) or idle (PostgreSQL) while it runs.
    """
    manifest = read_manifest(archive)
    db = _db(settings_dict)
    kind = _kind(db)
    if manifest["database"] != kind:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(f"备份来自 {names.get(manifest['database'], manifest['database'])} 数据库，当前配置的是 "
                          f"{names[kind]}；请配置同类数据库后再恢复")
    if not force and _has_packages(db):
        raise BackupError("当前数据库中已有材料；恢复会覆盖全部数据，确认时请加 --force")
    with tempfile.TemporaryDirectory(prefix="jixiao-restore-") as tmp:
        work = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar.getmembers():
                if not member.isfile() or member.name.startswith("/") or ".." in Path(member.name).parts:
                    continue
                # The contents alone, written by us: no mode bits, owners or times from the archive
                # (what tarfile's "data" filter does, which Python has only from 3.11.4 on).
                target = work / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as src, target.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
        if kind == "sqlite":
            _restore_sqlite(work / "database.sqlite3", Path(db["NAME"]))
        else:
            cmd = ["pg_restore", "--clean", "--if-exists", "--no-owner", "-d", str(db["NAME"]), *_pg_args(db),
                   str(work / "database.pgdump")]
            done = subprocess.run(cmd, capture_output=True, text=True, env=_pg_env(db), timeout=3600)
            if done.returncode != 0:
                raise BackupError(_pg_failure("pg_restore", done, db, "恢复未完成"))
        saved = work / "data"
        if saved.is_dir():
            for path in sorted(saved.rglob("*")):
                if path.is_file():
                    dest = data_dir / path.relative_to(saved)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, dest)
    return manifest


def _has_packages(db: dict) -> bool:
    if _kind(db) == "sqlite":
        path = Path(db["NAME"])
        if not path.exists():
            return False
        con = sqlite3.connect(path)
        try:
            return con.execute("SELECT COUNT(*) FROM packages_package").fetchone()[0] > 0
        except sqlite3.Error:
            return False
        finally:
            con.close()
    import psycopg

    try:
        with psycopg.connect(host=db.get("HOST") or None, port=db.get("PORT") or None, user=db.get("USER") or None,
                             password=db.get("PASSWORD") or None, dbname=db["NAME"], connect_timeout=10) as con:
            return con.execute("SELECT COUNT(*) FROM packages_package").fetchone()[0] > 0
    except psycopg.errors.UndefinedTable:  # no table yet: an empty database
        return False
    except psycopg.Error as exc:
        raise BackupError(f"无法连接要恢复到的数据库“{db['NAME']}”（{db.get('HOST') or 'localhost'}:"
                          f"{db.get('PORT') or 5432}），本次没有恢复任何内容") from exc


def _pg_failure(tool: str, done: subprocess.CompletedProcess, db: dict, outcome: str) -> str:
    """A failed pg_dump/pg_restore in one line: the database that cannot be reached said in Chinese,
    anything else with the tool's last line."""
    err = done.stderr.strip()
    where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db['NAME']}"
    if "could not connect" in err or "connection to server" in err or "Connection refused" in err:
        return f"{tool} 失败：无法连接数据库（{where}），{outcome}"
    return f"{tool} 失败（{outcome}）：{err.splitlines()[-1] if err else done.returncode}"


def _restore_sqlite(copy: Path, target: Path) -> None:
    """Write the copy into the target database through the backup API (the target's WAL is reset)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(copy)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
