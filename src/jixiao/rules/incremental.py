"""Incremental checking: a new version of a package checked against the result of the last one,
rerunning only the checks whose inputs changed and keeping the findings of the others.

What a check reads is declared below, part by part (基础数据表, 整体支出绩效自评表, the project
tables, the 自评报告; every other top-level field — the unit's name, the year — counts as read by
all). A check not listed reads everything, so a new check is always rerun until it is listed.
A part has changed when its JSON differs, so '1.0' and '1.00' (which messages print differently)
count as a change. The result equals a full check byte for byte (tests/core/test_incremental.py
proves it on random edits); findings are sorted the same way from the same per-check lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..forms import load_form
from ..model import Package
from .engine import CheckFn, Pack, checks_in_order, pack_of, run_checks_apart, sort_findings
from .findings import Finding

PARTS = ("basic", "overall", "projects", "report")
EVERYTHING = frozenset(PARTS)
TABLES = frozenset({"overall", "projects"})

_RULES = "jixiao.rules.checks."
_REPORT = "jixiao.report."
READS: dict[str, frozenset[str]] = {
    f"{_RULES}basic.subtotals": frozenset({"basic"}),
    f"{_RULES}basic.subsets": frozenset({"basic"}),
    f"{_RULES}basic.negatives": frozenset({"basic"}),
    f"{_RULES}basic.basic_rates": frozenset({"basic"}),
    f"{_RULES}evaluation.execution_rates": TABLES,
    f"{_RULES}evaluation.splits": frozenset({"overall"}),
    f"{_RULES}evaluation.fund_rows_split": TABLES,
    f"{_RULES}evaluation.weights_and_totals": TABLES,
    f"{_RULES}evaluation.indicator_scores": TABLES,
    f"{_RULES}cross.basic_vs_overall": frozenset({"basic", "overall"}),
    f"{_RULES}cross.project_tables_vs_basic": frozenset({"basic", "projects"}),
    f"{_RULES}completeness.signatures": frozenset({"basic", "overall", "projects"}),
    f"{_RULES}completeness.project_tables": frozenset({"basic", "projects"}),
    f"{_RULES}completeness.goals": TABLES,
    f"{_RULES}completeness.basic_text": frozenset({"basic"}),
    f"{_RULES}completeness.report_sections": frozenset({"report"}),
    f"{_RULES}reasonableness.over_budget": frozenset({"basic"}),
    f"{_RULES}reasonableness.staffing": frozenset({"basic"}),
    f"{_RULES}reasonableness.budget_changes": TABLES,
    f"{_RULES}reasonableness.year_over_year": frozenset({"basic"}),
    f"{_REPORT}indicators.goals": TABLES,
    f"{_RULES}targets.mid_term_funds": TABLES,
    f"{_RULES}targets.tasks": frozenset({"overall"}),
    f"{_RULES}targets.required_levels": TABLES,
    f"{_RULES}targets.weights_total": TABLES,
    f"{_RULES}targets.indicator_quality": TABLES,
    f"{_RULES}monitoring.behind_schedule": TABLES,
    f"{_RULES}monitoring.forecasts": TABLES,  # and ctx.cycle's approved targets (a new context reruns all)
    # The checks against the cycle's context read the tables (and the report) of this package;
    # the context itself is compared as a whole by check_changed.
    f"{_RULES}cycle_checks.against_approved_targets": TABLES,
    f"{_RULES}cycle_checks.open_rectifications": frozenset({"report"}),
    f"{_RULES}cycle_checks.required_evidence": TABLES,
    # The 自评报告's sentences against the tables' indicators (the view's sentences come from the
    # report alone; its project rows, which read 基础数据表, are not used here).
    f"{_REPORT}indicators.performance_prose": frozenset({"overall", "projects", "report"}),
    # parts_present, identity, placeholder_text and the report's reconciliation read every part.
}


def reads(fn: CheckFn) -> frozenset[str]:
    return READS.get(f"{fn.__module__}.{fn.__qualname__}", EVERYTHING)


@dataclass
class CheckRuns:
    """What a check run leaves for the next one: the pack, each check's findings, and the JSON
    of each part of the package it checked (made when first compared)."""

    pack: Pack
    per_check: dict[CheckFn, list[Finding]]
    dumps: dict[str, str] | None = field(default=None, repr=False)
    cycle: Any = field(default=None, repr=False)  # the CycleContext the run had (a new one: a full check)


def part_dumps(package: Package) -> dict[str, str]:
    """The JSON of each part, and of the other top-level fields together under 'meta'."""
    out = {}
    for name in PARTS:
        value = getattr(package, name)
        if isinstance(value, list):
            out[name] = "[" + ",".join(v.model_dump_json() for v in value) + "]"
        else:
            out[name] = "null" if value is None else value.model_dump_json()
    out["meta"] = repr([(k, getattr(package, k)) for k in type(package).model_fields if k not in PARTS])
    return out


def changed_parts(before: dict[str, str], after: dict[str, str]) -> set[str]:
    changed = {k for k in after if before.get(k) != after[k]}
    return set(EVERYTHING) if "meta" in changed else changed


def check_changed(previous, package: Package, pack: Pack | str | None = None, *, cycle: Any = None):
    """The check result of ``package``, computed from ``previous`` (the CheckResult of an earlier
    version, from jixiao.api.check_package or from here) by rerunning only what changed."""
    from ..api import CheckResult, check_package
    from ..scoring import score_package

    pack = pack_of(package, pack)
    runs: CheckRuns | None = previous.runs
    if runs is None or runs.pack is not pack or runs.cycle != cycle:
        return check_package(package, pack, cycle=cycle)
    if runs.dumps is None:
        runs.dumps = part_dumps(previous.package)
    now = part_dumps(package)
    changed = changed_parts(runs.dumps, now)
    scores = score_package(package, pack) if changed & TABLES else previous.scores
    fresh = run_checks_apart(package, pack, scores=scores, only=lambda fn: bool(reads(fn) & changed), cycle=cycle)
    per_check = {}
    for fn in checks_in_order():
        if fn in fresh:
            per_check[fn] = fresh[fn]
        elif fn in runs.per_check and not reads(fn) & changed:
            per_check[fn] = runs.per_check[fn]
    findings = sort_findings([f for found in per_check.values() for f in found],
                             load_form(pack.get("form", default="hunan-2023")))
    return CheckResult(package=package, findings=findings, scores=scores,
                       runs=CheckRuns(pack=pack, per_check=per_check, dumps=now, cycle=cycle))
