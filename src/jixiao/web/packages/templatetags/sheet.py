"""Small filters for the package templates (loaded as a builtin)."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.urls import reverse

from jixiao.rules import SEVERITY_ZH

from ..cells import dom_id

register = template.Library()


@register.filter
def severity_zh(value: str) -> str:
    return SEVERITY_ZH.get(value, value)


@register.filter
def rule_title(rule: str, pack: str) -> str:
    """The rule's Chinese name from the campaign's rule pack (never the rule id alone)."""
    from jixiao.rules import rule_title as title

    return title(rule, pack)


@register.filter
def pack_name(pack_id: str) -> str:
    """A rule pack by its Chinese name (“湖南式2023年度整体支出绩效自评规则”), not its id."""
    from jixiao.rules import PackError, load_pack

    try:
        return load_pack(pack_id).name
    except PackError:
        return pack_id


@lru_cache(maxsize=4096)
def _url(name: str, pk: int, sheet: str | None) -> str:
    return reverse(name, args=[pk, sheet] if sheet else [pk])


@register.filter
def finding_href(view, pkg) -> str:
    """Where a finding's cell is: its sheet, scrolled to the cell."""
    if not view.sheet:
        return _url("packages:overview", pkg.pk, None) + f"#f-{view.dom}"
    anchor = f"#c-{dom_id(view.anchor)}" if view.anchor else ""
    return _url("packages:sheet", pkg.pk, view.sheet) + anchor


@register.filter
def count_of(result, severity: str) -> int:
    return result.count(severity) if result is not None else 0
