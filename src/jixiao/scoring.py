"""The official scoring formulas (docs/forms.md §4), in the variant a rule pack chooses.

For every scored row we keep the unit's self-score beside what the rule gives: a
number for quantitative indicators and budget execution, a band for qualitative ones.
Rounding (四舍五入, two places) happens once, when a score is reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .forms import DEFAULT_FORM, column_label, figure_label, form_of, level2_kind, load_form, part_name
from .model import FundsRow, Indicator, Package, ProjectTable, fold, money, value_of
from .model.package import _EvaluationTable
from .model.values import ParsedValue, parse_indicator_value
from .pack import Pack, pack_for
from .text import squeeze

Method = Literal["execution", "positive", "reverse", "exact", "qualitative", "undetermined", "unverifiable", "blank"]
Achievement = Literal["achieved", "partial", "not_achieved"]
ACHIEVEMENT_ZH = {"achieved": "达成年度指标", "partial": "部分达成", "not_achieved": "未达成"}
# The execution row's method is named by the row itself (its ItemScore.name, the form's label).
METHOD_ZH = {
    "positive": "正向定量",
    "reverse": "反向定量",
    "exact": "等值定量",
    "qualitative": "定性",
    "undetermined": "无法自动判定",
    "unverifiable": "结果非数值无法核实",
    "blank": "未填写",
}


@dataclass(slots=True, kw_only=True)
class ItemScore:
    """One scored row. A plain dataclass, not a validated model: the scorer alone builds it, from
    values the package's model has validated, a hundred times per package (a model cost 2.7 µs
    each, a tenth of a whole check); TableScore still dumps it to JSON as it did."""

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
    def missed(self) -> bool:
        """The result falls short of the target (a 正向 ratio under 1, a 反向 one over, an 等值 one
        off, a qualitative one not achieved)."""
        if self.method == "qualitative":
            return self.achievement != "achieved"
        if self.method == "exact":
            return self.computed is not None and self.weight is not None and self.computed < self.weight
        if self.ratio is None:
            return False
        return {"positive": self.ratio < 1, "reverse": self.ratio > 1}.get(self.method, False)

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
    return squeeze(fold(text))


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


def _comparable(a: ParsedValue, b: ParsedValue) -> bool:
    if a.kind != "quantity" or b.kind != "quantity":
        return False
    return (a.unit or "") == (b.unit or "") or not a.unit or not b.unit


def _in_same_terms(target: ParsedValue, actual: ParsedValue) -> tuple[Decimal, Decimal]:
    """Both figures' magnitudes, a bare figure read in the other cell's written unit and scale:
    '2.1' against '≥2万亩' is 2.1万亩 (units write the result bare in the target's terms)."""
    if target.scale and actual.scale is None and not actual.unit:
        return target.magnitude, actual.magnitude_at(target.scale)
    if actual.scale and target.scale is None and not target.unit:
        return target.magnitude_at(actual.scale), actual.magnitude
    return target.magnitude, actual.magnitude


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


def _with_unit(raw: str | None, unit: str | None) -> ParsedValue:
    """A bare figure read with the row's 度量单位 ('95' and '%' → 95%); a figure that carries a unit as is."""
    parsed = parse_indicator_value(raw)
    if unit and parsed.kind == "quantity" and not parsed.unit:
        return parse_indicator_value(f"{raw}{unit.strip()}")
    return parsed


def effective_values(ind: Indicator, pack: Pack) -> tuple[ParsedValue, ParsedValue, str | None]:
    """(target, result, how the 指标性质 says to compare them).

    Forms with a 指标性质 column print the sign apart from the bare 指标值 and its 度量单位; the
    pack's ``scoring.natures`` maps each sign to a method (positive, reverse, exact, qualitative),
    and any other text there marks a qualitative indicator. Without a 指标性质 the target cell
    holds all three and the method is read from it (None)."""
    nature = (ind.nature or "").strip()
    if not nature:
        return ind.target.parsed, ind.actual.parsed, None
    method = (pack.get("scoring", "natures") or {}).get(fold(nature), "qualitative")
    return _with_unit(ind.target.raw, ind.unit), _with_unit(ind.actual.raw, ind.unit), method


def score_indicator(ind: Indicator, level2_name: str | None, pack: Pack) -> tuple[Method, dict]:
    w = value_of(ind.weight)
    target, actual, nature = effective_values(ind, pack)
    if w is None or (target.kind in ("blank", "na") and actual.kind in ("blank", "na")):
        return "blank", {}
    if nature != "qualitative" and _comparable(target, actual):
        a, b = _in_same_terms(target, actual)
        direction = nature or indicator_direction(ind, level2_name, pack)
        if direction == "exact":  # 指标性质 '=': met or not
            return "exact", {"computed": w if a == b else Decimal(0), "ratio": Decimal(1) if a == b else (b / a if a else None)}
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
    if (nature != "qualitative" and target.kind == "quantity" and actual.kind == "qualitative"
            and pack.get("scoring", "result_must_be_figure", default=False)
            and (target.unit or "") not in (pack.get("scoring", "calendar_units") or [])):
        # '已完成' against '≥95%': whether the figure was reached cannot be told from the words.
        return "unverifiable", {}
    achievement = _achievement(ind, pack)
    if achievement is None:
        return "undetermined", {}
    lo, hi = (Decimal(str(x)) for x in pack.get("scoring", "qualitative", "bands", achievement))
    return "qualitative", {"band_low": lo * w, "band_high": hi * w, "achievement": achievement}


def execution_label(form: dict | None = None) -> str:
    """The execution row as the report names it ('预算执行率'); on forms without a report, the
    funds block's rate column."""
    if form is not None and not form.get("report"):
        return column_label("funds", "execution_rate", form)
    return figure_label("overall.funds.execution_rate", form)


def score_execution(funds: FundsRow, path: str, form: dict | None = None) -> ItemScore:
    w = value_of(funds.weight)
    budget, executed = value_of(funds.full_year_budget), value_of(funds.executed)
    item = ItemScore(path=path, name=execution_label(form), method="execution", weight=w, self_score=value_of(funds.self_score))
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
        name1 = l1.name  # cleaned once per level, not once per row
        for j, l2 in enumerate(l1.children):
            name2, base = l2.name, f"{prefix}.indicators.{i}.children.{j}.indicators."
            for k, ind in enumerate(l2.indicators):
                yield f"{base}{k}", name1, name2, ind


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
                path=path, level1=l1, level2=l2, name=squeeze(ind.name or ""), method=method,
                weight=value_of(ind.weight), self_score=value_of(ind.self_score), **extra,
            )
        )
    weights = [i.weight for i in items if i.weight is not None]
    selfs = [i.self_score for i in items if i.self_score is not None]
    reviewed = [r for r in (i.reviewed for i in items) if r is not None]
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
    pack = pack or pack_for(package.form)
    if load_form(pack.get("form", default=DEFAULT_FORM)).get("stage", "evaluation") != "evaluation":
        return []  # targets and monitoring tables are reviewed, not scored (docs/cycle.md)
    tables = []
    if package.overall is not None:
        tables.append(score_table(package.overall, "overall", None, pack))
    for i, project in enumerate(package.projects):
        tables.append(score_table(project, f"projects.{i}", i, pack))
    return tables
