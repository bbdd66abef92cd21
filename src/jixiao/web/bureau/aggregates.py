"""The dashboard page's figures as SQL aggregates over the narrow figure rows: COUNTs, and SUMs
of integer cents (exact on SQLite and PostgreSQL alike), so a campaign of 20,000 units never
travels to Python row by row. Only two things are fetched: the short rule-count strings (for
'most frequent findings') and the one page of the unit table. ``dashboard.build_from_rows``
computes the same figures in Python; the tests hold the two to agreement."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Aggregate, Count, F, Q, Sum, TextField

from jixiao.forms import row_name

from ..packages.models import Campaign
from .dashboard import (
    COLUMNS,
    RATE_BANDS,
    Dashboard,
    UnitRow,
    funds_line,
    grade_names,
    has_basic,
    scope,
    top_findings,
)
from .figures import from_cents

_RATE_Q = [
    Q(execution_rate__isnull=False) & (Q(execution_rate__gte=lo) if lo is not None else Q())
    & (Q(execution_rate__lt=hi) if hi is not None else Q())
    for _, lo, hi in RATE_BANDS
]
_BOTH = {
    "sangong": Q(sangong_prev_cents__isnull=False, sangong_final_cents__isnull=False),
    "project": Q(project_prev_cents__isnull=False, project_final_cents__isnull=False),
}


class JoinedText(Aggregate):
    """Every row's text joined by '|' in the database (STRING_AGG / GROUP_CONCAT): one value
    crosses to Python instead of one row per unit."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, '|')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def _trend(label: str, year: int, agg: dict, key: str) -> dict:
    prev, final = agg[f"{key}_prev"], agg[f"{key}_final"]
    change = None
    if prev and final is not None:
        change = (Decimal(final - prev) * 100 / Decimal(prev)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {"item": label, "year": year, "units": agg[f"{key}_units"], "prev": from_cents(prev),
            "final": from_cents(final), "change": change}


def build(campaign: Campaign) -> Dashboard:
    qs = scope(campaign)
    grades = grade_names(campaign)
    sums = {"total": Count("pk"), "sangong_all": Sum("sangong_final_cents"), "project_all": Sum("project_final_cents")}
    sums |= {f"band{i}": Count("pk", filter=q) for i, q in enumerate(_RATE_Q)}
    for kind in ("computed", "self"):
        sums |= {f"{kind}:{g}": Count("pk", filter=Q(**{f"{kind}_grade": g})) for g in grades}
    for key, both in _BOTH.items():
        sums[f"{key}_units"] = Count("pk", filter=both)
        sums[f"{key}_prev"] = Sum(f"{key}_prev_cents", filter=both)
        sums[f"{key}_final"] = Sum(f"{key}_final_cents", filter=both)
    funds_both = Q(budget_cents__isnull=False, executed_cents__isnull=False)
    sums |= {"funds_units": Count("pk", filter=funds_both), "funds_budget": Sum("budget_cents", filter=funds_both),
             "funds_executed": Sum("executed_cents", filter=funds_both)}
    agg = qs.aggregate(**sums)
    d = Dashboard(campaign=campaign, total=agg["total"], grades=grades)
    for kind in ("computed", "self"):
        counted = {g: agg[f"{kind}:{g}"] for g in grades}
        d.grade_counts[kind] = {**counted, "未评": agg["total"] - sum(counted.values())}
    # Scores rounded half up to 0.1 point by integer arithmetic in SQL (scores are never negative).
    points = (qs.filter(self_centi__gte=0, computed_centi__gte=0)
              .annotate(sx=(F("self_centi") + 5) / 10, cx=(F("computed_centi") + 5) / 10)
              .values_list("sx", "cx").annotate(n=Count("pk")).order_by("sx", "cx"))
    d.scatter = [[sx / 10, cx / 10, n] for sx, cx, n in points]
    d.bands = [(label, agg[f"band{i}"]) for i, (label, _, _) in enumerate(RATE_BANDS)]
    if has_basic(campaign):
        d.trends = [_trend(row_name("amount", "sangong", campaign.form), campaign.year, agg, "sangong"),
                    _trend(row_name("amount", "project_spending", campaign.form), campaign.year, agg, "project")]
    d.funds = funds_line(agg["funds_units"], agg["funds_budget"], agg["funds_executed"])
    joined = qs.exclude(rules="").aggregate(all=JoinedText("rules"))["all"] or ""
    d.findings = top_findings([_Rules(joined)], pack=campaign.rule_pack)
    d.current_year = {"year": campaign.year, "units": agg["total"], "sangong": from_cents(agg["sangong_all"]),
                      "project": from_cents(agg["project_all"])}
    return d


class _Rules:
    __slots__ = ("rules",)

    def __init__(self, rules: str):
        self.rules = rules


ORDER = {  # column -> the field sorted on
    "unit": "package__unit__name", "rate": "execution_rate", "self": "self_centi", "computed": "computed_centi",
    "gap": "gap", "errors": "errors",
}


def table(campaign: Campaign, key: str, descending: bool):
    """The unit table as a queryset of value tuples, sorted in SQL (blanks last either way, ties by name)."""
    field = ORDER.get(key, ORDER["rate"])
    expr = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    qs = scope(campaign).annotate(gap=F("self_centi") - F("computed_centi"))
    return qs.order_by(expr, "package__unit__name", "package_id").values_list(*COLUMNS)


def page_rows(values) -> list[UnitRow]:
    return [UnitRow(*v) for v in values]


def execution_per_unit(campaign: Campaign, limit: int) -> list[tuple[str, Decimal]]:
    """Each unit's 执行率 when the campaign is small enough to draw one bar per unit."""
    return list(scope(campaign).filter(execution_rate__isnull=False).order_by("execution_rate", "package__unit__name")
                .values_list("package__unit__name", "execution_rate")[: limit + 1])

