"""`make bench BENCH=instructions`: the check's cost in machine instructions, which a shared
machine's swings do not move.

Wall and CPU times on these shared 2-core machines swing by half within an hour (docs/operations.md,
"Speed"), so two runs an hour apart cannot say whether a change made checking faster. Valgrind's
callgrind counts the instructions executed instead: the same code on the same input gives the same
count, whatever else the machine is doing (hash randomisation is fixed with PYTHONHASHSEED=0).

Measured: generated packages (seed 7, reports drafted), each read from its JSON and checked in one
process after a warm-up, against the floor of reading the same JSON with the standard library. Only
the loop is counted (callgrind collects inside ``functools.reduce``, which runs nothing else).
Instructions are not seconds (a cache miss costs many), so the floor ratio is the figure to compare.

Run alone: python scripts/bench_instructions.py [PACKAGES]
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = 50

# The child: one loop under functools.reduce, the only place callgrind collects.
CHILD = """
import functools, json, sys
mode, path = sys.argv[1], sys.argv[2]
blobs = [line for line in open(path, encoding="utf-8").read().splitlines() if line]
if mode == "check":
    from jixiao.api import check_package
    from jixiao.model import Package
    from jixiao.warmup import warm_up
    warm_up()
    for blob in blobs[:5]:  # lazy imports and first-call caches, as any process has them after a while
        check_package(Package.model_validate_json(blob))
    step = lambda n, blob: n + len(check_package(Package.model_validate_json(blob)).findings)
else:
    step = lambda n, blob: n + len(json.loads(blob))
print(functools.reduce(step, blobs, 0))
"""


def _count(mode: str, path: Path) -> int | None:
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=functools_reduce",
         "--callgrind-out-file=/dev/null", sys.executable, "-c", CHILD, mode, str(path)],
        capture_output=True, text=True, env=dict(os.environ, PYTHONHASHSEED="0"), check=False)
    m = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode != 0 or m is None or int(m.group(1)) == 0:
        return None
    return int(m.group(1))


def bench_instructions(packages: int = PACKAGES) -> dict[str, float] | None:
    if shutil.which("valgrind") is None:
        print("  (valgrind is not installed: instruction counts skipped; Debian package valgrind)")
        return None
    sys.path.insert(0, str(ROOT / "tests"))
    from support.generate import generated_packages

    with tempfile.TemporaryDirectory(prefix="jixiao-bench-ir-") as tmp:
        path = Path(tmp) / "packages.jsonl"
        path.write_text("\n".join(p.model_dump_json() for p in generated_packages(packages, seed=7, draft_reports=True)),
                        encoding="utf-8")
        check, floor = _count("check", path), _count("floor", path)
    if check is None or floor is None:
        print("  (callgrind could not count inside functools.reduce here: instruction counts skipped)")
        return None
    result = {"check_per_package": check / packages, "floor_per_package": floor / packages, "ratio": check / floor}
    print(f"  instructions per package, parse + check + score: {check / packages / 1e6:.2f} M; reading the same JSON "
          f"with json.loads: {floor / packages / 1e6:.3f} M; ratio {check / floor:.0f}x  ({packages} generated packages, "
          f"callgrind, PYTHONHASHSEED=0: the same count on every run of the same code)")
    return result


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else PACKAGES
    print(json.dumps(bench_instructions(n)))
