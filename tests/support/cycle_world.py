"""Packages of the cycle's steps built by code: approved targets (项目, 整体 or both, with or
without weights, signs written in the 指标值 or apart), the monitoring table and the
self-evaluation started from them (jixiao.cycle), each right until a test changes one cell."""

from __future__ import annotations

from decimal import Decimal

from jixiao.cycle import evaluation_from_targets, monitoring_from_targets
from jixiao.forms.skeleton import empty_package
from jixiao.model import IndicatorValue, Package, Task

UNIT = "某某县城市管理局"
YEAR = 2024
D = Decimal

# (一级, 二级, 三级, 年度指标值, 中期指标值, 分值): a tree that every target check accepts.
TREE = [
    ("产出指标", "数量指标", "道路保洁面积", "≥120万平方米", "≥360万平方米", "20"),
    ("产出指标", "质量指标", "设施完好率", "≥98%", "≥98%", "10"),
    ("产出指标", "时效指标", "完成时间", "12月底前", "2026年底前", "10"),
    ("产出指标", "成本指标", "单位面积保洁成本", "≤2.5元", "≤2.5元", "10"),
    ("效益指标", "社会效益指标", "投诉办结率", "=100%", "=100%", "30"),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "≥92%", "20"),
]


def _fill_tree(table, rows, *, weights: bool) -> None:
    by_l2 = {l2.name: l2 for l1 in table.indicators for l2 in l1.children}
    for l2 in by_l2.values():
        l2.indicators = []
    from jixiao.model import Indicator

    for _, l2, name, target, mid, weight in rows:
        by_l2[l2].indicators.append(Indicator(name=name, target=IndicatorValue.model_validate(target),
                                              mid_term_target=IndicatorValue.model_validate(mid),
                                              weight=D(weight) if weights else None))


def targets(*, projects: int = 1, overall: bool = True, weights: bool = True, rows=TREE) -> Package:
    """An approved targets package: ``projects`` 项目 tables (项目甲, 项目乙 …) and the 整体 table."""
    doc = empty_package("targets-national", unit_name=UNIT, year=YEAR, projects=max(projects, 1))
    pkg = Package.model_validate(doc)
    names = "甲乙丙丁"
    for i, p in enumerate(pkg.projects):
        p.project_name, p.department, p.implementing_unit, p.project_type = f"项目{names[i]}", UNIT, UNIT, "新增"
        p.project_period = "3年"
        p.funds.initial_budget, p.current_appropriation.initial_budget, p.other_funds.initial_budget = D("100"), D("80"), D("20")
        p.funds.mid_term_budget, p.current_appropriation.mid_term_budget, p.other_funds.mid_term_budget = (
            D("300"), D("240"), D("60"))
        p.goals.expected, p.goals.mid_term = "完成城区道路清扫保洁。", "三年内保持城区道路清扫保洁全覆盖。"
        _fill_tree(p, rows, weights=weights)
    if projects == 0:
        pkg.projects = []
    if overall:
        o = pkg.overall
        o.unit_name = UNIT
        o.tasks = [Task(name="道路保洁", content="城区道路清扫", total=D("300"), fiscal=D("250"), other=D("50")),
                   Task(name="设施维护", content="市政设施维护", total=D("200"), fiscal=D("200"), other=D("0"))]
        o.tasks_total = Task(total=D("500"), fiscal=D("450"), other=D("50"))
        o.goals.expected = "保障城市道路清扫保洁和市政设施维护。"
        _fill_tree(o, rows, weights=weights)
    else:
        pkg.overall = None
    for t in ([pkg.overall] if pkg.overall else []) + pkg.projects:
        t.signature.unit_head, t.signature.filled_by, t.signature.phone, t.signature.date = "张三", "李四", "0730-1234567", "2023-10-15"
    return pkg


def indicator(table, name: str):
    return next(ind for l1 in table.indicators for l2 in l1.children for ind in l2.indicators if ind.name == name)


def monitoring(approved: Package | None = None) -> Package:
    """The monitoring table from the approved targets, filled on time and on target."""
    m = monitoring_from_targets(approved or targets())
    for t in ([m.overall] if m.overall else []) + m.projects:
        budget = t.funds.initial_budget
        t.funds.executed = (budget * D("0.6")).quantize(D("0.01"))
        t.funds.execution_rate = D("60.00")
        t.funds.forecast = budget
        t.goals.actual = "按计划推进。"
        if isinstance(t.current_appropriation.initial_budget, Decimal):
            t.current_appropriation.executed = None
        for l1 in t.indicators:
            for l2 in l1.children:
                for ind in l2.indicators:
                    ind.forecast = ind.target
                    ind.likelihood = "确定能"
        t.signature.unit_head, t.signature.filled_by, t.signature.phone, t.signature.date = "张三", "李四", "0730-1234567", "2024-08-10"
    return m


def evaluation(approved: Package | None = None, form: str = "national") -> Package:
    """The self-evaluation started from the approved targets (values and weights as approved)."""
    return evaluation_from_targets(approved or targets(), form)
