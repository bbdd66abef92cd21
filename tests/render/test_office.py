"""A real office suite opens every file: LibreOffice converts our .docx and .xlsx to PDF.

One LibreOffice run for the whole session (the ``office_pdfs`` fixture); the tests then read
what it produced.
"""

from __future__ import annotations

import subprocess

import pytest

pytestmark = pytest.mark.office


def _pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=30).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _text(pdf) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=30).stdout


@pytest.mark.parametrize("key", [("seed", ".docx"), ("seed", ".xlsx"), ("clean", ".docx"), ("clean", ".xlsx")],
                         ids=["seed-docx", "seed-xlsx", "clean-docx", "clean-xlsx"])
def test_libreoffice_converts_the_file(office_pdfs, key):
    pdfs, proc = office_pdfs
    pdf = pdfs[key]
    assert pdf.exists() and pdf.stat().st_size > 10_000, f"LibreOffice failed on {key}: {proc.stdout} {proc.stderr}"
    assert _pages(pdf) >= 2


def test_libreoffice_reads_the_word_content(office_pdfs):
    pdfs, _ = office_pdfs
    text = _text(pdfs[("seed", ".docx")])
    for expected in ("基础数据表", "1146.79", "93.33%", "总分", "其他需要说明的情况"):
        assert expected in text, expected
    clean = _text(pdfs[("clean", ".docx")])
    assert "重大传染病防控补助" in clean


def test_libreoffice_reads_the_workbook_content(office_pdfs):
    pdfs, _ = office_pdfs
    text = _text(pdfs[("seed", ".xlsx")])
    # Numbers come out with the 0.00 format applied by the office suite itself.
    for expected in ("1146.79", "6.00", "93.33%", "年度资金总额"):
        assert expected in text, expected
