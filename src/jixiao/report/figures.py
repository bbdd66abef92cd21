"""Figures stated in prose: amounts with their 元/万元/亿元 scale, percentages, counts with
units — each with the subject phrase before it, as the sentence names what it counts."""

from __future__ import annotations

import re
from bisect import bisect_left
from decimal import Decimal
from functools import lru_cache
from typing import Literal, NamedTuple

from .text import SUBJECT_BOUNDARY, Folded, fold_text

Kind = Literal["amount", "percent", "count"]

_SCALE = {None: Decimal(1), "千": Decimal(1000), "万": Decimal(10_000), "百万": Decimal(1_000_000),
          "亿": Decimal(100_000_000)}
# Measure words seen after counts in these reports; longest first so that 平方米 beats 米.
COUNT_UNITS = sorted(
    """平方公里 平方米 立方米 公里 千米 m2 ㎡ 米 吨 人次 台次 户次 人 名 户 家 处 条 个 张 台 次 起 件 份 例 辆 座
    株 盆株 盆 棵 项 期 篇 场 批 套 块 亩 间 所 支 本 册 分钟 小时 分 岁 天 周 趟 车 箱 袋 公斤 千克 只 头 位 页 轮 类 种""".split(),
    key=len, reverse=True,
)
_UNIT_RE = "|".join(["个百分点", "百分点", "%", "‰", "元", *map(re.escape, COUNT_UNITS)])
FIGURE_RE = re.compile(
    r"(?<![\d.A-Za-z第])(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    r"(?P<approx1>余|多)?(?P<scale>百万|万|亿|千)?(?P<approx2>余|多)?"
    rf"(?P<unit>{_UNIT_RE})(?P<post>及以上|以上|及以下|以下|以内|之内|左右)?"
)
_DIGIT = re.compile(r"\d")  # what every figure FIGURE_RE finds starts with
# FIGURE_RE without its leading lookbehind: a pattern that starts with a digit lets the regex
# engine skip ahead to the next digit, where one that starts with an assertion is tried at every
# character. What the lookbehind forbids before a figure is tested in Python (_figure_matches).
_FIGURE_BODY = re.compile(FIGURE_RE.pattern.removeprefix(r"(?<![\d.A-Za-z第])"))
assert _FIGURE_BODY.pattern != FIGURE_RE.pattern
_GE_BEFORE = ("≥", ">", "不低于", "不少于", "至少", "高于", "超过", "大于")
_LE_BEFORE = ("≤", "<", "不超过", "不高于", "不多于", "低于", "小于", "控制在")
_APPROX_BEFORE = ("约", "近", "大约", "将近", "逾", "超")


class Figure(NamedTuple):
    """One figure of a sentence. ``value`` is in 万元 for amounts, in percentage points for
    percentages and in units (scale applied) for counts; ``tolerance`` is half a unit of
    the last digit as written, in the same measure, so '1.79亿元' agrees with 17,912万元.
    (A named tuple: made five times faster than a frozen dataclass, and, holding only strings,
    numbers and flags, left alone by the garbage collector: tens of thousands live in the
    figures cache.)"""

    kind: Kind
    value: Decimal
    tolerance: Decimal
    unit: str  # 元 (any scale), %, or the measure word
    scale: str | None
    raw: str
    start: int  # offsets in the folded sentence
    end: int
    approximate: bool = False
    direction: Literal["ge", "le"] | None = None
    subject: str = ""  # the phrase before the figure, up to a boundary or the previous figure
    after: str = ""  # the phrase after it, up to a boundary or the next figure

    @property
    def is_amount(self) -> bool:
        return self.kind == "amount"

    def agrees(self, other: Decimal, extra: Decimal = Decimal(0)) -> bool:
        return abs(self.value - other) <= max(self.tolerance, extra)


_DIRECTION = {w: d for words, d in ((_GE_BEFORE, "ge"), (_LE_BEFORE, "le")) for w in words}
_SIGN_LENGTHS = sorted({len(w) for w in _DIRECTION}, reverse=True)


_SIGN_ENDS = frozenset(w[-1] for w in _DIRECTION)  # most figures follow none: one set lookup tells


def _direction_before(before: str) -> Literal["ge", "le"] | None:
    # The longest sign wins: '不超过' is 'le' although it ends with '超过'.
    if before[-1:] not in _SIGN_ENDS:
        return None
    for n in _SIGN_LENGTHS:
        if len(before) >= n and (d := _DIRECTION.get(before[-n:])):
            return d
    return None


_ONE = Decimal(1)
# What a figure's number is multiplied by, per scale written: to 万元 for amounts, to units for
# counts. A factor of one is this same object, so that a figure that needs no multiplication
# (most: '万元', '%', a bare count) skips it; multiplying by 1 would give the same Decimal.
_AMOUNT_FACTOR = {s: (_ONE if f == 1 else f) for s, f in ((s, v / _SCALE["万"]) for s, v in _SCALE.items())}
_COUNT_FACTOR = {s: (_ONE if v == 1 else v) for s, v in _SCALE.items()}
_PERCENT_FACTOR = {"%": _ONE, "‰": Decimal("0.1")}
# Half a unit of the last digit written, by the number of decimals: '40.00' is 40 ± 0.005.
_HALF = [Decimal(5).scaleb(-(places + 1)) for places in range(10)]
_BOUNDARY = re.compile("[" + re.escape(SUBJECT_BOUNDARY) + "]")


def parse_figures(sentence: Folded) -> list[Figure]:
    """Every figure of a folded sentence, in order, with subjects filled in."""
    text = sentence.text
    if not _DIGIT.search(text):
        return []  # half the sentences of a report state no figure: one scan for a digit tells
    found = []  # Figure's fields up to ``direction``, in order
    for m in _figure_matches(text):
        digits, frac, approx1, scale, approx2, unit, post = m.groups()
        if "百分点" in unit:
            continue  # a change in points, never a value a table holds
        digits = digits.replace(",", "")
        if len(digits) > 15 or len(frac or "") > 9:  # 15 digits, 8 decimals
            continue  # no table holds such a figure; keep Decimal arithmetic in range
        number = Decimal(digits + frac) if frac else Decimal(digits)
        half = _HALF[len(frac) - 1 if frac else 0]
        if unit == "元":
            kind: Kind = "amount"
            factor = _AMOUNT_FACTOR[scale]
        elif unit in ("%", "‰"):
            if scale:
                continue
            kind, factor, unit = "percent", _PERCENT_FACTOR[unit], "%"
        else:
            kind, factor = "count", _COUNT_FACTOR[scale]
        start, end = m.span()
        before = text[max(0, start - 4) : start]
        direction = _direction_before(before)
        if post:
            if post.endswith("以上"):
                direction = "ge"
            elif post in ("以下", "及以下", "以内", "之内"):
                direction = "le"
        approximate = bool(approx1 or approx2 or post == "左右") or before.endswith(_APPROX_BEFORE)
        if factor is not _ONE:
            number, half = number * factor, half * factor
        found.append((kind, number, half, unit, scale, m.group(0), start, end, approximate, direction))
    if not found:
        return []
    # Each Figure is made once, with its context (immutable: a copy with it would make it twice).
    bounds = [b.start() for b in _BOUNDARY.finditer(text)]
    spans = [(f[6], f[7]) for f in found]
    return [Figure._make((*fields, *_context(text, spans, i, bounds))) for i, fields in enumerate(found)]


def _figure_matches(text: str):
    """FIGURE_RE.finditer(text), match for match: the first place from ``pos`` where a figure's
    body matches is where FIGURE_RE matches too unless the character before is one its lookbehind
    forbids; then the search goes on from the next character, as the regex engine would."""
    pos = 0
    while (m := _FIGURE_BODY.search(text, pos)) is not None:
        start = m.start()
        if start:
            ch = text[start - 1]
            if ch.isdecimal() or ch in ".第" or ("A" <= ch <= "Z") or ("a" <= ch <= "z"):
                pos = start + 1
                continue
        yield m
        pos = m.end()


def _context(text: str, spans: list[tuple[int, int]], i: int, bounds: list[int]) -> tuple[str, str]:
    """The subject and the after phrase of the i-th figure (its (start, end) among ``spans``):
    from the last boundary before it (or the previous figure) to the first after it (or the next
    figure). ``bounds``: the offsets of the boundary characters of ``text``, in order."""
    fig_start, fig_end = spans[i]
    floor = spans[i - 1][1] if i else 0
    k = bisect_left(bounds, fig_start)  # bounds[k - 1] is the last boundary before the figure
    start = max(floor, bounds[k - 1] + 1) if k else floor
    # 'X：391.27万元' names its subject before the colon.
    if start > floor and text[start - 1] in "：:" and text[start:fig_start].strip() == "":
        start = max(floor, bounds[k - 2] + 1) if k >= 2 else floor
    ceiling = spans[i + 1][0] if i + 1 < len(spans) else len(text)
    k = bisect_left(bounds, fig_end)
    end = min(ceiling, bounds[k]) if k < len(bounds) else ceiling
    return text[start:fig_start].rstrip("：:"), text[fig_end:end]


@lru_cache(maxsize=4096)
def _figures_of_source(source: str) -> tuple[Figure, ...]:
    return tuple(parse_figures(fold_text(source)))


def figures_of(folded: Folded) -> tuple[Figure, ...]:
    """The figures of a folded text, cached by its source (fold_text is cached too, so the
    offsets are those of the same Folded)."""
    return _figures_of_source(folded.source)


def figures_in(text: str) -> list[Figure]:
    """Convenience: the figures of a plain text."""
    return list(_figures_of_source(text))
