"""Kill -9 of the server in the middle of concurrent saves (a real `jixiao serve` process on the
suite's database, SQLite or PostgreSQL): every save the server acknowledged is there afterwards,
once, with its audit row, and no package is half-written. The harness is scripts/reliability.py,
which `make bench` runs at 50 clients."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from webworld import World

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import reliability  # noqa: E402

CLIENTS, SECONDS = 6, 4.0


def test_every_acknowledged_save_survives_a_kill_9_of_the_server(transactional_db, tmp_path):
    World()
    # The server process knows the real hashers only (the suite's are fast MD5): a cheap PBKDF2 hash.
    hashed = PBKDF2PasswordHasher().encode(reliability.PASSWORD, "reliabilitysalt", iterations=1000)
    accounts = reliability.setup_accounts(CLIENTS, password_hash=hashed)
    url = reliability.database_url(connection.settings_dict)
    connection.close()
    port = reliability.free_port()
    env = {**os.environ, "DATABASE_URL": url, "JIXIAO_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    jixiao = str(Path(sys.executable).with_name("jixiao"))
    server = reliability.Server([jixiao, "serve", "--no-demo", "--port", str(port)], env, port,
                                tmp_path / "server.log")
    server.start()
    stop, killed, started = threading.Event(), [], threading.Event()
    killer = reliability.kill_schedule([server], SECONDS, 1, stop, killed, started)
    try:
        outcome = reliability.run_saves([port], accounts, seconds=SECONDS, think=(0.05, 0.3), started=started)
    finally:
        stop.set()
        killer.join(timeout=60)
        server.stop()
    assert not outcome.errors, outcome.errors
    assert len(killed) == 1, "the server was killed once, mid-run"
    assert any(t < killed[0] for t in outcome.acked_at) and any(t > killed[0] for t in outcome.acked_at), \
        "saves were acknowledged before the kill and after the restart"
    checked = reliability.verify(outcome.acked)
    assert checked["acknowledged"] >= CLIENTS
    assert checked["lost"] == [] and checked["unaudited"] == [] and checked["broken_packages"] == [], checked
