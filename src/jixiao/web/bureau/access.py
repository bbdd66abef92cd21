"""Who reaches the bureau pages: reviewers, for their own bureau's campaigns and packages.
Anything else answers 403 (a role that never may) or 404 (another bureau's object), logged
through the unit side's deny()."""

from __future__ import annotations

from ..accounts.models import Role
from ..packages.access import deny
from ..packages.models import BUREAU_VISIBLE_STATES, Campaign, Package


def require_reviewer(request) -> None:
    if not request.user.is_authenticated or request.user.role != Role.REVIEWER:
        deny(request, "只有财政局审核人可以访问此页面")


def get_campaign(request, campaign_id: int) -> Campaign:
    require_reviewer(request)
    campaign = Campaign.objects.filter(pk=campaign_id, bureau_id=request.user.bureau_id).first()
    if campaign is None:
        deny(request, f"无权访问评价任务#{campaign_id}", status=404)
    return campaign


def get_package(request, package_id: int) -> Package:
    """A package the bureau has been given (submitted at least once)."""
    require_reviewer(request)
    pkg = (Package.objects.select_related("campaign", "unit", "head", "head__author")
           .filter(pk=package_id, campaign__bureau_id=request.user.bureau_id, state__in=BUREAU_VISIBLE_STATES)
           .first())
    if pkg is None:
        deny(request, f"无权访问材料#{package_id}", status=404)
    return pkg
