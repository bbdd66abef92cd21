"""Filled packages on the forms beyond the default one, as units publish them (figures invented,
shaped as docs/forms.md and the forms' descriptions say): for rendering, templates and the web."""

from __future__ import annotations

import copy
from typing import Any

from jixiao.forms.skeleton import empty_package

NATIONAL = "national"
PROVINCE_PROJECT = "sichuan-2023-project"


def _indicators(rows: list[tuple[str, str, list[dict[str, Any]]]]) -> list[dict[str, Any]]:
    tree: dict[str, dict[str, Any]] = {}
    for l1, l2, items in rows:
        node = tree.setdefault(l1, {"label": l1, "children": []})
        node["children"].append({"label": l2, "indicators": items})
    return list(tree.values())


def national_package() -> dict[str, Any]:
    doc = empty_package(NATIONAL, unit_name="某某县城市管理局", year=2023, projects=1)
    doc["overall"].update(
        unit_name="305-某某县城市管理局",
        funds={"initial_budget": "1200.00", "full_year_budget": "1350.50", "executed": "1298.25", "weight": "10",
               "execution_rate": "96.13", "self_score": "9.6"},
        current_appropriation={"initial_budget": "1000.00", "full_year_budget": "1100.50", "executed": "1060.25"},
        carryover={"initial_budget": "150.00", "full_year_budget": "200.00", "executed": "190.00"},
        other_funds={"initial_budget": "50.00", "full_year_budget": "50.00", "executed": "48.00"},
        goals={"expected": "保障城市道路清扫保洁和市政设施维护，全年完成道路保洁面积120万平方米。",
               "actual": "全年完成道路保洁面积121.5万平方米，市政设施完好率98%。"},
        indicators=_indicators([
            ("产出指标(50分)", "数量指标", [
                {"name": "指标1：道路保洁面积", "target": "≥120万平方米", "actual": "121.5万平方米", "weight": "20",
                 "self_score": "20"},
                {"name": "指标2：设施维护次数", "target": "≥30次", "actual": "32", "weight": "10", "self_score": "10"}]),
            ("产出指标(50分)", "质量指标", [
                {"name": "市政设施完好率", "target": "≥98%", "actual": "98%", "weight": "10", "self_score": "10"}]),
            ("产出指标(50分)", "时效指标", [
                {"name": "完成时间", "target": "12月底前", "actual": "2023年12月", "weight": "10", "self_score": "10"}]),
            ("效益指标(30分)", "社会效益指标", [
                {"name": "市容环境改善", "target": "显著提升", "actual": "已完成", "weight": "30", "self_score": "28",
                 "deviation_reason": "部分背街小巷保洁频次不足，下一年度增加巡查。"}]),
            ("满意度指标(10分)", "服务对象满意度指标", [
                {"name": "群众满意度", "target": "≥90%", "actual": "92%", "weight": "10", "self_score": "10"}]),
        ]),
        total_weight="100", total_self_score="97.6",
        signature={"unit_head": "张三", "filled_by": "李四", "phone": "0730-1234567", "date": "2024-03-15"},
    )
    doc["projects"][0].update(
        project_name="城区道路清扫保洁经费", department="305-某某县城市管理局", implementing_unit="305002-某某县环卫中心",
        funds={"initial_budget": "300.00", "full_year_budget": "320.00", "executed": "318.40", "weight": "10",
               "execution_rate": "99.50", "self_score": "9.95"},
        current_appropriation={"initial_budget": "300.00", "full_year_budget": "300.00", "executed": "298.40",
                               "weight": "/", "self_score": "/"},
        carryover={"full_year_budget": "20.00", "executed": "20.00"},
        other_funds={},
        goals={"expected": "完成城区主次干道清扫保洁。", "actual": "按计划完成。"},
        indicators=copy.deepcopy(doc["overall"]["indicators"]),
        total_weight="100", total_self_score="97.55",
    )
    return doc


def province_project_package() -> dict[str, Any]:
    doc = empty_package(PROVINCE_PROJECT, unit_name="某某县农业农村局", year=2023, projects=1)
    note = ("1.预算执行率=预算执行数/调整后预算数；预算执行率低于90%的须说明原因（100字以内）。"
            "2.年中追加或调减预算的，须单独说明。3.其他资金=社会投入资金、银行贷款。")
    doc["projects"][0].update(
        project_name="51xxxxxxT000012345678-2023年某某补助资金项目", department="某某县农业农村局",
        implementing_unit="某某县农业技术推广中心",
        goals={"expected": "完成高标准农田建设2000亩，带动农户增收。",
               "actual": "完成高标准农田建设2050亩，惠及农户620户。"},
        summary="项目于2023年3月启动，经招标确定施工单位，11月完成竣工验收。",
        funds={"initial_budget": "500.00", "full_year_budget": "480.00", "executed": "470.40", "execution_rate": "98.00",
               "weight": "10", "self_score": "9.8", "reason": note},
        fiscal_funds={"initial_budget": "400.00", "full_year_budget": "380.00", "executed": "372.40",
                      "execution_rate": "98.00", "weight": "/", "self_score": "/"},
        special_account_funds={"initial_budget": "0.00", "full_year_budget": "0.00", "executed": "0.00",
                               "weight": "/", "self_score": "/"},
        unit_funds={"initial_budget": "100.00", "full_year_budget": "100.00", "executed": "98.00",
                    "execution_rate": "98.00", "weight": "/", "self_score": "/"},
        other_funds={"initial_budget": "0.00", "full_year_budget": "0.00", "executed": "0.00",
                     "weight": "/", "self_score": "/"},
        indicators=_indicators([
            ("产出指标", "数量指标", [
                {"name": "高标准农田建设面积", "nature": "≥", "target": "2000", "unit": "亩", "actual": "2050",
                 "weight": "30", "self_score": "30"}]),
            ("产出指标", "质量指标", [
                {"name": "工程验收合格率", "nature": "=", "target": "100", "unit": "%", "actual": "100",
                 "weight": "20", "self_score": "20"}]),
            ("产出指标", "经济成本指标", [
                {"name": "亩均投资", "nature": "≤", "target": "2400", "unit": "元", "actual": "2295",
                 "weight": "10", "self_score": "10"}]),
            ("效益指标", "社会效益指标", [
                {"name": "惠及农户", "nature": "≥", "target": "600", "unit": "户", "actual": "620",
                 "weight": "20", "self_score": "20"}]),
            ("满意度指标", "服务对象满意度指标", [
                {"name": "受益农户满意度", "nature": "≥", "target": "90", "unit": "%", "actual": "88",
                 "weight": "10", "self_score": "8", "deviation_reason": "部分农户对施工进度有意见。"}]),
        ]),
        total_weight="100", total_self_score="97.8",
        conclusion="项目自评得分97.8分，等级为优。高标准农田建设任务全面完成。",
        problems="项目前期准备不充分，开工时间较计划推迟。", improvements="加强项目前期论证，提前做好招标准备。",
        signature={"project_head": "王五", "finance_head": "赵六"},
    )
    return doc


def other_form_packages() -> dict[str, dict[str, Any]]:
    return {NATIONAL: national_package(), PROVINCE_PROJECT: province_project_package()}
