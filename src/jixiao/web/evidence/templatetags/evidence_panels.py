"""Panels of this app on other apps' pages, each included by one line, computing its own
context so the host views stay unchanged: the package overview (the unit), the review page (the
bureau), the campaign page (the bureau) and a publication's public page."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils import timezone

from ...accounts.models import Role
from .. import actions
from ..files import ALLOWED_TEXT
from ..models import BudgetAction, Evidence, EvidencePolicy, RectificationItem, RectState

register = template.Library()


def _evidence_groups(pkg, choices) -> tuple[list[dict], set[tuple[str, str]]]:
    files = list(Evidence.objects.filter(package=pkg, removed_at__isnull=True).order_by("uploaded_at", "id"))
    attached = {(e.table_key, e.indicator_key) for e in files}
    known = {(c.table_key, c.indicator_key) for c in choices}
    groups: dict[tuple[str, str], dict] = {}
    for e in files:
        g = groups.setdefault((e.table_key, e.indicator_key), {
            "label": f"{e.table_label} · {e.indicator_label}", "files": [],
            "gone": (e.table_key, e.indicator_key) not in known})
        g["files"].append(e)
    return list(groups.values()), attached


def _earlier_open(pkg) -> list[RectificationItem]:
    return list(RectificationItem.objects.filter(unit_id=pkg.unit_id, year__lt=pkg.campaign.year)
                .exclude(state=RectState.CLOSED).order_by("year", "due", "id"))


@register.inclusion_tag("evidence/_package_panel.html", takes_context=True)
def package_panel(context, pkg):
    user = context["request"].user
    ev = context.get("evaluation")
    choices = actions.indicators_of(ev.package if ev is not None else None, pkg.form)
    groups, attached = _evidence_groups(pkg, choices)
    submitted_at = actions.last_submitted_at(pkg)
    for g in groups:
        for e in g["files"]:
            e.package = pkg
            e.removable = actions.can_remove(user, e, submitted_at)
    return {
        "pkg": pkg, "groups": groups, "choices": choices, "can_upload": actions.can_upload(user, pkg),
        "missing": actions.missing_required(pkg.campaign, choices, attached),
        "required": actions.required_names(pkg.campaign), "allowed": ALLOWED_TEXT,
        "max_mb": f"{settings.JIXIAO_EVIDENCE_MAX_BYTES / 1048576:g}", "csrf_token": context.get("csrf_token"),
        "earlier": _earlier_open(pkg), "items": list(pkg.rectifications.order_by("due", "id")),
        "today": timezone.localdate(), "is_clerk": user.role == Role.CLERK,
    }


@register.inclusion_tag("evidence/_review_panel.html", takes_context=True)
def review_panel(context, pkg):
    from ..views_rect import finding_choices

    rev = context.get("rev") or pkg.head
    ev = context.get("evaluation")
    choices = actions.indicators_of(ev.package if ev is not None else None, pkg.form)
    groups, attached = _evidence_groups(pkg, choices)
    reviewed = pkg.reviews.exists()
    return {
        "pkg": pkg, "groups": groups, "missing": actions.missing_required(pkg.campaign, choices, attached),
        "items": list(pkg.rectifications.order_by("due", "id")), "earlier": _earlier_open(pkg),
        "reviewed": reviewed, "findings": finding_choices(rev, pkg) if reviewed else [],
        "decision": getattr(pkg, "budget_decision", None),
        "budget_actions": BudgetAction.choices, "csrf_token": context.get("csrf_token"),
        "today": timezone.localdate(),
    }


@register.inclusion_tag("evidence/_campaign_panel.html", takes_context=True)
def campaign_panel(context, campaign):
    policy = EvidencePolicy.objects.filter(campaign=campaign).first()
    items = RectificationItem.objects.filter(package__campaign=campaign)
    return {
        "campaign": campaign, "required": "\n".join(policy.required_names()) if policy else "",
        "publish_evidence": policy.publish_evidence if policy else False, "csrf_token": context.get("csrf_token"),
        "open_items": items.exclude(state=RectState.CLOSED).count(), "all_items": items.count(),
    }


@register.inclusion_tag("evidence/_published.html")
def published_evidence(pub):
    from ..publishing import published_files

    return {"pub": pub, "files": published_files(pub)}


@register.inclusion_tag("evidence/_home_panel.html", takes_context=True)
def home_panel(context):
    """The unit's open rectification items on its home page, the latest first: a new item the
    bureau made after a review is seen without opening the package."""
    from ..access import UNIT_ROLES, items_for

    user = context["request"].user
    if user.role not in UNIT_ROLES:
        return {"items": []}
    items = list(items_for(user).exclude(state=RectState.CLOSED).order_by("-year", "due", "-id")[:20])
    return {"items": items, "today": timezone.localdate()}
