"""Whatever a report says, reconciliation answers with findings, never a traceback."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.report.reconcile import reconcile
from support.examples import clean

WORDS = ["基本支出", "项目支出", "人员经费", "日常公用经费", "其中", "占", "的", "为", "万元", "亿元", "元", "%", "％",
         "人", "分", "等级为“良”", "合计", "执行率", "1、", "2、", "；", "，", "。", "\n", "：", "无政府性基金",
         "业务工作经费", "家庭医生签约服务", "约", "以上", "不超过", "0", "0.00", "1,000", "９", " ", "(", "）"]
NUMBERS = st.decimals(min_value=0, max_value=10**20, places=2, allow_nan=False).map(str)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(st.one_of(st.sampled_from(WORDS), NUMBERS), max_size=40), section=st.integers(1, 10))
def test_any_report_text_reconciles_without_error(pieces, section):
    pkg = clean()
    pkg.report.section(section).body = "".join(pieces)
    for f in reconcile(pkg):
        assert f.message and f.rule.startswith("report.")


def test_a_report_with_no_sections_or_no_tables_is_fine():
    pkg = clean()
    pkg.report.sections = []
    assert reconcile(pkg) == []
    pkg = clean()
    pkg.overall = None
    pkg.basic = None
    pkg.projects = []
    assert reconcile(pkg) == []


def test_absurd_magnitudes_do_not_overflow_the_decimal_arithmetic():
    pkg = clean()
    pkg.report.section(6).body = (
        "基本支出0.00000001元，人员经费999999999999999.99999999亿元，占基本支出的5%。"
        "预算执行率5%，全年预算数0.00000001元，全年执行数999999999999999.99999999亿元。"
    )
    assert {f.rule for f in reconcile(pkg)} <= {"report.amount_mismatch", "report.share_mismatch"}
