"""Old formats (`make bench`, section "legacy"): what reading a .doc/.xls costs next to its .docx/.xlsx.

The seed package is rendered as one Word file and one workbook, LibreOffice turns them into
.doc/.xls once (not timed), then each pair is imported interleaved in this one process and
the medians are compared: a .doc pays a LibreOffice start and conversion in a fenced
subprocess (jixiao.io.legacy.convert) on top of the .docx import; an .xls is read natively
by xlrd through the .xlsx sheet walker.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "2023-yueyanglou-chengguan-ducha.json"


def _paired(a, b, runs: int) -> tuple[float, float]:
    ta, tb = [], []
    a(), b()
    for _ in range(runs):
        t0 = time.perf_counter()
        a()
        t1 = time.perf_counter()
        b()
        ta.append(t1 - t0)
        tb.append(time.perf_counter() - t1)
    return statistics.median(ta), statistics.median(tb)


def bench_legacy(doc_runs: int = 5, xls_runs: int = 30) -> dict[str, float]:
    from jixiao.io import import_package
    from jixiao.io.legacy.convert import convert_many, converter_command
    from jixiao.model import Package
    from jixiao.render import render_package

    try:
        converter_command()
    except Exception as exc:  # no LibreOffice here: say so, do not fail the other sections
        print(f"old formats: skipped ({exc})")
        return {}
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pkg = Package.model_validate_json(SEED.read_text(encoding="utf-8"))
        files = render_package(pkg, work / "r", ["docx", "xlsx"]).files
        docx = next(f for f in files if "全套" in f.name)
        xlsx = next(f for f in files if f.suffix == ".xlsx")
        doc, xls = work / "seed.doc", work / "seed.xls"
        doc.write_bytes(convert_many([(docx.read_bytes(), ".docx")], "doc")[0].data)
        xls.write_bytes(convert_many([(xlsx.read_bytes(), ".xlsx")], "xls")[0].data)
        assert import_package(doc).package == import_package(docx).package, "the .doc must import as its .docx"
        assert import_package(xls).package == import_package(xlsx).package, "the .xls must import as its .xlsx"
        t_docx, t_doc = _paired(lambda: import_package(docx), lambda: import_package(doc), doc_runs)
        note = next(i.message for i in import_package(doc).issues if i.where == "文件格式")
        out["doc_ratio"] = t_doc / t_docx
        print(f"seed as .doc ({doc.stat().st_size // 1024} KB) vs .docx ({docx.stat().st_size // 1024} KB): "
              f"import {t_doc * 1000:.0f} ms vs {t_docx * 1000:.1f} ms, ratio {t_doc / t_docx:.0f}x "
              f"(LibreOffice start + conversion; {note.split('（')[-1].split('）')[0]})")
        t_xlsx, t_xls = _paired(lambda: import_package(xlsx), lambda: import_package(xls), xls_runs)
        out["xls_ratio"] = t_xls / t_xlsx
        print(f"seed as .xls ({xls.stat().st_size // 1024} KB) vs .xlsx ({xlsx.stat().st_size // 1024} KB): "
              f"import {t_xls * 1000:.1f} ms vs {t_xlsx * 1000:.1f} ms, ratio {t_xls / t_xlsx:.2f}x (xlrd, no conversion)")
    return out


if __name__ == "__main__":
    sys.exit(0 if bench_legacy() is not None else 1)
