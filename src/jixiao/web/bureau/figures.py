"""Dashboard figures of a revision, copied out once when the revision is written.

Every revision (whoever writes it, through whichever action) gets its RevisionFigures row
from a post_save receiver, in the same transaction. The bureau's own
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
from jixiao.model import rounded

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
    c = int(rounded(value * 100, 0))
    return c if abs(c) < MAX_CENTS else None


def from_cents(value: int | None) -> Decimal | None:
    # scaleb: exact, two places (12345 → 123.45, 100 → 1.00), without a division and a rounding.
    return None if value is None else Decimal(value).scaleb(-2)


def execution_rate(budget_cents: int | None, executed_cents: int | None) -> Decimal | None:
    if budget_cents is None or executed_cents is None or budget_cents <= 0:
        return None
    rate = (Decimal(executed_cents) * 100 / Decimal(budget_cents)).quantize(CENT, rounding=ROUND_HALF_UP)
    return rate if abs(rate) < Decimal("1e6") else None


def figures_of(result: CheckResult) -> dict[str, Any]:
    """The RevisionFigures columns of a checked package."""
    pkg = result.package
    out: dict[str, Any] = {"project_tables": len(pkg.projects)}
    out["budget_cents"], out["executed_cents"] = funds_cents(pkg)
    out["execution_rate"] = execution_rate(out["budget_cents"], out["executed_cents"])
    for name, field in (("sangong", "sangong"), ("project", "project_spending")):
        row = getattr(pkg.basic, field) if pkg.basic else None
        out[f"{name}_prev_cents"] = cents(row.prev_final) if row else None
        out[f"{name}_budget_cents"] = cents(row.budget) if row else None
        out[f"{name}_final_cents"] = cents(row.final) if row else None
    return out


def funds_cents(pkg) -> tuple[int | None, int | None]:
    """年度资金总额 (budget, executed) in cents: the 整体表's when the package's form has one; on a
    form of project tables only, the sum over the project tables that give both figures (like for
    like, so the rate recomputed from the sums means something; a blank cell is not zero)."""
    from jixiao.forms import DEFAULT_FORM, load_form

    if "overall" in load_form(pkg.form or DEFAULT_FORM)["parts"]:
        funds = pkg.overall.funds if pkg.overall else None
        return (cents(funds.full_year_budget), cents(funds.executed)) if funds else (None, None)
    pairs = [(cents(t.funds.full_year_budget), cents(t.funds.executed)) for t in pkg.projects]
    pairs = [(b, e) for b, e in pairs if b is not None and e is not None]
    if not pairs:
        return None, None
    budget, executed = sum(b for b, _ in pairs), sum(e for _, e in pairs)
    return (budget, executed) if abs(budget) < MAX_CENTS and abs(executed) < MAX_CENTS else (None, None)


def tallies_of(result: CheckResult) -> list[tuple[str, str, int]]:
    counts = Counter((f.rule, f.severity) for f in result.findings)
    return [(rule, sev, n) for (rule, sev), n in sorted(counts.items())]


def rules_text(result: CheckResult) -> str:
    return "|".join(f"{rule}:{sev}:{n}" for rule, sev, n in tallies_of(result))


def parse_rules(text: str) -> list[tuple[str, str, int]]:
    out = []
    for item in text.split("|") if text else []:
        rule, sev, n = item.rsplit(":", 2)
        out.append((rule, sev, int(n)))
    return out


def centi(value: Any) -> int | None:
    """A score in hundredths of a point (scores have two places)."""
    c = cents(value)
    return c if c is not None and abs(c) < 2**31 else None


def revision_columns(revision) -> dict[str, Any]:
    """What the figures row copies from its revision (the summary the unit side wrote)."""
    return {
        "package_id": revision.package_id, "number": revision.number, "self_centi": centi(revision.self_total),
        "computed_centi": centi(revision.computed_total), "self_grade": revision.self_grade or "",
        "computed_grade": revision.computed_grade or "", "errors": revision.errors, "warnings": revision.warnings,
        "infos": revision.infos,
    }


def figures_row(revision, result: CheckResult | None, model=None):
    """An unsaved RevisionFigures for ``revision`` (``model``: the class as a migration sees it)."""
    if model is None:
        from .models import RevisionFigures as model
    extra = {**figures_of(result), "rules": rules_text(result)} if result is not None else {}
    return model(revision=revision, **revision_columns(revision), **extra)


def write_figures(revision, result: CheckResult | None, model=None) -> None:
    figures_row(revision, result, model).save(force_insert=True)


def _check(document: dict[str, Any], rule_pack: str, cycle: Any = None) -> CheckResult | None:
    from ..packages.checking import evaluate

    return evaluate(document, rule_pack, cycle=cycle).result


def on_revision_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:
        return
    result = _PROVIDED.get()
    if result is None:
        try:
            from ..packages.cycle_context import cycle_context_for

            result = _check(instance.document, instance.package.rule_pack, cycle_context_for(instance.package))
        except Exception:  # a figures bug must never stop a unit's save; the row stays empty
            log.exception("figures of revision %s could not be computed", instance.pk)
            result = None
    write_figures(instance, result)


def backfill(revisions, model=None) -> int:
    """Figures for revisions written before this app existed (used by the data migrations)."""
    n = 0
    for rev in revisions:
        write_figures(rev, _check(rev.document, rev.package.campaign.rule_pack), model)
        n += 1
    return n
