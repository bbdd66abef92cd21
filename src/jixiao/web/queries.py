"""Small helpers for the ORM on the save's path."""

from __future__ import annotations

from typing import Any


def only_row(queryset) -> Any:
    """The row a query by a unique key finds, or None: ``first()`` without its ORDER BY, which a
    unique key does not need and which costs Django a quarter of compiling the package read
    (measured interleaved: 1.02 ms against 1.30 ms for the package with its campaign and head)."""
    return next(iter(queryset.order_by()[:1]), None)  # order_by(): not even the model's ordering
