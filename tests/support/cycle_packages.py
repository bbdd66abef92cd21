"""Packages on the cycle's forms (targets-national, monitoring-national), built by code.

``targets_doc`` and ``monitoring_doc`` return JSON-shaped documents from the forms' own empty
package (jixiao.forms.skeleton), filled with what the arguments say, so a test can vary the task
rows, the ticked causes and the likelihood; ``package`` validates one into a ``Package``."""

from __future__ import annotations

from typing import Any

from jixiao.forms import skeleton
from jixiao.model import Package

UNIT = "岳阳市城市管理局"
CAUSES = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")
LIKELIHOODS = ("确定能", "有可能", "完全不可能")


def _first_indicator(table: dict[str, Any]) -> dict[str, Any]:
    return table["indicators"][0]["children"][0]["indicators"][0]


def targets_doc(tasks: list[tuple[str, str, str | None, str | None, str | None]] | None = None, *,
                projects: int = 1, year: int = 2024) -> dict[str, Any]:
    """An 整体 target table with ``tasks`` (name, content, total, fiscal, other) and ``projects``
    project tables, each with its 中期/年度 funds, goals and one indicator written in."""
    doc = skeleton.empty_package("targets-national", unit_name=UNIT, year=year, projects=projects, rows=1)
    overall = doc["overall"]
    if tasks is None:
        tasks = [("城市道路保洁", "主次干道机扫、人工保洁", "320.50", "300", "20.50"),
                 ("市容执法", "占道经营整治", "80", "80", None)]
    overall["tasks"] = [{"name": n, "content": c, "total": t, "fiscal": f, "other": o} for n, c, t, f, o in tasks]
    overall["goals"] = {"expected": "1．城区道路机扫率达到95%以上；\n2．市容环境投诉办结率100%。"}
    _first_indicator(overall).update({"name": "道路机扫面积", "target": "≥320万平方米", "weight": "10"})
    for i, project in enumerate(doc["projects"]):
        project.update({
            "project_name": f"城区环卫保洁项目{i + 1}", "department": "岳阳市城市管理局（101）",
            "implementing_unit": "岳阳市环卫处", "project_type": "延续", "project_period": "2023-2025年",
            "funds": {"mid_term_budget": "960", "initial_budget": "320.50"},
            "current_appropriation": {"mid_term_budget": "900", "initial_budget": "300"},
            "other_funds": {"mid_term_budget": "60", "initial_budget": "20.50"},
            "goals": {"mid_term": "三年内城区道路机扫率达到98%。", "expected": "当年城区道路机扫率达到95%以上。"},
        })
        _first_indicator(project).update({"name": "道路机扫面积", "mid_term_target": "≥960万平方米",
                                          "target": "≥320万平方米", "weight": "10"})
    return doc


def monitoring_doc(causes: list[str] | None = None, likelihood: str | None = "有可能", *, projects: int = 1,
                   year: int = 2024) -> dict[str, Any]:
    """A monitoring package: an 整体 table and ``projects`` project tables, the first indicator of
    each with its 1-7月 figure, its forecast, the ``causes`` ticked and the ``likelihood``."""
    doc = skeleton.empty_package("monitoring-national", unit_name=UNIT, year=year, projects=projects, rows=1)
    causes = ["经费保障", "人员保障"] if causes is None else causes
    for i, table in enumerate([doc["overall"], *doc["projects"]]):
        if i:
            table.update({"project_name": f"城区环卫保洁项目{i}", "department": "岳阳市城市管理局",
                          "implementing_unit": "岳阳市环卫处"})
        table["funds"] = {"initial_budget": "320.50", "executed": "150", "forecast": "310"}
        table["goals"] = {"expected": "当年城区道路机扫率达到95%以上。", "actual": "1-7月机扫率91%。"}
        _first_indicator(table).update({"name": "道路机扫面积", "target": "≥320万平方米", "actual": "150万平方米",
                                        "forecast": "300万平方米", "causes": list(causes), "likelihood": likelihood,
                                        "remark": "机扫车辆维修"})
    return doc


def package(doc: dict[str, Any]) -> Package:
    return Package.model_validate(doc)
