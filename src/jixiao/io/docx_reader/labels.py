"""Row labels as units write them, matched to the form's rows safely.

Three steps, the first that decides wins:

1. ``norm``: the label as compared — half-width, no spaces or line breaks, no quotes of any
   kind ('"三公"经费'), no numbering ('1、', '(一)', '①', '1)'), no '其中'/'其中：' lead-in,
   no unit in parentheses at the end ('（万元）', '(人)'), no trailing colon.
2. The form definition's labels and aliases, compared after ``norm``.
3. A similarity match (``Matcher.guess``) for what is left: the best form row by character
   bigrams and characters, with generic endings (费, 经费, 资金, 拨款 …) set aside. It places a
   row only above the form's confidence line and with a clear margin over the next best row,
   and the caller never lets two source rows land on one target. Below the line nothing is
   placed and the finding names the row it guessed.

The confidence line, the margin and the generic endings are data in the form definition
(``reader.label_match``), not constants here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ...forms import plain_label, reader_settings

_QUOTES = re.compile("[\"'“”‘’「」『』〝〞〟″′`]")
_NUMBERING = re.compile(
    r"^(?:[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[)）]|[①-⑳]|第[一二三四五六七八九十]{1,3}[、.．,，]?)"
)
_LEAD_QIZHONG = re.compile(r"^其中[:：]?")
_UNIT_SUFFIX = re.compile(r"[(（](?:单位[:：]?)?(?:万元|元|人|个|%|m²|m2|㎡|平方米|分|亿元|千元|人次)[)）]$")
_LIST_MARKS = re.compile(r"[、，,;；/]|及|和|与")


@lru_cache(maxsize=16384)
def norm(text: str) -> str:
    """A label as compared: half-width, no spaces, quotes, numbering, 其中 lead-in or unit."""
    if not text:
        return ""
    label = plain_label(_QUOTES.sub("", text))
    for _ in range(3):  # '其中：(1)…', '1、其中：…' — take every lead-in off, in any order
        before = label
        label = _NUMBERING.sub("", label)
        label = _LEAD_QIZHONG.sub("", label)
        label = _UNIT_SUFFIX.sub("", label).rstrip(":：")
        if label == before:
            break
    return label


def _stem(label: str, endings: tuple[str, ...]) -> str:
    """The label without list marks and generic endings ('公务用车运行维护费' -> '公务用车运行维护')."""
    text = _LIST_MARKS.sub("", label)
    changed = True
    while changed and len(text) > 2:
        changed = False
        for end in endings:
            if text.endswith(end) and len(text) - len(end) >= 2:
                text = text[: -len(end)]
                changed = True
                break
    return text


def _item_chars(label: str, endings: tuple[str, ...]) -> frozenset[str]:
    """The characters of a list label's items, each without its generic ending ('水电费、差旅费' -> 水电差旅)."""
    chars: set[str] = set()
    for item in _LIST_MARKS.split(label):
        for end in endings:
            if item.endswith(end) and len(item) > len(end):
                item = item[: -len(end)]
                break
        chars.update(item)
    return frozenset(chars)


def _bigrams(text: str) -> Counter:
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def _dice(a: Counter, b: Counter) -> float:
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 0.0


def similarity(a: str, b: str, endings: tuple[str, ...] = ()) -> float:
    """0..1 for two normalised labels: 1 when equal; high for the same words with another ending."""
    if a == b:
        return 1.0
    sa, sb = _stem(a, endings), _stem(b, endings)
    if sa == sb and len(sa) >= 2:
        return 0.95
    if (_LIST_MARKS.search(a) or _LIST_MARKS.search(b)) and len(sa) >= 3:
        if _item_chars(a, endings) == _item_chars(b, endings):
            return 0.9  # the same items listed another way ('水电费、差旅费' ~ '水费、电费、差旅费')
    pairs = _dice(_bigrams(sa), _bigrams(sb))
    chars = _dice(Counter(sa), Counter(sb))
    return (pairs + chars) / 2


@dataclass(frozen=True)
class Guess:
    field: str
    label: str  # the form's label it resembles (as a message names it)
    score: float
    confident: bool  # above the line and clear of the next best row


class Matcher:
    """Labels of one group of rows (the basic table's amount rows, the income split …)."""

    def __init__(self, rows: list[dict], index: dict[str, str] | None = None):
        settings = reader_settings()["label_match"]
        self.min_similarity = float(settings["min_similarity"])
        self.min_margin = float(settings["min_margin"])
        self.endings = tuple(settings["generic_endings"])
        self.index: dict[str, str] = dict(index or {})
        self.names: dict[str, str] = {}
        self._candidates: list[tuple[str, str]] = []  # (normalised label or alias, field)
        for row in rows:
            self.names.setdefault(row["field"], plain_label(row["label"]))
            for label in [row["label"], *row.get("aliases", [])]:
                key = norm(label)
                self.index.setdefault(key, row["field"])
                self._candidates.append((key, row["field"]))

    def exact(self, text: str) -> str | None:
        return self.index.get(norm(text))

    def guess(self, text: str, allowed: set[str] | None = None) -> Guess | None:
        """The most similar row (among ``allowed`` fields when given), or None when nothing is near."""
        label = norm(text)
        if not label:
            return None
        best: dict[str, float] = {}
        chars = set(label)
        for key, fld in self._candidates:
            if (allowed is not None and fld not in allowed) or chars.isdisjoint(key):
                continue  # nothing in common: similarity 0, not worth computing
            score = similarity(label, key, self.endings)
            if score > best.get(fld, 0.0):
                best[fld] = score
        if not best:
            return None
        ranked = sorted(best.items(), key=lambda kv: kv[1], reverse=True)
        fld, score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if score < self.min_similarity / 2:
            return None
        confident = score >= self.min_similarity and score - runner_up >= self.min_margin
        return Guess(fld, self.names[fld], score, confident)
