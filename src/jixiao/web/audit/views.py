"""The audit log, readable by the 审计管理员 only (and changeable by nobody)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from ..accounts.models import Role
from ..packages.access import require_role
from .chain import summary, verify
from .models import ACTIONS, AuditEvent
from .present import rows


def log(request):
    require_role(request, Role.AUDITOR)
    qs = AuditEvent.objects.all()
    action = request.GET.get("action", "")
    who = request.GET.get("who", "").strip()
    if action in ACTIONS:
        qs = qs.filter(action=action)
    if who:
        qs = qs.filter(username__icontains=who)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    chain = verify()  # the whole chain, each time the auditor opens the page
    return render(request, "audit/log.html", {"page": page, "rows": rows(page.object_list), "actions": ACTIONS,
                                              "action": action, "who": who, "chain": chain,
                                              "chain_summary": summary(chain)})
