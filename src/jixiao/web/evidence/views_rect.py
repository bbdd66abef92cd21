"""整改: the list of items (a unit's own, or the bureau's), one item with its history and the
forms of each side (the unit's clerk responds; the bureau closes or reopens), and creating items
from the review page (a finding of the reviewed revision, or a problem in the reviewer's words)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ..accounts.models import Role
from ..bureau.access import get_package as get_bureau_package
from ..packages.actions import ActionError
from ..packages.checking import evaluate, finding_key
from ..packages.cycle_context import cycle_context_for
from ..packages.labels import describe
from . import actions
from .access import UNIT_ROLES, get_item, items_for, require_roles
from .models import RectState


def finding_choices(rev, pkg) -> list[tuple[str, str]]:
    """The findings of the reviewed revision as (finding key, “【cell】message”): the same the review
    page shows, checked against the year's approved targets (cycle context) on the package's form."""
    ev = evaluate(rev.document, pkg.rule_pack, cycle=cycle_context_for(pkg))
    out = []
    for f in ev.findings():
        where = describe(f.location.path, rev.document, pkg.form) if f.location.path else ""
        out.append((finding_key(f), f"【{where}】{f.message}" if where else f.message))
    return out


def _due(text: str | None) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ActionError(f"整改期限“{text}”无效，应为“2025-03-31”这样的日期。") from exc


@require_POST
def create(request, package_id: int):
    from ..bureau.views_review import reviewed_revision

    pkg = get_bureau_package(request, package_id)
    rev = reviewed_revision(pkg)
    key = request.POST.get("finding", "")
    text = request.POST.get("problem", "").strip()
    try:
        if key:
            found = dict(finding_choices(rev, pkg)).get(key)
            if found is None:
                raise ActionError("所选问题已不在审核的版本中，请刷新页面后重试。")
            text = f"{found}{'' if found.endswith('。') else '。'}{text}" if text else found
        item = actions.do_create_rectification(package_id=pkg.pk, actor=request.user, problem=text,
                                               due=_due(request.POST.get("due")), finding_key=key, request=request)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已列为整改事项#{item.pk}{f'，整改期限{item.due:%Y-%m-%d}' if item.due else ''}。")
        if item.due and item.due < timezone.localdate():  # a past item recorded afterwards is allowed
            messages.warning(request, f"整改期限{item.due:%Y-%m-%d}早于今天，该事项即显示为已逾期；如有误请核对。")
    return redirect(reverse("bureau:review", args=[pkg.pk]) + "#rectification")


def item_list(request):
    require_roles(request, *UNIT_ROLES, Role.REVIEWER)
    items = items_for(request.user)
    state = request.GET.get("state", "")
    if state == "unclosed":
        items = items.exclude(state=RectState.CLOSED)
    elif state in RectState.values:
        items = items.filter(state=state)
    year = request.GET.get("year", "")
    if year.isdigit():
        items = items.filter(year=int(year))
    items = list(items.order_by("state", "-year", "due", "id")[:500])
    years = sorted(set(items_for(request.user).values_list("year", flat=True)), reverse=True)
    return render(request, "evidence/rectifications.html", {
        "items": items, "state": state, "year": year, "years": years, "states": RectState.choices,
        "today": timezone.localdate(), "bureau": request.user.role == Role.REVIEWER,
    })


def item_page(request, item_id: int):
    item = get_item(request, item_id)
    user = request.user
    return render(request, "evidence/rectification.html", {
        "item": item, "events": list(item.events.select_related("actor")), "today": timezone.localdate(),
        "can_respond": user.role == Role.CLERK and user.unit_id == item.unit_id and not item.is_closed,
        "can_close": user.role == Role.REVIEWER and not item.is_closed,
        "can_reopen": user.role == Role.REVIEWER and item.is_closed,
    })


def _act(request, item_id: int, roles: tuple, fn, done: str, **fields):
    item = get_item(request, item_id)
    if request.user.role not in roles:
        from ..packages.access import deny

        deny(request, "角色无权处理此整改事项", obj=item.package)
    try:
        fn(item_id=item.pk, actor=request.user, request=request,
           **{k: request.POST.get(v, "") for k, v in fields.items()})
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("evidence:rectification", item.pk)


@require_POST
def respond(request, item_id: int):
    return _act(request, item_id, (Role.CLERK,), actions.do_respond, "整改情况已提交财政局。",
                measures="measures", progress="progress")


@require_POST
def close(request, item_id: int):
    return _act(request, item_id, (Role.REVIEWER,), actions.do_close, "整改事项已销号。", note="note")


@require_POST
def reopen(request, item_id: int):
    return _act(request, item_id, (Role.REVIEWER,), actions.do_reopen, "整改事项已重新打开。", reason="reason")
