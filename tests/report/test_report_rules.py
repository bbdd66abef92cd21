"""Each kind of report finding on deliberately broken variants of the clean example, with the
near-miss that must stay silent (precision over recall)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.model import Package
from jixiao.report.reconcile import reconcile
from jixiao.rules import load_pack, registered_rules
from support.examples import clean


def edit(pkg: Package, number: int, old: str, new: str) -> Package:
    section = pkg.report.section(number)
    assert old in section.body, old
    section.body = section.body.replace(old, new, 1)
    return pkg


def rules_of(pkg: Package) -> list[str]:
    return sorted(f.rule for f in reconcile(pkg))


def only(pkg: Package, rule: str):
    found = [f for f in reconcile(pkg) if f.rule == rule]
    assert len(found) == 1, [f.message for f in reconcile(pkg)]
    return found[0]


def test_every_report_rule_is_in_the_pack_and_tested_here():
    report_rules = {r for r in registered_rules() if r.startswith("report.")}
    assert report_rules == {r for r in load_pack().rules if r.startswith("report.")}
    tested = {"report.amount_mismatch", "report.scope_difference", "report.sum_mismatch", "report.share_mismatch",
              "report.item_mismatch", "report.item_scope", "report.item_omitted", "report.goal_mismatch",
              "report.indicator_mismatch", "report.none_but_funds", "report.grade_mismatch"}
    assert report_rules == tested


# ------------------------------------------------------------------ figures naming a table cell


def test_a_count_that_disagrees_with_the_basic_table_is_an_error():
    f = only(edit(clean(), 1, "实有在职人员40人", "实有在职人员41人"), "report.amount_mismatch")
    assert f.severity == "error" and (f.expected, f.actual) == ("40", "41")
    assert f.message == ("自评报告“一、单位基本情况”：“实有在职人员41人”中实际在职人数为41人，"
                         "基础数据表“2023年实际在职人数”为40人，相差1人。")
    assert f.location.quote == "编制42人，实有在职人员41人。"
    assert f.location.path == "report.sections.0.body"


def test_the_total_self_score_and_the_execution_rate_are_checked():
    pkg = edit(clean(), 6, "自评得分98.69分", "自评得分96.69分")
    assert only(pkg, "report.amount_mismatch").expected == "98.69"
    pkg = edit(clean(), 6, "全年执行数1031.05万元", "全年执行数1013.05万元")
    assert {"report.amount_mismatch", "report.share_mismatch"} <= set(rules_of(pkg))


@pytest.mark.parametrize("text", [
    "2022年基本支出500.00万元。",  # another year
    "基本支出较上年增加10.00万元。",  # a change, not a value
    "基本支出和项目支出合计1031.05万元。",  # names two cells
    "基本支出约600万元。",  # approximate
    "基本支出预算数600.00万元。",  # a budget figure, not the 执行数 the split holds
    "基本支出5,835,000元。",  # right, in 元 with separators
    "基本支出0.05835亿元。",  # right, in 亿元
])
def test_figures_that_are_not_or_do_not_contradict_a_cell_stay_silent(text):
    pkg = clean()
    pkg.report.section(6).body += "\n" + text
    assert reconcile(pkg) == []


@settings(max_examples=40, deadline=None)
@given(delta=st.decimals(min_value=Decimal("0.02"), max_value=Decimal("500"), places=2), sign=st.sampled_from([1, -1]))
def test_any_wrong_public_funds_figure_is_caught(delta, sign):
    wrong = Decimal("63.18") + sign * delta
    if wrong <= 0:
        return
    pkg = clean()
    pkg.report.section(6).body += f"\n日常公用经费{wrong}万元。"
    f = only(pkg, "report.amount_mismatch")
    assert (f.expected, f.actual) == ("63.18", str(wrong))


# ------------------------------------------------------------------ scope differences


def _with_other_funds(pkg: Package) -> Package:
    """31.05 of the 1031.05 spent comes from 其他资金; §二 covers 一般公共预算 only."""
    pkg.overall.income.general_budget = Decimal("1000.00")
    pkg.overall.income.other = Decimal("31.05")
    return pkg


def test_a_gap_equal_to_the_other_funds_is_a_scope_difference_not_an_error():
    pkg = _with_other_funds(clean())
    edit(pkg, 2, "基本支出数为583.50万元，其中：人员经费520.32万元，占基本支出的89.17%",
         "基本支出数为552.45万元，其中：人员经费489.27万元，占基本支出的88.56%")
    edit(pkg, 2, "占基本支出的10.83%", "占基本支出的11.44%")
    f = only(pkg, "report.scope_difference")
    assert f.severity == "info" and (f.expected, f.actual) == ("583.50", "552.45")
    assert "两项差额合计31.05万元，等于“其他资金”31.05万元" in f.message
    assert rules_of(pkg) == ["report.scope_difference"]


def test_a_gap_that_no_funds_figure_explains_stays_an_error():
    pkg = _with_other_funds(clean())
    edit(pkg, 2, "基本支出数为583.50万元，其中：人员经费520.32万元，占基本支出的89.17%",
         "基本支出数为550.00万元，其中：人员经费486.82万元，占基本支出的88.51%")
    edit(pkg, 2, "占基本支出的10.83%", "占基本支出的11.49%")
    assert only(pkg, "report.amount_mismatch").actual == "550.00"
    assert "report.scope_difference" not in rules_of(pkg)


def test_a_report_figure_above_the_table_is_never_a_scope_difference():
    pkg = _with_other_funds(clean())
    edit(pkg, 2, "项目支出总数为447.55万元", "项目支出总数为478.60万元")
    assert "report.amount_mismatch" in rules_of(pkg)
    assert "report.scope_difference" not in rules_of(pkg)


# ------------------------------------------------------------------ sums and shares


def test_a_list_that_does_not_add_up_to_its_total():
    pkg = edit(clean(), 2, "项目支出总数为447.55万元", "项目支出总数为457.55万元")
    f = only(pkg, "report.sum_mismatch")
    assert (f.expected, f.actual) == ("447.55", "457.55") and "其后所列5项合计447.55万元" in f.message


def test_parts_of_a_total_that_are_a_subset_are_not_summed():
    pkg = clean()
    pkg.report.section(6).body += "\n日常公用经费63.18万元，其中：办公费8.45万元，差旅费3.00万元。"
    assert reconcile(pkg) == []


def test_a_share_off_by_more_than_one_point():
    pkg = edit(clean(), 2, "占基本支出的89.17%", "占基本支出的87.17%")
    f = only(pkg, "report.share_mismatch")
    assert f.expected == "89.17" and "按本句所列人员经费520.32万元÷基本支出583.50万元计算应为89.17%" in f.message


def test_a_share_within_one_point_is_silent():
    assert reconcile(edit(clean(), 2, "占基本支出的89.17%", "占基本支出的88.50%")) == []


def test_a_structure_share_of_a_table_total_allows_two_points():
    pkg = clean()
    pkg.report.section(6).body += "\n基本支出583.50万元，占全年执行数的57.00%。"  # 56.59 by the table
    assert reconcile(pkg) == []
    pkg.report.section(6).body += "\n基本支出583.50万元，占全年执行数的60.00%。"
    f = only(pkg, "report.share_mismatch")
    assert "整体支出绩效自评表“年度资金总额”行“全年执行数”1031.05万元" in f.message


def test_an_execution_rate_recomputed_from_the_sentence():
    pkg = clean()
    pkg.overall.funds.execution_rate = Decimal("99.20")
    pkg.overall.funds.self_score = Decimal("9.92")
    edit(pkg, 6, "预算执行率98.20%", "预算执行率99.20%")
    f = only(pkg, "report.share_mismatch")
    assert f.expected == "98.20" and "全年执行数1031.05万元÷全年预算数1050.00万元" in f.message


# ------------------------------------------------------------------ the project list


def test_a_listed_amount_that_differs_from_its_row():
    pkg = edit(clean(), 2, "家庭医生签约服务经费38.50万元", "家庭医生签约服务经费36.00万元")
    edit(pkg, 2, "项目支出总数为447.55万元", "项目支出总数为445.05万元")
    f = only(pkg, "report.item_mismatch")
    assert f.severity == "error" and (f.expected, f.actual) == ("38.50", "36.00")
    assert "与该行2022年决算数36.00万元相同" in f.message


def test_a_project_the_list_leaves_out():
    pkg = edit(clean(), 2, "；5、重大传染病防控补助19.80万元，主要用于传染病监测和防控培训", "")
    edit(pkg, 2, "项目支出总数为447.55万元", "项目支出总数为427.75万元")
    f = only(pkg, "report.item_omitted")
    assert "基础数据表“重大传染病防控补助”2023年决算数为19.80万元" in f.message
    assert "（本部分" not in f.message  # no other funds: no scope note


def test_a_project_named_a_little_differently_is_not_omitted():
    pkg = edit(clean(), 2, "5、重大传染病防控补助19.80万元", "5、传染病防控补助19.80万元")
    assert reconcile(pkg) == []


# ------------------------------------------------------------------ goals and §六 against indicators


def test_a_goal_that_contradicts_the_indicator_target():
    pkg = clean()
    pkg.overall.goals.expected = pkg.overall.goals.expected.replace("家庭医生签约服务12000人", "家庭医生签约服务13000人")
    f = only(pkg, "report.goal_mismatch")
    assert f.location.path == "overall.goals.expected" and f.location.part == "整体支出绩效自评表"
    assert "“家庭医生签约服务人数”的年度指标值“12000人”" in f.message


def test_a_project_goal_is_checked_against_its_own_table():
    pkg = clean()
    goals = pkg.projects[0].goals
    goals.actual = goals.actual.replace("业务培训14场", "业务培训16场")
    f = only(pkg, "report.goal_mismatch")
    assert f.location.path == "projects.0.goals.actual" and "实际完成值“14场”" in f.message


def test_performance_prose_that_contradicts_an_indicator():
    pkg = edit(clean(), 6, "家庭医生签约服务12360人", "家庭医生签约服务12630人")
    f = only(pkg, "report.indicator_mismatch")
    assert (f.expected, f.actual) == ("12360人", "12630人")


@pytest.mark.parametrize("text", ["家庭医生签约服务约12000人", "共收集居民意见36条", "家庭医生签约服务12000人"])
def test_prose_figures_that_agree_or_mean_no_indicator_are_silent(text):
    assert reconcile(edit(clean(), 6, "家庭医生签约服务12360人", text)) == []


# ------------------------------------------------------------------ "无" statements and the grade


def test_no_government_fund_while_the_table_has_one():
    pkg = clean()
    pkg.overall.income.general_budget = Decimal("1021.05")
    pkg.overall.income.government_fund = Decimal("10.00")
    f = only(pkg, "report.none_but_funds")
    assert "“政府性基金拨款”为10.00万元" in f.message


def test_a_grade_that_the_score_does_not_give():
    f = only(edit(clean(), 6, "评价等级为“优”", "评价等级为“良”"), "report.grade_mismatch")
    assert (f.expected, f.actual) == ("优", "良")


def test_a_bare_share_is_of_the_total_its_figure_is_part_of():
    pkg = edit(clean(), 2, "占基本支出的89.17%", "占比89.17%")
    assert reconcile(pkg) == []
    pkg = edit(clean(), 2, "占基本支出的89.17%", "占比85.17%")
    assert "人员经费520.32万元÷基本支出583.50万元" in only(pkg, "report.share_mismatch").message


@pytest.mark.parametrize("text", [
    "项目预算执行率90.00%。",  # a project's rate, not the unit's
    "产出指标自评得分47分。",  # an indicator group's score
    "专项资金执行数100.00万元。",
    "工单执行率90%。",
])
def test_subjects_about_something_narrower_than_the_unit_stay_silent(text):
    pkg = clean()
    pkg.report.section(6).body += "\n" + text
    assert reconcile(pkg) == []


def test_a_total_spending_sentence_lists_its_parts():
    pkg = clean()
    pkg.report.section(6).body += "\n2023年度支出总计1031.05万元，其中基本支出583.50万元，项目支出447.55万元。"
    assert reconcile(pkg) == []
    pkg.report.section(6).body += "\n2023年度支出总计1031.05万元，其中基本支出583.50万元，项目支出437.55万元。"
    assert {"report.sum_mismatch", "report.amount_mismatch"} == set(rules_of(pkg))


def _phrase(amount: Decimal, style: str) -> str:
    yuan = amount * 10000
    return {
        "wan": f"{amount}万元",
        "yuan": f"{int(yuan):,}元",
        "yi": f"{(amount / 10000).quantize(Decimal('0.000001'))}亿元",  # all digits kept: as precise as 万元
        "fullwidth": "".join(chr(ord(c) + 0xFEE0) for c in str(amount)) + "万元",
    }[style]


STYLES = st.sampled_from(["wan", "yuan", "yi", "fullwidth"])


@settings(max_examples=40, deadline=None)
@given(style=STYLES, share_style=st.sampled_from(["占基本支出的{}%", "占基本支出比重为{}%", "占比{}％"]))
def test_right_figures_in_any_phrasing_stay_silent(style, share_style):
    pkg = edit(clean(), 2, "基本支出数为583.50万元", "基本支出数为" + _phrase(Decimal("583.50"), style))
    edit(pkg, 2, "占基本支出的89.17%", share_style.format("89.17"))
    assert reconcile(pkg) == []


@settings(max_examples=40, deadline=None)
@given(style=STYLES, delta=st.decimals(min_value=Decimal("0.02"), max_value=Decimal("50"), places=2))
def test_a_wrong_basic_total_in_any_phrasing_is_caught(style, delta):
    wrong = Decimal("583.50") + delta
    pkg = edit(clean(), 2, "基本支出数为583.50万元", "基本支出数为" + _phrase(wrong, style))
    found = {f.rule: f for f in reconcile(pkg)}
    assert found["report.amount_mismatch"].actual == str(wrong)
    assert found["report.sum_mismatch"].expected == "583.50"  # 人员经费 + 日常公用经费 still add up to the table
