"""Excel workbooks laid out by other hands: plain grids that follow the form's labels read like the template."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
from iofix_seed import seed_blocks

from jixiao.io.xlsx_io import import_xlsx_bytes

_NUM = re.compile(r"^-?\d+(\.\d+)?$")


def _put(ws, row: int, col: int, text: str) -> None:
    """Numbers as numbers (amounts keep a 0.00 format, rates a % format), the rest as text."""
    cell = ws.cell(row=row, column=col)
    text = re.sub(r"\[bookmark: [^\]]+\]", "", text).strip()  # a Word marker of the fixtures
    if _NUM.match(text):
        cell.value = int(text) if "." not in text else float(text)
        if "." in text:
            cell.number_format = "0." + "0" * len(text.split(".")[1])
    elif re.match(r"^\d+(\.\d+)?%$", text):
        cell.value = float(Decimal(text[:-1]) / 100)
        places = len(text[:-1].split(".")[1]) if "." in text else 0
        cell.number_format = "0." + "0" * places + "%" if places else "0%"
    else:
        cell.value = text


def plain_workbook(blocks) -> bytes:
    """One sheet per table, cells side by side without merges, titles and notes as rows; the report as lines."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    names = {"basic": "基础数据表", "overall": "整体表", "project": "项目表"}
    ws, row, title = None, 0, []
    for block in blocks:
        if block[0] == "t":
            ws = wb.create_sheet(names[block[1]] + ("" if block[1] != "project" else str(len(wb.sheetnames))))
            row = 0
            for line in title:
                row += 1
                ws.cell(row=row, column=1, value=line)
            title = []
            for cells in block[2]:
                row += 1
                for col, text in enumerate(cells, 1):
                    if text:
                        _put(ws, row, col, text)
        elif "自评报告" in block[1] and len(block[1]) < 80:
            ws, row = wb.create_sheet("自评报告"), 1
            ws.cell(row=1, column=1, value=block[1])
        elif block[1].strip().startswith("附件") or not block[1].strip():
            continue
        elif ws is None or ("年度" in block[1] and block[1].strip().endswith("表")):
            title.append(block[1])
        else:
            row += 1
            ws.cell(row=row, column=1, value=block[1])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_plain_workbook_of_the_seed_reads_to_the_example(seed_pkg):
    result = import_xlsx_bytes(plain_workbook(seed_blocks()), "plain.xlsx")
    assert result.package == seed_pkg, [i.describe() for i in result.issues]
    assert result.issues == []


def test_formulas_without_results_are_import_findings(seed_pkg):
    wb = openpyxl.load_workbook(io.BytesIO(plain_workbook(seed_blocks())))
    ws = wb["基础数据表"]
    target = next(c for row in ws.iter_rows() for c in row if c.value == "三公经费")
    ws.cell(row=target.row, column=4, value="=D8+D9")  # written by a program: no cached value
    buf = io.BytesIO()
    wb.save(buf)
    result = import_xlsx_bytes(buf.getvalue(), "f.xlsx")
    assert result.package.basic.sangong.final is None
    assert any("未计算的公式" in i.message and "基础数据表" in i.where for i in result.issues)
