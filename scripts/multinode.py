"""Two web nodes and two job workers on one PostgreSQL: a batch import and concurrent saves, with a
worker and a web node killed -9 on the way (and started again, as systemd's Restart=always would).

    python scripts/multinode.py [--db postgres://postgres@127.0.0.1:5432/jixiao_multinode] [--seconds 20]
    make bench BENCH=multinode   (the same, through scripts/bench.py)

The database named is DROPPED and created afresh: give it one of its own. Each node and each worker
gets its own data directory, so nothing can pass through a shared disk: the upload reaches the
worker through the database (bureau/jobstore.py). The web nodes run `jixiao serve --production`
(gunicorn, 2 processes × 4 threads each), behind no proxy: the clients send what a TLS proxy would
(X-Forwarded-Proto: https). Two-factor login is switched off for this demo (JIXIAO_REQUIRE_2FA=0)
so the reviewer logs in with a password.

Prints the figures: acknowledged saves on each node, lost writes (must be 0), p50/p95 of a save,
the job's files per second, which workers ran it, its lines and revisions (no duplicates).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))

import reliability  # noqa: E402

JIXIAO = str(Path(sys.executable).with_name("jixiao"))
REVIEWER = "multinode-reviewer"


def _multipart(fields: dict[str, str], name: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for k, v in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
              "Content-Type: application/zip\r\n\r\n".encode())
    out.write(data)
    out.write(f"\r\n--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def _upload(client: reliability.Client, path: str, data: bytes, filename: str) -> tuple[int, dict]:
    body, ctype = _multipart({"csrfmiddlewaretoken": client.cookies.get("csrftoken", "")}, "file", filename, data)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items()), "Content-Type": ctype,
               "Referer": f"https://127.0.0.1:{client.port}/", "X-Forwarded-Proto": "https",
               "X-CSRFToken": client.cookies.get("csrftoken", ""), "Host": f"127.0.0.1:{client.port}"}
    client.conn.request("POST", path, body=body, headers=headers)
    resp = client.conn.getresponse()
    resp.read()
    return resp.status, dict(resp.getheaders())


def _setup(units: int, clerks: int) -> tuple[int, bytes, list[tuple[str, int]]]:
    """The campaign with ``units`` units and their batch zip, and ``clerks`` clerks with packages."""
    from django.contrib.auth.hashers import make_password

    from jixiao.model import Package
    from jixiao.web.accounts.models import Bureau, Role, Unit, User
    from jixiao.web.packages.models import Campaign
    from support.generate import generated_packages

    accounts = reliability.setup_accounts(clerks)
    bureau = Bureau.objects.create(name="多节点演示财政局")
    campaign = Campaign.objects.create(bureau=bureau, year=2023, title="多节点演示")
    User.objects.create(username=REVIEWER, role=Role.REVIEWER, bureau=bureau,
                        password=make_password(reliability.PASSWORD))
    made = Unit.objects.bulk_create([Unit(bureau=bureau, name=f"多节点单位{i:03d}") for i in range(units)])
    campaign.units.add(*made)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for unit, pkg in zip(made, generated_packages(units, seed=11), strict=True):
            text = pkg.model_dump_json().replace(pkg.unit_name, unit.name)
            zf.writestr(f"{unit.name}.json", Package.model_validate_json(text).model_dump_json())
    return campaign.pk, buf.getvalue(), accounts


def run(db: str, seconds: float, units: int, clerks: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="jixiao-multinode-"))
    reliability.fresh_postgres(db)
    base = {**os.environ, "DATABASE_URL": db, "JIXIAO_SECRET_KEY": "multinode-demo-" + uuid.uuid4().hex * 2,
            "JIXIAO_ALLOWED_HOSTS": "127.0.0.1,localhost", "JIXIAO_REQUIRE_2FA": "0",
            "JIXIAO_JOB_HEARTBEAT_SECONDS": "2", "JIXIAO_JOB_STALE_SECONDS": "6"}
    base.pop("DJANGO_SETTINGS_MODULE", None)

    def env_of(name: str) -> dict:
        data = tmp / name
        data.mkdir()
        return {**base, "JIXIAO_DATA_DIR": str(data)}

    os.environ.update(env_of("setup"))
    from jixiao.cli.web_commands import _setup as django_setup
    from jixiao.cli.web_commands import prepare_database

    django_setup()
    prepare_database(demo=False)
    campaign_id, batch, accounts = _setup(units, clerks)
    from django.db import connection

    connection.close()

    ports = [reliability.free_port(), reliability.free_port()]
    nodes = [reliability.Server([JIXIAO, "serve", "--production", "--no-demo", "--workers", "2", "--port", str(p)],
                                env_of(f"node{i + 1}"), p, tmp / f"node{i + 1}.log") for i, p in enumerate(ports)]
    for node in nodes:
        node.start()
    workers = []
    for i in (1, 2):
        log = (tmp / f"worker{i}.log").open("a")
        workers.append(subprocess.Popen([JIXIAO, "manage", "job_worker", "--no-reload", "--interval", "0.5",
                                         "--worker-id", f"worker-{i}"], env=env_of(f"worker{i}"), stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True))

    from jixiao.web.bureau.models import ImportJob, ImportLine, JobStatus

    reviewer = reliability.Client(ports[0], https_proxy=True)
    reviewer.login(REVIEWER)
    reviewer.request("GET", f"/bureau/c/{campaign_id}/import/")
    t_upload = time.monotonic()
    status, headers = _upload(reviewer, f"/bureau/c/{campaign_id}/import/", batch, "各单位材料.zip")
    if status != 302:
        raise RuntimeError(f"upload refused: HTTP {status}")
    job_id = int(headers["Location"].rstrip("/").split("/")[-1])

    events: list[str] = []
    stop, started = threading.Event(), threading.Event()

    def chaos() -> None:
        """Kill -9 the worker holding the job once it has written some lines; kill -9 web node 2
        half-way through the saves and start it again."""
        killed_worker = killed_node = False
        t0 = time.monotonic()
        while not stop.wait(0.1):
            if not started.is_set():
                t0 = time.monotonic()  # the saves' clock starts once every client has logged in
            job = ImportJob.objects.filter(pk=job_id).values("claimed_by", "done").first()
            if not killed_worker and job and job["done"] >= 5 and job["claimed_by"]:
                holder = next((w for w in workers if f":{w.pid}:" in job["claimed_by"]), None)
                if holder is not None:
                    os.killpg(holder.pid, signal.SIGKILL)
                    holder.wait()
                    events.append(f"{time.monotonic() - t0:.1f} s: kill -9 of the worker holding the job "
                                  f"(after {job['done']} files)")
                    killed_worker = True
            if not killed_node and time.monotonic() - t0 > seconds / 2:
                nodes[1].kill9()
                events.append(f"{time.monotonic() - t0:.1f} s: kill -9 of web node 2 (gunicorn master and workers)")
                time.sleep(0.5)
                nodes[1].start()
                events.append(f"{time.monotonic() - t0:.1f} s: web node 2 started again")
                killed_node = True
            connection.close()

    chaos_thread = threading.Thread(target=chaos, daemon=True)
    chaos_thread.start()
    try:
        outcome = reliability.run_saves(ports, accounts, seconds=seconds, think=(0.5, 1.5), https_proxy=True,
                                        started=started)
        deadline = time.monotonic() + 300
        while ImportJob.objects.get(pk=job_id).status not in (JobStatus.DONE, JobStatus.FAILED):
            if time.monotonic() > deadline:
                raise RuntimeError("the batch job did not finish")
            time.sleep(0.5)
        t_job = time.monotonic() - t_upload
        stop.set()
        chaos_thread.join(timeout=30)
        # The job page, from the other node than the one that took the upload.
        other = reliability.Client(ports[1], https_proxy=True)
        other.login(REVIEWER)
        page_status, page, _ = other.request("GET", f"/bureau/jobs/{job_id}/")
    finally:
        stop.set()
        for node in nodes:
            node.stop()
        for w in workers:
            if w.poll() is None:
                os.killpg(w.pid, signal.SIGTERM)
                w.wait(timeout=30)
    checked = reliability.verify(outcome.acked)
    from django_tasks_db.models import DBTaskResult

    from jixiao.web.bureau.models import JobUploadChunk
    from jixiao.web.packages.models import Revision

    job = ImportJob.objects.get(pk=job_id)
    positions = list(ImportLine.objects.filter(job=job).order_by("position").values_list("position", flat=True))
    per_unit = list(Revision.objects.filter(package__campaign_id=campaign_id).values_list("package_id", flat=True))
    ran_by = sorted({w for t in DBTaskResult.objects.filter(args_kwargs__args=[job_id]) for w in t.worker_ids})
    by_port = {p: 0 for p in ports}
    for i, (_, pk, _session) in enumerate(accounts):
        by_port[ports[i % 2]] += sum(1 for apk, _ in outcome.acked if apk == pk)
    return {
        "events": events,
        "saves": {"acknowledged": checked["acknowledged"], "per_node": list(by_port.values()),
                  "lost": len(checked["lost"]), "unaudited": len(checked["unaudited"]),
                  "broken_packages": len(checked["broken_packages"]), "p50_ms": _ms(outcome.p(50)),
                  "p95_ms": _ms(outcome.p(95)), "refused": sorted(set(outcome.refused)), "resent_after_lost_answer": outcome.lost_answers,
                  "client_errors": outcome.errors[:3]},
        "job": {"status": job.status, "files": job.total, "imported": job.imported, "failed": job.failed,
                "attempts": job.attempts, "seconds": round(t_job, 1), "files_per_s": round(job.total / t_job, 1),
                "lines_complete": positions == list(range(job.total)),
                "duplicate_revisions": len(per_unit) - len(set(per_unit)), "run_by": ran_by,
                "upload_left": JobUploadChunk.objects.filter(job=job).exists(),
                "page_on_other_node": page_status == 200 and "已完成" in page},
    }


def _ms(seconds: float) -> int | None:
    return None if seconds != seconds else round(1000 * seconds)  # NaN: nothing acknowledged


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=os.environ.get("BENCH_PG_URL_MULTINODE",
                                                   "postgres://postgres@127.0.0.1:5432/jixiao_multinode"))
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--units", type=int, default=150)
    ap.add_argument("--clerks", type=int, default=30)
    args = ap.parse_args(argv)
    result = run(args.db, args.seconds, args.units, args.clerks)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    ok = (result["saves"]["lost"] == 0 and result["saves"]["unaudited"] == 0 and result["job"]["lines_complete"]
          and result["job"]["duplicate_revisions"] == 0 and result["job"]["status"] == "done")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
