"""The exceptions the core raises for a user to read. Each message is one Chinese line.

The CLI turns them into one line on stderr and exit 2; the web app into a message on the page.
"""

from __future__ import annotations

import re


class JixiaoError(Exception):
    """Anything the user did or sent that jixiao cannot use; the message says what and where."""


class InputError(JixiaoError):
    """Input that cannot be read as a package."""


class PackError(JixiaoError, ValueError):
    """A rule pack that cannot be used (unknown name, bad YAML, unknown rule id)."""


class FormError(InputError):
    """A form definition that cannot be found or used."""


# What a user reads for each kind of refusal of the model's validation (pydantic's error types).
# Our own validators raise Chinese messages (type value_error); pydantic's type checks would say
# "Field required" or "Input should be a valid integer", so they are said again here.
_REASONS = {
    "missing": "缺少此项",
    "extra_forbidden": "不是材料中的项目（多余的字段）",
    "string_type": "应为文字", "string_unicode": "应为文字",
    "int_type": "应为整数", "int_parsing": "应为整数", "int_from_float": "应为整数",
    "float_type": "应为数值", "float_parsing": "应为数值", "decimal_type": "应为数值", "decimal_parsing": "应为数值",
    "bool_type": "应为是或否（true / false）", "bool_parsing": "应为是或否（true / false）",
    "list_type": "应为列表", "tuple_type": "应为列表", "set_type": "应为列表",
    "dict_type": "应为对象", "model_type": "应为对象", "model_attributes_type": "应为对象", "dataclass_type": "应为对象",
    "string_pattern_mismatch": "格式不符合要求",
    "date_type": "应为日期", "date_parsing": "应为日期（如 2024-06-30）", "date_from_datetime_parsing": "应为日期",
    "datetime_type": "应为日期时间", "datetime_parsing": "应为日期时间",
    "json_invalid": "不是有效的 JSON", "json_type": "应为 JSON 文本",
}
_BOUNDS = {"greater_than": ("gt", "应大于"), "greater_than_equal": ("ge", "应不小于"),
           "less_than": ("lt", "应小于"), "less_than_equal": ("le", "应不大于")}


def validation_reason(err: dict) -> str:
    """One error of a pydantic ValidationError (an item of ``exc.errors()``) as a Chinese reason."""
    kind, ctx = str(err.get("type", "")), err.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        return str(err.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ").strip()
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"{words}{ctx.get(key, '')}"
    if kind in ("literal_error", "enum"):
        return f"取值应为{_quoted(ctx['expected'])}" if ctx.get("expected") else "取值不在允许的范围内"
    if kind in ("string_too_long", "too_long"):
        limit = ctx.get("max_length")
        return f"过长（最多{limit}个）" if limit is not None else "过长"
    if kind in ("string_too_short", "too_short"):
        limit = ctx.get("min_length")
        return f"过短（至少{limit}个）" if limit is not None else "过短"
    return _REASONS.get(kind, "内容无法识别")


def _quoted(expected: object) -> str:
    """pydantic's "'a', 'b' or 'c'" as “a”、“b”或“c”."""
    items = re.findall(r"'([^']*)'", str(expected))
    if not items:
        return str(expected)
    shown = [f"“{i}”" for i in items]
    return shown[0] if len(shown) == 1 else "、".join(shown[:-1]) + "或" + shown[-1]
