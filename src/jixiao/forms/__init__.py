"""Form definitions: the rows, columns and labels of each table, described once as data."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ..model.package import clean_label

DEFAULT_FORM = "hunan-2023"


def _loader():
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_form(name: str = DEFAULT_FORM) -> dict[str, Any]:
    text = resources.files(__package__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=_loader())


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
