"""Import speed (`make bench`, section "import"): Word packages against the XML floor.

The floor is what no Word reader can avoid: open the zip, read word/document.xml, parse it
with lxml. The import is everything `jixiao import` does from the file: the safety checks,
the walk, finding parts and rows, building and validating the package. Both are timed in
this one process, interleaved, so machine load hits both alike; medians are reported.

The Word files are built by the test fixtures (tests/io): the seed text in the official
layout written the way Word writes XML (rsids, paragraph ids, run properties, runs cut at
script changes), and 1,000 generated packages (tests/support/generate.py) likewise.
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 3.0
TARGET_CHECK_RATIO = 4.0  # import + check of the seed Word file against the same floor (issue 15)
TARGET_RECOGNISE_SHARE = 0.05  # telling the file's form, as a share of its import


def _floor(path: Path) -> None:
    _floor_bytes(path.read_bytes())


def _floor_bytes(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        etree.fromstring(zf.read("word/document.xml"))


def _paired(a, b, runs: int, clock=time.perf_counter) -> tuple[float, float]:
    ta, tb = [], []
    for _ in range(3):
        a(), b()
    for _ in range(runs):
        t0 = clock()
        a()
        t1 = clock()
        b()
        t2 = clock()
        ta.append(t1 - t0)
        tb.append(t2 - t1)
    return statistics.median(ta), statistics.median(tb)


def bench_import(files: int = 1000) -> dict[str, float]:
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "io")]
    from iofix_layouts import build, example_docx
    from iofix_seed import seed_blocks, seed_package

    from jixiao.io import import_package
    from jixiao.io.docx_reader import import_docx_bytes
    from support.generate import generated_packages

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        seed = Path(tmp) / "seed.docx"
        seed.write_bytes(build(seed_blocks(), "official"))
        assert import_package(seed).package == seed_package(), "the seed must import exactly"
        size = len(zipfile.ZipFile(seed).read("word/document.xml"))
        floor, imp = _paired(lambda: _floor(seed), lambda: import_package(seed), 200)
        cpu_floor, cpu_imp = _paired(lambda: _floor(seed), lambda: import_package(seed), 200, time.process_time)
        out["seed_ratio"] = imp / floor
        out["seed_cpu_ratio"] = cpu_imp / cpu_floor
        print(f"seed package as Word ({seed.stat().st_size // 1024} KB file, document.xml {size // 1024} KB): "
              f"floor {floor * 1000:.2f} ms, import {imp * 1000:.2f} ms, ratio {imp / floor:.2f} wall / "
              f"{cpu_imp / cpu_floor:.2f} CPU  [target <= {TARGET_RATIO:.0f}x]")
        # Telling which form the file is on (jixiao.io.docx_reader.recognise) against the whole import.
        from jixiao.io.docx_reader import docx_document
        from jixiao.io.docx_reader.recognise import recognise

        doc = docx_document(seed.read_bytes(), seed.name)
        rec, imp_again = _paired(lambda: recognise(doc), lambda: import_package(seed), 100)
        out["recognise_share"] = rec / imp_again
        print(f"form recognition on the seed: {rec * 1000:.2f} ms, {rec / imp_again * 100:.1f}% of its import "
              f"[target <= {TARGET_RECOGNISE_SHARE * 100:.0f}%]")
        # What `jixiao check 材料.docx` does after start-up: import, then every table and report rule.
        from jixiao.api import check_package

        def import_and_check():
            check_package(import_package(seed).package)

        floor_c, imp_c = _paired(lambda: _floor(seed), import_and_check, 100)
        out["seed_check_ratio"] = imp_c / floor_c
        print(f"  import + check of it: {imp_c * 1000:.2f} ms against the floor {floor_c * 1000:.2f} ms, ratio "
              f"{imp_c / floor_c:.2f}  [target <= {TARGET_CHECK_RATIO:.0f}x]")
        # The same with the file already in memory for both (no file read on either side).
        data = seed.read_bytes()
        mem_floor, mem_imp = _paired(lambda: _floor_bytes(data), lambda: import_docx_bytes(data, "seed.docx"), 200)
        out["seed_ratio_in_memory"] = mem_imp / mem_floor
        print(f"  the same from bytes in memory: floor {mem_floor * 1000:.2f} ms, import {mem_imp * 1000:.2f} ms, "
              f"ratio {mem_imp / mem_floor:.2f}")

        folder = Path(tmp) / "many"
        folder.mkdir()
        t0 = time.perf_counter()
        paths = []
        for n, pkg in enumerate(generated_packages(files, seed=11)):
            path = folder / f"{n:04d}.docx"
            path.write_bytes(example_docx(pkg))
            paths.append(path)
        built = time.perf_counter() - t0
        t0 = time.perf_counter()
        for path in paths:
            _floor(path)
        t_floor = time.perf_counter() - t0
        t0 = time.perf_counter()
        issues = sum(len(import_package(path).issues) for path in paths)
        t_import = time.perf_counter() - t0
        out["per_second"] = files / t_import
        out["many_ratio"] = t_import / t_floor
        print(f"{files:,} generated Word packages (built in {built:.1f} s): import {t_import:.2f} s = "
              f"{files / t_import:.0f} packages/s (floor {t_floor:.2f} s, ratio {t_import / t_floor:.2f}; "
              f"{issues} import findings)")
    return out


if __name__ == "__main__":
    bench_import(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
