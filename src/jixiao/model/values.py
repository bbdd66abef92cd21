"""Cell values: amounts, percents, scores, counts and indicator values.

A table cell is one of three things and they never mix: blank (``None``: the unit
wrote nothing), not applicable (``"/"``), or a value. Money is ``Decimal`` in 万元.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import cache, lru_cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, model_validator

from ..text import fold, is_placeholder  # noqa: F401  (is_placeholder: re-exported with the model)

NA = "/"
CENT = Decimal("0.01")



_QUANTUM = {places: Decimal(1).scaleb(-places) for places in range(7)}  # built once: every score and rate is rounded


def rounded(value: Decimal, places: int = 2) -> Decimal:
    """``value`` to ``places`` decimal places, 四舍五入, for any size of number.

    ``quantize`` raises when the result needs more digits than the context's precision (28):
    ``Decimal('1E+30').quantize(Decimal('0.01'))``. Cells are bounded (``jixiao.forms.value_limits``)
    but figures computed from them (a rate over a tiny budget) are not, so every rounding goes
    through here. NaN and Infinity come back unchanged.
    """
    q = _QUANTUM.get(places) or Decimal(1).scaleb(-places)
    try:
        return value.quantize(q, rounding=ROUND_HALF_UP)  # nearly always: asked first
    except InvalidOperation:  # Infinity, a signalling NaN, or more digits than the precision
        pass
    if not value.is_finite() or value.adjusted() > 1000:  # nothing to round that a person could read
        return value
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, value.adjusted() + places + 3)
        return value.quantize(q, rounding=ROUND_HALF_UP)


def money(value: Decimal) -> Decimal:
    """Round once, at the end: two places, 四舍五入."""
    try:
        return value.quantize(CENT, rounding=ROUND_HALF_UP)  # rounded(value, 2), its common case inline
    except InvalidOperation:
        return rounded(value, 2)


def _number_cell(value: Any, *, percent: bool = False, kind: str = "amount") -> Any:
    """Accept the loose forms a JSON or a reader may hand over; keep blank and '/' apart.

    NaN, Infinity and values beyond the form's limits (``jixiao.forms.value_limits``) are refused
    with a Chinese message, so they become a finding on their cell and never reach a check,
    a score, a rendering or a database column.
    """
    if value is None:
        return None
    if type(value) is str:  # the common case first: JSON holds numbers as strings
        return _number_from_text(value, percent, kind)
    if isinstance(value, bool):
        raise ValueError("不是数值")
    if isinstance(value, float):
        # Floats carry binary noise; go through their shortest repr.
        return _bounded(Decimal(repr(value)), value, kind)
    if isinstance(value, int | Decimal):
        try:
            number = Decimal(value)
        except (ValueError, OverflowError) as exc:  # an int too long to convert
            raise ValueError(f"“{_shown(value)}”{_too_large(kind)}") from exc
        return _bounded(number, value, kind)
    if isinstance(value, str):
        return _number_from_text(value, percent, kind)
    raise ValueError(f"{_type_zh(value)}不是数值")


_KIND_ZH = {"amount": ("金额", "万元"), "score": ("分值", "分"), "percent": ("比率", "%"), "count": ("人数", "人")}


def _shown(value: Any) -> str:
    """The value as the user typed it, shortened: messages stay one line."""
    if isinstance(value, float):
        text = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}.get(repr(value), repr(value))
    else:
        try:
            text = str(value).strip()
        except ValueError:  # an int beyond Python's 4,300-digit str() limit
            return "位数极多的数字"
    return text if len(text) <= 40 else text[:20] + "…" + text[-8:]


def _type_zh(value: Any) -> str:
    if isinstance(value, dict):
        return "对象"
    if isinstance(value, list | tuple):
        return "列表"
    return f"“{_shown(value)}”"


def _too_large(kind: str) -> str:
    from ..forms import value_limits

    what, unit = _KIND_ZH[kind]
    bound = getattr(value_limits(), kind)
    sign = "" if kind == "count" else "绝对值"
    return f"超出{what}的合理范围（{sign}应不超过 {format(bound, ',f')} {unit}），请核对"


def _bounded(number: Decimal, raw: Any, kind: str) -> Decimal:
    if not number.is_finite():
        raise ValueError(f"“{_shown(raw)}”不是数值")
    limits = _limits()
    if number.copy_abs() > getattr(limits, kind):  # copy_abs: no rounding, no Overflow on 1E+999999
        raise ValueError(f"“{_shown(raw)}”{_too_large(kind)}")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -limits.places:
        number = rounded(number, limits.places)
        if number.is_zero():
            number = Decimal(0)
    return number


@cache
def _limits():
    # The default form's limits, imported on first use (the forms import the model) and kept:
    # asked for every number cell read, where an import statement each time cost a tenth of the parse.
    from ..forms import value_limits

    return value_limits()


@lru_cache(maxsize=16384)
def _number_from_text(value: str, percent: bool, kind: str) -> Any:
    # Cached: JSON packages hold their numbers as strings, and the same strings recur in every
    # package; the result is immutable (Decimal, '/' or None). Refusals raise, so are not cached.
    parsed = _number_text(value, percent)
    return _bounded(parsed, value, kind) if isinstance(parsed, Decimal) else parsed


@lru_cache(maxsize=8192)
def _number_text(value: str, percent: bool) -> Any:
    # Cached: the same few thousand strings recur across packages, and Decimal is immutable.
    # ASCII is what NFKC leaves alone: most cells skip the fold (and stay out of its cache).
    text = (value if value.isascii() else fold(value)).strip().replace(",", "")
    if text == "":
        return None
    if text == NA:
        return NA
    if percent and text.endswith("%"):
        text = text[:-1].strip()
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"“{value}”不是数值") from exc


def _count_cell(value: Any) -> Any:
    parsed = _number_cell(value, kind="count")
    if isinstance(parsed, Decimal):
        if parsed != parsed.to_integral_value():
            raise ValueError(f"人数应为整数：{value}")
        return int(parsed)
    return parsed


def _percent_cell(value: Any) -> Any:
    # The common case (a string, as JSON holds numbers) straight to the cache: every cell of every
    # package passes here.
    if type(value) is str:
        return _number_from_text(value, True, "percent")
    return _number_cell(value, percent=True, kind="percent")


def _score_cell(value: Any) -> Any:
    if type(value) is str:
        return _number_from_text(value, False, "score")
    return _number_cell(value, kind="score")


# No serializer of our own: pydantic writes a Decimal to JSON as str(value) itself, in Rust; a
# Python one was called for every cell of every dump (tests/core/test_values.py pins the text).
# The outer ``| None``: a null cell (most cells of a stored package) is taken in Rust, and the
# Python validator runs only for a cell that holds something (which may still read as blank: "").
Amount = Annotated[Decimal | Literal["/"] | None, BeforeValidator(_number_cell)] | None
"""万元. None = blank, '/' = not applicable."""
Percent = Annotated[Decimal | Literal["/"] | None, BeforeValidator(_percent_cell)] | None
"""A rate written in percent: Decimal('93.33') is 93.33%."""
Score = Annotated[Decimal | Literal["/"] | None, BeforeValidator(_score_cell)] | None
"""分值 and 自评得分: points, same blank/'/' rules as amounts."""
Count = Annotated[int | Literal["/"] | None, BeforeValidator(_count_cell)] | None


def value_of(cell: Any) -> Decimal | None:
    """The number in a cell, or None when blank or not applicable."""
    if type(cell) is Decimal or cell is None:  # nearly every cell: asked for first
        return cell
    if isinstance(cell, Decimal):
        return cell
    if isinstance(cell, int) and not isinstance(cell, bool):
        return Decimal(cell)  # headcounts
    return None


def fmt(value: Decimal | None, places: int = 2) -> str:
    if value is None:
        return "空白"
    return str(rounded(value, places))


# ---------------------------------------------------------------- indicator values

_SCALES = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千": Decimal(1_000), "百万": Decimal(1_000_000)}
_GE_PREFIX = ("≥", ">=", "不低于", "不少于", "大于等于", "至少", "高于", "大于", ">", "超过")
_LE_PREFIX = ("≤", "<=", "不超过", "不高于", "不多于", "小于等于", "低于", "小于", "<", "控制在")
_APPROX_PREFIX = ("约", "达到", "达", "共计", "累计")
_GE_SUFFIX = ("及以上", "以上")
_LE_SUFFIX = ("及以下", "以下", "以内", "之内", "内")
_APPROX_SUFFIX = ("左右", "余", "多")
_NUM_RE = re.compile(
    r"^(?P<num>[+-]?\d+(?:\.\d+)?)(?P<scale>百万|万|亿|千)?(?P<unit>%|‰|[A-Za-z²³/\u4e00-\u9fff]{0,8})$"
)


class ParsedValue(BaseModel):
    """What a cell like '≥95%', '20万条' or '显著提高' means."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    kind: Literal["blank", "na", "quantity", "qualitative"]
    number: Decimal | None = None  # as written, before the scale
    scale: Literal["万", "亿", "千", "百万"] | None = None
    unit: str | None = None  # '%', '家', '元', '平方米' …
    direction: Literal["ge", "le"] | None = None  # ≥ / 以上 … ; ≤ / 不超过 / 以内 …
    approximate: bool = False  # 约, 左右, 余
    text: str | None = None  # the normalised text, for qualitative values

    @property
    def magnitude(self) -> Decimal | None:
        """The number with its scale applied: '1.79亿' -> 179000000."""
        return self.magnitude_at(self.scale)

    def magnitude_at(self, scale: str | None) -> Decimal | None:
        """The number read in ``scale`` ('万', '亿' …): a bare '2.1' beside '≥2万亩' means 2.1万."""
        if self.number is None:
            return None
        return self.number * _SCALES[scale] if scale else self.number


@lru_cache(maxsize=8192)
def parse_indicator_value(raw: str | None) -> ParsedValue:
    # Cached: ParsedValue is frozen, and targets like '95%' recur in every package.
    if raw is None or raw.strip() == "" or is_placeholder(raw):
        return ParsedValue(kind="blank")
    text = re.sub(r"\s+", "", fold(raw))
    if text == NA:
        return ParsedValue(kind="na")
    core = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    direction: str | None = None
    approximate = False
    for prefixes, label in ((_GE_PREFIX, "ge"), (_LE_PREFIX, "le"), (_APPROX_PREFIX, None)):
        hit = next((p for p in prefixes if core.startswith(p)), None)
        if hit:
            core = core[len(hit) :]
            if label:
                direction = label
            else:
                approximate = True
            break
    for suffixes, label in ((_GE_SUFFIX, "ge"), (_LE_SUFFIX, "le"), (_APPROX_SUFFIX, None)):
        hit = next((s for s in suffixes if core.endswith(s)), None)
        if hit and len(core) > len(hit):
            core = core[: -len(hit)]
            if label:
                direction = direction or label
            else:
                approximate = True
            break
    m = _NUM_RE.match(core)
    if not m:
        return ParsedValue(kind="qualitative", text=text)
    unit = m.group("unit") or None
    return ParsedValue(
        kind="quantity",
        number=Decimal(m.group("num")),
        scale=m.group("scale"),
        unit=unit,
        direction=direction,
        approximate=approximate,
    )


class IndicatorValue(BaseModel):
    """年度指标值 / 实际完成值: the raw text as written plus what it parses to."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    raw: str | None = None
    # Derived from raw on every read and never trusted from input, so never written either: a
    # stored or exported document holds the text alone (and a save need not strip it again).
    parsed: ParsedValue = Field(default=ParsedValue(kind="blank"), exclude=True)

    @model_validator(mode="wrap")
    @classmethod
    def _from_raw(cls, data: Any, build: Any, info: ValidationInfo) -> Any:
        # The parsed form is always recomputed from the raw text, never trusted from input.
        if isinstance(data, dict):  # a stored document's {"raw": …}: nearly always
            raw = data.get("raw")
        elif data is None or isinstance(data, str):
            raw = data
        else:
            return build(data)
        if raw is not None and not isinstance(raw, str):
            if not isinstance(raw, int | Decimal) or isinstance(raw, bool):
                # an object or list where the cell's text belongs: refused on its cell, never a crash
                raise ValueError(f"指标值应为文字，而不是{_type_zh(raw) if isinstance(raw, dict | list | tuple) else '“' + _shown(raw) + '”'}")
            raw = _shown(raw)  # a bare figure written as a JSON number: the text it reads as
        if info.field_name is None:  # IndicatorValue(...) itself: it must build the instance it is
            return build({"raw": raw, "parsed": parse_indicator_value(raw)})
        # A cell of an indicator row: one frozen value per text, shared. Four per row are read with
        # every package, most of them blank or the same '100%', and building one cost more than
        # looking it up.
        value = _SHARED_VALUES.get(raw)
        if value is None:
            value = build({"raw": raw, "parsed": parse_indicator_value(raw)})
            if len(_SHARED_VALUES) < _SHARED_MAX:
                _SHARED_VALUES[raw] = value
        return value

    def __str__(self) -> str:
        return self.raw or ""


_SHARED_VALUES: dict[str | None, IndicatorValue] = {}
_SHARED_MAX = 8192  # texts; past that, new texts are built each time (a long-running server sees many)
