"""Dotted model paths ('basic.sangong.final', 'overall.indicators.0.children.1.label') read from
a package model or from its JSON document alike, so the grid serves the printed documents
(a ``Package``) and the web sheets (the stored JSON, possibly half-typed) the same way."""

from __future__ import annotations

from typing import Any


def value_at(source: Any, path: str) -> Any:
    """The value at ``path``, or None when any step is missing."""
    node = source
    for step in path.split("."):
        if node is None:
            return None
        if isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list | tuple):
            try:
                node = node[int(step)]
            except (ValueError, IndexError):
                return None
        else:
            node = getattr(node, step, None)
    return node


def length_at(source: Any, path: str) -> int:
    items = value_at(source, path)
    return len(items) if isinstance(items, list | tuple) else 0


def text_of(value: Any) -> str | None:
    """Text of a text or indicator-value cell: an IndicatorValue or its JSON ({'raw': …}) gives its raw text."""
    if value is None:
        return None
    if isinstance(value, dict):
        return value.get("raw")
    raw = getattr(value, "raw", None)
    if raw is not None or hasattr(value, "raw"):
        return raw
    return str(value)
