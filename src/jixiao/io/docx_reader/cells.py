"""Cell text to values: amounts, counts, rates, scores and 'label：amount' cells.

A blank cell stays blank (None), '/' stays not applicable, placeholders ('……', '......')
are blank. Real files write '1,146.79', full-width digits, '540.84万元', '30人', '93.33%':
all read to the number as written (Decimal keeps the written places; nothing is rounded).
What cannot be read comes back as a problem sentence for an import finding.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ...model.values import NA, fold, is_placeholder

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")
_SPACES = re.compile(r"\s+")
_NA_FORMS = {"/", "／", "\\"}
# A '其中：' lead-in, then 'label：value' with the value a number or nothing.
_QIZHONG = re.compile(r"^\s*其中\s*[:：]\s*")
_LABEL_VALUE = re.compile(r"^(?P<label>[^:：]*?[^\d\s:：.,%-][^:：]*?)\s*[:：]\s*(?P<value>[^:：]*)$")
_LABEL_NUMBER = re.compile(r"^(?P<label>.*?[^\d\s.,-])\s*(?P<value>[-+]?[\d,]+(?:\.\d+)?\s*(?:万元|万|元)?)$")

Value = Decimal | str | None


def clean(text: str | None) -> str | None:
    """Cell text as a field keeps it: stripped, None when blank."""
    if text is None:
        return None
    text = text.strip()
    return text or None


def _core(text: str) -> str:
    return _THOUSANDS.sub("", _SPACES.sub("", fold(text)))


def number(text: str | None, *, unit: str = "万元", percent: bool = False) -> tuple[Value, str | None]:
    """(value, problem) for an amount/score/rate cell. ``unit``: the unit a cell may repeat."""
    if text is None:
        return None, None
    raw = text.strip()
    if not raw or is_placeholder(raw):
        return None, None
    if raw in _NA_FORMS:
        return NA, None
    core = _core(raw)
    if core in _NA_FORMS:
        return NA, None
    note = None
    if percent and core.endswith("%"):
        core = core[:-1]
    elif unit and core.endswith(unit):
        core = core[: -len(unit)]
    elif unit == "万元" and core.endswith("元"):
        try:
            value = Decimal(core[:-1]) / Decimal(10000)
        except InvalidOperation:
            return None, f"“{raw}”不是数值，未导入"
        return value, f"“{raw}”以元为单位，已按万元读作{value.normalize():f}"
    try:
        value = Decimal(core)
    except InvalidOperation:
        return None, f"“{raw}”不是数值，未导入"
    if not value.is_finite():
        return None, f"“{raw}”不是数值，未导入"
    return value, note


def count(text: str | None) -> tuple[int | str | None, str | None]:
    value, problem = number(text, unit="人")
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            return None, f"人数“{text.strip()}”不是整数，未导入"
        return int(value), problem
    return value, problem


def label_value(text: str) -> tuple[str, str] | None:
    """'其中：  一般公共预算：1385.51' -> ('一般公共预算', '1385.51'); '项目支出 1146.79' likewise."""
    if len(text) > 80:
        return None
    body = _QIZHONG.sub("", fold(text).strip())
    m = _LABEL_VALUE.match(body) or _LABEL_NUMBER.match(body)
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
