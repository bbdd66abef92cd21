"""`make bench` save section: the CPU one web save costs in process (Django's test client, SQLite),
and where it goes.

A clerk's package holds the seed document; the 基础数据表 page is posted back with one cell
changed (what the browser sends: every field of the sheet), each save based on the last. The
figure is the median CPU time (time.process_time) of the POST, redirect not followed, after
warm-up; beside it the same for the check alone (full, and incremental from the base revision).

Run alone: python scripts/bench_save.py
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 10
SAVES = 100  # enough that the collector's rare full passes show in the mean


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    os.environ.setdefault("JIXIAO_ALLOWED_HOSTS", "testserver")
    os.environ.pop("DATABASE_URL", None)
    os.environ["JIXIAO_DATA_DIR"] = tempfile.mkdtemp(prefix="jixiao-bench-save-")
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "scripts")]
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import hashers
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hashers.get_hashers.cache_clear()
    call_command("migrate", interactive=False, verbosity=0)
    from jixiao.warmup import warm_up

    warm_up()  # as the server's processes do at start (jixiao.web.wsgi)


def _world():
    import json

    from jixiao.web.accounts.models import Bureau, Role, Unit, User
    from jixiao.web.packages import actions
    from jixiao.web.packages.checking import canonical, evaluate
    from jixiao.web.packages.models import Campaign
    from support.examples import SEED_PATH

    doc = canonical(evaluate(json.loads(SEED_PATH.read_text(encoding="utf-8")), "hunan-2023").package)
    bureau = Bureau.objects.create(name="基准财政局")
    campaign = Campaign.objects.create(bureau=bureau, year=2023, title="保存基准")
    unit = Unit.objects.create(bureau=bureau, name="基准单位")
    campaign.units.add(unit)
    clerk = User.objects.create(username="bench-clerk", role=Role.CLERK, unit=unit)
    pkg = actions.do_create_package(campaign=campaign, unit=unit, actor=clerk)
    actions.do_save(package_id=pkg.pk, actor=clerk, document=doc, base_number=1, source="demo")
    return clerk, pkg


def _median_cpu(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return 1000 * statistics.median(times)


def bench_save() -> dict[str, float]:
    _django()
    from bench_web import form_fields
    from django.test import Client
    from django.urls import reverse

    clerk, pkg = _world()
    client = Client()
    client.force_login(clerk)
    url = reverse("packages:sheet", args=[pkg.pk, "basic"])
    html = client.get(url).content.decode()
    fields = {k: v for k, v in form_fields(html) if k not in ("save_key", "op")}
    state = {"base": int(re.search(r'name="base_revision" value="(\d+)"', html).group(1)), "n": 0}
    amount = next(k for k in fields if k.endswith(".final") and fields[k])

    def body() -> str:
        # What a browser sends: the sheet's fields url-encoded (the test client would use multipart).
        state["n"] += 1
        data = dict(fields, base_revision=str(state["base"]))
        data[amount] = f"{state['n'] % 90 + 10}.00"
        return urlencode(data)

    def save(encoded: str | None = None):
        resp = client.post(url, encoded or body(), content_type="application/x-www-form-urlencoded")
        assert resp.status_code == 302, resp.status_code
        state["base"] += 1

    for _ in range(5):
        save()
    times = []
    for _ in range(SAVES):
        encoded = body()
        t0 = time.process_time()
        save(encoded)
        times.append(time.process_time() - t0)
    save_ms = 1000 * statistics.median(times)
    mean_ms = 1000 * statistics.fmean(times)
    if os.environ.get("JIXIAO_BENCH_PROFILE"):
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        profiler.start()
        for _ in range(SAVES):
            save()
        profiler.stop()
        print(profiler.output_text(color=False, show_all=False))

    from jixiao.api import check_package
    from jixiao.web.packages.models import Package

    head = Package.objects.get(pk=pkg.pk).head
    from jixiao.model import Package as Doc

    package = Doc.model_validate(head.document)
    check_ms = _median_cpu(lambda: check_package(package), SAVES)
    print(f"web save (POST of the 基础数据表, one cell changed), in process on SQLite: {save_ms:.1f} ms CPU median, "
          f"{mean_ms:.1f} ms mean  [target < {TARGET_MS} ms: {'met' if save_ms < TARGET_MS else 'NOT met'}]; full check of the document alone "
          f"{check_ms:.1f} ms", flush=True)
    return {"save_ms": save_ms, "mean_ms": mean_ms, "check_ms": check_ms}


if __name__ == "__main__":
    bench_save()
