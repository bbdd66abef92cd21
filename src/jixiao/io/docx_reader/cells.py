"""Cell text to values: amounts, counts, rates, scores and 'label：amount' cells.

A blank cell stays blank (None), '/' stays not applicable, placeholders ('……', '......') and
dashes ('—', '－', '--') are blank. Real files write '1,146.79', full-width digits,
'540.84万元', '11.48（万元）', '￥11.48', '30人', '93.33%', '约50', '11。48', a rate as the
fraction 0.9333: all are read to the number meant (Decimal keeps the written places; nothing
is rounded). What was read with a guess (约, '。', a fraction) comes back with a note that
says so; what cannot be read comes back as a problem sentence: both become import findings.
Numbers beyond what a budget table can hold (the form's ``limits``) are refused on their cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation

from ...forms import reader_settings, value_limits
from ...model.values import NA, fold, is_placeholder

_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?:\D|$))")
_SPACES = re.compile(r"\s+")
_NA_FORMS = {"/", "／", "\\"}
_DASHES = re.compile(r"^[-~_]+$")  # after fold: — – － ― are '-'
_CURRENCY = re.compile(r"^(?:人民币|RMB|CNY|[¥$])")
_APPROX = re.compile(r"^(?:大约|约为|约)|(?:左右|上下)$")
_UNIT_IN_PARENS = re.compile(r"\((?P<unit>[^()]{1,4})\)$")
_IDEO_POINT = re.compile(r"^[-+]?\d+。\d+$")
# A '其中：' lead-in, then 'label：value' with the value a number or nothing.
_QIZHONG = re.compile(r"^\s*其中\s*[:：]?\s*")
_LABEL_VALUE = re.compile(r"^(?P<label>[^:：]*?[^\d\s:：.,%-][^:：]*?)\s*[:：]\s*(?P<value>[^:：]*)$")
_LABEL_NUMBER = re.compile(r"^(?P<label>.*?[^\d\s.,-])\s*(?P<value>[-+]?[\d,]+(?:\.\d+)?\s*(?:万元|万|元)?)$")
_LABEL_PARENS = re.compile(r"^(?P<label>.*?[^\d\s.,(-])\s*\((?P<value>[-+]?[\d,]+(?:\.\d+)?\s*(?:万元|万|元)?)\)$")

Value = Decimal | str | None


def clean(text: str | None) -> str | None:
    """Cell text as a field keeps it: stripped, None when blank."""
    if text is None:
        return None
    text = text.strip()
    return text or None


def _core(text: str) -> str:
    return _THOUSANDS.sub("", _SPACES.sub("", fold(text)))


def is_blank_value(text: str | None) -> bool:
    """Blank, a template placeholder, or a dash standing for nothing."""
    if not text or not text.strip() or is_placeholder(text):
        return True
    return bool(_DASHES.match(_core(text)))


# A table that states its amounts in 元 ('金额单位：元' above it, '项目资金（元）' in it): its plain
# amounts are 元 and are read as 万元 (÷10000); the table's one note says so (parts._money_unit).
_TABLE_IN_YUAN: ContextVar[bool] = ContextVar("table_in_yuan", default=False)


@contextmanager
def holding(var: ContextVar, value) -> Iterator[None]:
    """``var`` set to ``value`` while inside, back to what it was after (the reader's settings of one
    read: a table in 元 here, the forced form and the given year in recognise)."""
    token = var.set(value)
    try:
        yield
    finally:
        var.reset(token)


def amounts_in_yuan(on: bool):
    return holding(_TABLE_IN_YUAN, on)


def number(
    text: str | None, *, unit: str = "万元", percent: bool = False, kind: str | None = None
) -> tuple[Value, str | None]:
    """(value, note) for an amount/score/rate/count cell. ``unit``: the unit a cell may repeat.

    ``kind`` ('amount', 'score', 'rate', 'count'; from ``unit``/``percent`` when not given)
    picks the limit the value must stay within. The note is None when the cell was read as
    written; otherwise it says what was guessed (the value is kept) or why nothing was read.
    """
    if text is None:
        return None, None
    raw = text.strip()
    if is_blank_value(raw):
        return None, None
    if raw in _NA_FORMS:
        return NA, None
    core = _core(raw)
    if core in _NA_FORMS:
        return NA, None
    kind = kind or ("rate" if percent else "score" if unit == "分" else "count" if unit == "人" else "amount")
    notes: list[str] = []
    core = _CURRENCY.sub("", core)
    if _APPROX.search(core):
        core = _APPROX.sub("", core)
        notes.append("是约数")
    m = _UNIT_IN_PARENS.search(core)
    stated = bool(m and m.group("unit") in _known_units(unit, percent))  # '11.48（万元）': its own unit
    if m and stated:
        # '%' and '元' stay as a suffix for the branches below ('11.48（元）' is read as 元, ÷10000)
        core = core[: m.start()] + (m.group("unit") if m.group("unit") in ("%", "元") else "")
    if _IDEO_POINT.match(core):
        core = core.replace("。", ".")
        notes.append("把“。”当作小数点")
    has_percent = core.endswith("%")
    scale = Decimal(1)
    if percent and has_percent:
        core = core[:-1]
    elif unit and core.endswith(unit):
        core = core[: -len(unit)]
    elif unit == "万元" and core.endswith("万"):
        core = core[:-1]
    elif unit == "万元" and core.endswith("元"):
        core, scale = core[:-1], Decimal(10000)
        notes.append("以元为单位")
    elif kind == "amount" and unit == "万元" and not stated and _TABLE_IN_YUAN.get():
        scale = Decimal(10000)  # a plain figure of a table in 元
    try:
        value = Decimal(core)
    except InvalidOperation:
        return None, f"“{raw}”不是数值，未导入"
    if not value.is_finite():
        return None, f"“{raw}”不是数值，未导入"
    if scale != 1:
        value = value / scale
    if percent and not has_percent and 0 < value <= Decimal(reader_settings()["rate_fraction_max"]):
        value = (value * 100).normalize()
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
        notes.append("是小数比例")
    bound = getattr(value_limits(), _LIMIT[kind])
    if abs(value) > bound:
        return None, f"“{raw}”超出{_KIND_ZH[kind]}可能的范围（绝对值不超过{bound:,f}），未导入"
    if notes:
        read_as = "已按万元读作" if scale != 1 else "已读作"
        shown = f"{value.normalize():f}" + ("%" if percent else "")
        return value, f"“{raw}”{'，'.join(notes)}，{read_as}{shown}"
    return value, None


_KIND_ZH = {"amount": "金额", "score": "分值", "rate": "比率", "count": "人数"}
_LIMIT = {"amount": "amount", "score": "score", "rate": "percent", "count": "count"}


def _known_units(unit: str, percent: bool) -> set[str]:
    units = {"%"} if percent else set()
    if unit:
        units.add(unit)
    if unit == "万元":
        units |= {"万元", "元", "万"}
    return units


def count(text: str | None) -> tuple[int | str | None, str | None]:
    value, problem = number(text, unit="人")
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            return None, f"人数“{text.strip()}”不是整数，未导入"
        return int(value), problem
    return value, problem


def label_value(text: str) -> tuple[str, str] | None:
    """'其中：  一般公共预算：1385.51' -> ('一般公共预算', '1385.51'); '项目支出 1146.79' and
    '一般公共预算（1385.51）' likewise."""
    if len(text) > 80:
        return None
    body = _QIZHONG.sub("", fold(text).strip())
    m = _LABEL_VALUE.match(body) or _LABEL_PARENS.match(body) or _LABEL_NUMBER.match(body)
    if not m:
        return None
    return m.group("label").strip(), m.group("value").strip()


def is_numberish(text: str | None) -> bool:
    """A cell that holds a value rather than a label: a number, '/', or blank-like."""
    if not text:
        return False
    core = _core(text)
    if core in _NA_FORMS:
        return True
    return bool(re.fullmatch(r"[-+]?\d+(?:\.\d+)?(?:%|万元|万|元|人|分)?", core))


# A tick column (监控表's 偏差原因: 经费保障 …): how clerks tick a box and how they leave it unticked.
# Compared after fold (full width to half width) and without spaces.
_TICKED = {"✓", "✔", "√", "☑", "☒", "■", "●", "是", "1", "y", "yes", "v", "有"}
_UNTICKED = {"□", "☐", "否", "0", "n", "no", "无", "○"}


def tick(text: str | None) -> tuple[bool | None, str | None]:
    """(ticked, problem) for a tick cell: True for ✓ √ ☑ ■ 是 '1' …, False for blank □ ☐ 否 and dashes;
    None with a problem sentence for anything else (the cell's text is then not lost: the caller
    reports it)."""
    if is_blank_value(text):
        return False, None
    key = _SPACES.sub("", fold(text or "")).lower()
    if key in _TICKED:
        return True, None
    if key in _UNTICKED:
        return False, None
    return None, f"“{text.strip()}”不是勾选记号（✓、√、☑、是 或空白、□、否），未读入"
