"""No value is lost on the national and the province's forms, whatever the layout: tables drawn at
random the ways units print them (year line variants, budget codes, 偏差原因 column present or not,
header wordings, headers over two rows, tables cut across pages, unknown rows and columns), written
with python-docx / openpyxl, import to the package they were drawn from, on the right form, and
every injected text is named by an import finding.
"""

from __future__ import annotations

import os
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from iofix_forms import (
    docx_bytes,
    draw_national,
    draw_province,
    expected,
    national_package,
    province_project,
    random_layout,
    xlsx_bytes,
)

from jixiao.io.docx_reader import import_docx_bytes
from jixiao.io.xlsx_io import import_xlsx_bytes
from jixiao.model import Package

LAYOUTS = int(os.environ.get("JIXIAO_LAYOUTS", "300")) // 3


def _drawn(kind: str, seed: int, inject: bool):
    rnd = random.Random(seed)
    lay = random_layout(rnd, inject)
    if kind == "province":
        year = rnd.choice([2023, 2024])
        table = province_project(rnd, year, "某某县某某站")
        pkg = Package(form="sichuan-2023-project", fiscal_year=year, unit_name="某某县某某站", projects=[table])
        blocks = draw_province(table, year, lay)
    else:
        year = rnd.choice([2021, 2022, 2023])
        pkg = national_package(rnd, year, overall=kind == "overall")
        blocks = draw_national(pkg.overall or pkg.projects[0], year, lay)
    return expected(pkg, lay, year), blocks, lay.injected


def _check(result, pkg, injected: list[str]) -> None:
    messages = [i.describe() for i in result.issues]
    assert result.package == pkg, messages
    for text in injected:
        assert any(text in m for m in messages), (text, messages)
    unexplained = [m for m in messages if not any(t in m for t in injected)]
    assert not unexplained, unexplained


KINDS = st.sampled_from(["project", "overall", "province"])


@settings(max_examples=LAYOUTS, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(KINDS, st.integers(0, 2**32), st.booleans())
def test_word_tables_of_other_forms_lose_nothing(kind, seed, inject):
    pkg, blocks, injected = _drawn(kind, seed, inject)
    _check(import_docx_bytes(docx_bytes(blocks), "t.docx"), pkg, injected)


@settings(max_examples=max(LAYOUTS // 3, 20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(KINDS, st.integers(0, 2**32), st.booleans())
def test_excel_tables_of_other_forms_lose_nothing(kind, seed, inject):
    pkg, blocks, injected = _drawn(kind, seed, inject)
    _check(import_xlsx_bytes(xlsx_bytes(blocks), "t.xlsx"), pkg, injected)
