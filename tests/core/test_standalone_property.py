"""A right table is never called wrong: generated tables of the new forms whose sums, rates and
scores are right (by the rule the pack names) get no error- or warning-level arithmetic finding."""

from __future__ import annotations

from decimal import ROUND_HALF_UP
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.api import check_package
from jixiao.model import FundsRow, Goals, Indicator, Level1, Level2, OverallTable, Package, ProjectTable
from support.standalone import NATIONAL, PROVINCE, UNIT

ARITHMETIC = ("rate.", "eval.", "weights.", "score.")


def _money(x: D) -> D:
    return x.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def _total(values):
    filled = [v for v in values if v is not None]
    return sum(filled, D(0)) if filled else None


# One 其中 row: blank, or budgets and an execution (amounts to three places, as units print them).
milli = st.integers(min_value=0, max_value=10**9).map(lambda m: D(m) / 1000)
fund_row = st.one_of(st.none(), st.tuples(milli, milli, st.integers(0, 120)))


def _partition(draw, total: int, parts: int) -> list[int]:
    cuts = sorted(draw(st.lists(st.integers(1, total - 1), min_size=parts - 1, max_size=parts - 1, unique=True))) \
        if parts > 1 else []
    bounds = [0, *cuts, total]
    return [b - a for a, b in zip(bounds, bounds[1:], strict=False)]


@st.composite
def indicator(draw, weight: int, kind: str, national: bool) -> tuple[Indicator, D]:
    """A 三级 row with the score the rule gives (and a reason whenever it falls short)."""
    target = draw(st.integers(1, 1000))
    if kind == "qualitative":
        actual, share = draw(st.sampled_from([("明显提升", D(1)), ("部分完成", D("0.8")), ("未完成", D("0.6"))]))
        score = _money(weight * share)
        cells = dict(nature=None if national else "定性", target="明显提升", actual=actual)
    else:
        actual_n = draw(st.one_of(st.just(target), st.integers(1, 2000)))
        a, b = D(target), D(actual_n)
        if kind == "ge":
            computed = min(D(weight), weight * b / a)
        elif kind == "le":
            computed = min(D(weight), weight * a / b)
        else:
            computed = D(weight) if a == b else D(0)
        score = _money(computed)
        sign = {"ge": "≥", "le": "≤", "eq": "="}[kind]
        unit = "%" if kind == "eq" else "个"
        if national:
            cells = dict(target=f"{sign}{target}{unit}", actual=f"{actual_n}{unit}")
        else:
            cells = dict(nature=sign, target=str(target), unit=unit, actual=str(actual_n))
    short = score < weight or cells["actual"] in ("部分完成", "未完成") or (kind == "eq" and score == 0)
    reason = "受客观因素影响，未完全达到目标" if short or kind != "qualitative" else None
    return Indicator(name=f"指标{target}", weight=weight, self_score=score, deviation_reason=reason, **cells), score


@st.composite
def table(draw, national: bool, overall: bool = False):
    if national:
        kinds = [("ge", "数量指标"), ("le", "成本指标"), ("qualitative", "社会效益指标")]
        rows = ("current_appropriation", "carryover", "other_funds")
    else:
        kinds = [("ge", "数量指标"), ("le", "经济成本指标"), ("eq", "质量指标"), ("qualitative", "社会效益指标")]
        rows = ("fiscal_funds", "special_account_funds", "unit_funds", "other_funds")
    cells = {}
    for field in rows:
        row = draw(fund_row)
        if row is None:
            cells[field] = FundsRow()
            continue
        initial, full, pct = row
        executed = (full * pct / 100).quantize(D("0.001"))
        rate = None if national or not full else _money(executed / full * 100)
        cells[field] = FundsRow(initial_budget=initial, full_year_budget=full, executed=executed, execution_rate=rate,
                                weight=None if national else "/", self_score=None if national else "/")
    sums = {c: _total([getattr(cells[f], c) for f in rows]) for c in ("initial_budget", "full_year_budget", "executed")}
    full, executed = sums["full_year_budget"], sums["executed"]
    rate = _money(executed / full * 100) if full else None
    execution_score = _money(10 * min(executed / full, D(1))) if full else None
    funds = FundsRow(**sums, execution_rate=rate, weight=10, self_score=execution_score, reason=None if national else "说明")

    level1_weights = [("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)] if national else \
        list(zip(["产出指标", "效益指标", "满意度指标"], _partition(draw, 90, 3), strict=True))
    indicators, scores = [], [] if execution_score is None else [execution_score]
    for name, weight in level1_weights:
        n = draw(st.integers(1, min(4, weight)))
        children = []
        for w in _partition(draw, weight, n):
            kind, level2 = draw(st.sampled_from(kinds))
            ind, score = draw(indicator(w, kind, national))
            children.append(Level2(label=level2, indicators=[ind]))
            scores.append(score)
        indicators.append(Level1(label=f"{name}({weight}分)" if national else name, children=children))
    common = dict(funds=funds, goals=Goals(expected="目标", actual="完成情况"), indicators=indicators,
                  total_weight=100, total_self_score=sum(scores, D(0)), **cells)
    if overall:
        return OverallTable(unit_name=UNIT, **common)
    return ProjectTable(project_name="某项目", implementing_unit=UNIT, **common)


def _arithmetic(pkg: Package) -> list[str]:
    return [f.message for f in check_package(pkg).findings
            if f.rule.startswith(ARITHMETIC) and f.severity in ("error", "warning")]


@settings(max_examples=80, deadline=None)
@given(table(national=False))
def test_a_right_province_table_is_not_called_wrong(project):
    assert _arithmetic(Package(form=PROVINCE, fiscal_year=2023, unit_name=UNIT, projects=[project])) == []


@settings(max_examples=60, deadline=None)
@given(table(national=True))
def test_a_right_national_project_table_is_not_called_wrong(project):
    assert _arithmetic(Package(form=NATIONAL, fiscal_year=2023, unit_name=UNIT, projects=[project])) == []


@settings(max_examples=40, deadline=None)
@given(table(national=True, overall=True))
def test_a_right_national_overall_table_is_not_called_wrong(overall):
    assert _arithmetic(Package(form=NATIONAL, fiscal_year=2023, unit_name=UNIT, overall=overall)) == []


@settings(max_examples=40, deadline=None)
@given(table(national=False), st.sampled_from(["initial_budget", "full_year_budget", "executed"]),
       st.integers(min_value=2, max_value=10**6).map(lambda c: D(c) / 100))
def test_a_wrong_total_is_caught_with_both_figures(project, column, delta):
    written = getattr(project.funds, column)
    if written is None:
        return
    setattr(project.funds, column, written + delta)
    pkg = Package(form=PROVINCE, fiscal_year=2023, unit_name=UNIT, projects=[project])
    hits = [f for f in check_package(pkg).findings if f.rule == "eval.project_funds_split"]
    assert [f.location.path for f in hits] == [f"projects.0.funds.{column}"]
    assert (hits[0].expected, hits[0].actual) == (format(written, "f"), format(written + delta, "f"))
