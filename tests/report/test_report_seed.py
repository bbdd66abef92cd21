"""The seed's report against its tables: exactly the disagreements really there, the scope
difference explained, silence on every figure that agrees (each checked by hand)."""

from __future__ import annotations

from jixiao.report.reconcile import reconcile
from support.examples import clean, seed

SECTION_2 = "report.sections.1.body"


def _by_rule(findings):
    out = {}
    for f in findings:
        out.setdefault(f.rule, []).append(f)
    return out


def test_it_reports_exactly_what_is_wrong_in_the_seed_report():
    got = sorted((f.rule, f.severity, f.location.path) for f in reconcile(seed()))
    assert got == sorted([
        # §二 基本支出 391.27 against the table's 410.26, and 项目支出 994.24 against 1146.79:
        # 391.27 + 994.24 = 1385.51 = 一般公共预算; 18.99 + 152.55 = 171.54 = 其他资金.
        ("report.scope_difference", "info", SECTION_2),
        ("report.scope_difference", "info", SECTION_2),
        # 业务工作经费 40.00 in the list; the basic table's 2023年决算数 is 84.63 (its 预算数 is 40.00).
        ("report.item_scope", "warning", SECTION_2),
        # 城南所2022年单位结转资金 107.92 is spent but the list of 11 projects never names it.
        ("report.item_omitted", "warning", SECTION_2),
    ])


def test_the_scope_difference_explains_itself_with_the_figures():
    found = _by_rule(reconcile(seed()))["report.scope_difference"]
    basic, project = sorted(found, key=lambda f: f.actual)
    assert (basic.actual, basic.expected) == ("391.27", "410.26")
    assert "相差18.99万元" in basic.message
    assert "合计1385.51万元，等于“按收入性质分”中的“一般公共预算”1385.51万元" in basic.message
    assert "两项差额合计171.54万元，等于“其他资金”171.54万元" in basic.message
    assert basic.location.quote.startswith("2023年我单位的基本支出数为391.27万元，其中：人员经费339.68万元")
    assert (project.actual, project.expected) == ("994.24", "1146.79")
    assert "“城南所2022年单位结转资金”107.92万元" in project.message
    assert "“业务工作经费”少列的44.63万元" in project.message
    assert "“2023年我单位项目支出总数为994.24万元”" in project.message


def test_the_item_findings_quote_the_clause_and_both_figures():
    found = _by_rule(reconcile(seed()))
    (item,) = found["report.item_scope"]
    assert "“其中：1、业务工作经费支出40.00万元”" in item.message
    assert "84.63万元" in item.message and "少44.63万元" in item.message
    assert "与该行2023年预算数40.00万元相同" in item.message
    (omitted,) = found["report.item_omitted"]
    assert "“城南所2022年单位结转资金”2023年决算数为107.92万元" in omitted.message
    assert omitted.location.quote.startswith("2023年我单位项目支出总数为994.24万元")


def test_it_is_silent_on_the_clean_example():
    assert reconcile(clean()) == []


def test_seed_figures_that_agree_are_compared_not_skipped():
    """Silence must come from agreement: the figures are found and tied to their cells."""
    from jixiao.forms import load_form
    from jixiao.report.view import ReportView
    from jixiao.rules.engine import Context, load_pack

    view = ReportView(Context(package=seed(), pack=load_pack(), form=load_form()))
    tied = {(st.figure.raw, st.spec.path) for st in view.stated}
    assert ("51.59万元", "basic.public_funds.final") in tied  # 日常公用经费 = 公用经费 51.59
    assert ("28人", "basic.staffing.actual") in tied  # 实有人数28人
    (plist,) = view.project_lists()
    assert len(plist.items) == 11 and all(i.row is not None for i in plist.items)
    assert [r.name for r in plist.omitted] == ["城南所2022年单位结转资金"]
