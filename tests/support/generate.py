"""Generated packages: varied, internally consistent units with a chosen share of mistakes.

Used by the benchmark (1,000 packages) and by property tests. Every amount is a
Decimal with two places; subtotals are computed from their parts unless a mistake
is injected on purpose.
"""

from __future__ import annotations

import random
from decimal import Decimal

from jixiao.model import (
    AmountRow,
    FundsRow,
    Goals,
    Indicator,
    Level1,
    Level2,
    NamedAmountRow,
    Package,
    ProjectTable,
    Signature,
)

from .examples import clean

CENT = Decimal("0.01")


def _amt(rng: random.Random, lo: int, hi: int) -> Decimal:
    return Decimal(rng.randint(lo * 100, hi * 100)) * CENT


def _row(rng: random.Random, lo: int, hi: int) -> tuple[Decimal, Decimal, Decimal]:
    return _amt(rng, lo, hi), _amt(rng, lo, hi), _amt(rng, lo, hi)


def _sum_rows(rows):
    return tuple(sum((r[i] for r in rows), Decimal(0)) for i in range(3))


def generated_package(
    rng: random.Random, index: int, mistake_rate: float = 0.3, draft_reports: bool = False
) -> Package:
    pkg = clean()
    pkg.unit_name = f"测试单位{index:05d}"
    b = pkg.basic
    b.unit_name = pkg.unit_name
    est = rng.randint(5, 200)
    act = rng.randint(max(1, est - 10), est)
    b.staffing.establishment, b.staffing.actual = est, act
    b.staffing.control_rate = (Decimal(act) / Decimal(est) * 100).quantize(CENT)

    def put(field, values):
        setattr(b, field, AmountRow(prev_final=values[0], budget=values[1], final=values[2]))

    vp, vo, ov, rc = (_row(rng, 0, 30) for _ in range(4))
    put("vehicle_purchase", vp)
    put("vehicle_operation", vo)
    put("vehicle", _sum_rows([vp, vo]))
    put("overseas", ov)
    put("reception", rc)
    put("sangong", _sum_rows([vp, vo, ov, rc]))
    bus, ops = _row(rng, 10, 300), _row(rng, 10, 100)
    items = [_row(rng, 1, 200) for _ in range(rng.randint(1, 12))]
    trans = [_row(rng, 1, 50) for _ in range(rng.randint(0, 3))]
    b.district_special_items = [
        NamedAmountRow(name=f"专项{n}", prev_final=r[0], budget=r[1], final=r[2]) for n, r in enumerate(items)
    ]
    b.transfer_items = [
        NamedAmountRow(name=f"转移支付{n}", prev_final=r[0], budget=r[1], final=r[2]) for n, r in enumerate(trans)
    ]
    put("business_funds", bus)
    put("operation_funds", ops)
    put("district_special", _sum_rows(items))
    if trans:
        put("transfer", _sum_rows(trans))
    else:
        b.transfer = AmountRow()
    project = _sum_rows([bus, ops, *items, *trans])
    put("project_spending", project)
    if rng.random() < mistake_rate:
        b.district_special.final = b.district_special.final + Decimal("1.00")

    o = pkg.overall
    o.unit_name = pkg.unit_name
    basic_spend = _amt(rng, 100, 2000)
    total = basic_spend + project[2]
    budget = (total / Decimal(rng.uniform(0.85, 1.0))).quantize(CENT)
    o.funds.initial_budget = (budget * Decimal(rng.uniform(0.7, 1.0))).quantize(CENT)
    o.funds.full_year_budget = budget
    o.funds.executed = total
    o.funds.execution_rate = (total / budget * 100).quantize(CENT)
    o.funds.self_score = min(Decimal(10), (10 * total / budget).quantize(CENT))
    o.income.general_budget = total
    o.spending.basic = basic_spend
    o.spending.project = project[2]
    b.public_funds = AmountRow(prev_final=_amt(rng, 20, 60), budget=_amt(rng, 20, 60), final=_amt(rng, 20, 60))
    if rng.random() < mistake_rate:
        o.total_self_score = Decimal(100)
    pkg.projects = pkg.projects[: rng.randint(1, 4)]
    if draft_reports:
        # A unit's report repeats its own tables; drafting it from them keeps the prose
        # as consistent as a careful clerk's (the table mistakes above stay).
        from jixiao.report.draft import draft_report

        pkg.report = draft_report(pkg).report
    return pkg


def generated_packages(n: int, seed: int = 0, mistake_rate: float = 0.3, draft_reports: bool = False) -> list[Package]:
    rng = random.Random(seed)
    return [generated_package(rng, i, mistake_rate, draft_reports) for i in range(n)]


def project_table(name: str, executed: Decimal) -> ProjectTable:
    """A small, consistent project table for one first-level project."""
    return ProjectTable(
        title="2023年度项目支出绩效自评表", project_name=name, department="主管部门", implementing_unit="实施单位",
        funds=FundsRow(initial_budget=executed, full_year_budget=executed, executed=executed, weight=10,
                       execution_rate="100.00", self_score=10),
        goals=Goals(expected="完成", actual="已完成"),
        indicators=[Level1(label="产出指标(90分)", children=[Level2(label="数量指标", indicators=[
            Indicator(name="任务完成数", target="10个", actual="10个", weight=90, self_score=90)])])],
        total_weight=100, total_self_score=100,
        signature=Signature(unit_head="甲", filled_by="乙", phone="1", date="2024-05-01"),
    )
