"""The monitoring dashboard page (bureau/monitoring.py computes it)."""

from __future__ import annotations

from django.shortcuts import render

from .access import get_campaign
from .monitoring import build


def monitoring_page(request, campaign_id: int):
    campaign = get_campaign(request, campaign_id)
    board = build(campaign) if campaign.monitoring_form else None
    return render(request, "bureau/monitoring.html", {"campaign": campaign, "board": board})
