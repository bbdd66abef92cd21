"""`jixiao serve --production` and the load benchmarks start gunicorn from one command line
(jixiao.web.serving): two processes per CPU with four threads each, the shape the 50-saver figures
in docs/operations.md were measured with."""

from __future__ import annotations

import os

from jixiao.web.serving import gunicorn_command


def _option(cmd: list[str], name: str) -> str:
    return cmd[cmd.index(name) + 1]


def test_two_processes_per_cpu_with_four_threads_by_default():
    cmd = gunicorn_command("127.0.0.1", 8000)
    assert cmd[1] == "jixiao.web.wsgi:application" and _option(cmd, "--bind") == "127.0.0.1:8000"
    assert _option(cmd, "--workers") == str(2 * (os.cpu_count() or 1))
    assert _option(cmd, "--threads") == "4" and _option(cmd, "--worker-class") == "gthread"


def test_the_operator_s_process_count_and_extra_options_are_kept():
    cmd = gunicorn_command("0.0.0.0", 9000, 3, gunicorn="/usr/bin/gunicorn", extra=["--access-logfile", "-"])
    assert cmd[0] == "/usr/bin/gunicorn" and _option(cmd, "--workers") == "3"
    assert cmd[-2:] == ["--access-logfile", "-"]


def test_serve_and_the_benchmarks_use_it():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for path in ("src/jixiao/cli/web_commands.py", "scripts/reliability.py", "scripts/bench_web.py"):
        text = (root / path).read_text(encoding="utf-8")
        assert "gunicorn_command(" in text and '"--threads", "8"' not in text, path
