"""Built-in checks, grouped by what they look at. Each registers its rule ids."""

from __future__ import annotations

from decimal import Decimal

from ...forms.derived import cell_sum, pct

__all__ = ["cell_sum", "differs", "pct"]


def differs(a: Decimal, b: Decimal, tol: Decimal) -> bool:
    return abs(a - b) > tol
