"""The bureau's monitoring dashboard (绩效运行监控看板, docs/cycle-web.md): from the monitoring
tables its units submitted, the units whose spending is behind the time progress (1-7月: 7/12 =
58.33%) and the indicators likely to miss their target (a 全年预计完成值 short of the 年度指标值,
or a likelihood of 有可能 / 完全不可能). The months and likelihood words are the monitoring
pack's (``monitoring:``), not constants here."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from jixiao.forms import column_label
from jixiao.model import Package as DocPackage
from jixiao.rules import load_pack

from ..packages.models import BUREAU_VISIBLE_STATES, Campaign, Package, Stage
from .views_review import reviewed_revision

HUNDRED = Decimal(100)


@dataclass
class Lagging:
    table: str  # "整体" or the project's name
    budget: Decimal | None
    executed: Decimal | None
    rate: Decimal  # 1-7月执行率, %
    gap: Decimal  # time progress minus the rate, percentage points


@dataclass
class AtRisk:
    table: str
    indicator: str
    target: str
    forecast: str
    likelihood: str
    why: str  # in Chinese: what makes it likely to miss


@dataclass
class UnitRow:
    pkg: Package
    lagging: list[Lagging] = field(default_factory=list)
    at_risk: list[AtRisk] = field(default_factory=list)


@dataclass
class MonitoringBoard:
    campaign: Campaign
    months: int
    time_progress: Decimal
    rows: list[UnitRow]
    not_submitted: int

    @property
    def behind(self) -> list[UnitRow]:
        return [r for r in self.rows if r.lagging]

    @property
    def at_risk(self) -> list[tuple[UnitRow, AtRisk]]:
        return [(r, a) for r in self.rows for a in r.at_risk]


def time_progress(months: int) -> Decimal:
    return (Decimal(months) * HUNDRED / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _rate(funds) -> Decimal | None:
    """The 1-7月执行率 as filled, else 1-7月执行数 ÷ 年初预算数."""
    if funds.execution_rate is not None:
        return funds.execution_rate
    if funds.executed is not None and funds.initial_budget:
        return (funds.executed * HUNDRED / funds.initial_budget).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return None


def _tables(doc: DocPackage):
    if doc.overall is not None:
        yield "部门（单位）整体", doc.overall
    for p in doc.projects:
        yield p.project_name or "（未命名项目）", p


def _short(target, forecast) -> bool:
    """Whether a quantitative 全年预计完成值 falls short of its 年度指标值 (≤ targets: above it)."""
    t, f = target.parsed, forecast.parsed
    if t.kind != "quantity" or f.kind != "quantity" or t.magnitude is None or f.magnitude is None:
        return False
    if t.unit and f.unit and t.unit != f.unit:
        return False
    return f.magnitude > t.magnitude if t.direction == "le" else f.magnitude < t.magnitude


def unit_row(pkg: Package, doc: DocPackage, progress: Decimal, risky_words: list[str]) -> UnitRow:
    row = UnitRow(pkg=pkg)
    target_label = column_label("indicator", "target", pkg.form)
    for name, table in _tables(doc):
        rate = _rate(table.funds)
        # A table whose headers name other months (1-6月) is compared with its own time progress.
        own = time_progress(table.period_months) if table.period_months else progress
        if table.period_months:
            name = f"{name}（1-{table.period_months}月）"
        if rate is not None and rate < own:
            row.lagging.append(Lagging(name, table.funds.initial_budget, table.funds.executed, rate, own - rate))
        for l1 in table.indicators:
            for l2 in l1.children:
                for ind in l2.indicators:
                    why = []
                    if _short(ind.target, ind.forecast):
                        why.append(f"全年预计完成值{ind.forecast.raw}未达{target_label}{ind.target.raw}")
                    if ind.likelihood in risky_words:
                        why.append(f"完成目标可能性为“{ind.likelihood}”")
                    if why:
                        row.at_risk.append(AtRisk(name, ind.name or "", ind.target.raw or "", ind.forecast.raw or "",
                                                  ind.likelihood or "", "；".join(why)))
    return row


def build(campaign: Campaign) -> MonitoringBoard:
    from jixiao.pack import pack_for

    pack = load_pack(pack_for(campaign.monitoring_form).id)
    settings = pack.get("monitoring", default={}) or {}
    months = int(settings.get("months", 7))
    words = list(settings.get("likelihood_values") or [])
    risky = words[1:]  # every value after the first (确定能) is a doubt about the target
    progress = time_progress(months)
    pkgs = list(Package.objects.filter(campaign=campaign, stage=Stage.MONITORING, state__in=BUREAU_VISIBLE_STATES)
                .select_related("unit", "head").order_by("unit__name"))
    rows = []
    for pkg in pkgs:
        rev = reviewed_revision(pkg)
        try:
            doc = DocPackage.model_validate(rev.document)
        except ValueError:
            continue
        rows.append(unit_row(pkg, doc, progress, risky))
    return MonitoringBoard(campaign=campaign, months=months, time_progress=progress, rows=rows,
                           not_submitted=max(campaign.units.count() - len(pkgs), 0))
