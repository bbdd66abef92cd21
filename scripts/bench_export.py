"""`make bench` export section: the bureau's summary workbook of a 20,000-unit campaign, streamed.

A campaign of 20,000 units is made with their figure rows (scripts/bench_bureau.py's
build_campaign, SQLite, in a child process); the summary is then requested through Django's
test client (whole middleware stack) and read to its last byte. Reported: time to the first
byte, to the last, and the size; the median of 3 requests after a warm-up.

Run alone: python scripts/bench_export.py [units]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNITS = 20000
TARGET_S = 3.0


def bench_export(units: int = UNITS) -> None:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-export-") as tmp:
        env["JIXIAO_DATA_DIR"] = tmp
        subprocess.run([sys.executable, __file__, "child", str(units)], env=env, check=False, cwd=ROOT)


def child(units: int) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_bureau import _django, build_campaign

    _django()
    from django.test import Client
    from django.urls import reverse

    t0 = time.perf_counter()
    campaign, reviewer = build_campaign(units)
    built = time.perf_counter() - t0
    client = Client()
    client.force_login(reviewer)
    url = reverse("bureau:summary", args=[campaign.pk])

    def fetch() -> tuple[float, float, int]:
        t0 = time.perf_counter()
        resp = client.get(url)
        assert resp.status_code == 200 and resp.streaming, resp.status_code
        first, size = None, 0
        for chunk in resp.streaming_content:
            if first is None and chunk:
                first = time.perf_counter() - t0
            size += len(chunk)
        return first or 0.0, time.perf_counter() - t0, size

    fetch()
    runs = [fetch() for _ in range(3)]
    first = statistics.median(r[0] for r in runs)
    total = statistics.median(r[1] for r in runs)
    size = runs[0][2]
    print(f"bureau summary workbook, {units:,} units on SQLite, streamed: first byte after {1000 * first:.0f} ms, "
          f"last after {total:.2f} s ({size // 1024} KB)  [target < {TARGET_S:.0f} s: "
          f"{'met' if total < TARGET_S else 'NOT met'}]  (setup {built:.0f} s)", flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        child(int(sys.argv[2]) if len(sys.argv) > 2 else UNITS)
    else:
        bench_export(int(sys.argv[1]) if len(sys.argv) > 1 else UNITS)
