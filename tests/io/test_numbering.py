"""Report headings numbered by Word (numbering.xml, directly or through a style) read with their numbers."""

from __future__ import annotations

import re

from iofix_docx import NUMBERING, Options, document_xml, docx_bytes, styles_with_numbered_heading
from iofix_layouts import official_table
from iofix_seed import seed_blocks

from jixiao.api import check_package
from jixiao.io.docx_reader import import_docx_bytes
from jixiao.io.docx_reader.numbering import chinese, format_number

HEAD = re.compile(r"^([一二三四五六七八九十]+|\d+)、\s*")
SUB = re.compile(r"^（[一二三四五六七八九十]+）")


def _auto_numbered_seed(seed_pkg) -> tuple[bytes, list[str]]:
    real = {s.heading for s in seed_pkg.report.sections}
    items, headings, in_report, n = [], [], False, 0
    for block in seed_blocks():
        if block[0] == "t":
            items.append(official_table(block[1], block[2]))
            continue
        text = block[1]
        if "自评报告" in text and len(text) < 80:
            in_report = True
        elif in_report and text in real:
            n += 1
            bare = HEAD.sub("", text)
            headings.append(f"{chinese(n)}、 {bare}")
            # half the headings numbered directly, half through the heading style
            text = (f"[num: 10,0]{bare}" if n % 2 else f"[style: JXHeading]{bare}")
        elif in_report and SUB.match(text):
            text = "[num: 10,1]" + SUB.sub("", text)
        items.append(text)
    parts = {"word/numbering.xml": NUMBERING, "word/styles.xml": styles_with_numbered_heading()}
    return docx_bytes(document_xml(items, Options()), parts), headings


def test_auto_numbered_headings_read_with_their_numbers(seed_pkg):
    data, headings = _auto_numbered_seed(seed_pkg)
    result = import_docx_bytes(data, "auto.docx")
    report = result.package.report
    assert [s.heading for s in report.sections] == headings
    assert [s.number for s in report.sections] == list(range(1, 11))
    # sub-headings get '（一）' back, restarting in each section, so the bodies are the seed's
    assert [s.body for s in report.sections] == [s.body for s in seed_pkg.report.sections]
    rules = {f.rule for f in check_package(result.package).findings}
    assert "complete.report_numbering" not in rules


def test_number_formats():
    assert [chinese(n) for n in (1, 10, 11, 20, 23)] == ["一", "十", "十一", "二十", "二十三"]
    assert format_number(3, "decimal") == "3" and format_number(2, "upperRoman") == "II"
    assert format_number(3, "decimalEnclosedCircle") == "③" and format_number(27, "lowerLetter") == "aa"
    assert format_number(1, "bullet") == ""
