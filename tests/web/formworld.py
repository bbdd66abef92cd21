"""Campaigns on the other forms the program ships (the national tables, a province's project
table), each with the form's own rule pack: a campaign created by the bureau's own action, and
project tables filled as a unit fills them."""

from __future__ import annotations

import copy
from decimal import Decimal
from importlib import resources

PROJECT_FORM = "sichuan-2023-project"  # project tables only
NATIONAL_FORM = "national"  # a 整体 table and project tables
YEAR = 2024  # the world's own campaign is 2023; one campaign per bureau and year


def pack_text(form: str) -> str:
    """The text of the rule pack that ships with ``form`` (rules/packs/<form>.yaml)."""
    return resources.files("jixiao.rules").joinpath("packs", f"{form}.yaml").read_text(encoding="utf-8")


def form_campaign(world, form: str, year: int = YEAR):
    """A campaign of the world's bureau on ``form`` (units A and B) with the form's own rule pack,
    created as the bureau does."""
    from jixiao.web.bureau.actions import do_create_campaign

    return do_create_campaign(actor=world.reviewer, year=year, title=f"{year}年度项目自评", rule_pack=form,
                              deadline=None, unit_ids=[world.unit_a.pk, world.unit_b.pk])


def filled_project(table: dict, name: str, unit: str, *, budget: str = "100", executed: str = "95") -> dict:
    """A project table filled as a unit would: funds with 其中 rows and 原因, goals, one 三级指标
    per 一级 with 指标性质 and 度量单位, scores, the closing text rows and the signature."""
    t = copy.deepcopy(table)
    rate = (Decimal(executed) * 100 / Decimal(budget)).quantize(Decimal("0.01"))
    weight = Decimal(str(t["funds"].get("weight") or 10))
    t.update(project_name=name, department="某某县财政局", implementing_unit=unit,
             summary="完成县乡道路养护120公里。", conclusion="项目总体完成年度目标，自评等级为优。",
             problems="部分路段养护进度偏慢。", improvements="细化月度养护计划。")
    t["funds"] = {**t["funds"], "initial_budget": budget, "full_year_budget": budget, "executed": executed,
                  "execution_rate": str(rate), "self_score": str((weight * rate / 100).quantize(Decimal("0.01"))),
                  "reason": "年末尚有工程款未结算。"}
    t["fiscal_funds"] = {"initial_budget": "80", "full_year_budget": "80", "executed": "76", "execution_rate": "95.00"}
    t["unit_funds"] = {"initial_budget": "20", "full_year_budget": "20", "executed": "19", "execution_rate": "95.00"}
    t["goals"] = {"expected": "完成县乡道路养护120公里。", "actual": "完成县乡道路养护120公里。"}
    scores = {"产出指标": ("120", "公里", "50"), "效益指标": ("95", "%", "30"), "满意度指标": ("90", "%", "10")}
    for l1 in t["indicators"]:
        name1 = next(k for k in scores if l1["label"].startswith(k))
        target, unit, weight1 = scores[name1]
        l1["children"][0]["indicators"] = [{
            "name": f"{name1[:2]}考核值", "nature": "≥", "target": {"raw": target}, "unit": unit,
            "actual": {"raw": target}, "weight": weight1, "self_score": weight1,
        }]
        for child in l1["children"][1:]:
            child["indicators"] = []
    t["total_weight"] = "100"
    t["total_self_score"] = str(Decimal(t["funds"]["self_score"]) + 90)
    t["signature"] = {"project_head": "王五", "finance_head": "赵六", "filled_by": "李四", "phone": "0730-1234567",
                      "date": "2025-03-20", "unit_head": "张三"}
    return t
