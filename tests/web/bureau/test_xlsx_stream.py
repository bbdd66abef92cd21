"""The streamed .xlsx writer of the bureau's exports: what openpyxl (and so Excel) reads back."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from jixiao.web.bureau import xlsx_stream
from jixiao.web.bureau.xlsx_stream import stream_workbook, workbook_bytes


def _book(sheets):
    return load_workbook(io.BytesIO(workbook_bytes(sheets)))


def test_values_come_back_with_their_types_and_formats():
    rows = [
        [1, "单位甲", Decimal("1234.50"), Decimal("93.3"), None, datetime(2024, 5, 26, 9, 30), date(2024, 6, 1), 2.5, True],
        ["=HYPERLINK(\"http://x\",\"点我\")", " 前后有空格 ", "控制\x01字符", "<&>\"'", Decimal("-0.01"), 0, "", None, None],
    ]
    ws = _book([("汇总", ["序号", "名称", "金额", "比率", "空", "时间", "日期", "浮点", "真"], rows)]).worksheets[0]
    assert ws.title == "汇总"
    assert [c.value for c in ws[1]] == ["序号", "名称", "金额", "比率", "空", "时间", "日期", "浮点", "真"]
    assert all(c.font.b for c in ws[1])
    a = ws[2]
    assert a[0].value == 1 and a[1].value == "单位甲"
    assert a[2].value == 1234.5 and a[2].number_format == "#,##0.00"
    assert a[3].value == 93.3 and a[3].number_format == "General"
    assert a[4].value is None
    assert a[5].value == datetime(2024, 5, 26, 9, 30) and a[5].number_format == "yyyy-mm-dd hh:mm"
    assert a[6].value == datetime(2024, 6, 1) and a[6].number_format == "yyyy-mm-dd"
    assert a[7].value == 2.5 and a[8].value is True
    b = ws[3]
    assert b[0].value == "=HYPERLINK(\"http://x\",\"点我\")" and b[0].data_type == "s" and b[0].quotePrefix
    assert b[1].value == " 前后有空格 " and b[2].value == "控制字符" and b[3].value == "<&>\"'"
    assert b[4].value == -0.01 and b[4].number_format == "#,##0.00" and b[5].value == 0
    assert not b[1].quotePrefix


def test_several_sheets_and_long_titles():
    wb = _book([("甲" * 40, ["a"], [[1]]), ("b/c", ["x", "y"], [])])
    assert [ws.title for ws in wb.worksheets] == ["甲" * 31, "bc"]
    assert wb.worksheets[1].max_row == 1


def test_rows_are_handed_on_while_they_are_written(monkeypatch):
    monkeypatch.setattr(xlsx_stream, "CHUNK_ROWS", 100)
    consumed = []

    def rows():
        for i in range(1000):
            consumed.append(i)
            yield [i, f"单位{i}"]

    read_when = []
    for chunk in stream_workbook([("s", ["n", "name"], rows())]):
        if chunk:
            read_when.append(len(consumed))
    assert read_when[0] == 0, "the workbook's start leaves before any row is read"
    assert any(0 < n < 1000 for n in read_when), "rows leave while later ones are still unread"
    assert read_when[-1] == 1000


def test_a_streamed_file_equals_the_joined_one():
    import zipfile

    sheets = [("s", ["n", "空"], [[i, None] for i in range(2000)])]
    streamed = zipfile.ZipFile(io.BytesIO(b"".join(stream_workbook(sheets))))
    whole = zipfile.ZipFile(io.BytesIO(workbook_bytes([("s", ["n", "空"], [[i, None] for i in range(2000)])])))
    assert streamed.namelist() == whole.namelist() and streamed.testzip() is None
    assert all(streamed.read(n) == whole.read(n) for n in whole.namelist())
    ws = load_workbook(io.BytesIO(workbook_bytes(sheets))).worksheets[0]
    assert ws.max_row == 2001 and ws.cell(2001, 1).value == 1999 and ws.max_column == 2
