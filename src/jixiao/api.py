"""The core's public face: check and score a package. The CLI and the web app call these."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import Package
from .model.values import rounded
from .rules import Finding, Pack, pack_of
from .scoring import TableScore, score_package

__all__ = ["CheckResult", "check_package"]


@dataclass(frozen=True)
class CheckResult:
    package: Package
    findings: list[Finding]
    scores: list[TableScore]
    # Each check's own findings and the pack they ran under, for checking the next version of
    # the package incrementally (jixiao.rules.incremental.check_changed); not part of the value.
    runs: Any = field(default=None, compare=False, repr=False)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def has_errors(self) -> bool:
        return self.count("error") > 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit_name": self.package.unit_name,
            "fiscal_year": self.package.fiscal_year,
            "summary": {s: self.count(s) for s in ("error", "warning", "info")},
            "findings": [f.model_dump(mode="json", exclude_none=True) for f in self.findings],
            "scores": [scores_dict(t) for t in self.scores],
        }


def scores_dict(table: TableScore) -> dict[str, Any]:
    data = table.model_dump(mode="json")
    for item, model in zip(data["items"], table.items, strict=True):
        item["allowed_max"] = None if model.allowed_max is None else str(rounded(model.allowed_max, 2))
        item["too_high"] = model.too_high
    return data


def check_package(package: Package, pack: Pack | str | None = None, *, cycle: Any = None) -> CheckResult:
    """Findings and scores of ``package`` under its form's pack (or ``pack``); ``cycle`` (a
    jixiao.cycle.CycleContext) lets the checks compare it with the approved targets and the open
    rectification items."""
    from .forms import load_form
    from .rules.engine import run_checks_apart, sort_findings
    from .rules.incremental import CheckRuns

    pack = pack_of(package, pack)
    scores = score_package(package, pack)
    per_check = run_checks_apart(package, pack, scores=scores, cycle=cycle)
    findings = sort_findings([f for found in per_check.values() for f in found],
                             load_form(pack.get("form", default="hunan-2023")))
    return CheckResult(package=package, findings=findings, scores=scores, runs=CheckRuns(pack, per_check, cycle=cycle))
