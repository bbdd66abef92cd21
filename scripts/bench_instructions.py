"""`make bench BENCH=instructions`: the check's cost in machine instructions, which a shared
machine's swings do not move.

Wall and CPU times on these shared 2-core machines swing by half within an hour (docs/operations.md,
"Speed"), so two runs an hour apart cannot say whether a change made checking faster. Valgrind's
callgrind counts the instructions executed instead: the same code on the same input gives the same
count, whatever else the machine is doing (hash randomisation is fixed with PYTHONHASHSEED=0).

Measured: generated packages (seed 7, reports drafted), each read from its JSON and checked in one
process after a warm-up, against the floor of reading the same JSON with the standard library. Only
the loop is counted: it runs inside ``jixiao_counted``, the one function of a tiny C extension
compiled here (MARKER), and callgrind collects inside that function alone. (The interpreter's own
functions cannot serve: Debian's python3.11, which the venv is made from, is stripped of its symbols;
a plain C function called through ctypes is not seen as entered.)
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

# A C extension whose one function calls back into Python: what runs inside is what callgrind counts.
MARKER = """#define PY_SSIZE_T_CLEAN
#include <Python.h>
static PyObject *jixiao_counted(PyObject *self, PyObject *body) { return PyObject_CallNoArgs(body); }
static PyMethodDef methods[] = {{"counted", jixiao_counted, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "jixiao_marker", NULL, -1, methods};
PyMODINIT_FUNC PyInit_jixiao_marker(void) { return PyModule_Create(&module); }
"""

# The child: one loop run from jixiao_counted, the only place callgrind collects.
CHILD = """
import functools, json, sys
mode, path = sys.argv[1], sys.argv[2]
sys.path.insert(0, sys.argv[3])
import jixiao_marker
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
print(jixiao_marker.counted(lambda: functools.reduce(step, blobs, 0)))
"""


def _marker(tmp: Path) -> Path | None:
    """The folder of the compiled marker extension; None without a C compiler or Python's headers."""
    import sysconfig

    cc = shutil.which("cc") or shutil.which("gcc")
    include = sysconfig.get_paths()["include"]
    if cc is None or not Path(include, "Python.h").exists():
        return None
    (tmp / "marker.c").write_text(MARKER, encoding="utf-8")
    out = tmp / f"jixiao_marker{sysconfig.get_config_var('EXT_SUFFIX')}"
    done = subprocess.run([cc, "-O0", "-shared", "-fPIC", f"-I{include}", "-o", str(out), str(tmp / "marker.c")],
                          capture_output=True, check=False)
    return tmp if done.returncode == 0 else None


def _count(mode: str, path: Path, marker: Path) -> int | None:
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=jixiao_counted",
         "--callgrind-out-file=/dev/null", sys.executable, "-c", CHILD, mode, str(path), str(marker)],
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
        marker = _marker(Path(tmp))
        if marker is None:
            print("  (no C compiler or Python headers to build the counting marker: instruction counts skipped; "
                  "Debian packages gcc and python3.11-dev)")
            return None
        check, floor = _count("check", path, marker), _count("floor", path, marker)
    if check is None or floor is None:
        print("  (callgrind could not count inside the marker here: instruction counts skipped)")
        return None
    result = {"check_per_package": check / packages, "floor_per_package": floor / packages, "ratio": check / floor}
    print(f"  instructions per package, parse + check + score: {check / packages / 1e6:.2f} M; reading the same JSON "
          f"with json.loads: {floor / packages / 1e6:.3f} M; ratio {check / floor:.0f}x  ({packages} generated packages, "
          f"callgrind, PYTHONHASHSEED=0: the same count on every run of the same code)")
    return result


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else PACKAGES
    print(json.dumps(bench_instructions(n)))
