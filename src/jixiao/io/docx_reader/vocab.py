"""The labels readers look for, taken from the form definition and normalised once.

Nothing here lists a label of its own: rows, columns, captions and their aliases all come
from ``jixiao.forms`` (hunan-2023.yaml); this module only indexes them by normalised text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ...forms import load_form
from ...model.values import fold
from .labels import Matcher, norm

__all__ = ["Columns", "Matcher", "Vocab", "norm", "vocab", "year_in"]

_YEAR_IN_TITLE = re.compile(r"(20\d\d)\s*年")
MAX_LABEL = 80  # longer text is never a label or caption


def year_in(text: str) -> int | None:
    m = _YEAR_IN_TITLE.search(fold(text))
    return int(m.group(1)) if m else None


@dataclass(frozen=True)
class Columns:
    """Column header label (normalised) -> field, for one kind of header row."""

    index: dict[str, str]

    def match(self, text: str) -> str | None:
        return self.index.get(norm(text)) if text and len(text) <= MAX_LABEL else None


def _columns(columns: list[dict[str, Any]], year: int) -> Columns:
    index: dict[str, str] = {}
    for col in columns:
        for label in [col["label"], *col.get("aliases", [])]:
            index[norm(label.format(year=year, prev_year=year - 1))] = col["field"]
    return Columns(index)


@dataclass(frozen=True, eq=False)  # identity hash: one Vocab per year, cached
class Vocab:
    year: int
    form: dict[str, Any]
    basic_rows: dict[str, str]  # normalised label -> field
    basic_order: dict[str, int]  # field -> position in the form
    basic_items: dict[str, str]  # subtotal field -> its items list field
    staffing: Columns
    amounts: Columns
    buildings: Columns
    funds: Columns
    indicators: Columns
    goals: Columns
    project_fields: Columns
    fund_rows: dict[str, str]  # 年度资金总额 and the project table's 其中 rows
    income: dict[str, str]
    spending: dict[str, str]
    basic_match: Matcher  # the amount rows, with similarity guesses
    fund_match: Matcher
    split_match: Matcher  # the income and spending labels together (one never lands on the other)
    captions: dict[str, dict[str, frozenset[str]]]  # 'basic'/'evaluation' -> key -> normalised labels
    prefixes: dict[str, dict[str, tuple[str, ...]]]  # the same as tuples, for str.startswith
    signature: list[tuple[str, list[re.Pattern[str]]]]  # field -> 'label：' patterns, longest label first
    notes: set[str]
    titles: dict[str, list[str]]  # part -> normalised title patterns
    generic_headers: frozenset[str]  # header words over columns the form has no field for

    def column_label(self, group: str, fld: str) -> str:
        """How the form heads a column ('2023年决算数', '执行率'), for findings that name a cell."""
        for col in self.form[group[0]][group[1]]:
            if col["field"] == fld:
                return col["label"].format(year=self.year, prev_year=self.year - 1)
        return fld

    def caption(self, group: str, key: str, text: str, *, prefix: bool = False) -> bool:
        """Whether ``text`` is the caption ``key`` (or one of its aliases); section captions may run on."""
        if not text or len(text) > MAX_LABEL:
            return False
        return self.is_caption(group, key, norm(text), prefix=prefix)

    def is_caption(self, group: str, key: str, label: str, *, prefix: bool = False) -> bool:
        """Like ``caption`` for an already normalised label."""
        labels = self.captions[group][key]
        return label in labels or (prefix and label.startswith(self.prefixes[group][key]))


@cache
def vocab(year: int, form_name: str = "hunan-2023") -> Vocab:
    form = load_form(form_name)
    fmt = {"year": year, "prev_year": year - 1, "unit": ""}
    basic, ev = form["basic"], form["evaluation"]
    rows = basic["amount_rows"]
    captions: dict[str, dict[str, frozenset[str]]] = {}
    aliases = form.get("caption_aliases", {})
    for group in ("basic", "evaluation"):
        captions[group] = {}
        for key, label in form["captions"][group].items():
            extra = aliases.get(group, {}).get(key, [])
            captions[group][key] = frozenset(norm(x.format(**fmt)) for x in [label, *extra])
    sig = []
    for item in form["captions"]["signature"]:
        labels = [item["label"], *aliases.get("signature", {}).get(item["field"], [])]
        folded = sorted({fold(x) for x in labels}, key=len, reverse=True)
        sig.append((item["field"], [re.compile(re.escape(x) + r"\s*[:：]") for x in folded]))
    notes = {norm(form["captions"]["basic"]["note"])}
    notes |= {norm(form["captions"]["evaluation"][k]) for k in ("overall_note", "project_note")}
    basic_match = Matcher(rows)
    fund_match = Matcher([ev["funds_total"], *ev["project_fund_rows"]])
    income_match, spending_match = Matcher(ev["income_rows"]), Matcher(ev["spending_rows"])
    split_match = Matcher(
        [{**r, "field": f"income.{r['field']}"} for r in ev["income_rows"]]
        + [{**r, "field": f"spending.{r['field']}"} for r in ev["spending_rows"]]
    )
    return Vocab(
        year=year,
        form=form,
        basic_rows=basic_match.index,
        basic_order={r["field"]: i for i, r in enumerate(rows)},
        basic_items={r["field"]: r["items"] for r in rows if r.get("items")},
        staffing=_columns(basic["staffing_columns"], year),
        amounts=_columns(basic["amount_columns"], year),
        buildings=_columns(basic["building_columns"], year),
        funds=_columns(ev["funds_columns"], year),
        indicators=_columns(ev["indicator_columns"], year),
        goals=_columns(
            [
                {"field": "expected", "label": form["captions"]["evaluation"]["goals_expected"]},
                {"field": "actual", "label": form["captions"]["evaluation"]["goals_actual"]},
            ],
            year,
        ),
        project_fields=_columns(
            [
                {"field": k, "label": form["captions"]["evaluation"][k], "aliases": aliases.get("evaluation", {}).get(k, [])}
                for k in ("project_name", "department", "implementing_unit")
            ],
            year,
        ),
        fund_rows=fund_match.index,
        income=income_match.index,
        spending=spending_match.index,
        basic_match=basic_match,
        fund_match=fund_match,
        split_match=split_match,
        captions=captions,
        prefixes={g: {k: tuple(sorted(v)) for k, v in keys.items()} for g, keys in captions.items()},
        signature=sig,
        notes=notes,
        titles={k: [norm(p) for p in v["title_patterns"]] for k, v in form["parts"].items()},
        generic_headers=frozenset(norm(x) for x in form["reader"].get("generic_headers", [])),
    )
