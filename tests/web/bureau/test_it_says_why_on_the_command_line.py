"""Storage failures on the command line: a read-only database, a database that cannot be reached,
a full disk. Each writing command ends with one Chinese line that says nothing was saved and why,
exit status 2, no traceback (simulated for real where the machine allows: an immutable SQLite
file, a DATABASE_URL on a closed port; ENOSPC monkeypatched)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bureauworld import generated_document, json_file

ROOT = Path(__file__).resolve().parents[3]
JIXIAO = str(Path(sys.executable).with_name("jixiao"))

SETUP = r"""
from jixiao.cli.web_commands import _setup, prepare_database
_setup()
prepare_database(demo=False)
from jixiao.web.accounts.models import Bureau, Role, User
from jixiao.web.packages.models import Campaign
bureau = Bureau.objects.create(name="岳阳楼区财政局")
Campaign.objects.create(bureau=bureau, year=2023, title="2023年度自评")
User.objects.create(username="reviewer", role=Role.REVIEWER, bureau=bureau)
"""


def _run(argv: list[str], env: dict, stdin: str = "") -> tuple[int, str]:
    done = subprocess.run([JIXIAO, *argv], env=env, capture_output=True, text=True, input=stdin, timeout=120)
    return done.returncode, done.stderr


def _one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def _folder(tmp: Path) -> Path:
    folder = tmp / "材料"
    folder.mkdir()
    (folder / "a.json").write_bytes(json_file(generated_document("岳阳楼区园林绿化服务中心", 1)))
    return folder


@pytest.fixture
def sqlite_env(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    env = {**os.environ, "JIXIAO_DATA_DIR": str(data), "DATABASE_URL": f"sqlite:///{data}/jixiao.sqlite3",
           "JIXIAO_NEW_PASSWORD": "Readonly-Pass-2023x"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, timeout=120)
    return env, data / "jixiao.sqlite3"


def test_a_read_only_database_is_said_plainly(sqlite_env, tmp_path):
    env, db = sqlite_env
    rc, err = _run(["backup", str(tmp_path / "b.tar.gz")], env)
    assert rc == 0, err
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(db)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here (a read-only file is writable by root otherwise)")
    try:
        cases = [
            (["import-batch", str(_folder(tmp_path)), "--user", "reviewer", "--year", "2023"], "import-batch"),
            (["manage", "adduser", "admin2", "--role", "sysadmin"], "manage"),
            (["restore", str(tmp_path / "b.tar.gz"), "--force"], "restore"),
        ]
        for argv, name in cases:
            rc, err = _run(argv, env)
            line = _one_line(err)
            assert rc == 2 and line == f"jixiao {name} 未完成：数据库当前为只读，本次没有保存任何更改。请排除问题后重新运行。", (argv, err)
    finally:
        subprocess.run([chattr, "-i", str(db)], check=True)


def test_an_unreachable_database_is_said_plainly(tmp_path):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "JIXIAO_DATA_DIR": str(tmp_path), "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/jixiao",
           "JIXIAO_NEW_PASSWORD": "Closed-Port-2023x"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    for argv, name in [(["import-batch", str(_folder(tmp_path)), "--user", "reviewer", "--year", "2023"], "import-batch"),
                       (["manage", "migrate"], "manage"), (["manage", "adduser", "a2", "--role", "sysadmin"], "manage")]:
        rc, err = _run(argv, env)
        assert rc == 2 and _one_line(err) == f"jixiao {name} 未完成：无法连接数据库，本次没有保存任何更改。请排除问题后重新运行。", err
    rc, err = _run(["serve", "--no-demo", "--port", "1"], env)
    assert rc == 2 and _one_line(err) == (
        "jixiao: 无法连接或迁移数据库（无法连接数据库），网页服务未启动，没有保存任何更改。请排除问题后重新运行。")
    rc, err = _run(["backup", str(tmp_path / "b.tar.gz")], env)
    assert rc == 2 and _one_line(err) == "jixiao backup 未完成：无法连接数据库，备份文件没有生成。请排除问题后重新运行。"
    assert not list(tmp_path.glob("b.tar.gz*"))


def test_a_full_disk_is_said_plainly_and_leaves_no_half_backup(db, tmp_path, monkeypatch, capsys):
    import tarfile

    from jixiao.cli import main

    real_open = tarfile.open

    def full(name, mode="r", *a, **kw):
        if "w" in mode:
            Path(name).write_bytes(b"\x1f\x8b partial")  # some bytes made it before the disk filled
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(name, mode, *a, **kw)

    monkeypatch.setattr(tarfile, "open", full)
    target = tmp_path / "b.tar.gz"
    rc = main(["backup", str(target)])
    err = capsys.readouterr().err
    assert rc == 2 and _one_line(err) == "jixiao backup 未完成：磁盘已满，备份文件没有生成。请排除问题后重新运行。"
    assert not list(tmp_path.glob("b.tar.gz*")), "no half-written archive is left to be mistaken for a backup"


def test_a_full_disk_mid_batch_says_what_was_saved(world, campaign_units, tmp_path, monkeypatch, capsys):
    from django.db import OperationalError

    from jixiao.cli import main
    from jixiao.web.bureau import jobs

    folder = tmp_path / "材料"
    folder.mkdir()
    for i, u in enumerate(campaign_units):
        (folder / f"{i}-{u.name}.json").write_bytes(json_file(generated_document(u.name, i + 1)))
    real, calls = jobs.do_write_draft, []

    def full_on_the_second(**kw):
        calls.append(1)
        if len(calls) == 2:
            raise OperationalError("database or disk is full")
        return real(**kw)

    monkeypatch.setattr(jobs, "do_write_draft", full_on_the_second)
    rc = main(["import-batch", str(folder), "--user", "reviewer", "--year", "2023", "--quiet"])
    err = capsys.readouterr().err
    assert rc == 2 and _one_line(err) == (
        "jixiao: 批量导入因服务器磁盘已满中断：本次已保存1个文件的结果，其余文件未导入；"
        "问题排除后重新运行同一命令即可继续，内容相同的文件不会重复写入。")
    # Run again with room on the disk: the first file is not written twice.
    monkeypatch.setattr(jobs, "do_write_draft", real)
    assert main(["import-batch", str(folder), "--user", "reviewer", "--year", "2023", "--quiet"]) == 0
    from jixiao.web.packages.models import Revision

    assert [Revision.objects.filter(package__unit=u).count() for u in campaign_units] == [1, 1, 1]
