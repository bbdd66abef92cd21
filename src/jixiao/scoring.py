"""The official scoring formulas (docs/forms.md §4), in the variant a rule pack chooses.

For every scored row we keep the unit's self-score beside what the rule gives: a
number for quantitative indicators and budget execution, a band for qualitative ones.
Rounding (四舍五入, two places) happens once, when a score is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .forms import figure_label, form_of, level2_kind, part_name
from .model import FundsRow, Indicator, Package, ProjectTable, fold, money, value_of
from .model.package import _EvaluationTable
from .pack import Pack, read_pack

Method = Literal["execution", "positive", "reverse", "qualitative", "undetermined", "blank"]
Achievement = Literal["achieved", "partial", "not_achieved"]
ACHIEVEMENT_ZH = {"achieved": "达成年度指标", "partial": "部分达成", "not_achieved": "未达成"}
# The execution row's method is named by the row itself (its ItemScore.name, the form's label).
METHOD_ZH = {
    "positive": "正向定量",
    "reverse": "反向定量",
    "qualitative": "定性",
    "undetermined": "无法自动判定",
    "blank": "未填写",
}


class ItemScore(BaseModel):
    model_config = ConfigDict(defer_build=True)

    path: str  # model path of the row: 'overall.indicators.0.children.3.indicators.0'
    level1: str | None = None
    level2: str | None = None
    name: str
    method: Method
    weight: Decimal | None = None
    self_score: Decimal | None = None
    computed: Decimal | None = None  # quantitative: the score the formula gives (unrounded)
    band_low: Decimal | None = None  # qualitative: the band the achievement allows
    band_high: Decimal | None = None
    achievement: Achievement | None = None
    ratio: Decimal | None = None  # B / A (or execution rate) used by the formula

    @property
    def allowed_max(self) -> Decimal | None:
        """The most the rule allows for this row, when it can say."""
        if self.computed is not None:
            return self.computed
        return self.band_high

    @property
    def too_high(self) -> bool:
        cap = self.allowed_max
        return self.self_score is not None and cap is not None and self.self_score > money(cap)

    @property
    def reviewed(self) -> Decimal | None:
        """The score a reviewer following the rule would keep."""
        if self.self_score is None:
            return self.computed
        if self.computed is not None:
            return min(self.self_score, money(self.computed))
        if self.band_high is not None:
            return min(max(self.self_score, money(self.band_low)), money(self.band_high))
        return self.self_score


class TableScore(BaseModel):
    model_config = ConfigDict(defer_build=True)

    part: str
    index: int | None = None
    table: str
    items: list[ItemScore]
    weight_total: Decimal | None
    self_total: Decimal | None
    computed_total: Decimal | None
    self_grade: str | None
    computed_grade: str | None


def grade(total: Decimal | None, pack: Pack) -> str | None:
    if total is None:
        return None
    for band in pack.get("grades"):
        if total >= Decimal(str(band["min"])):
            return band["grade"]
    return None


@lru_cache(maxsize=8192)
def _squeezed(text: str) -> str:
    """Folded, without spaces (cached: the same 已完成 / 100% recur in every table)."""
    return re.sub(r"\s+", "", fold(text))


def _achievement(ind: Indicator, pack: Pack) -> Achievement | None:
    words = pack.get("scoring", "qualitative")
    actual = _squeezed(ind.actual.raw or "")
    target = _squeezed(ind.target.raw or "")
    if not actual:
        return None
    if any(w in actual for w in words["not_achieved_words"]):
        return "not_achieved"
    if any(w in actual for w in words["partial_words"]):
        return "partial"
    if actual == target or (target and target in actual) or any(w in actual for w in words["achieved_words"]):
        return "achieved"
    return None


def _comparable(ind: Indicator) -> bool:
    a, b = ind.target.parsed, ind.actual.parsed
    if a.kind != "quantity" or b.kind != "quantity":
        return False
    return (a.unit or "") == (b.unit or "") or not a.unit or not b.unit


def indicator_direction(ind: Indicator, level2_name: str | None, pack: Pack | None = None) -> str:
    """'reverse' for 成本 indicators and targets written as ≤ / 不超过; else 'positive'."""
    if ind.target.parsed.direction == "le":
        return "reverse"
    if ind.target.parsed.direction == "ge":
        return "positive"
    name = fold(ind.name or "")
    if any(w in name for w in ("不超过", "控制在", "不高于", "低于", "≤")):
        return "reverse"
    return level2_kind(level2_name or "", form_of(pack)) or "positive"


def score_indicator(ind: Indicator, level2_name: str | None, pack: Pack) -> tuple[Method, dict]:
    w = value_of(ind.weight)
    if w is None or (ind.target.parsed.kind in ("blank", "na") and ind.actual.parsed.kind in ("blank", "na")):
        return "blank", {}
    if _comparable(ind):
        a = ind.target.parsed.magnitude
        b = ind.actual.parsed.magnitude
        direction = indicator_direction(ind, level2_name, pack)
        if direction == "positive":
            ratio = Decimal(1) if a == 0 else b / a
            return "positive", {"computed": min(w, w * ratio), "ratio": ratio}
        if pack.get("scoring", "reverse") == "linear_to_double":
            if b <= a:
                computed = w
            elif b >= 2 * a:
                computed = Decimal(0)
            else:
                computed = (1 - (b - a) / a) * w
        else:
            computed = w if b == 0 else min(w, w * a / b)
        return "reverse", {"computed": computed, "ratio": b / a if a else None}
    achievement = _achievement(ind, pack)
    if achievement is None:
        return "undetermined", {}
    lo, hi = (Decimal(str(x)) for x in pack.get("scoring", "qualitative", "bands", achievement))
    return "qualitative", {"band_low": lo * w, "band_high": hi * w, "achievement": achievement}


def score_execution(funds: FundsRow, path: str, form: dict | None = None) -> ItemScore:
    w = value_of(funds.weight)
    budget, executed = value_of(funds.full_year_budget), value_of(funds.executed)
    item = ItemScore(path=path, name=figure_label("overall.funds.execution_rate", form), method="execution", weight=w, self_score=value_of(funds.self_score))
    if w is None:
        item.method = "blank"
        return item
    if budget and executed is not None:
        ratio = executed / budget
    elif value_of(funds.execution_rate) is not None:
        ratio = value_of(funds.execution_rate) / 100
    else:
        return item
    item.ratio = ratio
    item.computed = w * min(ratio, Decimal(1))
    return item


def iter_indicators(table: _EvaluationTable, prefix: str) -> Iterator[tuple[str, str, str, Indicator]]:
    for i, l1 in enumerate(table.indicators):
        for j, l2 in enumerate(l1.children):
            for k, ind in enumerate(l2.indicators):
                yield f"{prefix}.indicators.{i}.children.{j}.indicators.{k}", l1.name, l2.name, ind


def table_name(table: _EvaluationTable, index: int | None, form: dict | None = None) -> tuple[str, str]:
    """The part an evaluation table belongs to and the table's own name ('项目支出绩效自评表（…）')."""
    if isinstance(table, ProjectTable):
        part = part_name("project", form)
        name = table.project_name if table.project_name and table.project_name != "/" else f"第{(index or 0) + 1}张"
        return part, f"{part}（{name}）"
    part = part_name("overall", form)
    return part, part


def score_table(table: _EvaluationTable, prefix: str, index: int | None, pack: Pack) -> TableScore:
    form = form_of(pack)
    items = [score_execution(table.funds, f"{prefix}.funds", form)]
    for path, l1, l2, ind in iter_indicators(table, prefix):
        method, extra = score_indicator(ind, l2, pack)
        items.append(
            ItemScore(
                path=path, level1=l1, level2=l2, name=re.sub(r"\s+", "", ind.name or ""), method=method,
                weight=value_of(ind.weight), self_score=value_of(ind.self_score), **extra,
            )
        )
    weights = [i.weight for i in items if i.weight is not None]
    selfs = [i.self_score for i in items if i.self_score is not None]
    reviewed = [i.reviewed for i in items if i.reviewed is not None]
    self_total = sum(selfs, Decimal(0)) if selfs else None
    computed_total = money(sum((money(r) for r in reviewed), Decimal(0))) if reviewed else None
    part, name = table_name(table, index, form)
    return TableScore(
        part=part, index=index, table=name, items=items,
        weight_total=sum(weights, Decimal(0)) if weights else None,
        self_total=self_total, computed_total=computed_total,
        self_grade=grade(self_total, pack), computed_grade=grade(computed_total, pack),
    )


def score_package(package: Package, pack: Pack | None = None) -> list[TableScore]:
    pack = pack or read_pack()
    tables = []
    if package.overall is not None:
        tables.append(score_table(package.overall, "overall", None, pack))
    for i, project in enumerate(package.projects):
        tables.append(score_table(project, f"projects.{i}", i, pack))
    return tables
