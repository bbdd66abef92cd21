"""Who may see and do what. Views fetch objects only through these helpers, so a unit's
people reach only their unit's packages whatever URL they type (others get 404, and the
attempt is logged); a visible package refuses what the role may not do with 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from ..accounts.models import Role
from ..audit.log import record
from ..queries import only_row
from .models import BUREAU_VISIBLE_STATES, EDITABLE_STATES, Package, State


def packages_for(user):
    # the campaign's evidence policy joined in: every save and page of a package asks for it
    qs = Package.objects.select_related("campaign", "campaign__evidence_policy", "unit", "head", "head__author")
    if user.role in (Role.CLERK, Role.UNIT_HEAD):
        return qs.filter(unit_id=user.unit_id)
    if user.role == Role.REVIEWER:
        return qs.filter(unit__bureau_id=user.bureau_id, state__in=BUREAU_VISIBLE_STATES)
    return qs.none()


def deny(request, reason: str, *, obj=None, status: int = 403):
    """Log the refusal, then answer 403 (or 404 for objects the user must not know of)."""
    with transaction.atomic():
        record(request, "permission_denied", obj=obj, detail={"reason": reason, "status": status,
                                                              "method": request.method})
    if status == 404:
        raise Http404("没有找到该材料")
    raise PermissionDenied(reason)


def _get_package_for_user(request, package_id: int) -> Package:
    pkg = only_row(packages_for(request.user).filter(pk=package_id))
    if pkg is None:
        deny(request, f"无权访问材料#{package_id}", status=404)
    return pkg


def require_role(request, *roles: str) -> None:
    if not request.user.is_authenticated or request.user.role not in roles:
        deny(request, "角色无权访问此页面")


def can_edit(user, pkg: Package) -> bool:
    return user.role == Role.CLERK and pkg.unit_id == user.unit_id and pkg.state in EDITABLE_STATES


def can_prepare(user, pkg: Package) -> bool:
    return user.role == Role.CLERK and pkg.unit_id == user.unit_id and pkg.state in (State.DRAFT, State.RETURNED)


def can_submit(user, pkg: Package) -> bool:
    return user.role == Role.UNIT_HEAD and pkg.unit_id == user.unit_id and pkg.state == State.PREPARED


def can_review(user, pkg: Package) -> bool:
    return user.role == Role.REVIEWER and pkg.unit.bureau_id == user.bureau_id and pkg.state == State.SUBMITTED


def require(request, allowed: bool, reason: str, obj=None) -> None:
    if not allowed:
        deny(request, reason, obj=obj)
