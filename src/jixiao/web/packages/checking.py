"""The bridge from stored or typed documents to the core: validate, check, summarise.

A document here is the JSON form of jixiao.model.Package (a dict), possibly holding what a
user typed that does not parse yet ("6.0O" in an amount cell). Such cells are reported as
input errors on their path and blanked for the check, so the rest of the page still
recomputes while the user corrects them.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from jixiao.api import CheckResult, check_package
from jixiao.errors import validation_reason
from jixiao.forms import DEFAULT_FORM, load_form, skeleton
from jixiao.model import Package, rounded
from jixiao.rules import Finding, check_changed, load_pack

from .docpaths import get_path, set_path


def finding_key(f: Finding) -> str:
    """Stable name of a finding across revisions: rule, cell, row and column."""
    loc = f.location
    return "|".join([f.rule, loc.path or "", str(loc.index if loc.index is not None else ""), loc.row or "", loc.column or ""])


@dataclass
class Evaluation:
    document: dict[str, Any]  # as typed (may hold unparsable cells)
    package: Package | None
    result: CheckResult | None
    input_errors: dict[str, str] = field(default_factory=dict)
    fatal: str | None = None  # the document could not be understood at all
    cycle_key: str = ""  # context_key of the cycle context it was checked with


    @property
    def ok(self) -> bool:
        return self.package is not None and not self.input_errors and self.fatal is None

    def findings(self) -> list[Finding]:
        return self.result.findings if self.result else []


def validate(document: dict[str, Any]) -> tuple[Package | None, dict[str, str], str | None]:
    """The package, the cells that do not parse (path -> Chinese message), or a fatal message."""
    try:  # the common case: everything parses, and nothing needs blanking in a copy
        return Package.model_validate(document), {}, None
    except ValidationError:
        pass
    doc = copy.deepcopy(document)
    errors: dict[str, str] = {}
    for _ in range(20):
        try:
            return Package.model_validate(doc), errors, None
        except ValidationError as exc:
            progressed = False
            for err in exc.errors():
                path = ".".join(str(p) for p in err["loc"])
                if not path or path in errors:
                    continue
                if path in ("fiscal_year", "unit_name", "schema_version"):
                    return None, errors, f"材料的{path}无效：{validation_reason(err)}"
                errors[path] = validation_reason(err)
                try:
                    set_path(doc, path, None)
                    progressed = True
                except (KeyError, IndexError, TypeError):
                    continue
            if not progressed:
                return None, errors, "材料内容无法识别：" + "；".join(f"{k} {v}" for k, v in list(errors.items())[:3])
    return None, errors, "材料内容无法识别"


# At most this many checks run at once in a process. Checking is pure Python, so more threads
# would not finish sooner; they would only take the interpreter away from a thread that holds
# the database's write lock, and every save queued behind it would wait longer.
_CHECK_SLOTS = threading.BoundedSemaphore(2)


def context_key(cycle: Any) -> str:
    """A short digest of a cycle context (jixiao.cycle.CycleContext): part of the cache key of a
    revision's evaluation, so that a new approval of the targets (or new evidence, a closed
    rectification item) checks the same revision again. "" without a context."""
    if cycle is None:
        return ""
    approved = cycle.approved_targets
    parts = [approved.model_dump_json() if approved is not None else "",
             repr(cycle.open_rectifications), repr(sorted(cycle.evidence)), repr(cycle.evidence_required)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def evaluate(document: dict[str, Any], rule_pack: str, base: Evaluation | None = None, *, cycle: Any = None) -> Evaluation:
    """Validate and check a document; with ``base`` (the evaluation of the revision it was edited
    from) only the checks that read a changed part run again (jixiao.rules.incremental); ``cycle``
    (jixiao.cycle.CycleContext, see cycle_context.py) what the other steps of the year say."""
    with _CHECK_SLOTS:
        package, errors, fatal = validate(document)
        if package is None:
            result = None
        elif base is not None and base.result is not None:
            result = check_changed(base.result, package, load_pack(rule_pack), cycle=cycle)
        else:
            result = check_package(package, load_pack(rule_pack), cycle=cycle)
    return Evaluation(document=document, package=package, result=result, input_errors=errors, fatal=fatal,
                      cycle_key=context_key(cycle))


class _RevisionCache:
    """Evaluations of stored revisions, per process. A revision never changes, so its check
    result never does either: opening a package after a save, or opening it again, does not
    run the checker twice. Bounded; thread-safe for the threaded server."""

    def __init__(self, size: int = 128):
        self.size = size
        self.items: OrderedDict[tuple, Evaluation] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Evaluation | None:
        with self.lock:
            ev = self.items.get(key)
            if ev is not None:
                self.items.move_to_end(key)
            return ev

    def put(self, key: tuple, ev: Evaluation) -> None:
        with self.lock:
            self.items[key] = ev
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


REVISION_CACHE = _RevisionCache()


def evaluate_revision(revision, rule_pack: str, document: dict[str, Any] | None = None, variant: str = "", *,
                      cycle: Any = None) -> Evaluation:
    """The evaluation of a stored revision (``document``: a normalised view of it, named by ``variant``)
    against ``cycle`` (cycle_context.cycle_context_for its package): the same revision is checked
    again when the context changes."""
    key = (revision.pk, rule_pack, variant, context_key(cycle))
    ev = REVISION_CACHE.get(key)
    if ev is None:
        ev = evaluate(revision.document if document is None else document, rule_pack, cycle=cycle)
        REVISION_CACHE.put(key, ev)
    return ev


def cached_evaluation(revision, rule_pack: str, cycle: Any = None) -> Evaluation | None:
    """A stored revision's evaluation if this process holds one (any variant), else None: the
    base a save or a recompute of a page drawn from that revision is checked incrementally from."""
    ck = context_key(cycle)
    return REVISION_CACHE.get((revision.pk, rule_pack, "", ck)) or REVISION_CACHE.get((revision.pk, rule_pack, "report", ck))


def unexplained_errors(result: CheckResult, explanations: dict[str, str]) -> list[Finding]:
    return [
        f for f in result.findings
        if f.severity == "error" and not (explanations.get(finding_key(f)) or "").strip()
    ]


def package_score(result: CheckResult, rule_pack: str | None = None) -> tuple[Decimal | None, Decimal | None, str, str]:
    """(self total, computed total, self grade, computed grade) of the package as a whole: its
    整体表's scores; a package without one (a form of project tables only) is scored by its project
    tables taken together, the mean of their totals (each table scores out of the same 100 points),
    graded by the pack's bands. Tables without a total are left out of the mean. A form that has
    an 整体表 is scored by it alone, even while the package lacks it."""
    overall = next((t for t in result.scores if t.index is None), None)
    if "overall" in load_form(result.package.form or DEFAULT_FORM)["parts"]:
        if overall is None:
            return None, None, "", ""
        return overall.self_total, overall.computed_total, overall.self_grade or "", overall.computed_grade or ""
    from jixiao.pack import pack_for
    from jixiao.scoring import grade

    pack = load_pack(rule_pack) if rule_pack else pack_for(result.package.form)
    totals = []
    for attr in ("self_total", "computed_total"):
        values = [getattr(t, attr) for t in result.scores if t.index is not None and getattr(t, attr) is not None]
        totals.append(rounded(sum(values, Decimal(0)) / len(values), 2) if values else None)
    self_total, computed_total = totals
    return self_total, computed_total, grade(self_total, pack) or "", grade(computed_total, pack) or ""


def summary_columns(result: CheckResult, explanations: dict[str, str], rule_pack: str | None = None) -> dict[str, Any]:
    """The figures a Revision row keeps beside its document."""
    pkg = result.package
    self_total, computed_total, self_grade, computed_grade = package_score(result, rule_pack)
    basic_final = pkg.basic.project_spending.final if pkg.basic else None
    executed = pkg.overall.funds.executed if pkg.overall else None
    return {
        "unit_name": pkg.unit_name[:200],
        "fiscal_year": pkg.fiscal_year,
        "basic_project_final": _dec(basic_final),
        "funds_executed": _dec(executed),
        "self_total": _dec(self_total),
        "computed_total": _dec(computed_total),
        "self_grade": self_grade,
        "computed_grade": computed_grade,
        "errors": result.count("error"),
        "warnings": result.count("warning"),
        "infos": result.count("info"),
        "unexplained_errors": len(unexplained_errors(result, explanations)),
    }


def _dec(value: Any) -> Decimal | None:
    if not isinstance(value, Decimal):
        return None
    # Column limits: a typo like 1e20 must not break the save; the document keeps it exactly.
    return value.quantize(Decimal("0.01")) if abs(value) < Decimal("1e12") else None


def canonical(package: Package) -> dict[str, Any]:
    """The stored form of a document: the model's JSON (which leaves out the parse of indicator
    values, jixiao.model.values.IndicatorValue)."""
    return package.model_dump(mode="json")


# ------------------------------------------------------------------ skeletons


def level1_skeleton(form_name: str, rule_pack: str) -> list[dict[str, Any]]:
    pack = load_pack(rule_pack)
    return skeleton.indicator_tree(load_form(form_name), pack.get("weights", "level1", default={}) or {})


def report_skeleton(form_name: str) -> list[dict[str, Any]]:
    return skeleton.report_sections(load_form(form_name))


def project_skeleton(form_name: str, rule_pack: str) -> dict[str, Any]:
    return skeleton.project_table(load_form(form_name), load_pack(rule_pack))


def new_document(unit_name: str, year: int, form_name: str, rule_pack: str) -> dict[str, Any]:
    """A unit's empty package on ``form_name``: the parts that form has (``forms.skeleton``)."""
    doc = skeleton.new_document(unit_name, year, form_name, load_pack(rule_pack))
    return canonical(Package.model_validate(doc))


def value_at(document: dict[str, Any], path: str) -> Any:
    try:
        return get_path(document, path)
    except (KeyError, IndexError, TypeError):
        return None


# ------------------------------------------------------------------ importing some of the parts


def form_title(form_name: str) -> str:
    """How people call a form: its ``name``, else its parts' names."""
    form = load_form(form_name)
    return form.get("name") or "、".join(part["name"] for part in form["parts"].values())


def other_form_reason(package: Package, campaign_form: str, file_name: str) -> str | None:
    """Why a file read as ``package`` cannot go into a campaign on ``campaign_form`` (None: it can).
    A file of another form holds other rows and columns: placing it would lose or misplace cells."""
    form = package.form or DEFAULT_FORM
    if form == campaign_form:
        return None
    return (f"“{file_name}”是“{form_title(form)}”的材料，本填报任务使用“{form_title(campaign_form)}”，"
            "表式不同，未导入。请按本任务的表式填写后再导入。")

_PARTS = (("basic", "basic"), ("overall", "overall"), ("projects", "project"), ("report", "report"))


def parts_in(document: dict[str, Any]) -> set[str]:
    """Which parts a package document holds: 'basic', 'overall', 'projects', 'report'."""
    return {key for key, _ in _PARTS if document.get(key)}


def keep_absent_parts(imported: dict[str, Any], current: dict[str, Any] | None,
                      form_name: str) -> tuple[dict[str, Any], list[str]]:
    """An imported document completed with the parts it lacks from the current revision, so
    importing a file that holds only some parts (a 基础数据表 alone) never erases the others.
    Returns the document and the names of the parts kept."""
    if not current:
        return imported, []
    names = load_form(form_name)["parts"]
    merged, kept = dict(imported), []
    for key, part in _PARTS:
        if not imported.get(key) and current.get(key):
            merged[key] = copy.deepcopy(current[key])
            kept.append(names[part]["name"])
    return merged, kept
