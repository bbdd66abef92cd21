"""Cell values, label/value cells, report headings and the open lists of the basic table."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from iofix_docx import document_xml, docx_bytes
from iofix_layouts import official_table

from jixiao.io.docx_reader import import_docx_bytes
from jixiao.io.docx_reader.cells import label_value, number
from jixiao.io.docx_reader.report import heading
from jixiao.io.docx_reader.vocab import vocab
from jixiao.io.xlsx_io import _number_text

amounts = st.decimals(min_value=Decimal("-999999"), max_value=Decimal("999999999"), places=2, allow_nan=False)
FULL = str.maketrans("0123456789.-,", "０１２３４５６７８９．－，")


def _commas(d: Decimal) -> str:
    whole, _, frac = f"{d:f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}.{frac}"


@given(amounts)
def test_every_way_of_writing_an_amount_reads_the_same(d):
    for text in (f"{d:f}", _commas(d), _commas(d).translate(FULL), f" {d:f}万元 ", f"{_commas(d)} 万元"):
        value, problem = number(text)
        assert problem is None, text
        assert value == d and value.as_tuple().exponent == -2, text


@given(amounts)
def test_an_amount_in_yuan_is_read_as_wan_yuan_and_said_so(d):
    value, problem = number(f"{d:f}元")
    assert value == d / 10000 and "已按万元读作" in problem


@pytest.mark.parametrize("text", ["", "   ", "……", "......", "…"])
def test_blank_and_placeholders_are_blank(text):
    assert number(text) == (None, None)


@pytest.mark.parametrize("text", ["/", "／", " / "])
def test_slash_is_not_applicable(text):
    assert number(text) == ("/", None)


@pytest.mark.parametrize("text", ["abc", "1.2.3", "无", "1-2"])
def test_unreadable_cells_come_back_as_a_problem(text):
    value, problem = number(text)
    assert value is None and "不是数值" in problem


@given(amounts)
def test_label_and_amount_in_one_cell(d):
    assert label_value(f"其中：  一般公共预算：{d:f}") == ("一般公共预算", f"{d:f}")
    assert label_value(f"项目支出:{_commas(d)}") == ("项目支出", _commas(d))
    assert label_value("政府性基金拨款：") == ("政府性基金拨款", "")


@given(amounts)
def test_excel_numbers_read_back_as_written(d):
    assert Decimal(_number_text(float(d), "0.00")) == d
    assert _number_text(float(d), "0.00").split(".")[1].__len__() == 2
    rate = _number_text(float(d / 100), "0.00%")
    assert rate.endswith("%") and Decimal(rate[:-1]) == d


@pytest.mark.parametrize(
    ("text", "number_"),
    [
        ("一、单位基本情况", 1), ("1、 单位基本情况", 1), ("二、 一般公共预算支出情况", 2), ("6、 单位整体支出绩效情况", 6),
        ("六、部门整体支出绩效情况", 6), ("八、下一步改进措施", 8), ("十、 其他需要说明的情况", 10),
        ("九、单位整体支出绩效自评结果拟应用和公开情况", 9), ("第七部分 存在的问题及原因分析", 7),
    ],
)
def test_section_headings_in_their_variants(text, number_):
    assert heading(text, vocab(2023))[0] == number_


@pytest.mark.parametrize("text", ["（一）职能职责", "1、负责区城市管理领域的统筹管理、指挥协调、调度处置工作；", "2023年我单位的基本支出数为391.27万元", "无"])
def test_body_lines_are_not_headings(text):
    hit = heading(text, vocab(2023))
    assert hit is None or not hit[1]


def _basic(rows):
    head = [["预算单位名称", "单位"], ["经费控制情况(万元)", "2022年决算数", "2023年预算数", "2023年决算数"]]
    doc = document_xml(["2023年度预算单位整体支出绩效评价基础数据表", official_table("basic", head + rows)])
    return import_docx_bytes(docx_bytes(doc), "x.docx")


def test_an_item_named_like_an_earlier_row_stays_in_its_list():
    result = _basic([
        ["公车运行维护", "", "1.00", "1.00"],
        ["3、区级专项资金(一个专项一行)", "", "3.00", "3.00"],
        ["公车运行维护", "", "2.00", "2.00"],
        ["三公经费", "", "1.00", "1.00"],
        ["4、上级转移支付(一个专项一行）", "", "", ""],
        ["省级补助", "", "5.00", ""],
        ["公用经费", "1.00", "", ""],
        ["办公费", "0.50", "", ""],
    ])
    b = result.package.basic
    assert str(b.vehicle_operation.budget) == "1.00"
    assert [(i.name, str(i.budget)) for i in b.district_special_items] == [("公车运行维护", "2.00"), ("三公经费", "1.00")]
    assert [i.name for i in b.transfer_items] == ["省级补助"]
    assert str(b.office_funds.prev_final) == "0.50" and str(b.public_funds.prev_final) == "1.00"
    assert result.issues == []


def test_a_duplicated_row_is_a_finding():
    result = _basic([["三公经费", "", "1.00", ""], ["公用经费", "", "", ""], ["三公经费", "", "9.00", ""]])
    assert str(result.package.basic.sangong.budget) == "1.00"
    assert any("重复" in i.message and "第5行" in i.where for i in result.issues)
