"""Campaigns on the other forms the program ships (the national tables, a province's project
table): a rule pack for each, a campaign created by the bureau's own action, and filled tables.

Each form's own rule pack is used when it has landed (rules/packs/<form>.yaml); until then a
stand-in is written to the test's temporary folder: the default pack with its ``form`` pointed at
the form and the rule that asks for the default form's parts left out.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from importlib import resources
from pathlib import Path

import yaml

PROJECT_FORM = "sichuan-2023-project"  # project tables only
NATIONAL_FORM = "national"  # a 整体 table and project tables
YEAR = 2024  # the world's own campaign is 2023; one campaign per bureau and year


def shipped_pack(form: str) -> bool:
    return resources.files("jixiao.rules").joinpath("packs", f"{form}.yaml").is_file()


def pack_for_form(form: str, folder: Path) -> str:
    """The rule pack a test campaign on ``form`` uses: the form's own pack, or a stand-in file."""
    if shipped_pack(form):
        return form
    from jixiao.rules import DEFAULT_PACK

    text = resources.files("jixiao.rules").joinpath("packs", f"{DEFAULT_PACK}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data.update(id=f"stand-in-{form}", name=f"测试用规则包（{form}）", form=form)
    data["rules"].pop("complete.part_missing", None)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{form}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


def form_campaign(world, form: str, folder: Path, year: int = YEAR):
    """A campaign of the world's bureau on ``form`` (units A and B), created as the bureau does."""
    from jixiao.web.bureau.actions import do_create_campaign

    return do_create_campaign(actor=world.reviewer, year=year, title=f"{year}年度项目自评", rule_pack=pack_for_form(form, folder),
                              deadline=None, unit_ids=[world.unit_a.pk, world.unit_b.pk])


def filled_project(table: dict, name: str, *, budget: str = "100", executed: str = "95") -> dict:
    """A project table filled as a unit would: funds with 其中 rows and 原因, goals, one 三级指标
    per 一级 with 指标性质 and 度量单位, scores, the closing text rows and the signature."""
    t = copy.deepcopy(table)
    rate = (Decimal(executed) * 100 / Decimal(budget)).quantize(Decimal("0.01"))
    weight = Decimal(str(t["funds"].get("weight") or 10))
    t.update(project_name=name, department="某某县财政局", implementing_unit="某某县公路事务中心",
             summary="完成县乡道路养护120公里。", conclusion="项目总体完成年度目标，自评等级为优。",
             problems="部分路段养护进度偏慢。", improvements="细化月度养护计划。")
    t["funds"] = {**t["funds"], "initial_budget": budget, "full_year_budget": budget, "executed": executed,
                  "execution_rate": str(rate), "self_score": str((weight * rate / 100).quantize(Decimal("0.01"))),
                  "reason": "年末尚有工程款未结算。"}
    t["fiscal_funds"] = {"initial_budget": "80", "full_year_budget": "80", "executed": "76"}
    t["unit_funds"] = {"initial_budget": "20", "full_year_budget": "20", "executed": "19"}
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
