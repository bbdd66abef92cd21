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
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..forms import load_form
from ..model import Package
from .findings import SEVERITY_ORDER, Finding, Location

DEFAULT_PACK = "hunan-2023"


class PackError(ValueError):
    """A rule pack that cannot be used (unknown name, bad YAML, unknown rule id)."""


@dataclass(frozen=True)
class Pack:
    id: str
    name: str
    data: dict[str, Any]

    @property
    def rules(self) -> dict[str, dict[str, Any]]:
        return self.data["rules"]

    def title(self, rule_id: str) -> str:
        """The rule's short Chinese name (its `title` in the pack); the id when the pack has none."""
        conf = self.rules.get(rule_id)
        return str(conf.get("title") or rule_id) if isinstance(conf, dict) else rule_id

    def number(self, *keys: str) -> Decimal:
        node: Any = self.data
        for key in keys:
            node = node[key]
        return Decimal(str(node))

    def get(self, *keys: str, default: Any = None) -> Any:
        node: Any = self.data
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                return default
            node = node[key]
        return node


@cache
def load_pack(name_or_path: str = DEFAULT_PACK) -> Pack:
    path = Path(name_or_path)
    try:
        if path.suffix in {".yaml", ".yml"} and path.exists():
            text = path.read_text(encoding="utf-8")
        else:
            res = resources.files(__package__).joinpath("packs", f"{name_or_path}.yaml")
            if not res.is_file():
                raise PackError(f"找不到规则包“{name_or_path}”")
            text = res.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise PackError(f"规则包“{name_or_path}”不是有效的YAML：{exc}") from exc
    if not isinstance(data, dict) or "rules" not in data:
        raise PackError(f"规则包“{name_or_path}”缺少 rules 段")
    _import_checks()
    unknown = set(data["rules"]) - set(_RULE_IDS)
    if unknown:
        raise PackError(f"规则包“{name_or_path}”含有未知规则：{', '.join(sorted(unknown))}")
    return Pack(id=data.get("id", name_or_path), name=data.get("name", name_or_path), data=data)


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
    pack = pack or load_pack()
    _import_checks()
    ctx = Context(package=package, pack=pack, form=load_form(pack.get("form", default="hunan-2023")))
    if scores is not None:
        ctx.cache["scores"] = scores
    for rule_ids, fn in _CHECKS:
        if any(ctx.enabled(r) for r in rule_ids):
            fn(ctx)
    return sort_findings(ctx.findings)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    part_order = {"基础数据表": 0, "整体支出绩效自评表": 1, "项目支出绩效自评表": 2, "自评报告": 3}
    return sorted(
        findings,
        key=lambda f: (part_order.get(f.location.part, 9), f.location.index or 0, SEVERITY_ORDER[f.severity]),
    )
