"""Structures derived from a form definition, built once per form and process.

Keyed by the form's id, so several forms live side by side; a different definition under the
same id (a test's modified copy) is noticed by identity and built anew rather than served stale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_MEMO: dict[tuple[str, str], tuple[dict[str, Any], Any]] = {}


def per_form(form: dict[str, Any], what: str, build: Callable[[dict[str, Any]], T]) -> T:
    """``build(form)``, computed once for this form (by id) and remembered under ``what``."""
    key = (str(form.get("id")), what)
    hit = _MEMO.get(key)
    if hit is not None and hit[0] is form:
        return hit[1]
    value = build(form)
    _MEMO[key] = (form, value)
    return value
