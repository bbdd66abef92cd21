"""结果应用: the bureau records each unit's budget decision (on the review page) and exports the
campaign's units by grade with those decisions (a streamed workbook, linked from the campaign page)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..audit.log import record
from ..bureau.access import get_campaign, get_package
from ..bureau.views_campaigns import XLSX
from ..packages.actions import ActionError
from . import actions
from .results import results_stream


@require_POST
def decide_budget(request, package_id: int):
    pkg = get_package(request, package_id)
    try:
        d = actions.do_budget_decision(
            package_id=pkg.pk, actor=request.user, action=request.POST.get("action", ""),
            amount=actions.parse_decimal(request.POST.get("amount"), "调整金额"),
            percent=actions.parse_decimal(request.POST.get("percent"), "调整比例"),
            note=request.POST.get("note", ""), request=request)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        how = "".join(x for x in (f" {d.amount}万元" if d.amount is not None else "",
                                  f" {d.percent}%" if d.percent is not None else ""))
        messages.success(request, f"已记录{pkg.unit.name}下年度预算安排：{d.action_label}{how}。")
    return redirect(reverse("bureau:review", args=[pkg.pk]) + "#results")


def results_xlsx(request, campaign_id: int):
    from django.http import StreamingHttpResponse

    campaign = get_campaign(request, campaign_id)
    with transaction.atomic():
        record(request, "export", obj=campaign, detail={"what": "results"})
    resp = StreamingHttpResponse(results_stream(campaign), content_type=XLSX)
    name = f"{campaign.year}年度绩效评价结果应用.xlsx"
    resp["Content-Disposition"] = f"attachment; filename=\"results.xlsx\"; filename*=UTF-8''{quote(name)}"
    return resp
