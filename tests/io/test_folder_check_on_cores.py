"""`jixiao check DIR` reads and checks a folder's packages on every core (jixiao.cli.folder_check):
what it prints is the same, byte for byte and exit status included, as one process prints; the
work really is spread over processes; a worker that dies loses no package."""

from __future__ import annotations

import json
import os

import pytest
from iofix_layouts import example_docx

from jixiao.cli import folder_check, main
from jixiao.cli.folder_check import Checked, FolderJob, check_folder
from jixiao.cli.output import Styler
from jixiao.io.folders import packages_in
from support.generate import generated_packages


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Eleven packages of every kind a bureau's folder holds: JSON files with and without
    mistakes, a Word file, a corrupt Word file, a JSON document the model refuses."""
    root = tmp_path_factory.mktemp("folder")
    packages = generated_packages(9, seed=11, draft_reports=True)
    for n, pkg in enumerate(packages[:8]):
        (root / f"{n:02d}-{pkg.unit_name}.json").write_text(pkg.model_dump_json(), encoding="utf-8")
    (root / "08-word.docx").write_bytes(example_docx(packages[8]))
    (root / "09-broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (root / "10-refused.json").write_text(json.dumps({"fiscal_year": "next", "unit_name": 3}), encoding="utf-8")
    return root


def _run(capsys, *argv) -> tuple[int, str, str]:
    rc = main(["check", *map(str, argv)])
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.mark.parametrize("fmt", [[], ["--summary"], ["--format", "json"]], ids=["text", "summary", "json"])
def test_the_cores_print_what_one_process_prints(folder, capsys, fmt):
    one = _run(capsys, folder, "--jobs", "1", *fmt)
    many = _run(capsys, folder, "--jobs", "3", *fmt)
    assert many == one
    rc, out, _ = one
    assert rc == 2  # two packages could not be read
    assert "09-broken.docx" in out and "10-refused.json" in out
    if fmt == ["--format", "json"]:
        entries = json.loads(out)["packages"]
        assert len(entries) == 11 and sum("error" in e for e in entries) == 2
        assert [e["path"] for e in entries] == sorted(p.name for p in folder.iterdir())


def _job(folder) -> FolderJob:
    return FolderJob(packages_in(folder), None, None, "summary", Styler(open(os.devnull, "w")))  # noqa: SIM115


def _pid_of(job, index) -> Checked:
    """Which process checked the package. It takes a moment, as a real check does: an instant
    one would let the first worker drain the queue before the second has started."""
    import time

    time.sleep(0.05)
    return Checked(job.groups[index].where, unit=str(os.getpid()))


def test_the_packages_are_checked_in_other_processes(folder, monkeypatch):
    monkeypatch.setattr(folder_check, "usable_cores", lambda: 2)  # as on a machine of two cores or more
    monkeypatch.setattr(folder_check, "check_one", _pid_of)
    rows = check_folder(_job(folder), jobs=2)
    pids = {row.unit for row in rows}
    assert str(os.getpid()) not in pids and len(pids) == 2
    assert [row.where for row in rows] == sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_folder_too_small_to_share_is_checked_in_this_process(tmp_path, monkeypatch, jobs):
    # The threshold: MIN_PER_WORKER packages per worker, else the fork costs more than it saves.
    for n, pkg in enumerate(generated_packages(2 * folder_check.MIN_PER_WORKER - 1, seed=3)):
        (tmp_path / f"{n}.json").write_text(pkg.model_dump_json(), encoding="utf-8")
    monkeypatch.setattr(folder_check, "check_one", _pid_of)
    assert {row.unit for row in check_folder(_job(tmp_path), jobs=jobs)} == {str(os.getpid())}


def test_just_enough_packages_are_shared(tmp_path, monkeypatch):
    monkeypatch.setattr(folder_check, "usable_cores", lambda: 2)
    for n, pkg in enumerate(generated_packages(2 * folder_check.MIN_PER_WORKER, seed=3)):
        (tmp_path / f"{n}.json").write_text(pkg.model_dump_json(), encoding="utf-8")
    monkeypatch.setattr(folder_check, "check_one", _pid_of)
    assert str(os.getpid()) not in {row.unit for row in check_folder(_job(tmp_path), jobs=2)}


def test_a_worker_that_dies_loses_no_package(folder, monkeypatch, capsys):
    parent = os.getpid()
    real = folder_check.check_one

    def dies_on_the_fourth(job, index):
        if index == 3 and os.getpid() != parent:
            os._exit(9)  # as the kernel's OOM killer would end it: no exception, no goodbye
        return real(job, index)

    expected = check_folder(_job(folder), jobs=1)
    monkeypatch.setattr(folder_check, "usable_cores", lambda: 2)
    monkeypatch.setattr(folder_check, "check_one", dies_on_the_fourth)
    rows = check_folder(_job(folder), jobs=2)
    assert rows == expected
    assert "审核子进程意外退出" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["0", "-2", "two"])
def test_a_wrong_number_of_jobs_is_refused_in_chinese(folder, capsys, bad):
    with pytest.raises(SystemExit) as exc:
        main(["check", str(folder), "--jobs", bad])
    assert exc.value.code == 2
    assert f"应为正整数，而不是“{bad}”" in capsys.readouterr().err


def test_never_more_workers_than_cores(folder, monkeypatch):
    monkeypatch.setattr(folder_check, "usable_cores", lambda: 2)
    monkeypatch.setattr(folder_check, "check_one", _pid_of)
    assert len({row.unit for row in check_folder(_job(folder), jobs=8)}) == 2


# A command whose every package takes a while: long enough to stop it while its workers work.
SLOW_COMMAND = """
import sys, time
from jixiao.cli import folder_check, main
real = folder_check.check_one
def slow(job, index):
    time.sleep(1.5)
    return real(job, index)
folder_check.check_one = slow
sys.exit(main(["check", sys.argv[1], "--jobs", "2", "--summary"]))
"""


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry))
    return out


def _running(pid: int) -> bool:
    """Alive and not a zombie (a container's init may never reap what it inherits)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _start_slow(folder):
    import subprocess
    import sys
    import time

    proc = subprocess.Popen([sys.executable, "-c", SLOW_COMMAND, str(folder)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(workers := _children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) >= 2, "the command started no workers"
    return proc, workers


def _gone(pids, seconds: float) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while any(_running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(_running(p) for p in pids)


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_a_command_killed_outright_takes_its_workers_along(folder):
    import signal

    proc, workers = _start_slow(folder)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert _gone(workers, 10), "workers left running after their command was killed"


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_ctrl_c_stops_the_command_and_its_workers_at_once(folder):
    import signal
    import time

    proc, workers = _start_slow(folder)
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "已中断" in err and "Traceback" not in err
    # At once: not after the packages the workers hold (1.5 s each, and one more queued for each)
    assert time.monotonic() - started < 1.2
    assert _gone(workers, 5)


def test_the_pool_managers_stop_race_prints_no_traceback(folder):
    """CPython 3.11's pool manager raises InvalidStateError when it marks failed a future that a
    stop cancelled a moment before: the command's hook keeps that one off the terminal (the Ctrl-C
    test above met it once in a few runs), passes every other thread's exception on, and is gone
    once the folder is checked."""
    import threading
    from concurrent.futures import InvalidStateError
    from concurrent.futures.process import _ExecutorManagerThread

    seen = []
    hook = folder_check._quiet_manager_race(seen.append)

    def crash(exc_type, thread):
        return threading.ExceptHookArgs([exc_type, exc_type("x"), None, thread])

    manager = _ExecutorManagerThread.__new__(_ExecutorManagerThread)  # its class is what tells
    hook(crash(InvalidStateError, manager))
    assert seen == []
    other = threading.Thread()
    for args in (crash(InvalidStateError, other), crash(ValueError, manager)):
        hook(args)
    assert [(a.exc_type, a.thread) for a in seen] == [(InvalidStateError, other), (ValueError, manager)]

    before = threading.excepthook
    check_folder(FolderJob(packages_in(folder), None, None, "summary", Styler(open(os.devnull, "w"))), 2)
    assert threading.excepthook is before
