"""Built-in checks, grouped by what they look at. Each registers its rule ids."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...model import value_of


def cell_sum(cells: list[Any]) -> Decimal | None:
    """Sum of the filled cells; None when every cell is blank (a blank cell is not zero)."""
    values = [v for v in (value_of(c) for c in cells) if v is not None]
    return sum(values, Decimal(0)) if values else None


def differs(a: Decimal, b: Decimal, tol: Decimal) -> bool:
    return abs(a - b) > tol


def pct(numerator: Decimal, denominator: Decimal) -> Decimal:
    """A ratio in percent, unrounded."""
    return numerator / denominator * 100
