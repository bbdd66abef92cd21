"""The real 2023 package: the checker reports what is really wrong in it, and nothing else."""

from __future__ import annotations

from decimal import Decimal

from test_rules import CORE_PREFIXES

from jixiao.api import check_package
from support.examples import seed

# Each one verified by hand against the seed text (see the closing note of issue 2).
EXPECTED = sorted([
    # 区级专项资金 2023年预算数 written 66.00; its rows 60.54 + 6.00 = 66.54. (项目支出 131.54 agrees with the rows.)
    ("basic.subtotal", "basic.district_special.budget"),
    # 公务用车购置和维护经费 left blank while 公车运行维护 has 6.00 / 11.48.
    ("basic.subtotal_blank", "basic.vehicle.budget"),
    ("basic.subtotal_blank", "basic.vehicle.final"),
    ("complete.signature", "basic.signature"),  # 单位负责人签字 blank
    ("complete.frugality", "basic.frugality_measures"),  # 厉行节约保障措施 blank
    ("reason.sangong_over_budget", "basic.sangong.final"),  # 11.48 against a budget of 6.00
    ("reason.public_over_budget", "basic.public_funds.final"),  # 51.59 against 50.40
    ("reason.procurement_over_budget", "basic.procurement.final"),  # 298.62 against 50.04
    ("reason.yoy_change", "basic.business_funds.final"),  # 173.00 -> 84.63
    ("reason.yoy_change", "basic.public_funds.final"),  # 18.35 -> 51.59
    ("reason.yoy_change", "basic.office_funds.final"),  # 1.65 -> 7.20
    ("reason.yoy_change", "basic.utilities_travel.final"),  # 2.96 -> 5.41
    # 产出指标 printed (50 分) but its rows weigh 47; 效益指标 printed (30 分) but 33.
    ("weights.level1_label", "overall.indicators.0"),
    ("weights.level1_label", "overall.indicators.1"),
    ("weights.level1_standard", "overall.indicators.0"),
    ("weights.level1_standard", "overall.indicators.1"),
    ("complete.unit_name", "overall.unit_name"),  # 预算单位名称 blank on the overall table
    # 成本指标 不超过年初预算投入: A 540.84万元, B 1557.05万元, reverse: 4 × 540.84 / 1557.05 = 1.39 < 2.
    ("score.too_high", "overall.indicators.0.children.3.indicators.0.self_score"),
    ("complete.signature", "overall.signature"),
    ("reason.budget_increase", "overall.funds.full_year_budget"),  # 540.84 -> 1557.05 (+187.89%)
    # Qualitative rows whose 实际完成值 says something else than the target: a person must judge.
    ("score.undetermined", "overall.indicators.1.children.2.indicators.0.self_score"),
    ("score.undetermined", "overall.indicators.1.children.3.indicators.0.self_score"),
    ("score.undetermined", "overall.indicators.1.children.3.indicators.1.self_score"),
    # 业务工作经费 84.63, 运行维护经费 25.00, 区级专项资金 1037.16 spent; only a blank template table.
    ("complete.project_table_missing", "projects"),
    ("complete.project_table_missing", "projects"),
    ("complete.project_table_missing", "projects"),
    ("complete.project_placeholder", "projects.0.project_name"),
    ("complete.report_numbering", "report.sections"),  # "1、" "6、" "7、" instead of 一、六、七、
])


def test_it_reports_exactly_the_real_problems_of_the_seed():
    result = check_package(seed())
    got = sorted((f.rule, f.location.path) for f in result.findings if f.rule.startswith(CORE_PREFIXES))
    assert got == EXPECTED


def test_it_never_flags_a_right_figure_of_the_seed_as_an_error():
    errors = {(f.rule, f.location.path) for f in check_package(seed()).findings if f.severity == "error"
              and f.rule.startswith(CORE_PREFIXES)}
    assert errors == {
        ("basic.subtotal", "basic.district_special.budget"),
        ("weights.level1_label", "overall.indicators.0"),
        ("weights.level1_label", "overall.indicators.1"),
        ("complete.unit_name", "overall.unit_name"),
        ("complete.project_table_missing", "projects"),
    }


def test_the_seed_scores_as_hand_computed():
    (overall, project) = check_package(seed()).scores
    assert overall.self_total == Decimal(98)
    # Only the cost indicator loses points under the rule: 2 -> 1.39.
    assert overall.computed_total == Decimal("97.39")
    assert (overall.self_grade, overall.computed_grade) == ("优", "优")
    assert project.self_total is None
