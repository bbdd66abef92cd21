"""The campaign dashboard, from indexed columns only (never a document parsed per request).

Which revision counts for a unit is what the bureau has been given: the head of a submitted
or accepted package, and for a returned one the revision it submitted (the unit may be
editing a newer draft). Drafts are the unit's own business and are left out.

Everything is read from the narrow RevisionFigures rows (joined to their package and unit),
never from the revision table with its documents. Money is summed as integer cents (exact
on SQLite and PostgreSQL alike) and turned into Decimal 万元 only at the end; scores are
integer hundredths until they are shown.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum

from jixiao.forms import row_name
from jixiao.rules import DEFAULT_PACK, load_pack, rule_title

from ..packages.models import Campaign, State
from .figures import from_cents
from .models import RevisionFigures

RATE_BANDS = [  # 执行率 bands (percent): label, lower bound inclusive, upper bound exclusive
    ("低于60%", None, Decimal(60)), ("60%–80%", Decimal(60), Decimal(80)), ("80%–90%", Decimal(80), Decimal(90)),
    ("90%–95%", Decimal(90), Decimal(95)), ("95%–100%", Decimal(95), Decimal(100)),
    ("100%", Decimal(100), Decimal("100.005")), ("超过100%", Decimal("100.005"), None),
]
PER_UNIT_BARS_MAX = 60  # above this the execution chart shows bands; the table still lists every unit


def scope(campaign: Campaign):
    """The figures of the revision of each package the bureau has been given (see the module doc)."""
    return RevisionFigures.objects.filter(package__campaign=campaign, package__stage="evaluation").filter(
        Q(package__state__in=[State.SUBMITTED, State.ACCEPTED], package__head_id=F("revision_id"))
        | Q(package__state=State.RETURNED, number=F("package__submitted_number"))
    )


COLUMNS = (
    "package_id", "package__unit__name", "package__state", "number", "self_centi", "computed_centi", "self_grade",
    "computed_grade", "errors", "warnings", "infos", "execution_rate", "budget_cents", "executed_cents",
    "sangong_prev_cents", "sangong_final_cents", "project_prev_cents", "project_final_cents", "rules",
)


@dataclass(slots=True)
class UnitRow:
    package_id: int
    unit: str
    state: str
    number: int
    self_centi: int | None
    computed_centi: int | None
    self_grade: str
    computed_grade: str
    errors: int
    warnings: int
    infos: int
    execution_rate: Decimal | None
    budget_cents: int | None
    executed_cents: int | None
    sangong_prev: int | None
    sangong_final: int | None
    project_prev: int | None
    project_final: int | None
    rules: str

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def self_total(self) -> Decimal | None:
        return None if self.self_centi is None else Decimal(self.self_centi).scaleb(-2)

    @property
    def computed_total(self) -> Decimal | None:
        return None if self.computed_centi is None else Decimal(self.computed_centi).scaleb(-2)

    @property
    def gap_centi(self) -> int | None:
        if self.self_centi is None or self.computed_centi is None:
            return None
        return self.self_centi - self.computed_centi

    @property
    def gap(self) -> Decimal | None:
        g = self.gap_centi
        return None if g is None else Decimal(g).scaleb(-2)


@dataclass
class Dashboard:
    campaign: Campaign
    total: int  # units counted
    grades: list[str]
    rows: list[UnitRow] = field(default_factory=list)  # every unit's row (the Python path only)
    grade_counts: dict[str, dict[str, int]] = field(default_factory=dict)  # computed/self -> grade -> n
    scatter: list[list] = field(default_factory=list)  # [self, computed, units at that point]
    bands: list[tuple[str, int]] = field(default_factory=list)
    trends: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    current_year: dict | None = None  # this campaign's line of ``history``, when already summed
    # Σ 年度资金总额 over the units that gave both budget and executed: units, budget, executed (万元), rate (%)
    funds: dict = field(default_factory=dict)


def has_basic(campaign: Campaign) -> bool:
    """Whether the campaign's form has a 基础数据表 (the 三公经费 / 项目支出 trends come from it)."""
    from jixiao.forms import load_form

    return "basic" in load_form(campaign.form)["parts"]


def funds_line(units: int, budget: int | None, executed: int | None) -> dict:
    """The funds totals of the units that gave both figures, and the rate recomputed from them."""
    from .figures import execution_rate

    return {"units": units, "budget": from_cents(budget), "executed": from_cents(executed),
            "rate": execution_rate(budget, executed)}


def unit_rows(campaign: Campaign) -> list[UnitRow]:
    return [UnitRow(*values) for values in scope(campaign).values_list(*COLUMNS).order_by()]


def _band(rate: Decimal) -> str:
    for label, lo, hi in RATE_BANDS:
        if (lo is None or rate >= lo) and (hi is None or rate < hi):
            return label
    return RATE_BANDS[-1][0]


def _sum(values) -> int | None:
    vals = [v for v in values if v is not None]
    return sum(vals) if vals else None


def _trend_row(label: str, year: int, rows: list[UnitRow], prev_attr: str, final_attr: str) -> dict:
    """Totals of last year's and this year's 决算 over the units that reported both (like for like)."""
    both = [r for r in rows if getattr(r, prev_attr) is not None and getattr(r, final_attr) is not None]
    prev, final = _sum(getattr(r, prev_attr) for r in both), _sum(getattr(r, final_attr) for r in both)
    change = None
    if prev and final is not None:
        change = (Decimal(final - prev) * 100 / Decimal(prev)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {"item": label, "year": year, "units": len(both), "prev": from_cents(prev), "final": from_cents(final),
            "change": change}


def history(campaign: Campaign, current: dict | None = None) -> list[dict]:
    """三公经费 and 项目支出 本年决算 totals of every campaign of the bureau, year by year (integer SUMs).
    ``current``: this campaign's line, when the caller has it already."""
    out = []
    for c in Campaign.objects.filter(bureau_id=campaign.bureau_id, year__lte=campaign.year).order_by("year"):
        if current is not None and c.pk == campaign.pk:
            out.append(current)
            continue
        agg = scope(c).aggregate(sangong=Sum("sangong_final_cents"), project=Sum("project_final_cents"), n=Count("pk"))
        out.append({"year": c.year, "units": agg["n"], "sangong": from_cents(agg["sangong"]),
                    "project": from_cents(agg["project"])})
    return out


def top_findings(rows: list[UnitRow], limit: int = 15, pack: str = DEFAULT_PACK) -> list[dict]:
    """Rules by how many units they fired on. Each row lists a rule once ("rule:severity:count"),
    so counting the items of all rows at once gives units per rule; each distinct item is parsed once."""
    items = Counter("|".join(r.rules for r in rows if r.rules).split("|"))
    units: Counter = Counter()
    total: Counter = Counter()
    for item, k in items.items():
        if not item:
            continue
        rule, sev, n = item.rsplit(":", 2)
        units[(rule, sev)] += k
        total[(rule, sev)] += int(n) * k
    ranked = sorted(units, key=lambda key: (-units[key], -total[key], key[0]))[:limit]
    return [{"rule": rule, "severity": sev, "units": units[(rule, sev)], "total": total[(rule, sev)],
             "title": rule_title(rule, pack)} for rule, sev in ranked]


def grade_names(campaign: Campaign) -> list[str]:
    return [b["grade"] for b in load_pack(campaign.rule_pack).get("grades", default=[])]


def build_from_rows(campaign: Campaign, rows: list[UnitRow] | None = None) -> Dashboard:
    """The dashboard computed in Python from every unit's row (the exports use it; the page uses
    ``aggregates.build``, the same figures from SQL aggregates of integers, tested to agree)."""
    rows = unit_rows(campaign) if rows is None else rows
    grades = grade_names(campaign)
    d = Dashboard(campaign=campaign, total=len(rows), grades=grades, rows=rows)
    for kind in ("computed", "self"):
        counted = Counter(getattr(r, f"{kind}_grade") or "未评" for r in rows)
        d.grade_counts[kind] = {g: counted.get(g, 0) for g in [*grades, "未评"]}
    # Chart coordinates only, to 0.1 point (half up, in integers); identical points are counted.
    points = Counter(
        (_tenths(r.self_centi), _tenths(r.computed_centi))
        for r in rows if r.self_centi is not None and r.computed_centi is not None
    )
    d.scatter = [[s / 10, c / 10, n] for (s, c), n in sorted(points.items())]
    banded = Counter(_band(r.execution_rate) for r in rows if r.execution_rate is not None)
    d.bands = [(label, banded.get(label, 0)) for label, _, _ in RATE_BANDS]
    if has_basic(campaign):
        d.trends = [
            _trend_row(row_name("amount", "sangong", campaign.form), campaign.year, rows, "sangong_prev",
                       "sangong_final"),
            _trend_row(row_name("amount", "project_spending", campaign.form), campaign.year, rows, "project_prev",
                       "project_final"),
        ]
    both = [r for r in rows if r.budget_cents is not None and r.executed_cents is not None]
    d.funds = funds_line(len(both), _sum(r.budget_cents for r in both), _sum(r.executed_cents for r in both))
    d.findings = top_findings(rows, pack=campaign.rule_pack)
    return d


def _tenths(centi: int) -> int:
    return (centi + 5) // 10 if centi >= 0 else -((-centi + 5) // 10)


SORTS = {  # column -> the value sorted on (None: blank)
    "unit": lambda r: r.unit,
    "rate": lambda r: r.execution_rate,
    "self": lambda r: r.self_centi,
    "computed": lambda r: r.computed_centi,
    "gap": lambda r: r.gap_centi,
    "errors": lambda r: r.errors,
}


def sorted_rows(rows: list[UnitRow], key: str, descending: bool) -> list[UnitRow]:
    """Sorted on one column, the unit name breaking ties; blank values last whichever the direction."""
    fn = SORTS.get(key, SORTS["unit"])
    present = [r for r in rows if fn(r) is not None]
    present.sort(key=lambda r: r.unit)
    present.sort(key=fn, reverse=descending)
    return present + sorted((r for r in rows if fn(r) is None), key=lambda r: r.unit)
