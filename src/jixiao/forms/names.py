"""The names a form definition gives its parts, rows, columns and captions, for whoever writes a
message, a location, a label, an export heading or a dashboard title outside ``jixiao.forms``.

Every accessor takes the form as a loaded definition, its name, or None (the default form), so a
caller passes what it has: the rules their ``ctx.form``, scoring the pack's form, the web the
campaign's form name, the readers their vocabulary's form. Nothing outside ``jixiao.forms``
spells a label the form holds (tests/core/test_form_names.py keeps it so).
"""

from __future__ import annotations

import re
import sys
from functools import cache, lru_cache
from typing import Any

from . import DEFAULT_FORM, fmt_label, plain_label

Form = dict[str, Any] | str | None

# A part key as the model names it ('projects') or as the form does ('project').
_PART_ALIASES = {"projects": "project"}

# Which list of the form holds a table's columns or rows.
_COLUMNS = {
    "staffing": ("basic", "staffing_columns"),
    "amount": ("basic", "amount_columns"),
    "building": ("basic", "building_columns"),
    "funds": ("evaluation", "funds_columns"),
    "indicator": ("evaluation", "indicator_columns"),
}
_ROWS = {
    "amount": ("basic", "amount_rows"),
    "income": ("evaluation", "income_rows"),
    "spending": ("evaluation", "spending_rows"),
    "project_fund": ("evaluation", "project_fund_rows"),
}


def form_def(form: Form = None) -> dict[str, Any]:
    """The loaded definition of ``form`` (a loaded definition, its name, or None: the default)."""
    if isinstance(form, dict):
        return form
    # looked up on the package at each call, so a form put in its place (a test's) is the one read
    return sys.modules[__package__].load_form(form or DEFAULT_FORM)


@lru_cache(maxsize=4096)
def _year_label(label: str, year: int | None) -> str:
    # Cached: messages ask for the same few labels thousands of times a second.
    if year is None:
        # No year at hand: the label as a message names it without one ('实际在职人数').
        return re.sub(r"\{(?:prev_)?year\}年?", "", label)
    return fmt_label(label, year)


def part_name(key: str, form: Form = None) -> str:
    """A part's name: 'basic' → 基础数据表; 'overall', 'project' (or 'projects'), 'report'."""
    return form_def(form)["parts"][_PART_ALIASES.get(key, key)]["name"]


def part_names(form: Form = None) -> dict[str, str]:
    """Every part's name by its key, in form order (basic, overall, project, report)."""
    return {key: part["name"] for key, part in form_def(form)["parts"].items()}


def part_order(form: Form = None) -> dict[str, int]:
    """A part's name → its place in the package, for sorting findings part by part."""
    return {name: i for i, name in enumerate(part_names(form).values())}


def column_label(table: str, field: str, form: Form = None, year: int | None = None) -> str:
    """A column's printed label: ``table`` is staffing, amount, building, funds or indicator.
    With ``year`` its {year}/{prev_year} are filled in; without, they are left out."""
    block, key = _COLUMNS[table]
    for col in form_def(form)[block][key]:
        if col["field"] == field:
            return _year_label(col["label"], year)
    raise KeyError(f"{table} column {field!r}")


def column_labels(table: str, form: Form = None, year: int | None = None) -> dict[str, str]:
    """Every column of a table: field → printed label."""
    block, key = _COLUMNS[table]
    return {c["field"]: _year_label(c["label"], year) for c in form_def(form)[block][key]}


def row_name(table: str, field: str, form: Form = None) -> str:
    """A row's label as messages name it (no '1、' numbering, no '其中：'): ``table`` is amount,
    income, spending or project_fund; 'funds' names the 年度资金总额 row."""
    spec = form_def(form)
    if table == "funds":  # the one 年度资金总额 row (field 'funds')
        return plain_label(spec["evaluation"]["funds_total"]["label"])
    block, key = _ROWS[table]
    for row in spec[block][key]:
        if row["field"] == field:
            return plain_label(row["label"])
    raise KeyError(f"{table} row {field!r}")


def caption(group: str, key: str, form: Form = None, *, year: int | None = None, unit: str = "") -> str:
    """A fixed caption of the printed form (``captions.<group>.<key>``), {year}/{unit} filled in."""
    text = form_def(form)["captions"][group][key]
    return _year_label(text, year) if "{unit}" not in text else fmt_label(text, year or 0, unit=unit)


@cache
def _strip_unit(text: str) -> str:
    return re.sub(r"[(（][^()（）]*[)）]$", "", plain_label(text))


def caption_name(group: str, key: str, form: Form = None) -> str:
    """A caption as a message names it: plain, without its '(人)' / '(万元)' unit or year note."""
    text = form_def(form)["captions"][group][key]
    return _strip_unit(text.split("\n")[0])


def signature_label(field: str, form: Form = None) -> str:
    """The signature line's label of a field (unit_head, filled_by, phone, date)."""
    for sig in form_def(form)["captions"]["signature"]:
        if sig["field"] == field:
            return sig["label"]
    raise KeyError(f"signature {field!r}")


def signature_labels(form: Form = None) -> dict[str, str]:
    return {s["field"]: s["label"] for s in form_def(form)["captions"]["signature"]}


def rate_spec(field: str, form: Form = None) -> dict[str, Any]:
    """The ``derived.rates`` entry of a rate field (its row, column and formula as printed)."""
    for rate in form_def(form)["derived"]["rates"]:
        if rate["field"] == field:
            return rate
    raise KeyError(f"rate {field!r}")


def figure_label(path: str, form: Form = None) -> str:
    """The label the report's prose uses for the figure at a model path (``report.figures``)."""
    for fig in form_def(form)["report"]["figures"]:
        if fig["path"] == path:
            return fig["label"]
    raise KeyError(f"figure {path!r}")


def building_row(n: int, form: Form = None) -> str:
    """The name of the n-th (1-based) 楼堂馆所 row when it has no name of its own."""
    return rate_spec("area_control_rate", form)["row"].format(n=n)
