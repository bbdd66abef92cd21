"""The rule engine: runs the checks a rule pack switches on and formats their findings.

Checks are Python functions registered by rule id (``@check("basic.subtotal", ...)``);
everything a user can tune — which rules run, severities, tolerances, thresholds,
weights and the Chinese message templates — comes from the pack (YAML).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from ..errors import PackError
from ..forms import load_form
from ..forms import part_order as part_order_of
from ..model import Package
from ..pack import DEFAULT_PACK, Pack, pack_for, read_pack
from .findings import SEVERITY_ORDER, Finding, Location

__all__ = ["DEFAULT_PACK", "Context", "Pack", "PackError", "check", "load_pack", "registered_rules", "rule_title",
           "run_checks", "sort_findings"]



@cache
def load_pack(name_or_path: str = DEFAULT_PACK) -> Pack:
    """A rule pack whose every rule id names a registered check."""
    pack = read_pack(name_or_path)
    _import_checks()
    unknown = set(pack.rules) - set(_RULE_IDS)
    if unknown:
        raise PackError(f"规则包“{name_or_path}”含有未知规则：{', '.join(sorted(unknown))}")
    return pack


def pack_of(package: Package, pack: Pack | str | None = None) -> Pack:
    """The pack to check ``package`` by: the one given (a loaded pack or its name), else the pack of
    the package's own form (``jixiao.pack.pack_for``), validated like any other."""
    if isinstance(pack, Pack):
        return pack
    return load_pack(pack or pack_for(package.form).id)


def rule_title(rule_id: str, pack: str = DEFAULT_PACK) -> str:
    """A rule's short Chinese name from the named pack; the id when the pack or the title is missing."""
    try:
        return load_pack(pack).title(rule_id)
    except PackError:
        return rule_id


CheckFn = Callable[["Context"], None]
_CHECKS: list[tuple[tuple[str, ...], CheckFn]] = []
_RULE_IDS: set[str] = set()


def check(*rule_ids: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check function that may emit findings under these rule ids."""

    def register(fn: CheckFn) -> CheckFn:
        _CHECKS.append((rule_ids, fn))
        _RULE_IDS.update(rule_ids)
        return fn

    return register


def registered_rules() -> set[str]:
    _import_checks()
    return set(_RULE_IDS)


# Importing these modules registers their checks. Add a module here to add checks.
CHECK_MODULES = (
    "jixiao.rules.checks.basic",
    "jixiao.rules.checks.evaluation",
    "jixiao.rules.checks.cross",
    "jixiao.rules.checks.completeness",
    "jixiao.rules.checks.reasonableness",
    "jixiao.rules.checks.targets",
    "jixiao.rules.checks.monitoring",
    "jixiao.rules.checks.cycle_checks",
    "jixiao.report.reconcile",
)


@cache
def _import_checks() -> None:
    import importlib

    for name in CHECK_MODULES:
        importlib.import_module(name)


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass
class Context:
    package: Package
    pack: Pack
    form: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict)
    # What the other steps of the cycle say (jixiao.cycle.CycleContext: approved targets, open
    # rectification items); None when the caller has none, and the checks that need it stay quiet.
    cycle: Any = None

    def enabled(self, rule: str) -> bool:
        conf = self.pack.rules.get(rule)
        return conf is not None and conf.get("enabled", True)

    def tol(self, kind: str = "amount") -> Decimal:
        return self.pack.number("tolerance", kind)

    def emit(
        self,
        rule: str,
        location: Location,
        *,
        expected: Any = None,
        actual: Any = None,
        **params: Any,
    ) -> None:
        conf = self.pack.rules.get(rule)
        if conf is None or not conf.get("enabled", True):
            return
        values = {"part": location.part, "row": location.row, "column": location.column}
        # Differences are named by the words around them ("相差", "超出"), so print them unsigned.
        values.update({k: _text(abs(v) if k == "diff" and isinstance(v, Decimal | int) else v) for k, v in params.items()})
        values.setdefault("expected", _text(expected))
        values.setdefault("actual", _text(actual))
        message = conf["message"].format_map(_SafeDict(values))
        self.findings.append(
            Finding(
                rule=rule,
                severity=conf.get("severity", "warning"),
                message=f"{location.describe()}：{message}" if conf.get("prefix", True) else message,
                location=location,
                expected=None if expected is None else _text(expected),
                actual=None if actual is None else _text(actual),
            )
        )


def _text(value: Any) -> str:
    if value is None:
        return "空白"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def run_checks(package: Package, pack: Pack | None = None, *, scores: Any = None) -> list[Finding]:
    """All findings of the pack's rules on a package (``scores``: already computed ones to reuse)."""
    pack = pack_of(package, pack)
    per_check = run_checks_apart(package, pack, scores=scores)
    return sort_findings([f for found in per_check.values() for f in found], load_form(pack.get("form", default="hunan-2023")))


def run_checks_apart(package: Package, pack: Pack, *, scores: Any = None,
                     only: Callable[[CheckFn], bool] | None = None, cycle: Any = None) -> dict[CheckFn, list[Finding]]:
    """The findings of each check function, in run order, unsorted (``only``: run just the checks
    it accepts). Incremental checking (jixiao.rules.incremental) keeps these between runs."""
    _import_checks()
    ctx = Context(package=package, pack=pack, form=load_form(pack.get("form", default="hunan-2023")), cycle=cycle)
    if scores is not None:
        ctx.cache["scores"] = scores
    out: dict[CheckFn, list[Finding]] = {}
    for fn in _enabled_checks(pack):
        if only is None or only(fn):
            start = len(ctx.findings)
            fn(ctx)
            out[fn] = ctx.findings[start:]
    # The cache holds objects that point back at the context (the report's view keeps ctx):
    # emptying it breaks that cycle, so the run is freed by reference counting at once instead
    # of piling up for the cyclic garbage collector, whose passes cost more than the checks.
    ctx.cache.clear()
    return out


def _enabled_checks(pack: Pack) -> list[CheckFn]:
    """The checks of which the pack enables a rule, in run order: worked out once per pack (a
    pack's data is read-only once loaded), not once per package."""
    key = ("enabled_checks", len(_CHECKS))  # a check registered later (a test's) is seen
    found = pack.memo.get(key)
    if found is None:
        rules = pack.rules
        found = pack.memo[key] = [fn for rule_ids, fn in _ordered_checks()
                                  if any(r in rules and rules[r].get("enabled", True) for r in rule_ids)]
    return found


def checks_in_order() -> list[CheckFn]:
    _import_checks()
    return [fn for _, fn in _ordered_checks()]


_ORDERED: list[tuple[int, list[tuple[tuple[str, ...], CheckFn]]]] = []


def _ordered_checks() -> list[tuple[tuple[str, ...], CheckFn]]:
    """The checks in CHECK_MODULES order, whatever order their modules happened to be imported
    in (a test or a view importing jixiao.report first must not reorder findings of equal rank).
    A helper module a listed one imports (jixiao.report.indicators) runs just before it."""
    if _ORDERED and _ORDERED[0][0] == len(_CHECKS):
        return _ORDERED[0][1]

    def rank(item: tuple[int, tuple[tuple[str, ...], CheckFn]]) -> tuple[float, str, int]:
        seq, (_, fn) = item
        module = fn.__module__
        if module in CHECK_MODULES:
            return CHECK_MODULES.index(module), "", seq
        package = module.rpartition(".")[0]
        siblings = [i for i, m in enumerate(CHECK_MODULES) if m.rpartition(".")[0] == package]
        return (min(siblings) - 0.5 if siblings else len(CHECK_MODULES)), module, seq

    ordered = [check for _, check in sorted(enumerate(_CHECKS), key=rank)]
    _ORDERED[:] = [(len(ordered), ordered)]
    return ordered


def sort_findings(findings: Iterable[Finding], form: dict[str, Any] | None = None) -> list[Finding]:
    """Findings part by part in package order, then by table and severity."""
    part_order = part_order_of(form)
    return sorted(
        findings,
        key=lambda f: (part_order.get(f.location.part, 9), f.location.index or 0, SEVERITY_ORDER[f.severity]),
    )
