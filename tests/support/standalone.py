"""Packages on the forms whose tables stand alone (no 基础数据表, no report), built by code with
content like the forms' descriptions illustrate (/work/shared/forms/). Each builder returns a
package on which the form's own pack finds no arithmetic problem; tests break one figure at a time."""

from __future__ import annotations

from decimal import Decimal as D

from jixiao.model import (
    FundsRow,
    Goals,
    Indicator,
    Level1,
    Level2,
    OverallTable,
    Package,
    ProjectTable,
    Signature,
)

NATIONAL = "national"
PROVINCE = "sichuan-2023-project"
UNIT = "某某县农业农村局"


def _national_indicators() -> list[Level1]:
    return [
        Level1(label="产出指标(50分)", children=[
            Level2(label="数量指标", indicators=[
                Indicator(name="指标1：培训农户人次", target="≥300人次", actual="320人次", weight=20, self_score=20),
                Indicator(name="指标2：建设示范基地", target="≥3个", actual="3", weight=10, self_score=10),
            ]),
            Level2(label="质量指标", indicators=[
                Indicator(name="验收合格率", target="≥98%", actual="100%", weight=10, self_score=10),
            ]),
            Level2(label="时效指标", indicators=[
                Indicator(name="完成时间", target="10月底前", actual="已完成", weight=5, self_score=5),
            ]),
            Level2(label="成本指标", indicators=[
                Indicator(name="人均培训成本", target="≤500元", actual="480元", weight=5, self_score=5),
            ]),
        ]),
        Level1(label="效益指标(30分)", children=[
            Level2(label="经济效益指标", indicators=[
                Indicator(name="带动农户增收", target="≥10万元", actual="12万元", weight=10, self_score=10),
            ]),
            Level2(label="社会效益指标", indicators=[
                Indicator(name="农业技术推广服务", target="达标", actual="达标", weight=10, self_score=10),
            ]),
            Level2(label="可持续影响指标", indicators=[
                Indicator(name="长效机制", target="按规定执行", actual="按规定执行", weight=10, self_score=10),
            ]),
        ]),
        Level1(label="满意度指标(10分)", children=[
            Level2(label="服务对象满意度指标", indicators=[
                Indicator(name="农户满意度", target="≥90%", actual="95%", weight=10, self_score=10),
            ]),
        ]),
    ]


def national_project() -> Package:
    """A national 项目支出绩效自评表: 95.00% executed, so 9.5 of the 10 execution points."""
    table = ProjectTable(
        title="项目支出绩效自评表（2023年度）",
        project_name="2023年农业技术推广项目", department="305-某某县农业农村局", implementing_unit="305002-某某县农业农村局",
        funds=FundsRow(initial_budget=D("120.000"), full_year_budget=D("120.000"), executed=D("114.000"), weight=10,
                       execution_rate=D("95.00"), self_score=D("9.50")),
        current_appropriation=FundsRow(initial_budget=D("100.000"), full_year_budget=D("100.000"), executed=D("95.500"),
                                       weight="/", self_score="/"),
        carryover=FundsRow(initial_budget=D("20.000"), full_year_budget=D("20.000"), executed=D("18.500")),
        other_funds=FundsRow(initial_budget=D("0"), full_year_budget=D("0"), executed=D("0")),
        goals=Goals(expected="培训农户300人次，建设示范基地3个。", actual="培训农户320人次，建成示范基地3个。"),
        indicators=_national_indicators(),
        total_weight=100, total_self_score=D("99.50"),
        signature=Signature(unit_head="张三", filled_by="李四", phone="0830-1234567", date="2024年3月20日"),
    )
    return Package(form=NATIONAL, fiscal_year=2023, unit_name=UNIT, projects=[table])


def national_overall() -> Package:
    """A national 部门整体支出绩效自评表, fully executed."""
    table = OverallTable(
        title="部门整体支出绩效自评表（2023年度）", unit_name=UNIT,
        funds=FundsRow(initial_budget=D("850.00"), full_year_budget=D("900.00"), executed=D("900.00"), weight=10,
                       execution_rate=D("100.00"), self_score=10),
        current_appropriation=FundsRow(initial_budget=D("800.00"), full_year_budget=D("820.00"), executed=D("820.00")),
        carryover=FundsRow(initial_budget=D("50.00"), full_year_budget=D("50.00"), executed=D("50.00")),
        other_funds=FundsRow(initial_budget=D("0"), full_year_budget=D("30.00"), executed=D("30.00")),
        goals=Goals(expected="保障机构正常运转，完成年度农业农村工作任务。", actual="机构运转正常，年度任务全部完成。"),
        indicators=_national_indicators(),
        total_weight=100, total_self_score=100,
        signature=Signature(unit_head="张三", filled_by="李四", phone="0830-1234567", date="2024年3月20日"),
    )
    return Package(form=NATIONAL, fiscal_year=2023, unit_name=UNIT, overall=table)


def province_project() -> Package:
    """The province's 部门预算项目支出绩效自评表: 权重 10 + 90, the target in three columns."""
    table = ProjectTable(
        title="部门预算项目支出绩效自评表（2023年度）",
        project_name="51000023T000000123456-2023年农业生产发展补助资金项目",
        department="某某县农业农村局", implementing_unit=UNIT,
        summary="项目按计划实施，完成补助资金发放和技术培训。",
        funds=FundsRow(initial_budget=D("200.00"), full_year_budget=D("200.00"), executed=D("196.00"),
                       execution_rate=D("98.00"), weight=10, self_score=D("9.80")),
        fiscal_funds=FundsRow(initial_budget=D("180.00"), full_year_budget=D("180.00"), executed=D("176.00"),
                              execution_rate=D("97.78"), weight="/", self_score="/"),
        special_account_funds=FundsRow(initial_budget=D("0"), full_year_budget=D("0"), executed=D("0"),
                                       weight="/", self_score="/"),
        unit_funds=FundsRow(initial_budget=D("20.00"), full_year_budget=D("20.00"), executed=D("20.00"),
                            execution_rate=D("100.00"), weight="/", self_score="/"),
        other_funds=FundsRow(initial_budget=D("0"), full_year_budget=D("0"), executed=D("0"), weight="/", self_score="/"),
        goals=Goals(expected="发放补助资金，培训农户500人次。", actual="已发放补助资金196万元，培训农户520人次。"),
        indicators=[
            Level1(label="产出指标", children=[
                Level2(label="数量指标", indicators=[
                    Indicator(name="培训农户人次", nature="≥", target="500", unit="人次", actual="520", weight=30,
                              self_score=30),
                ]),
                Level2(label="质量指标", indicators=[
                    Indicator(name="补助发放准确率", nature="=", target="100", unit="%", actual="100", weight=20,
                              self_score=20),
                ]),
                Level2(label="经济成本指标", indicators=[
                    Indicator(name="人均培训成本", nature="≤", target="500", unit="元", actual="480", weight=10,
                              self_score=10),
                ]),
            ]),
            Level1(label="效益指标", children=[
                Level2(label="社会效益指标", indicators=[
                    Indicator(name="农户种植技术水平", nature="定性", target="明显提升", actual="明显提升", weight=20,
                              self_score=20),
                ]),
            ]),
            Level1(label="满意度指标", children=[
                Level2(label="服务对象满意度指标", indicators=[
                    Indicator(name="受益农户满意度", nature="≥", target="90", unit="%", actual="96", weight=10,
                              self_score=10),
                ]),
            ]),
        ],
        total_weight=100, total_self_score=D("99.80"),
        conclusion="自评得分99.80分，等级为优，项目目标全部完成。", problems="无", improvements="加强资金监管。",
        signature=Signature(project_head="王五", finance_head="赵六"),
    )
    return Package(form=PROVINCE, fiscal_year=2023, unit_name=UNIT, projects=[table])
