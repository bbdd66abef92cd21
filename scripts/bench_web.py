"""`make bench` web section: p50/p95 latency of opening and saving a package with 20
concurrent clients on loopback, against the server `jixiao serve` runs (SQLite by default,
or DATABASE_URL). Each client is a clerk of its own unit working on its own package: it
opens the 整体支出绩效自评表 (the largest sheet) and saves the 基础数据表 (all its ~130 fields, one
changed), back to back or paced.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 20
ROUNDS = 10
PACE = 2.0  # paced mode: each client starts an open+save cycle every PACE seconds, as a person would
PASSWORD = "Bench-Pass-2023x"

SETUP = r"""
import json, sys
from jixiao.cli.web_commands import _setup, prepare_database
_setup()
prepare_database(demo=False)
from django.contrib.auth.hashers import make_password
from jixiao.web.accounts.models import Bureau, Role, Unit, User
from jixiao.web.packages import actions
from jixiao.web.packages.checking import canonical, evaluate
from jixiao.web.packages.models import Campaign
n, seed, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
doc = canonical(evaluate(json.load(open(seed, encoding="utf-8")), "hunan-2023").package)
bureau = Bureau.objects.create(name="压测财政局")
campaign = Campaign.objects.create(bureau=bureau, year=2023, title="压测")
hashed = make_password(password)
for i in range(n):
    unit = Unit.objects.create(bureau=bureau, name=f"压测单位{i}")
    campaign.units.add(unit)
    clerk = User.objects.create(username=f"bench{i}", role=Role.CLERK, unit=unit, password=hashed)
    pkg = actions.do_create_package(campaign=campaign, unit=unit, actor=clerk)
    actions.do_save(package_id=pkg.pk, actor=clerk, document=doc, base_number=1, source="demo")
    print(pkg.pk)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One browser: keep-alive connection, cookies, CSRF token."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields: list[tuple[str, str]] | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Referer": "http://127.0.0.1/"}
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        try:
            self.conn.request(method, path, body=body, headers=headers)
            resp = self.conn.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # The server closed an idle keep-alive connection: reconnect once, as browsers do.
            self.conn.close()
            self.conn.request(method, path, body=body, headers=headers)
            resp = self.conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
        for k, v in resp.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return resp.status, text

    def login(self, username: str) -> None:
        self.request("GET", "/accounts/login/")
        status, _ = self.request("POST", "/accounts/login/", [("username", username), ("password", PASSWORD)])
        if status != 302:
            raise RuntimeError(f"login failed for {username}: {status}")


_FIELD = re.compile(r'<input type="(?:text|hidden)"[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"')
_AREA = re.compile(r'<textarea[^>]*?name="([^"]+)"[^>]*>(.*?)</textarea>', re.S)


def form_fields(html: str) -> list[tuple[str, str]]:
    fields = [(n, unescape(v)) for n, v in _FIELD.findall(html)]
    fields += [(n, unescape(v)) for n, v in _AREA.findall(html)]
    return [(n, v) for n, v in fields if n != "csrfmiddlewaretoken"]


def _wait(port: int, proc: subprocess.Popen) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            raise RuntimeError("server exited")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run_load(port: int, package_ids: list[int], pace: float = 0.0) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"open": [], "save": []}
    failures: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(package_ids))

    def client(i: int, pk: int) -> None:
        c = Client(port)
        try:
            c.login(f"bench{i}")
            barrier.wait(timeout=120)
            # Paced clients start spread over one period, like people who do not click in step.
            time.sleep(pace * i / len(package_ids))
            # The basic sheet as the browser holds it; each save is based on the revision it made last.
            status, html = c.request("GET", f"/p/{pk}/sheet/basic/")
            # Each save carries a fresh save_key, as the page a browser gets back after a save holds a
            # new one: the key of the first page posted again would be a retry, answered with the
            # first save's revision (and the next save's base would not exist).
            fields = [(n, v) for n, v in form_fields(html) if n not in ("basic.note", "base_revision", "save_key", "op")]
            base = int(re.search(r'name="base_revision" value="(\d+)"', html).group(1))
            for r in range(ROUNDS):
                cycle = time.perf_counter()
                t0 = time.perf_counter()
                status, _ = c.request("GET", f"/p/{pk}/sheet/overall/")
                t_open = time.perf_counter() - t0
                if status != 200:
                    failures.append(f"open {status}")
                t0 = time.perf_counter()
                status, _ = c.request("POST", f"/p/{pk}/sheet/basic/",
                                      [*fields, ("base_revision", str(base)), ("basic.note", f"压测第{r}轮"),
                                       ("save_key", uuid.uuid4().hex)])
                t_save = time.perf_counter() - t0
                if status == 302:
                    base += 1
                else:
                    failures.append(f"save {status}")
                with lock:
                    times["open"].append(t_open)
                    times["save"].append(t_save)
                if pace:
                    time.sleep(max(0.0, pace - (time.perf_counter() - cycle)))
        except Exception as exc:  # reported below
            failures.append(repr(exc))
        finally:
            c.conn.close()

    threads = [threading.Thread(target=client, args=(i, pk)) for i, pk in enumerate(package_ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        print(f"  failures: {len(failures)} (first: {failures[0]})")
    return times


def bench_web(server: str = "serve") -> None:
    """Start the server on a fresh database with CLIENTS packages, then load it twice: clients
    back to back (the worst case: every client always waiting on the server) and paced."""
    jixiao = str(Path(sys.executable).with_name("jixiao"))
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        env = {**os.environ, "JIXIAO_DATA_DIR": tmp, "JIXIAO_ALLOWED_HOSTS": "127.0.0.1,localhost"}
        seed = ROOT / "examples" / "2023-yueyanglou-chengguan-ducha.json"
        out = subprocess.run([sys.executable, "-c", SETUP, str(CLIENTS), str(seed), PASSWORD], env=env,
                             capture_output=True, text=True, check=True)
        ids = [int(x) for x in out.stdout.split()]
        port = _free_port()
        db = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
        if server == "serve":
            cmd = [jixiao, "serve", "--no-demo", "--port", str(port)]
            label = f"jixiao serve (one process, threads), {db}"
        else:
            from jixiao.web.serving import THREADS, default_workers, gunicorn_command

            cmd = gunicorn_command("127.0.0.1", port)
            label = f"gunicorn, {default_workers()} worker processes × {THREADS} threads, {db}"
        log = open(Path(tmp) / "server.log", "w")  # noqa: SIM115 - closed with the directory
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        try:
            _wait(port, proc)
            print(f"web, {label}, {CLIENTS} concurrent clients × {ROUNDS} open+save cycles, {os.cpu_count()} CPUs "
                  "(the load generator runs on the same CPUs):")
            for pace, what in ((0.0, "back to back"), (PACE, f"paced, one cycle per client every {PACE:g} s")):
                t0 = time.perf_counter()
                times = run_load(port, ids, pace)
                wall = time.perf_counter() - t0
                print(f"  {what} ({wall:.1f} s):")
                for key, label_en in (("open", "open the 整体支出绩效自评表 sheet"),
                                      ("save", "save the 基础数据表 (new revision)")):
                    v = times[key]
                    if v:
                        print(f"    {label_en}: p50 {1000 * statistics.median(v):.0f} ms, "
                              f"p95 {1000 * _pct(v, 95):.0f} ms (n={len(v)})  [target p95 < 200 ms on SQLite]")
        finally:
            proc.terminate()
            proc.wait(timeout=20)
            log.close()
            errors = [line for line in (Path(tmp) / "server.log").read_text().splitlines()
                      if "Error" in line or "Traceback" in line]
            if errors:
                print(f"  server errors: {len(errors)} (first: {errors[0][:200]})")


if __name__ == "__main__":
    bench_web(sys.argv[1] if len(sys.argv) > 1 else "serve")
