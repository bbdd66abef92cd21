"""Drafting the report from the tables: ten sections, numeric paragraphs from the tables, the
unit's prose kept, and zero reconciliation findings when the tables agree with themselves."""

from __future__ import annotations

import random
from decimal import Decimal

from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.api import check_package
from jixiao.report.draft import draft_report, with_report
from jixiao.report.reconcile import reconcile
from jixiao.report.write import to_markdown, write_docx
from support.examples import clean, seed
from support.generate import generated_package


def drafted(pkg):
    d = draft_report(pkg)
    return d, with_report(pkg, d.report)


def test_the_seed_draft_states_the_tables_and_passes_reconciliation():
    d, pkg = drafted(seed())
    assert reconcile(pkg) == []
    body2 = d.report.section(2).body
    assert "全年执行数为1557.05万元，其中：一般公共预算1385.51万元，其他资金171.54万元" in body2
    # 人员经费 = 基本支出 410.26 - 公用经费 51.59; shares of 410.26.
    assert "基本支出数为410.26万元，其中：人员经费358.67万元，占基本支出的87.43%" in body2
    assert "日常公用经费51.59万元，占基本支出的12.57%" in body2
    assert "项目支出总数为1146.79万元" in body2
    assert "1、业务工作经费84.63万元，主要用于主要用于日常考评、监督等工作经费" in body2  # the unit's words, as written
    assert "城南所2022年单位结转资金107.92万元" in body2  # the project the unit's list left out
    assert "12、渣土运输费用35.00万元，主要是用于拨付给岳阳市双环渣土有限公司" in body2


def test_the_draft_has_ten_numbered_sections_and_keeps_the_units_prose():
    d, _ = drafted(seed())
    headings = [s.heading for s in d.report.sections]
    assert headings[0] == "一、单位基本情况" and headings[5] == "六、单位整体支出绩效情况" and len(headings) == 10
    old = seed().report
    assert d.report.section(1).body == old.section(1).body.strip()
    assert d.report.section(8).body == old.section(8).body.strip()
    six = d.report.section(6).body
    assert six.startswith("预算执行情况：2023年我单位年初预算数540.84万元，全年预算数1557.05万元，全年执行数1557.05万元，预算执行率100.00%。")
    assert "（7）智慧城管工单处置率：年度指标值95%，实际完成值98.5%。" in six
    assert "自评得分98分，评价等级为“优”" in six
    assert "一是坚持高位推动，促进示范引领。" in six  # the unit's account follows


def test_fund_sections_say_none_when_the_tables_have_none_and_the_amount_when_they_do():
    d, _ = drafted(clean())
    assert d.report.section(3).body == "我单位2023年度无政府性基金预算支出。"
    pkg = clean()
    pkg.overall.income.general_budget = Decimal("1021.05")
    pkg.overall.income.government_fund = Decimal("10.00")
    d, out = drafted(pkg)
    assert d.report.section(3).body == "我单位2023年度政府性基金拨款10.00万元。"
    assert reconcile(out) == []


def test_a_package_without_a_report_gets_a_skeleton_that_asks_for_the_prose():
    pkg = clean()
    pkg.report = None
    d, out = drafted(pkg)
    assert reconcile(out) == []
    assert "湘江市芙蓉区社区卫生服务管理中心编制数42人，2023年实际在职人数40人。" in d.report.section(1).body
    assert d.report.section(7).body == "（请填写存在的问题及原因分析。）"
    assert d.report.section(10).body == "无"
    # The completeness checker flags the prompts the unit still has to replace.
    assert any(f.rule == "complete.placeholder_text" for f in check_package(out).findings)


def test_the_draft_restates_table_figures_in_kept_prose_and_says_so():
    pkg = clean()
    pkg.basic.staffing.actual = 39
    pkg.basic.staffing.control_rate = Decimal("92.86")
    d, out = drafted(pkg)
    assert "实有在职人员39人" in d.report.section(1).body
    assert any("“40人”改为“39人”" in n for n in d.notes)
    assert reconcile(out) == []


def test_the_clean_draft_does_not_repeat_the_units_funds_sentence():
    d, out = drafted(clean())
    six = d.report.section(6).body
    assert six.count("全年执行数1031.05万元") == 1
    assert "全年建立规范化电子健康档案3.62万份" in six
    assert reconcile(out) == []


@settings(max_examples=25, deadline=None)
@given(seed_=st.integers(min_value=0, max_value=10**6))
def test_any_consistent_package_drafts_to_a_report_with_no_finding(seed_):
    pkg = generated_package(random.Random(seed_), 0, mistake_rate=0.0)
    d, out = drafted(pkg)
    assert reconcile(out) == [], d.notes


def test_markdown_and_word_output(tmp_path):
    d, _ = drafted(seed())
    md = to_markdown(d.report)
    assert md.startswith("# 2023年度岳阳市岳阳楼区城市管理督查考评中心单位整体支出绩效自评报告\n")
    assert "\n## 二、一般公共预算支出情况\n" in md
    path = tmp_path / "r.docx"
    write_docx(d.report, path)
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == d.report.title and "二、一般公共预算支出情况" in texts
    assert any(t.startswith("2023年我单位的基本支出数为410.26万元") for t in texts)
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋"


def test_the_drafted_word_report_is_printed_as_the_official_documents(tmp_path):
    """A4 with the margins and styles of the rendered documents (their template), page numbers in the footer."""
    from jixiao.render.docx_writer import STYLES

    d, _ = drafted(seed())
    path = tmp_path / "r.docx"
    write_docx(d.report, path)
    doc = Document(str(path))
    (section,) = doc.sections
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == round(section.right_margin.mm) == 20
    styled = [(p.style.name, p.text) for p in doc.paragraphs]
    assert styled[0] == (STYLES["report_title"], d.report.title)
    assert (STYLES["report_h1"], "二、一般公共预算支出情况") in styled
    assert {name for name, _ in styled} <= {STYLES["report_title"], STYLES["report_h1"], STYLES["report_h2"], STYLES["report_body"]}
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = doc.styles[STYLES["report_body"]].element.rPr.rFonts
    assert body.get(f"{w}eastAsia") == "仿宋"
    assert doc.styles[STYLES["report_h1"]].element.rPr.rFonts.get(f"{w}eastAsia") == "黑体"
    footer = "".join(section.footer._element.itertext())
    assert "PAGE" in footer and "第" in footer
