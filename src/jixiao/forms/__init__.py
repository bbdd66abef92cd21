"""Form definitions: the rows, columns and labels of each table, described once as data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ..text import clean_label

DEFAULT_FORM = "hunan-2023"


def _loader():
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_form(name: str = DEFAULT_FORM) -> dict[str, Any]:
    """A form definition by name (``forms/<name>.yaml``) or by the path of a .yaml file."""
    from pathlib import Path

    from ..errors import FormError

    path = Path(name) if name else None
    if path is not None and path.suffix in (".yaml", ".yml") and path.is_file():
        text = path.read_text(encoding="utf-8")
    else:
        res = resources.files(__package__).joinpath(f"{name}.yaml")
        if not name or "/" in name or not res.is_file():
            raise FormError(f"找不到表式定义“{name}”")
        text = res.read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_loader())
    load_spec_of(name, data)  # refuses a definition that does not fit FormSpec, naming where
    return data


_SPECS: dict[str, Any] = {}


def load_spec_of(name: str, data: dict[str, Any]):
    """The typed ``FormSpec`` of a parsed definition (cached by name)."""
    if name not in _SPECS:
        from pydantic import ValidationError

        from ..errors import FormError
        from .spec import FormSpec, describe

        try:
            _SPECS[name] = FormSpec.model_validate(data)
        except ValidationError as exc:
            raise FormError(describe(exc, name)) from exc
    return _SPECS[name]


def load_spec(name: str = DEFAULT_FORM):
    """The form definition ``name`` as a typed ``jixiao.forms.spec.FormSpec``."""
    return load_spec_of(name, load_form(name))


@dataclass(frozen=True)
class ValueLimits:
    """The bounds of a number cell (the form's ``limits``): beyond them a value is refused on its cell."""

    amount: Decimal  # 万元 (and m² of the 楼堂馆所 rows), absolute value
    score: Decimal  # 分值 / 自评得分, absolute value
    percent: Decimal  # a rate in %, absolute value
    count: Decimal  # 人
    places: int  # decimal places kept; more are rounded off


@cache
def _limits_of(name: str) -> ValueLimits:
    raw = load_form(name)["limits"]
    return ValueLimits(
        amount=Decimal(str(raw["max_abs_amount"])),
        score=Decimal(str(raw["max_abs_score"])),
        percent=Decimal(str(raw["max_abs_percent"])),
        count=Decimal(str(raw["max_count"])),
        places=int(raw["max_places"]),
    )


def value_limits(form: dict[str, Any] | str | None = None) -> ValueLimits:
    """The bounds of number cells of a form (a loaded form, its name, or the default form)."""
    if isinstance(form, dict):
        return _limits_of(form.get("id") or DEFAULT_FORM)
    return _limits_of(form or DEFAULT_FORM)


def basic_rows(form: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return (form or load_form())["basic"]["amount_rows"]


def row_label(row: dict[str, Any]) -> str:
    """The label without its '1、' numbering or '其中：' prefix, as messages name it."""
    return plain_label(row["label"])


@cache
def plain_label(label: str) -> str:
    text = clean_label(label)
    text = re.sub(r"^(其中[:：])", "", text)
    text = re.sub(r"^\d+[、.．]", "", text)
    text = re.sub(r"[(（]一个专项一行[)）]$", "", text)
    return text.rstrip(":：")


def label_index(rows: list[dict[str, Any]]) -> dict[str, str]:
    """Normalised label or alias -> field, for readers that find rows by their labels."""
    index: dict[str, str] = {}
    for row in rows:
        for label in [row["label"], *row.get("aliases", [])]:
            index[plain_label(label)] = row["field"]
    return index


def level2_kind(level2_name: str, form: dict[str, Any] | None = None) -> str | None:
    """'positive' or 'reverse' for a known 二级指标 name."""
    for l1 in (form or load_form())["evaluation"]["level1"]:
        for child in l1["children"]:
            if child["name"] == level2_name:
                return child["kind"]
    return None


def reader_settings(form: dict[str, Any] | None = None) -> dict[str, Any]:
    """The readers' limits and label-matching settings (the form's ``reader`` block)."""
    return (form or load_form())["reader"]


def fmt_label(label: str, year: int, *, unit: str = "") -> str:
    """A label or title of the form with its {year}, {prev_year} and {unit} filled in (the one place)."""
    if "{" not in label:
        return label
    return label.format(year=year, prev_year=year - 1, unit=unit)


def form_of(pack: Any = None, form: str | None = None) -> dict[str, Any]:
    """The form definition to use: the one named, else the one a rule pack names (its ``form``),
    else the default. Every consumer (render, scoring, template, publication) asks through here,
    so a campaign's form reaches each of them."""
    if form:
        return load_form(form)
    name = pack.get("form", default=None) if pack is not None else None
    return load_form(name or DEFAULT_FORM)


# The public API of jixiao.forms for callers outside it. The names accessors are small and
# loaded with the package; the grid, derived cells and skeletons only when first asked for.
from .names import (  # noqa: E402
    building_row,
    caption,
    caption_name,
    column_label,
    column_labels,
    figure_label,
    form_def,
    part_name,
    part_names,
    part_order,
    rate_spec,
    row_name,
    signature_label,
    signature_labels,
)

_LAZY = {
    "GridCell": "grid", "GridPart": "grid", "basic_grid": "grid", "build_grid": "grid",
    "evaluation_grid": "grid", "rates": "derived", "subtotals": "derived", "cell_sum": "derived",
    "pct": "derived", "computed": "derived", "task_sums": "derived",
}


def __getattr__(name: str) -> Any:
    import importlib

    if name == "skeleton":  # the empty-package skeletons: a module of the public API
        return importlib.import_module(f"{__name__}.skeleton")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "DEFAULT_FORM", "ValueLimits", "basic_rows", "fmt_label", "form_of", "label_index", "level2_kind",
    "load_form", "plain_label", "reader_settings", "row_label", "value_limits",
    "building_row", "caption", "caption_name", "column_label", "column_labels", "figure_label", "form_def",
    "part_name", "part_names", "part_order", "rate_spec", "row_name", "signature_label", "signature_labels",
    "skeleton", *_LAZY,
]
