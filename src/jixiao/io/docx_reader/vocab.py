"""The labels readers look for, taken from the form definition and normalised once.

Nothing here lists a label of its own: rows, columns, captions and their aliases all come
from ``jixiao.forms`` (the form definition a file is read on); this module only indexes them by
normalised text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ...forms import load_form
from ...model.values import fold
from .labels import Matcher, norm

__all__ = ["Columns", "Matcher", "Vocab", "months_in", "norm", "tick_option", "vocab", "without_form_text", "year_in"]

_YEAR_IN_TITLE = re.compile(r"(20\d\d)\s*年")
MAX_LABEL = 80  # longer text is never a label or caption


def year_in(text: str) -> int | None:
    m = _YEAR_IN_TITLE.search(fold(text))
    return int(m.group(1)) if m else None


# The months a monitoring column covers ('1-7月执行数', '1—6月', '1～8月', '1至7月', '1月-7月'): a
# column is matched whatever its months, and the months are kept (``months_in``).
_MONTHS = re.compile(r"(?:1|一)\s*月?\s*(?:-|~|至|到)\s*(1[0-2]|[1-9]|[一二三四五六七八九十]|十[一二])\s*月")
_CN_MONTHS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)} | {"十一": 11, "十二": 12}


def months_in(text: str | None) -> int | None:
    """The last month of a '1-N月' span in a label, or None."""
    m = _MONTHS.search(norm(text or ""))
    if m is None:
        return None
    last = m.group(1)
    return int(last) if last.isdigit() else _CN_MONTHS[last]


def _any_months(label: str) -> str:
    return _MONTHS.sub("1-#月", label)


@dataclass(frozen=True)
class Columns:
    """Column header label (normalised) -> field, for one kind of header row.

    A tick column (偏差原因: 经费保障 …) is keyed 'causes:经费保障', so that each option has its own
    grid column; ``tick_option`` splits the key again."""

    index: dict[str, str]

    def match(self, text: str) -> str | None:
        if not text or len(text) > MAX_LABEL:
            return None
        label = norm(text)
        found = self.index.get(label)
        if found is None and _MONTHS.search(label):
            found = self.index.get(_any_months(label))
        if found is None and (bare := _YEARS_AFTER.sub("", label)) != label:  # '中期目标（2024年-2026年）'
            found = self.index.get(bare)
        return found


_YEARS_AFTER = re.compile(r"\((?:当年|20\d\d|20XX)[^()]*\)$")


def tick_option(key: str) -> tuple[str, str | None]:
    """('causes', '经费保障') for a tick column's key, (key, None) for any other column."""
    fld, _, option = key.partition(":")
    return fld, option or None


def _columns(columns: list[dict[str, Any]], year: int, skip: frozenset[str] = frozenset()) -> Columns:
    index: dict[str, str] = {}
    for col in columns:
        key = f"{col['field']}:{col['option']}" if col.get("option") else col["field"]
        for label in [col["label"], *col.get("aliases", [])]:
            text = norm(label.format(year=year, prev_year=year - 1))
            if text in skip:
                continue
            index[text] = key
            if col.get("group"):  # a header over two rows joined: '偏差原因分析' + '经费保障'
                index.setdefault(norm(col["group"]) + text, key)
            if _MONTHS.search(text):
                index.setdefault(_any_months(text), key)
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
    overall_fund_match: Matcher | None = None  # the 整体 table's 其中 rows, on forms that print them
    text_rows: Columns = Columns({})  # free-text rows (评价结论 …): label -> field
    text_where: dict[str, str] | None = None  # text row field -> 'goals' | 'end'
    form_text: tuple[str, ...] = ()  # the form's printed hints, squeezed (``without_form_text``)
    tasks: Columns = Columns({})  # 年度主要任务 (an 整体 target table): 任务名称, 主要内容, 总额 …
    tasks_total: frozenset[str] = frozenset()  # its 金额合计 row
    groups: frozenset[str] = frozenset()  # captions over a group of columns (偏差原因分析)

    @property
    def funds_minimum(self) -> int:
        """Header cells that make a row the funds header: three, or every column of a form that prints
        fewer (a target form's 中期 | 年度)."""
        return min(3, len(self.form["evaluation"]["funds_columns"]))

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


class _Captions(dict):
    """Captions of one group; a caption the form does not print matches nothing."""

    def __missing__(self, key):
        return frozenset()


class _Prefixes(dict):
    def __missing__(self, key):
        return ()


_NO_BASIC: dict[str, Any] = {"amount_rows": [], "staffing_columns": [], "amount_columns": [], "building_columns": []}


@cache
def vocab(year: int, form_name: str = "hunan-2023") -> Vocab:
    form = load_form(form_name)
    fmt = {"year": year, "prev_year": year - 1, "unit": ""}
    basic, ev = form.get("basic") or _NO_BASIC, form["evaluation"]
    rows = basic["amount_rows"]
    captions: dict[str, dict[str, frozenset[str]]] = {}
    aliases = form.get("caption_aliases", {})
    for group in ("basic", "evaluation"):
        captions[group] = _Captions()
        for key, label in form["captions"].get(group, {}).items():
            extra = aliases.get(group, {}).get(key, [])
            captions[group][key] = frozenset(norm(x.format(**fmt)) for x in [label, *extra])
    sig = []
    for item in form["captions"]["signature"]:
        labels = [item["label"], *aliases.get("signature", {}).get(item["field"], [])]
        folded = sorted({fold(x) for x in labels}, key=len, reverse=True)
        sig.append((item["field"], [re.compile(re.escape(x) + r"\s*[:：]") for x in folded]))
    caps = form["captions"]
    note_keys = (("basic", "note"), ("evaluation", "overall_note"), ("evaluation", "project_note"))
    notes = {norm(caps[g][k]) for g, k in note_keys if k in caps.get(g, {})}
    notes |= {norm(x) for g, k in note_keys if k in caps.get(g, {}) for x in aliases.get(g, {}).get(k, [])}
    basic_match = Matcher(rows)
    fund_match = Matcher([ev["funds_total"], *ev.get("project_fund_rows", [])])
    overall_rows = ev.get("overall_fund_rows", [])
    overall_fund_match = Matcher([ev["funds_total"], *overall_rows]) if overall_rows else None
    income_rows, spending_rows = ev.get("income_rows", []), ev.get("spending_rows", [])
    income_match, spending_match = Matcher(income_rows), Matcher(spending_rows)
    split_match = Matcher(
        [{**r, "field": f"income.{r['field']}"} for r in income_rows]
        + [{**r, "field": f"spending.{r['field']}"} for r in spending_rows]
    )
    text_rows = ev.get("text_rows", [])
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
                {"field": "expected", "label": caps["evaluation"]["goals_expected"],
                 "aliases": aliases.get("evaluation", {}).get("goals_expected", [])},
                {"field": "actual", "label": caps["evaluation"]["goals_actual"],
                 "aliases": aliases.get("evaluation", {}).get("goals_actual", [])},
                *ev.get("goals_columns", []),  # a target form: 中期目标 beside 年度目标
            ],
            year,
            # the block's own caption ('总体目标' in the section column) heads no column
            skip=captions["evaluation"]["goals"],
        ),
        project_fields=_columns(
            [
                {"field": k, "label": caps["evaluation"][k], "aliases": aliases.get("evaluation", {}).get(k, [])}
                for k in ("project_name", "department", "implementing_unit") if k in caps["evaluation"]
            ] + ev.get("project_header", []),  # 项目属性 · 项目期 (a target form)
            year,
        ),
        tasks=_columns((ev.get("tasks") or {}).get("columns", []), year),
        tasks_total=frozenset(norm(x) for x in [(ev.get("tasks") or {}).get("total_label", ""),
                                                *(ev.get("tasks") or {}).get("total_aliases", [])] if x),
        groups=frozenset(norm(c["group"]) for c in ev["indicator_columns"] if c.get("group")),
        fund_rows=fund_match.index,
        income=income_match.index,
        spending=spending_match.index,
        basic_match=basic_match,
        fund_match=fund_match,
        split_match=split_match,
        captions=captions,
        prefixes={g: _Prefixes({k: tuple(sorted(v)) for k, v in keys.items()}) for g, keys in captions.items()},
        signature=sig,
        notes=notes,
        titles={k: [norm(p) for p in form["parts"].get(k, {}).get("title_patterns", [])]
                for k in ("basic", "overall", "project", "report")},
        generic_headers=frozenset(norm(x) for x in form["reader"].get("generic_headers", [])),
        overall_fund_match=overall_fund_match,
        text_rows=_columns(text_rows, year),
        text_where={r["field"]: r.get("where", "end") for r in text_rows},
        # longest first: a wording that contains a shorter one ('…银行贷款等' holds '…银行贷款') is
        # taken out whole, leaving no '等' that would pass for the unit's own words
        form_text=tuple(sorted({_squeeze(t) for t in form["reader"].get("form_text", [])}, key=len, reverse=True)),
    )


_SQUEEZE = re.compile(r"[\s\W_]+")


def _squeeze(text: str) -> str:
    """Text as compared with the form's printed text: folded, no spaces or punctuation."""
    return _SQUEEZE.sub("", fold(text))


def without_form_text(text: str | None, v: Vocab) -> str | None:
    """A cell's text with the form's own printed text (hints, numbered notes) taken out; None when
    nothing of the unit's is left."""
    if not text or not v.form_text:
        return text
    squeezed = _squeeze(text)
    for printed in v.form_text:
        squeezed = squeezed.replace(printed, "")
    if not squeezed or _NUMBERS_ONLY.fullmatch(squeezed):
        return None
    # something of the unit's is left: keep what it wrote, minus the lines that are the form's
    kept = [line for line in text.splitlines() if _squeeze(line) and not _is_form_line(_squeeze(line), v)]
    return "\n".join(kept).strip() or None


_NUMBERS_ONLY = re.compile(r"\d*")


def _is_form_line(squeezed: str, v: Vocab) -> bool:
    rest = squeezed
    for printed in v.form_text:
        rest = rest.replace(printed, "")
    return not rest or _NUMBERS_ONLY.fullmatch(rest) is not None
