"""`make bench`: speed figures, each reported as measured in one run (no timed tests).

Each section is a function registered in SECTIONS; it prints its own lines. Run one
section with `python scripts/bench.py NAME`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SEED = ROOT / "examples" / "2023-yueyanglou-chengguan-ducha.json"

SECTIONS: dict[str, Callable[[], None]] = {}


def section(name: str):
    def register(fn):
        SECTIONS[name] = fn
        return fn

    return register


def wall(cmd: list[str], runs: int = 7) -> float:
    """Median wall time of a fresh process, in seconds."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


@section("core")
def bench_core() -> None:
    bare = wall([PY, "-c", "pass"])
    imp = wall([PY, "-c", "import jixiao.api"])
    # The floor: PyYAML plus one pydantic model with a Decimal field (defining any model
    # imports most of pydantic's internals, which `import pydantic` alone defers).
    floor = wall([PY, "-c", "import yaml, decimal, pydantic\nclass M(pydantic.BaseModel):\n    x: decimal.Decimal"])
    print(f"core import: {1000 * (imp - bare):.0f} ms over a bare interpreter ({1000 * bare:.0f} ms)  [target < 150 ms]; "
          f"floor (PyYAML + one pydantic model): {1000 * (floor - bare):.0f} ms")
    jx = str(Path(PY).with_name("jixiao"))
    one = wall([jx, "check", str(SEED)])
    print(f"jixiao check on the seed package, fresh process: {1000 * one:.0f} ms  [target < 300 ms]")

    sys.path.insert(0, str(ROOT / "tests"))
    from jixiao.api import check_package
    from jixiao.model import Package
    from support.generate import generated_packages

    packages = generated_packages(1000, seed=7, draft_reports=True)
    blobs = [p.model_dump_json() for p in packages]
    del packages  # the generator's models are not the checker's to carry
    from jixiao.warmup import warm_up

    warm_up()  # as a process that checks many packages does first (a folder check, a server process)
    t0 = time.perf_counter()
    findings = 0
    for blob in blobs:
        findings += len(check_package(Package.model_validate_json(blob)).findings)
    dt = time.perf_counter() - t0
    print(f"check 1,000 generated packages (parse + check + score, report stage included) in one process: {dt:.2f} s "
          f"({1000 / dt:.0f} packages/s, {findings} findings)  [target < 1.5 s on a quiet machine: "
          f"{'met' if dt < 1.5 else 'NOT met'}]")

    # The same without the report-vs-table reconciliation (issue 5), which reads the prose
    # sentence by sentence and costs more than all table checks together.
    from jixiao.rules import load_pack
    from jixiao.rules.engine import Pack

    full = load_pack()
    rules = {k: (dict(v, enabled=False) if k.startswith("report.") else v) for k, v in full.rules.items()}
    tables_only = Pack(id="tables-only", name="tables only", data=dict(full.data, rules=rules))
    t0 = time.perf_counter()
    for blob in blobs:
        check_package(Package.model_validate_json(blob), tables_only)
    dt2 = time.perf_counter() - t0
    t0 = time.perf_counter()
    for blob in blobs:
        Package.model_validate_json(blob)
    parse = time.perf_counter() - t0
    print(f"  of which: parsing JSON {parse:.2f} s; table checks and scores only (report stage off): {dt2:.2f} s")
    # The floor: reading the same JSON with the standard library (no model, no check).
    import json

    t0 = time.perf_counter()
    for blob in blobs:
        json.loads(blob)
    floor = time.perf_counter() - t0
    print(f"  against the floor (json.loads of the same files, {floor:.2f} s): parse {parse / floor:.1f}x, "
          f"parse + check + score {dt / floor:.1f}x")
    bench_folder(blobs)
    bench_incremental()
    bench_baseline_section()


def bench_folder(blobs: list[str]) -> None:
    """The same 1,000 packages as JSON files of one folder, as `jixiao check DIR --summary` reads
    and checks them: in one process, then on every core (jixiao.cli.folder_check), alternately."""
    import os
    import tempfile

    from jixiao.cli.folder_check import FolderJob, check_folder, usable_cores
    from jixiao.cli.output import Styler
    from jixiao.io import packages_in

    cores = usable_cores()
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-folder-") as tmp, open(os.devnull, "w") as null:
        for n, blob in enumerate(blobs):
            Path(tmp, f"{n:04d}.json").write_text(blob, encoding="utf-8")
        job = FolderJob(packages_in(Path(tmp)), None, None, "summary", Styler(null))
        times: dict[int, list[float]] = {1: [], cores: []}
        for jobs in [1, cores, 1, cores]:
            t0 = time.perf_counter()
            rows = check_folder(job, jobs)
            times[jobs].append(time.perf_counter() - t0)
            assert len(rows) == len(blobs) and not any(r.error for r in rows)
    one, many = min(times[1]), min(times[cores])
    print(f"check a folder of the same {len(blobs):,} packages (JSON files, as `jixiao check DIR --summary`): "
          f"one process {one:.2f} s, {cores} processes {many:.2f} s ({one / many:.2f}x)  "
          f"[target < 1.5 s on a quiet machine: {'met' if many < 1.5 else 'NOT met'}]")


def bench_incremental() -> None:
    """A one-cell edit of the seed checked from the last result (jixiao.rules.incremental) against
    a full check, per part edited: CPU medians in one run."""
    from decimal import Decimal

    from jixiao.api import check_package
    from jixiao.rules.incremental import check_changed
    from support.examples import seed

    def median_ms(fn, runs: int = 30) -> float:
        times = []
        for _ in range(runs):
            t0 = time.process_time()
            fn()
            times.append(time.process_time() - t0)
        return 1000 * statistics.median(times)

    before = check_package(seed())
    edits = {"基础数据表": lambda p: setattr(p.basic.sangong, "final", Decimal("12.34")),
             "整体支出绩效自评表": lambda p: setattr(p.overall.funds, "executed", Decimal("1000.00")),
             "项目支出绩效自评表": lambda p: setattr(p.projects[0].goals, "actual", "已完成。"),
             "自评报告": lambda p: setattr(p.report.sections[2], "body", p.report.sections[2].body + "另外。")}
    parts = []
    for name, edit in edits.items():
        pkg = seed()
        edit(pkg)
        full = median_ms(lambda pkg=pkg: check_package(pkg))
        inc = median_ms(lambda pkg=pkg: check_changed(before, pkg))
        parts.append(f"{name} {inc:.1f} ms vs {full:.1f} ms")
    print("  incremental check of the seed after one cell changed, vs a full check (CPU): " + "; ".join(parts))


@section("baseline")
def bench_baseline_section() -> None:
    # The 1,000 packages as a speed-up over the code issue 15 measured, both run alternately in
    # one run (scripts/bench_baseline.py): the figure the machine's swings do not decide.
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_baseline import bench_baseline

    bench_baseline()


@section("instructions")
def bench_instructions_section() -> None:
    # The check's cost in instructions (callgrind), which the machine's swings do not move.
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_instructions import bench_instructions

    bench_instructions()


@section("render")
def bench_render() -> None:
    import tempfile

    jx = str(Path(PY).with_name("jixiao"))
    with tempfile.TemporaryDirectory() as tmp:
        full = wall([jx, "render", str(SEED), "--out", tmp], runs=3)
    print(f"jixiao render on the seed package to Word + Excel + PDF, fresh process: {full:.2f} s")

    from jixiao.io import load_package
    from jixiao.render import render_package

    pkg = load_package(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        render_package(pkg, tmp, ["pdf"])  # warm WeasyPrint's font cache
        for fmt in ("docx", "xlsx", "pdf"):
            times = []
            for _ in range(3):
                t0 = time.perf_counter()
                files = render_package(pkg, tmp, [fmt]).files
                times.append(time.perf_counter() - t0)
            print(f"  {fmt}: {1000 * statistics.median(times):.0f} ms in process ({len(files)} file(s))")


@section("web")
def bench_web_section() -> None:
    # The web app's load test lives beside this file (scripts/bench_web.py): it starts a server.
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_web import bench_web

    bench_web("serve")  # what `make run` starts
    bench_web("gunicorn")  # what `jixiao serve --production` starts


@section("bureau")
def bench_bureau_section() -> None:
    # Dashboard page at 2,000 and 20,000 units on SQLite and PostgreSQL, and the batch import
    # rate (scripts/bench_bureau.py: each database in its own process).
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_bureau import bench_bureau

    bench_bureau()


@section("import")
def bench_import_section() -> None:
    # Word import against the floor (unzip + lxml parse of word/document.xml), seed and 1,000 files
    # (scripts/bench_import.py).
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_import import bench_import

    bench_import()


@section("save")
def bench_save_section() -> None:
    # One web save's CPU in process, and the check's share of it (scripts/bench_save.py).
    sys.path.insert(0, str(ROOT / "scripts"))
    subprocess.run([PY, str(ROOT / "scripts" / "bench_save.py")], check=False, cwd=ROOT)


@section("export")
def bench_export_section() -> None:
    # The bureau's summary workbook of 20,000 units, streamed (scripts/bench_export.py).
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_export import bench_export

    bench_export()


@section("legacy")
def bench_legacy_section() -> None:
    # Old formats: a .doc (LibreOffice conversion) next to its .docx, an .xls (xlrd) next to its .xlsx,
    # imported interleaved in one process (scripts/bench_legacy.py).
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_legacy import bench_legacy

    bench_legacy()


def _postgres_url(var: str, default: str) -> str | None:
    """A PostgreSQL database of the bench's own (dropped and created afresh), or None when none answers."""
    import os

    url = os.environ.get(var, default)
    try:
        import psycopg

        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, connect_timeout=3):
            return url
    except Exception as exc:  # any reason: say it and go on with SQLite only
        print(f"  PostgreSQL not available at {admin} ({type(exc).__name__}); set {var}=postgres://…/NAME")
        return None


@section("reliability")
def bench_reliability_section() -> None:
    # 50 clients saving (think time 0.5–1.5 s) for 20 s against gunicorn, on SQLite and on PostgreSQL
    # (scripts/reliability.py, one process per run): once undisturbed, for the latency target (p95 <
    # 500 ms on SQLite, < 300 ms on PostgreSQL), then with gunicorn (master and workers) killed with
    # SIGKILL twice and started again; every acknowledged save is looked up with its audit row.
    import json

    targets = {"SQLite": 500, "PostgreSQL": 300}
    pg = _postgres_url("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/jixiao_bench")
    for db in ["sqlite", *([pg] if pg else [])]:
        for kills in (0, 2):
            done = subprocess.run([PY, str(ROOT / "scripts" / "reliability.py"), "--db", db, "--clients", "50",
                                   "--seconds", "20", "--kills", str(kills)], capture_output=True, text=True)
            try:
                r = json.loads(done.stdout.strip().splitlines()[-1])
            except (ValueError, IndexError):
                print(f"  {db}: run failed: {(done.stderr or done.stdout).strip().splitlines()[-1:]}")
                continue
            if not kills:
                target = targets[r["database"]]
                print(f"  {r['database']}: {r['clients']} clients, {r['seconds']:g} s, undisturbed: {r['acknowledged']} "
                      f"saves acknowledged, lost {r['lost']} (must be 0), without audit row {r['unaudited']}; save p50 "
                      f"{r['p50_ms']} ms, p95 {r['p95_ms']} ms  [target p95 < {target} ms: "
                      f"{'met' if r['p95_ms'] < target and not r['lost'] else 'NOT met'}]", flush=True)
                continue
            print(f"  {r['database']}: {r['clients']} clients, {r['seconds']:g} s, gunicorn killed -9 {r['kills']}×: "
                  f"{r['acknowledged']} saves acknowledged, lost {r['lost']} (must be 0), without audit row "
                  f"{r['unaudited']}, half-written packages {r['broken_packages']}; save p50 {r['p50_ms']} ms, "
                  f"p95 {r['p95_ms']} ms (all acknowledged saves, waits through the restarts included; "
                  f"answered at the first sending: p50 {r['undisturbed_p50_ms']} ms, p95 {r['undisturbed_p95_ms']} ms); "
                  f"sendings without an answer (server down), sent again: {r['lost_answers_resent']}"
                  + (f"; client errors: {r['client_errors']}" if r["client_errors"] else ""), flush=True)


@section("multinode")
def bench_multinode_section() -> None:
    # Two gunicorn nodes and two job workers on one PostgreSQL: a batch import and concurrent saves,
    # a worker and a node killed -9 (scripts/multinode.py).
    pg = _postgres_url("BENCH_PG_URL_MULTINODE", "postgres://postgres@127.0.0.1:5432/jixiao_multinode")
    if pg is None:
        return
    done = subprocess.run([PY, str(ROOT / "scripts" / "multinode.py"), "--db", pg], capture_output=True, text=True)
    print(done.stdout.rstrip() or done.stderr.strip().splitlines()[-1:], flush=True)


def main(argv: list[str]) -> int:
    names = argv or list(SECTIONS)
    for name in names:
        if name not in SECTIONS:
            print(f"unknown section {name}; known: {', '.join(SECTIONS)}")
            return 2
        print(f"== {name}")
        SECTIONS[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
