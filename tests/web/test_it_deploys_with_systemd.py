"""The production shape in deploy/: systemd units for the web server (gunicorn through `jixiao serve
--production`), the job workers and the daily backup. Tested as far as this machine allows: each
ExecStart is a real `jixiao` command line (parsed by jixiao's own parser, management commands that
exist), the units restart on any exit, and `systemd-analyze verify` accepts them when present."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
INSTALLED = "/opt/jixiao/.venv/bin/jixiao"


def _unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """Sections → keys → values (a key may repeat, as ExecStart does in a oneshot unit)."""
    out: dict[str, dict[str, list[str]]] = {}
    section = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = out.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        section.setdefault(key.strip(), []).append(value.strip())
    return out


def _jixiao_args(exec_start: str) -> list[str] | None:
    """The arguments of a jixiao command line (systemd's %i/%H filled in); None for other commands."""
    words = shlex.split(exec_start.replace("%i", "1").replace("%H", "host").replace("%%", "%"))
    if words[0] == INSTALLED:
        return words[1:]
    if words[0] == "/bin/sh" and words[1] == "-c":  # a shell line whose command is jixiao
        inner = shlex.split(words[2].removeprefix("exec ").replace("$(date +%F)", "2026-12-01"))
        return inner[1:] if inner[0] == INSTALLED else None
    return None


def test_the_web_and_worker_units_run_real_commands_and_always_restart():
    from django.core.management import get_commands

    from jixiao.cli import build_parser

    web, worker = _unit(UNITS / "jixiao-web.service"), _unit(UNITS / "jixiao-worker@.service")
    parser = build_parser()
    for unit, command in ((web, "serve"), (worker, "manage")):
        service = unit["Service"]
        assert service["Restart"] == ["always"] and service["KillMode"] == ["mixed"]
        assert unit["Unit"]["StartLimitIntervalSec"] == ["0"], "never gives up restarting"
        assert service["EnvironmentFile"] == ["/etc/jixiao/jixiao.env"]
        [line] = service["ExecStart"]
        args = parser.parse_args(_jixiao_args(line))
        assert args.command == command
    assert parser.parse_args(_jixiao_args(web["Service"]["ExecStart"][0])).production
    worker_args = _jixiao_args(worker["Service"]["ExecStart"][0])
    assert worker_args[1] == "job_worker" and get_commands()["job_worker"] == "jixiao.web.bureau"
    # The worker's own options are db_worker's: parse them with the command's parser.
    from jixiao.web.bureau.management.commands.job_worker import Command

    opts = Command().create_parser("jixiao manage", "job_worker").parse_args(worker_args[2:])
    assert opts.reload is False and opts.worker_id == "host-worker-1"


def test_the_backup_timer_runs_verify_audit_and_backup():
    from django.core.management import get_commands

    from jixiao.cli import build_parser

    service = _unit(UNITS / "jixiao-backup.service")["Service"]
    lines = [_jixiao_args(x) for x in service["ExecStart"]]
    jixiao_lines = [args for args in lines if args is not None]
    assert jixiao_lines[0][:2] == ["manage", "verify_audit"] and "verify_audit" in get_commands()
    backup = build_parser().parse_args(jixiao_lines[1])
    assert backup.command == "backup" and backup.file.startswith("/var/backups/jixiao/")
    assert _unit(UNITS / "jixiao-backup.timer")["Timer"]["OnCalendar"] == ["*-*-* 02:00:00"]


def test_the_environment_example_names_settings_that_exist():
    settings_text = (ROOT / "src" / "jixiao" / "web" / "settings.py").read_text(encoding="utf-8")
    settings_text += (ROOT / "src" / "jixiao" / "web" / "envconfig.py").read_text(encoding="utf-8")
    for line in (ROOT / "deploy" / "jixiao.env.example").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name = line.split("=", 1)[0]
            assert f'"{name}"' in settings_text, f"{name} is read nowhere"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here")
def test_systemd_accepts_the_units(tmp_path):
    """The units as installed, with this checkout's jixiao and an existing user in place of the
    /opt/jixiao and jixiao of a real installation."""
    jixiao = str(Path(sys.executable).with_name("jixiao"))
    for src in UNITS.iterdir():
        text = (src.read_text(encoding="utf-8").replace(INSTALLED, jixiao)
                .replace("User=jixiao", "User=root").replace("Group=jixiao", "Group=root")
                .replace("/etc/jixiao/jixiao.env", str(ROOT / "deploy" / "jixiao.env.example")))
        name = src.name.replace("@.service", "@1.service")
        (tmp_path / name).write_text(text, encoding="utf-8")
    names = sorted(p.name for p in tmp_path.iterdir())
    done = subprocess.run(["systemd-analyze", "verify", *names], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    # And it does check: the installed path does not exist on this machine.
    bad = subprocess.run(["systemd-analyze", "verify", str(UNITS / "jixiao-web.service")], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode != 0 and "is not executable" in bad.stderr
