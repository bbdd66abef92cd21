"""Excel output: one sheet per table, same labels and merges, numbers as numbers, no formulas."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook
from render_helpers import one

from jixiao.model import Indicator
from jixiao.render import render_package
from jixiao.render.tables import build_parts
from jixiao.render.xlsx_writer import is_formula_like, sheet_title
from support.examples import clean, seed


@pytest.fixture(scope="module")
def seed_book(seed_render):
    return load_workbook(one(seed_render, ".xlsx"))


def _find(ws, text):
    return next(c for row in ws.iter_rows() for c in row if c.value == text)


def test_it_writes_one_sheet_per_table(seed_render, clean_render):
    assert load_workbook(one(seed_render, ".xlsx")).sheetnames == ["基础数据表", "整体支出绩效自评表", "项目支出绩效自评表（第1张）"]
    names = load_workbook(one(clean_render, ".xlsx")).sheetnames
    assert names[2:] == [
        "项目支出绩效自评表（业务工作经费）", "项目支出绩效自评表（运行维护经费）",
        "项目支出绩效自评表（基本公共卫生服务专项）", "项目支出绩效自评表（重大传染病防控补助）",
    ]


def test_it_stores_numbers_as_numbers_with_two_decimals(seed_book):
    ws = seed_book["基础数据表"]
    label = _find(ws, "项目支出：")
    final = ws.cell(row=label.row, column=6)
    assert final.value == pytest.approx(1146.79) and final.data_type == "n" and final.number_format == "0.00"
    assert final.alignment.horizontal == "right"
    rate = _find(ws, "控制率")
    cell = ws.cell(row=rate.row + 1, column=rate.column)
    assert cell.value == pytest.approx(0.9333) and cell.number_format == "0.00%"
    blank = ws.cell(row=_find(ws, "三公经费").row, column=2)
    assert blank.value is None  # a blank cell is not zero


def test_it_merges_cells_like_the_layout(seed_book):
    parts = build_parts(seed())
    for part in parts[:3]:
        ws = seed_book[part.label]
        top = 3  # 附件 line, title, then the table
        want = {
            (top + r, c.col + 1, top + r + c.rowspan - 1, c.col + c.colspan)
            for r, row in enumerate(part.grid.rows) for c in row if c.rowspan > 1 or c.colspan > 1
        }
        got = {(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges if m.min_row >= top}
        # Below the table: the note and signature lines, merged across the width.
        got = {m for m in got if m[0] < top + len(part.grid.rows)}
        assert got == want, part.label


def test_it_sets_a4_print_layout(seed_book):
    assert seed_book["基础数据表"].page_setup.orientation == "portrait"
    assert seed_book["整体支出绩效自评表"].page_setup.orientation == "landscape"
    assert seed_book["整体支出绩效自评表"].page_setup.paperSize == 9  # A4


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3", "@SUM(A1)", "=1+1"])
def test_it_escapes_text_that_would_run_as_a_formula(tmp_path, text):
    pkg = clean()
    pkg.overall.indicators[0].children[0].indicators[0] = Indicator(name=text, target=text, actual="10个", weight=5,
                                                                    self_score=5)
    pkg.basic.frugality_measures = text
    out = render_package(pkg, tmp_path, ["xlsx"])
    book = load_workbook(one(out, ".xlsx"))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    hits = [c for c in cells if c.value == text]
    assert len(hits) == 3
    assert all(c.data_type == "s" and c.quotePrefix for c in hits)


def test_it_keeps_negative_amounts_numeric(tmp_path):
    pkg = clean()
    pkg.basic.reception.final = Decimal("-1.50")
    book = load_workbook(one(render_package(pkg, tmp_path, ["xlsx"]), ".xlsx"))
    ws = book["基础数据表"]
    cell = ws.cell(row=_find(ws, "3、公务接待").row, column=6)
    assert cell.value == pytest.approx(-1.5) and cell.data_type == "n"


def test_formula_detection_and_sheet_names():
    assert all(is_formula_like(t) for t in ("=a", "+a", "-a", "@a"))
    assert not is_formula_like("a=b")
    used: set[str] = set()
    assert sheet_title("项目支出绩效自评表（a/b:c）", used) == "项目支出绩效自评表（a_b_c）"
    long = "项目" * 20
    first, second = sheet_title(long, used), sheet_title(long, used)
    assert len(first) == 31 and len(second) <= 31 and first != second


def test_control_characters_in_names_never_break_a_document(tmp_path):
    pkg = clean()
    pkg.projects[0].project_name = "业务\x0b工作\x00经费"
    pkg.basic.frugality_measures = "措施\x1f一"
    pkg.report.sections[0].body = "正文\x0c第一行"
    result = render_package(pkg, tmp_path)
    book = load_workbook(one(result, ".xlsx"))
    assert "项目支出绩效自评表（业务工作经费）" in book.sheetnames
    assert any(c.value == "措施一" for row in book["基础数据表"].iter_rows() for c in row)
    assert one(result, ".pdf").stat().st_size > 10_000


# ------------------------------------------------------------------ printing as the forms print


def test_the_header_rows_print_on_each_page_in_excel(seed_book):
    overall = seed_book["整体支出绩效自评表"]
    row = _find(overall, "一级指标").row
    assert overall.print_title_rows == f"${row}:${row}"
    basic = seed_book["基础数据表"]
    row = _find(basic, "2023年决算数").row
    assert basic.print_title_rows == f"${row}:${row}"
    for ws in seed_book.worksheets:
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text  # page numbers


def test_scores_print_as_written_in_excel(tmp_path):
    # The seed's Word file prints 分值 and 自评得分 as '4', '10', '100'; a unit that writes 2.5 or 4.00 keeps it.
    seed_ws = load_workbook(one(render_package(seed(), tmp_path / "a", ["xlsx"]), ".xlsx"))["整体支出绩效自评表"]
    name = _find(seed_ws, "全年规范管理夜宵店数量")
    weight = seed_ws.cell(row=name.row, column=8)
    assert weight.value == 4 and weight.number_format == "0"
    total = seed_ws.cell(row=_find(seed_ws, "总分").row, column=8)
    assert total.value == 100 and total.number_format == "0"
    pkg = seed()
    ind = pkg.overall.indicators[0].children[0].indicators[0]
    ind.weight, ind.self_score = Decimal("2.5"), Decimal("4.00")
    ws = load_workbook(one(render_package(pkg, tmp_path / "b", ["xlsx"]), ".xlsx"))["整体支出绩效自评表"]
    row = _find(ws, ind.name).row
    assert (ws.cell(row=row, column=8).number_format, ws.cell(row=row, column=9).number_format) == ("0.0", "0.00")


def test_blank_rows_and_merged_labels_in_excel(seed_book):
    basic = seed_book["基础数据表"]
    empty = _find(basic, "楼堂馆所控制情况\n(2023年完工项目)").row + 1
    assert basic.row_dimensions[empty].height >= 19.8  # 7 mm to write in
    # A label merged down over a block is printed at the block's top: if the block runs on to the
    # next page, the label is on the page where the block starts instead of lost in the break.
    overall = seed_book["整体支出绩效自评表"]
    level2 = _find(overall, "数量指标")
    assert level2.alignment.vertical == "top"
    assert _find(overall, "全年规范管理夜宵店数量").alignment.vertical == "center"
