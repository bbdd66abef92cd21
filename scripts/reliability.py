"""Saves under kill -9: clients save over HTTP while the server is killed and started again, then
every acknowledged save is looked up in the database with its audit row.

Used three ways:
- `make bench` (section `reliability`, scripts/bench.py): 50 clients, 0.5–1.5 s think time, 20 s,
  gunicorn killed with SIGKILL (master and workers) twice, on SQLite and on PostgreSQL; prints
  lost writes (must be 0) and the p95 of a save;
- the suite (tests/web/test_it_survives_kills.py): a few clients for a few seconds, one kill;
- scripts/multinode.py: two gunicorn instances and two job workers on one PostgreSQL.

A save is *acknowledged* when the server answered 302 (stored). Each save carries its own
idempotency key (``save_key``), so the check is exact: a Revision with that key, and the
``save`` audit row naming that revision. A save whose answer was lost (the server died with the
request in flight) is sent again with the same key, as a browser's retry would be: stored once,
whatever happened to the first.

Run directly: ``python scripts/reliability.py [--db sqlite|URL] [--clients 50] [--seconds 20] [--kills 2]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Bench-Pass-2023x"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(settings_dict: dict) -> str:
    """The DATABASE_URL of a Django database (the test database included), for a server process."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    auth = quote(settings_dict.get("USER") or "")
    if settings_dict.get("PASSWORD"):
        auth += ":" + quote(settings_dict["PASSWORD"])
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{auth}@{host}:{port}/{settings_dict['NAME']}"


class Client:
    """One browser: a keep-alive connection, its cookies and CSRF token. ``https_proxy``: send what a
    TLS-terminating proxy in front of a production server sends (X-Forwarded-Proto, an https Referer)."""

    def __init__(self, port: int, *, https_proxy: bool = False, timeout: float = 30):
        self.port, self.https_proxy, self.timeout = port, https_proxy, timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields: list[tuple[str, str]] | None = None) -> tuple[int, str, dict]:
        scheme = "https" if self.https_proxy else "http"
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   "Referer": f"{scheme}://127.0.0.1:{self.port}/", "Host": f"127.0.0.1:{self.port}"}
        if self.https_proxy:
            headers["X-Forwarded-Proto"] = "https"
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                text = resp.read().decode("utf-8", "replace")
                break
            except (OSError, http.client.HTTPException) as exc:
                self.conn.close()  # the next request opens a fresh connection
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                # The server closed an idle keep-alive connection: send again at once, as browsers
                # do (a save carries its idempotency key, so a second copy is never a second save).
                if attempt == 2 or not isinstance(exc, (http.client.RemoteDisconnected, BrokenPipeError,
                                                        ConnectionResetError)):
                    raise
        for k, v in resp.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return resp.status, text, dict(resp.getheaders())

    def login(self, username: str, password: str = PASSWORD) -> None:
        self.request("GET", "/accounts/login/")
        status, _, _ = self.request("POST", "/accounts/login/", [("username", username), ("password", password)])
        if status != 302:
            raise RuntimeError(f"login failed for {username}: HTTP {status}")

    def close(self) -> None:
        self.conn.close()


@dataclass
class Outcome:
    acked: list[tuple[int, str]] = field(default_factory=list)  # (package id, save key) answered 302
    latencies: list[float] = field(default_factory=list)  # seconds, acknowledged saves only
    acked_at: list[float] = field(default_factory=list)  # seconds since the start of the run
    undisturbed: list[float] = field(default_factory=list)  # acknowledged at the first sending
    refused: list[int] = field(default_factory=list)  # other HTTP answers (503 while the database restarts …)
    lost_answers: int = 0  # requests without an answer (server killed): sent again with the same key
    errors: list[str] = field(default_factory=list)

    def p(self, pct: float, undisturbed: bool = False) -> float:
        values = sorted(self.undisturbed if undisturbed else self.latencies)
        return values[min(len(values) - 1, int(round(pct / 100 * (len(values) - 1))))] if values else float("nan")


def run_saves(ports: list[int], accounts: list[tuple], *, seconds: float, think: tuple[float, float],
              password: str = PASSWORD, https_proxy: bool = False, seed: int = 1,
              started: threading.Event | None = None) -> Outcome:
    """Each (username, package id[, session key]) is one client saving its package's 基础数据表 note in a loop,
    through the ports in turn (a load balancer), for ``seconds`` from the moment every client has
    logged in (``started`` is set then); a request without answer is sent again with the same
    key until answered (or the time is up)."""
    out = Outcome()
    lock = threading.Lock()
    clock = {"start": 0.0, "deadline": 0.0}

    def go() -> None:
        clock["start"] = time.monotonic()
        clock["deadline"] = clock["start"] + seconds
        if started is not None:
            started.set()

    barrier = threading.Barrier(len(accounts), action=go)
    rng = random.Random(seed)
    delays = [rng.uniform(*think) for _ in accounts]

    def client(i: int, username: str, pk: int, session: str | None) -> None:
        port = ports[i % len(ports)]
        c = Client(port, https_proxy=https_proxy)
        try:
            if session:
                c.cookies["sessionid"] = session
            for _ in range(0 if session else 100):  # the server may be down at the start of a client
                try:
                    c.login(username, password)
                    break
                except OSError:
                    time.sleep(0.2)
            _, html, _ = c.request("GET", f"/p/{pk}/sheet/basic/")

            base = int(re.search(r'name="base_revision" value="(\d+)"', html).group(1))
            barrier.wait(timeout=300)
            start, deadline = clock["start"], clock["deadline"]
            time.sleep(delays[i] * rng.random())
            n = 0
            while time.monotonic() < deadline:
                key = f"rel-{i}-{n}-{uuid.uuid4().hex[:12]}"
                fields = [("base_revision", str(base)), ("basic.note", f"客户端{i}第{n}次保存"), ("save_key", key)]
                t0 = time.perf_counter()
                resent = False
                while True:
                    try:
                        status, _, _ = c.request("POST", f"/p/{pk}/sheet/basic/", fields)
                        break
                    except (OSError, http.client.HTTPException):
                        resent = True
                        with lock:
                            out.lost_answers += 1
                        if time.monotonic() > deadline + 30:
                            status = 0
                            break
                        time.sleep(0.2)
                elapsed = time.perf_counter() - t0
                with lock:
                    if status == 302:
                        out.acked.append((pk, key))
                        out.latencies.append(elapsed)
                        out.acked_at.append(time.monotonic() - start)
                        if not resent:
                            out.undisturbed.append(elapsed)
                    else:
                        out.refused.append(status)
                if status == 302:
                    base += 1
                elif status == 409:  # not ours: should not happen with one client per package
                    _, html, _ = c.request("GET", f"/p/{pk}/sheet/basic/")
                    base = int(re.search(r'name="base_revision" value="(\d+)"', html).group(1))
                n += 1
                time.sleep(rng.uniform(*think))
        except Exception as exc:  # reported by the caller
            barrier.abort()
            with lock:
                out.errors.append(f"client {i}: {exc!r}")
        finally:
            c.close()

    threads = [threading.Thread(target=client, args=(i, a[0], a[1], a[2] if len(a) > 2 else None), daemon=True)
               for i, a in enumerate(accounts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    return out


def verify(acked: list[tuple[int, str]]) -> dict:
    """Look every acknowledged save up (Django configured on the same database). Returns counts and
    the keys that are missing or have no audit row."""
    from django.db import connection

    from jixiao.web.audit.models import AuditEvent
    from jixiao.web.packages.models import Package, Revision

    connection.close()  # a fresh view of what the servers committed
    revs = {r.save_key: r for r in Revision.objects.filter(save_key__in=[k for _, k in acked])}
    audited = set(AuditEvent.objects.filter(action="save").values_list("object_id", "detail__revision"))
    lost = [k for _, k in acked if k not in revs]
    unaudited = [k for pk, k in acked if k in revs and (str(pk), revs[k].number) not in audited]
    # Nothing half-written either: every package's head is its newest revision, numbers without gaps.
    broken = []
    for pkg in Package.objects.filter(pk__in={pk for pk, _ in acked}):
        numbers = list(Revision.objects.filter(package=pkg).order_by("number").values_list("number", flat=True))
        if numbers != list(range(1, len(numbers) + 1)) or pkg.head_number != numbers[-1]:
            broken.append(pkg.pk)
    return {"acknowledged": len(acked), "lost": lost, "unaudited": unaudited, "broken_packages": broken}


class Server:
    """A web server process (its own process group) that can be killed with SIGKILL and started again."""

    def __init__(self, cmd: list[str], env: dict, port: int, log: Path):
        self.cmd, self.env, self.port, self.log = cmd, env, port, log
        self.proc: subprocess.Popen | None = None

    def start(self, wait: float = 60) -> None:
        with self.log.open("a") as fh:
            self.proc = subprocess.Popen(self.cmd, env=self.env, stdout=fh, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        end = time.monotonic() + wait
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}); see {self.log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start on {self.port}")

    def kill9(self) -> None:
        """SIGKILL to the whole process group (a gunicorn master and its workers): no clean shutdown."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()


def gunicorn_cmd(port: int, workers: int = 0) -> list[str]:
    """What `jixiao serve --production` execs (scripts run it without TLS in front)."""
    from jixiao.web.serving import gunicorn_command

    return gunicorn_command("127.0.0.1", port, workers, extra=["--graceful-timeout", "5"])


def kill_schedule(servers: list[Server], seconds: float, kills: int, stop: threading.Event,
                  killed: list[float], started: threading.Event) -> threading.Thread:
    """Kill -9 and restart (as the supervisor would) each server in turn, ``kills`` times over the
    run, which begins when ``started`` is set."""

    def run() -> None:
        while not started.wait(0.1):
            if stop.is_set():
                return
        t0 = time.monotonic()
        for k in range(kills):
            at = t0 + seconds * (k + 1) / (kills + 1)
            while time.monotonic() < at:
                if stop.wait(0.05):
                    return
            server = servers[k % len(servers)]
            server.kill9()
            killed.append(time.monotonic() - t0)
            time.sleep(0.5)  # what Restart=always with RestartSec=… leaves between the two
            server.start()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


# ------------------------------------------------------------------ the bench run (its own process)


def logged_in_session(user) -> str:
    """A session of ``user`` as the login view leaves it (the load generator does not measure
    password hashing: 50 PBKDF2 logins at once would be the whole figure on two cores)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def setup_accounts(n: int, password_hash: str | None = None) -> list[tuple[str, int, str]]:
    """``n`` clerks, each with a unit and a package holding the seed, logged in:
    (username, package id, session key) each."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from jixiao.web.accounts.models import Bureau, Role, Unit, User
    from jixiao.web.packages import actions
    from jixiao.web.packages.checking import canonical, evaluate
    from jixiao.web.packages.models import Campaign

    seed = json.loads((ROOT / "examples" / "2023-yueyanglou-chengguan-ducha.json").read_text(encoding="utf-8"))
    doc = canonical(evaluate(seed, "hunan-2023").package)
    bureau = Bureau.objects.create(name=f"可靠性测试财政局{uuid.uuid4().hex[:6]}")
    campaign = Campaign.objects.create(bureau=bureau, year=2023, title="可靠性测试")
    hashed = password_hash or PBKDF2PasswordHasher().encode(PASSWORD, uuid.uuid4().hex[:16], iterations=1000)
    out = []
    for i in range(n):
        unit = Unit.objects.create(bureau=bureau, name=f"{bureau.name}单位{i}")
        campaign.units.add(unit)
        clerk = User.objects.create(username=f"rel-{bureau.pk}-{i}", role=Role.CLERK, unit=unit, password=hashed,
                                    must_change_password=False)
        pkg = actions.do_create_package(campaign=campaign, unit=unit, actor=clerk)
        actions.do_save(package_id=pkg.pk, actor=clerk, document=doc, base_number=1, source="demo")
        out.append((clerk.username, pkg.pk, logged_in_session(clerk)))
    return out


def fresh_postgres(url: str) -> None:
    """Drop and create the database ``url`` names (a bench database of its own, never a shared one)."""
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = url.replace(parts.path, "/postgres", 1)
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')


def bench_run(db: str, clients: int, seconds: float, kills: int, think: tuple[float, float]) -> dict:
    tmp = tempfile.mkdtemp(prefix="jixiao-rel-")
    url = f"sqlite:///{tmp}/jixiao.sqlite3" if db == "sqlite" else db
    if db != "sqlite":
        fresh_postgres(url)
    env = {**os.environ, "JIXIAO_DATA_DIR": tmp, "DATABASE_URL": url, "JIXIAO_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    os.environ.update({k: env[k] for k in ("JIXIAO_DATA_DIR", "DATABASE_URL", "JIXIAO_ALLOWED_HOSTS")})
    from jixiao.cli.web_commands import _setup, prepare_database

    _setup()
    prepare_database(demo=False)
    accounts = setup_accounts(clients)
    from django.db import connection

    connection.close()
    port = free_port()
    server = Server(gunicorn_cmd(port), env, port, Path(tmp) / "server.log")
    server.start()
    stop, killed, started = threading.Event(), [], threading.Event()
    killer = kill_schedule([server], seconds, kills, stop, killed, started)
    try:
        outcome = run_saves([port], accounts, seconds=seconds, think=think, started=started)
    finally:
        stop.set()
        killer.join(timeout=60)
        server.stop()
    checked = verify(outcome.acked)
    return {"database": "SQLite" if db == "sqlite" else "PostgreSQL", "clients": clients, "seconds": seconds,
            "kills": len(killed), "acknowledged": checked["acknowledged"], "lost": len(checked["lost"]),
            "unaudited": len(checked["unaudited"]), "broken_packages": len(checked["broken_packages"]),
            "p50_ms": _ms(outcome.p(50)), "p95_ms": _ms(outcome.p(95)),
            "undisturbed_p50_ms": _ms(outcome.p(50, True)), "undisturbed_p95_ms": _ms(outcome.p(95, True)),
            "lost_answers_resent": outcome.lost_answers, "refused": len(outcome.refused),
            "client_errors": outcome.errors[:3]}


def _ms(seconds: float) -> int | None:
    return None if seconds != seconds else round(1000 * seconds)  # NaN: nothing acknowledged


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="sqlite", help="sqlite, or a postgres:// URL of a database of its own (dropped!)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--kills", type=int, default=2)
    args = ap.parse_args(argv)
    result = bench_run(args.db, args.clients, args.seconds, args.kills, (0.5, 1.5))
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["lost"] == 0 and result["unaudited"] == 0 and not result["broken_packages"] else 1


if __name__ == "__main__":
    sys.exit(main())
