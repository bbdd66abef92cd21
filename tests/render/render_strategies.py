"""Hypothesis strategies for whole packages, as varied as the forms allow.

Text is what a clerk types: Chinese, digits, Latin letters and the usual punctuation, no
control characters, no leading or trailing blanks (a Word cell cannot tell those apart from
layout). Every number cell is blank, '/' or a value; amounts have at most four places.
"""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import strategies as st

from jixiao.model import (
    AmountRow,
    BasicDataTable,
    BuildingProject,
    FundsRow,
    Goals,
    IncomeSplit,
    Indicator,
    Level1,
    Level2,
    NamedAmountRow,
    OverallTable,
    Package,
    ProjectTable,
    Report,
    ReportSection,
    Signature,
    SpendingSplit,
    Staffing,
)

CHARS = st.sampled_from(list("预算执行率项目资金城市管理督查考评中心一二三四五六七八九十年度指标完成已开展显著提高")
                        + list("0123456789ABCxyz%.、，。；：“”（）()-+=@/ 　"))
_word = st.text(CHARS, min_size=1, max_size=24).map(str.strip).filter(bool)
# A label must not read like a number or a '/' cell.
_name = st.text(st.sampled_from(list("城市管理专项经费督查考评环卫清扫设施设备采购疫情防控")), min_size=2, max_size=14)
text = st.one_of(st.none(), _word)
multiline = st.one_of(st.none(), st.lists(_word, min_size=1, max_size=4).map("\n".join))

_number = st.decimals(min_value=Decimal("-1000"), max_value=Decimal("100000"), places=2, allow_nan=False,
                      allow_infinity=False)
_places = st.one_of(_number, st.integers(0, 500).map(Decimal), st.decimals(
    min_value=0, max_value=1000, places=4, allow_nan=False, allow_infinity=False))
amount = st.one_of(st.none(), st.just("/"), _places)
score = st.one_of(st.none(), st.just("/"), st.integers(0, 50).map(Decimal), st.decimals(
    min_value=0, max_value=50, places=2, allow_nan=False, allow_infinity=False))
percent = st.one_of(st.none(), st.just("/"), st.decimals(min_value=0, max_value=200, places=2, allow_nan=False,
                                                         allow_infinity=False))
count = st.one_of(st.none(), st.integers(0, 500))

amount_row = st.builds(AmountRow, prev_final=amount, budget=amount, final=amount)
named_row = st.builds(NamedAmountRow, name=_name, prev_final=amount, budget=amount, final=amount)
signature = st.builds(Signature, unit_head=text, filled_by=text, phone=st.one_of(st.none(), st.from_regex(
    r"\A0\d{3}-\d{7}\Z")), date=st.one_of(st.none(), st.just("2024-05-26"), st.just("2024年5月20日")))


@st.composite
def basic_tables(draw) -> BasicDataTable:
    rows = {f: draw(amount_row) for f in (
        "sangong", "vehicle", "vehicle_purchase", "vehicle_operation", "overseas", "reception",
        "project_spending", "business_funds", "operation_funds", "district_special", "transfer",
        "public_funds", "office_funds", "utilities_travel", "meeting_training", "procurement",
        "basic_budget_adjustment")}
    buildings = draw(st.lists(st.builds(
        BuildingProject, name=st.one_of(st.none(), _name), approved_area=amount, actual_area=amount,
        area_control_rate=percent, budget_investment=amount, actual_investment=amount,
        investment_control_rate=percent,
    ), max_size=2))
    # A building row with nothing in it is an empty line of the form, not a project.
    buildings = [b for b in buildings if any(v is not None for v in b.model_dump().values())]
    return BasicDataTable(
        title=draw(st.one_of(st.none(), st.just("2023年度预算单位整体支出绩效评价基础数据表"))),
        unit_name=draw(text), staffing=Staffing(establishment=draw(count), actual=draw(count), control_rate=draw(percent)),
        district_special_items=draw(st.lists(named_row, max_size=4)),
        transfer_items=draw(st.lists(named_row, max_size=2)),
        buildings=buildings, frugality_measures=draw(multiline), note=draw(text), signature=draw(signature),
        **rows,
    )


funds_row = st.builds(FundsRow, initial_budget=amount, full_year_budget=amount, executed=amount, weight=score,
                      execution_rate=percent, self_score=score)
indicator = st.builds(Indicator, name=_word, target=text, actual=text, weight=score, self_score=score,
                      deviation_reason=text)
LEVEL2 = ["数量指标", "质量指标", "时效指标", "成本指标", "经济效\n益指标", "社会效益指标", "服务对象\n满意度指标"]
level2 = st.builds(Level2, label=st.sampled_from(LEVEL2), indicators=st.lists(indicator, max_size=3))
level1 = st.builds(Level1, label=st.sampled_from(["产出指标\n(50 分)", "效益指标（30分）", "满意度指标"]),
                   children=st.lists(level2, min_size=1, max_size=3, unique_by=lambda x: x.label))


def _evaluation_fields(draw, title: str) -> dict:
    return {
        "funds": draw(funds_row),
        "goals": Goals(expected=draw(multiline), actual=draw(multiline)),
        # A form never repeats a 一级 or a 二级 label under the same parent.
        "indicators": draw(st.lists(level1, max_size=3, unique_by=lambda x: x.label)),
        "total_weight": draw(score), "total_self_score": draw(score),
        "note": draw(text), "signature": draw(signature),
        "title": draw(st.one_of(st.none(), st.just(title))),
    }


@st.composite
def overall_tables(draw) -> OverallTable:
    return OverallTable(
        unit_name=draw(text),
        income=IncomeSplit(general_budget=draw(amount), government_fund=draw(amount),
                           special_account=draw(amount), other=draw(amount)),
        spending=SpendingSplit(basic=draw(amount), project=draw(amount)),
        **_evaluation_fields(draw, "2023年度预算单位整体支出绩效自评表"),
    )


@st.composite
def project_tables(draw) -> ProjectTable:
    return ProjectTable(
        project_name=draw(st.one_of(st.just("/"), _name)), department=draw(text), implementing_unit=draw(text),
        current_appropriation=draw(funds_row), carryover=draw(funds_row), other_funds=draw(funds_row),
        **_evaluation_fields(draw, "2023年度项目支出绩效自评表"),
    )


HEADINGS = ["一、单位基本情况", "二、一般公共预算支出情况", "三、政府性基金预算支出情况", "四、国有资本经营预算支出情况",
            "五、社会保险基金预算支出情况", "六、单位整体支出绩效情况", "七、存在的问题及原因分析", "八、下一步改进措施",
            "九、单位整体支出绩效自评结果拟应用和公开情况", "十、其他需要说明的情况"]


# A body line that starts like '六、' or '3.' reads as a section heading in any report, so
# generated bodies avoid it (the seed's real '1、负责…' lines are covered by the seed itself).
_body_line = _word.filter(lambda w: not re.match(r"^[一二三四五六七八九十\d]+\s*[、.．]", w))


@st.composite
def reports(draw) -> Report:
    bodies = draw(st.lists(st.one_of(st.just("无"), st.lists(_body_line, min_size=1, max_size=3).map("\n".join)),
                           min_size=10, max_size=10))
    return Report(
        title=draw(st.one_of(st.none(), st.just("2023年度测试单位单位整体支出绩效自评报告"))),
        sections=[ReportSection(number=i + 1, heading=h, body=b) for i, (h, b) in enumerate(zip(HEADINGS, bodies, strict=True))],
    )


@st.composite
def packages(draw) -> Package:
    return Package(
        fiscal_year=draw(st.integers(2020, 2030)), unit_name=draw(_name),
        basic=draw(st.one_of(st.none(), basic_tables())), overall=draw(st.one_of(st.none(), overall_tables())),
        projects=draw(st.lists(project_tables(), max_size=2)), report=draw(st.one_of(st.none(), reports())),
    )
