"""The campaign dashboard, from indexed columns only (never a document parsed per request).

Which revision counts for a unit is what the bureau has been given: the head of a submitted
or accepted package, and for a returned one the revision it submitted (the unit may be
editing a newer draft). Drafts are the unit's own business and are left out.

Money is summed as integer cents (exact on SQLite and PostgreSQL alike) and turned into
Decimal 万元 only at the end; scores are Decimals summed in Python.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml
from django.db.models import Count, F, Q, Sum

from jixiao.rules import load_pack

from ..packages.models import Campaign, Revision, State
from .figures import from_cents
from .models import FindingTally

RATE_BANDS = [  # 执行率 bands (percent): label, lower bound inclusive, upper bound exclusive
    ("低于60%", None, Decimal(60)), ("60%–80%", Decimal(60), Decimal(80)), ("80%–90%", Decimal(80), Decimal(90)),
    ("90%–95%", Decimal(90), Decimal(95)), ("95%–100%", Decimal(95), Decimal(100)),
    ("100%", Decimal(100), Decimal("100.005")), ("超过100%", Decimal("100.005"), None),
]
PER_UNIT_BARS_MAX = 60  # above this the execution chart shows bands; the table still lists every unit
_TITLES: dict[str, str] | None = None


def rule_title(rule: str) -> str:
    """A short Chinese name of a rule for the chart (bureau/rule_titles.yaml; the id when unnamed)."""
    global _TITLES
    if _TITLES is None:
        _TITLES = yaml.safe_load((Path(__file__).with_name("rule_titles.yaml")).read_text(encoding="utf-8")) or {}
    return _TITLES.get(rule, rule)


def scope_revisions(campaign: Campaign):
    """The revision of each package the bureau has been given (see the module doc)."""
    return Revision.objects.filter(package__campaign=campaign).filter(
        Q(package__state__in=[State.SUBMITTED, State.ACCEPTED], package__head_id=F("pk"))
        | Q(package__state=State.RETURNED, number=F("package__submitted_number"))
    )


COLUMNS = (
    "package_id", "package__unit__name", "package__state", "number", "self_total", "computed_total", "self_grade",
    "computed_grade", "errors", "warnings", "infos", "figures__execution_rate", "figures__budget_cents",
    "figures__executed_cents", "figures__sangong_prev_cents", "figures__sangong_final_cents",
    "figures__project_prev_cents", "figures__project_final_cents",
)


@dataclass
class UnitRow:
    package_id: int
    unit: str
    state: str
    number: int
    self_total: Decimal | None
    computed_total: Decimal | None
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

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def gap(self) -> Decimal | None:
        if self.self_total is None or self.computed_total is None:
            return None
        return self.self_total - self.computed_total


@dataclass
class Dashboard:
    campaign: Campaign
    rows: list[UnitRow]
    grades: list[str]
    grade_counts: dict[str, dict[str, int]] = field(default_factory=dict)  # computed/self -> grade -> n
    scatter: list[list] = field(default_factory=list)  # [self, computed, units at that point]
    bands: list[tuple[str, int]] = field(default_factory=list)
    trends: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)


def unit_rows(campaign: Campaign) -> list[UnitRow]:
    return [UnitRow(*values) for values in scope_revisions(campaign).values_list(*COLUMNS).order_by()]


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


def history(campaign: Campaign) -> list[dict]:
    """三公经费 and 项目支出 本年决算 totals of every campaign of the bureau, year by year (integer SUMs)."""
    out = []
    for c in Campaign.objects.filter(bureau_id=campaign.bureau_id, year__lte=campaign.year).order_by("year"):
        agg = scope_revisions(c).aggregate(
            sangong=Sum("figures__sangong_final_cents"), project=Sum("figures__project_final_cents"), n=Count("pk")
        )
        out.append({"year": c.year, "units": agg["n"], "sangong": from_cents(agg["sangong"]),
                    "project": from_cents(agg["project"])})
    return out


def top_findings(campaign: Campaign, limit: int = 15) -> list[dict]:
    qs = (FindingTally.objects.filter(revision__in=scope_revisions(campaign).values("pk"))
          .values("rule", "severity").annotate(units=Count("revision_id"), total=Sum("count"))
          .order_by("-units", "-total", "rule")[:limit])
    return [{**r, "title": rule_title(r["rule"])} for r in qs]


def build(campaign: Campaign, rows: list[UnitRow] | None = None) -> Dashboard:
    rows = unit_rows(campaign) if rows is None else rows
    grades = [b["grade"] for b in load_pack(campaign.rule_pack).get("grades", default=[])]
    d = Dashboard(campaign=campaign, rows=rows, grades=grades)
    for kind in ("computed", "self"):
        counted = Counter(getattr(r, f"{kind}_grade") or "未评" for r in rows)
        d.grade_counts[kind] = {g: counted.get(g, 0) for g in [*grades, "未评"]}
    points = Counter(
        (str(r.self_total.quantize(Decimal("0.1"))), str(r.computed_total.quantize(Decimal("0.1"))))
        for r in rows if r.self_total is not None and r.computed_total is not None
    )
    d.scatter = [[float(s), float(c), n] for (s, c), n in sorted(points.items())]  # chart coordinates only
    banded = Counter(_band(r.execution_rate) for r in rows if r.execution_rate is not None)
    d.bands = [(label, banded.get(label, 0)) for label, _, _ in RATE_BANDS]
    d.trends = [
        _trend_row("三公经费", campaign.year, rows, "sangong_prev", "sangong_final"),
        _trend_row("项目支出", campaign.year, rows, "project_prev", "project_final"),
    ]
    d.findings = top_findings(campaign)
    return d


SORTS = {
    "unit": lambda r: r.unit,
    "rate": lambda r: (r.execution_rate is None, r.execution_rate or 0),
    "self": lambda r: (r.self_total is None, r.self_total or 0),
    "computed": lambda r: (r.computed_total is None, r.computed_total or 0),
    "gap": lambda r: (r.gap is None, r.gap or 0),
    "errors": lambda r: r.errors,
}


def sorted_rows(rows: list[UnitRow], key: str, descending: bool) -> list[UnitRow]:
    fn = SORTS.get(key, SORTS["unit"])
    if not descending:
        return sorted(rows, key=fn)
    # Blank values stay last whichever way the column is sorted.
    present = sorted((r for r in rows if fn(r) is not None and not (isinstance(fn(r), tuple) and fn(r)[0])),
                     key=fn, reverse=True)
    blank = [r for r in rows if isinstance(fn(r), tuple) and fn(r)[0]]
    return present + blank
