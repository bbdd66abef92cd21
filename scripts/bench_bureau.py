"""`make bench` bureau section: the campaign dashboard page at 2,000 and 20,000 units on SQLite
and PostgreSQL, and the batch import rate.

Each database runs in a child process (the settings read DATABASE_URL when Django starts).
The campaign is made with bulk_create: units, packages in every bureau-visible state, one
revision each holding a real generated document (~13 KB of JSON, so tables have their real
size), and its dashboard figures. The page is requested through Django's test
client (the whole middleware stack, template rendering included); the figure is the median
of 5 requests after one warm-up.

Run alone: python scripts/bench_bureau.py [sqlite|postgres] [units ...]
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (2000, 20000)
PG_URL = os.environ.get("JIXIAO_BENCH_PG", "postgres://postgres@127.0.0.1:5432/jixiao_bench")
TARGET_MS = 500


def _pg_ready() -> str | None:
    """None when the bench database can be used (created when missing), else why not."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    name = PG_URL.rsplit("/", 1)[1]
    try:
        with psycopg.connect(admin, connect_timeout=3, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).strip()[:120]}"
    return None


def bench_bureau() -> None:
    for db in ("sqlite", "postgres"):
        env = dict(os.environ)
        with tempfile.TemporaryDirectory(prefix="jixiao-bench-bureau-") as tmp:
            env["JIXIAO_DATA_DIR"] = tmp
            if db == "postgres":
                problem = _pg_ready()
                if problem:
                    print(f"  PostgreSQL: skipped ({problem})")
                    continue
                env["DATABASE_URL"] = PG_URL
            else:
                env.pop("DATABASE_URL", None)
            subprocess.run([sys.executable, __file__, db, *map(str, SIZES)], env=env, check=False, cwd=ROOT)
    env = dict(os.environ, JIXIAO_DATA_DIR=tempfile.mkdtemp(prefix="jixiao-bench-import-"))
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, __file__, "import"], env=env, check=False, cwd=ROOT)


# ------------------------------------------------------------------ child process


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    os.environ.setdefault("JIXIAO_ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT / "tests"))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import hashers
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hashers.get_hashers.cache_clear()
    call_command("migrate", interactive=False, verbosity=0)


def _documents(n: int) -> list[tuple[dict, object]]:
    """A pool of generated documents with their check results (reused round robin)."""
    from jixiao.web.packages.checking import canonical, evaluate
    from support.generate import generated_packages

    out = []
    for pkg in generated_packages(n, seed=11, mistake_rate=0.4):
        ev = evaluate(canonical(pkg), "hunan-2023")
        out.append((canonical(ev.package), ev.result))
    return out


def build_campaign(units: int, year: int = 2023, tag: str = ""):
    """A bureau with ``units`` units and a campaign where every unit has a package (bulk_create)."""
    from jixiao.web.accounts.models import Bureau, Role, Unit, User
    from jixiao.web.bureau.figures import figures_row
    from jixiao.web.bureau.models import RevisionFigures
    from jixiao.web.packages.checking import summary_columns
    from jixiao.web.packages.models import Campaign, Package, Revision, State

    rng = random.Random(units)
    bureau = Bureau.objects.create(name=f"基准测试财政局{units}-{year}{tag}")
    reviewer = User(username=f"bench-reviewer-{units}-{year}{tag}", role=Role.REVIEWER, bureau=bureau)
    reviewer.set_password("Bench-Pass-2023x")
    reviewer.save()
    campaign = Campaign.objects.create(bureau=bureau, year=year, title=f"{year}年度基准测试（{units}个单位）")
    made = Unit.objects.bulk_create([Unit(bureau=bureau, name=f"基准单位{i:05d}") for i in range(units)], batch_size=2000)
    through = Campaign.units.through
    through.objects.bulk_create([through(campaign_id=campaign.pk, unit_id=u.pk) for u in made], batch_size=5000)
    states = [State.SUBMITTED] * 60 + [State.ACCEPTED] * 25 + [State.RETURNED] * 10 + [State.DRAFT] * 5
    pkgs = Package.objects.bulk_create(
        [Package(campaign=campaign, unit=u, state=rng.choice(states), head_number=1, submitted_number=1) for u in made],
        batch_size=2000,
    )
    pool = _documents(60)
    revs, extra = [], []
    for i, p in enumerate(pkgs):
        doc, result = pool[i % len(pool)]
        summary = summary_columns(result, {})
        summary["unit_name"] = p.unit.name
        revs.append(Revision(package=p, number=1, document=doc, author=reviewer, source="import", **summary))
        extra.append(result)
    revs = Revision.objects.bulk_create(revs, batch_size=1000)
    for p, r in zip(pkgs, revs, strict=True):
        p.head = r
    Package.objects.bulk_update(pkgs, ["head"], batch_size=2000)
    RevisionFigures.objects.bulk_create(
        [figures_row(r, res) for r, res in zip(revs, extra, strict=True)], batch_size=2000
    )
    return campaign, reviewer


def _median_ms(fn, runs: int = 5) -> tuple[float, float]:
    fn()  # warm-up: template loading, first queries
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times), 1000 * max(times)


def _measure(campaign, reviewer) -> tuple[float, float, int, float, float]:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(reviewer)

    def get(name: str):
        resp = client.get(reverse(name, args=[campaign.pk]))
        assert resp.status_code == 200, (name, resp.status_code)
        if resp.streaming:  # the summary workbook: timed until its last byte
            resp.content = b"".join(resp.streaming_content)
        return resp

    size = len(get("bureau:dashboard").content)
    med, worst = _median_ms(lambda: get("bureau:dashboard"))
    prog, _ = _median_ms(lambda: get("bureau:progress"))
    summary, _ = _median_ms(lambda: get("bureau:summary"), runs=1)
    return med, worst, size, prog, summary


def child_dashboards(db: str, sizes: list[int]) -> None:
    _django()
    from django.db import connection

    label = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[db]
    for n in sizes:
        t0 = time.perf_counter()
        campaign, reviewer = build_campaign(n)
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        built = time.perf_counter() - t0
        med, worst, size, prog, summary = _measure(campaign, reviewer)
        mark = "" if db != "postgres" or n < 20000 else f"  [target < {TARGET_MS} ms: {'met' if med < TARGET_MS else 'NOT met'}]"
        print(f"  {label} {n:>6,} units: dashboard page {med:.0f} ms median (max {worst:.0f} ms, {size // 1024} KB)"
              f"{mark}; progress page {prog:.0f} ms; summary workbook {summary:.0f} ms  (setup {built:.0f} s)",
              flush=True)


def child_import(files: int = 200) -> None:
    """Batch import rate: a zip of generated packages (JSON; and Word when the reader is there)."""
    _django()
    import io
    import zipfile

    from jixiao.io import READERS
    from jixiao.model import Package
    from jixiao.web.accounts.models import Unit
    from jixiao.web.bureau.jobs import run_job, start_import
    from jixiao.web.bureau.models import ImportJob
    from support.generate import generated_packages

    kinds = ["json"] + (["docx"] if ".docx" in READERS else [])
    for kind in kinds:
        n = files if kind == "json" else files // 4
        campaign, reviewer = build_campaign(0, tag=kind)
        pkgs = generated_packages(n, seed=5)
        units = Unit.objects.bulk_create([Unit(bureau_id=campaign.bureau_id, name=f"导入单位{i:04d}") for i in range(n)])
        campaign.units.add(*units)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf, tempfile.TemporaryDirectory() as tmp:
            for i, p in enumerate(pkgs):
                # The unit's name wherever the package writes it (tables, titles).
                text = p.model_dump_json().replace(p.unit_name, units[i].name)
                p = Package.model_validate_json(text)
                if kind == "json":
                    zf.writestr(f"{units[i].name}.json", p.model_dump_json())
                else:
                    from jixiao.render import render_package

                    out = render_package(p, Path(tmp) / str(i), formats=("docx",)).files
                    zf.write(next(f for f in out if "全套" in f.name), f"{units[i].name}.docx")
        job = start_import(campaign=campaign, actor=reviewer, upload=[buf.getvalue()], source_name="bench.zip",
                           enqueue_it=False)
        t0 = time.perf_counter()
        run_job(job.pk)
        dt = time.perf_counter() - t0
        job = ImportJob.objects.get(pk=job.pk)
        print(f"  batch import ({kind}, SQLite, in process): {job.imported}/{job.total} files in {dt:.1f} s = "
              f"{job.imported / dt:.0f} files/s (read, check, draft revision, figures, report line each)", flush=True)


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what in ("sqlite", "postgres"):
        child_dashboards(what, [int(x) for x in sys.argv[2:]] or list(SIZES))
    elif what == "import":
        child_import()
    else:
        bench_bureau()
