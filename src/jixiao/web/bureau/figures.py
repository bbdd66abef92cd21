"""Dashboard figures of a revision, copied out once when the revision is written.

Every revision (whoever writes it, through whichever action) gets its RevisionFigures and
FindingTally rows from a post_save receiver, in the same transaction. The bureau's own
actions already hold the check result and pass it through ``provided_result`` so the
document is not checked twice; any other writer's revision is checked here.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jixiao.api import CheckResult

log = logging.getLogger(__name__)
_PROVIDED: contextvars.ContextVar[CheckResult | None] = contextvars.ContextVar("jixiao_bureau_result", default=None)
CENT = Decimal("0.01")
# Cents columns are BIGINT; a typo like 1e20 in a cell must not break the save (the document keeps it).
MAX_CENTS = 10**15


@contextlib.contextmanager
def provided_result(result: CheckResult | None):
    token = _PROVIDED.set(result)
    try:
        yield
    finally:
        _PROVIDED.reset(token)


def cents(value: Any) -> int | None:
    if not isinstance(value, Decimal) or not value.is_finite():
        return None
    c = int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return c if abs(c) < MAX_CENTS else None


def from_cents(value: int | None) -> Decimal | None:
    return None if value is None else (Decimal(value) / 100).quantize(CENT)


def execution_rate(budget_cents: int | None, executed_cents: int | None) -> Decimal | None:
    if budget_cents is None or executed_cents is None or budget_cents <= 0:
        return None
    rate = (Decimal(executed_cents) * 100 / Decimal(budget_cents)).quantize(CENT, rounding=ROUND_HALF_UP)
    return rate if abs(rate) < Decimal("1e6") else None


def figures_of(result: CheckResult) -> dict[str, Any]:
    """The RevisionFigures columns of a checked package."""
    pkg = result.package
    out: dict[str, Any] = {"project_tables": len(pkg.projects)}
    funds = pkg.overall.funds if pkg.overall else None
    out["budget_cents"] = cents(funds.full_year_budget) if funds else None
    out["executed_cents"] = cents(funds.executed) if funds else None
    out["execution_rate"] = execution_rate(out["budget_cents"], out["executed_cents"])
    for name, field in (("sangong", "sangong"), ("project", "project_spending")):
        row = getattr(pkg.basic, field) if pkg.basic else None
        out[f"{name}_prev_cents"] = cents(row.prev_final) if row else None
        out[f"{name}_budget_cents"] = cents(row.budget) if row else None
        out[f"{name}_final_cents"] = cents(row.final) if row else None
    return out


def tallies_of(result: CheckResult) -> list[tuple[str, str, int]]:
    counts = Counter((f.rule, f.severity) for f in result.findings)
    return [(rule, sev, n) for (rule, sev), n in sorted(counts.items())]


def write_figures(revision, result: CheckResult | None, models: tuple | None = None) -> None:
    """``models``: (RevisionFigures, FindingTally) as a migration sees them; the current ones by default."""
    if models is None:
        from .models import FindingTally, RevisionFigures
    else:
        RevisionFigures, FindingTally = models
    if result is None:
        RevisionFigures.objects.create(revision=revision)
        return
    RevisionFigures.objects.create(revision=revision, **figures_of(result))
    FindingTally.objects.bulk_create(
        [FindingTally(revision=revision, rule=r, severity=s, count=n) for r, s, n in tallies_of(result)]
    )


def _check(document: dict[str, Any], rule_pack: str) -> CheckResult | None:
    from ..packages.checking import evaluate

    return evaluate(document, rule_pack).result


def on_revision_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:
        return
    result = _PROVIDED.get()
    if result is None:
        try:
            result = _check(instance.document, instance.package.campaign.rule_pack)
        except Exception:  # a figures bug must never stop a unit's save; the row stays empty
            log.exception("figures of revision %s could not be computed", instance.pk)
            result = None
    write_figures(instance, result)


def backfill(revisions, models: tuple | None = None) -> int:
    """Figures for revisions written before this app existed (used by the data migration)."""
    n = 0
    for rev in revisions:
        write_figures(rev, _check(rev.document, rev.package.campaign.rule_pack), models)
        n += 1
    return n
