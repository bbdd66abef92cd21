"""The empty package a unit starts from, drawn from the form definition and the rule pack: the
one skeleton the web's 开始填报, a new project table and the Excel template all use.

JSON-shaped dicts (what the web stores); the template turns them into a ``Package``.
"""

from __future__ import annotations

from typing import Any

from . import fmt_label
from .names import form_def

CN_NUMERALS = "一二三四五六七八九十"
TASK_ROWS = 3  # empty 年度主要任务 rows an 整体 target table starts with, to write in


def level1_label(name: str, weight: Any, form: dict[str, Any]) -> str:
    """'产出指标（50分）' as the form prints a 一级 label with its standard weight; the name alone without one."""
    if weight is None:
        return name
    return form["captions"]["level1_weight"].format(name=name, weight=weight)


def indicator_tree(form: dict[str, Any], weights: dict[str, Any], rows: int = 1) -> list[dict[str, Any]]:
    """一级 → the usual 二级 → ``rows`` empty 三级 rows each, 一级 labels with the pack's standard weights."""
    return [
        {"label": level1_label(l1["name"], weights.get(l1["name"]), form),
         "children": [{"label": c["name"], "indicators": [{} for _ in range(rows)]} for c in l1["children"]]}
        for l1 in form["evaluation"]["level1"]
    ]


def section_heading(number: int, title: str) -> str:
    return f"{CN_NUMERALS[number - 1] if number <= len(CN_NUMERALS) else number}、{title}"


def report_sections(form: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"number": s["number"], "heading": section_heading(s["number"], s["title"]), "body": ""}
            for s in form["report"]["sections"]]


def project_table(form: dict[str, Any], pack, rows: int = 1) -> dict[str, Any]:
    execution = pack.get("weights", "execution")
    return {
        "funds": {"weight": str(execution) if execution is not None else None},
        "indicators": indicator_tree(form, pack.get("weights", "level1", default={}) or {}, rows),
    }


def new_document(unit_name: str, year: int, form_name: str, pack) -> dict[str, Any]:
    """A unit's empty package for ``year`` (JSON-shaped, not yet validated): the parts the form
    has. A form without an 整体 table starts with one project table (a package of nothing but
    an empty project list has nothing to fill); a package on another form than the default says so."""
    from . import DEFAULT_FORM

    form = form_def(form_name)  # the package's load_form at call time (a test may put its own there)
    parts = form["parts"]
    doc: dict[str, Any] = {"fiscal_year": year, "unit_name": unit_name}
    if form.get("id", DEFAULT_FORM) != DEFAULT_FORM:
        doc["form"] = form["id"]
    if "basic" in parts:
        doc["basic"] = {"unit_name": unit_name}
    if "overall" in parts:
        doc["overall"] = {"unit_name": unit_name, **project_table(form, pack)}
        if form["evaluation"].get("tasks") and "tasks" in _overall_blocks(form):
            doc["overall"]["tasks"] = [{} for _ in range(TASK_ROWS)]
    doc["projects"] = [] if "overall" in parts or "project" not in parts else [project_table(form, pack)]
    if "report" in parts:
        title = fmt_label(form["captions"]["titles"]["report"], year, unit=unit_name)
        doc["report"] = {"title": title, "sections": report_sections(form)}
    return doc


def _overall_blocks(form: dict[str, Any]) -> list[str]:
    from .grid import evaluation_layout

    return evaluation_layout(form).blocks_of("overall")


def empty_package(form: str | dict[str, Any], *, unit_name: str = "", year: int, projects: int | None = None,
                  rows: int = 1, pack=None) -> dict[str, Any]:
    """An empty package on ``form`` with ``projects`` project tables (the form's own start when
    None) and ``rows`` 三级 rows under each 二级; the 一级 weights of ``pack``, by default the
    pack the form's packages are checked by. JSON-shaped, as ``new_document``."""
    from ..pack import pack_for

    definition = form_def(form)
    pack = pack if pack is not None else pack_for(definition.get("id"))
    doc = new_document(unit_name, year, definition, pack)
    weights = pack.get("weights", "level1", default={}) or {}
    if "overall" in doc:
        doc["overall"]["indicators"] = indicator_tree(definition, weights, rows)
    if projects is not None and "project" in definition["parts"]:
        doc["projects"] = [project_table(definition, pack, rows) for _ in range(projects)]
    else:
        doc["projects"] = [project_table(definition, pack, rows) for _ in doc["projects"]]
    return doc
