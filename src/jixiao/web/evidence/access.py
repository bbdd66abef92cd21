"""Who reaches evidence and rectification items: the unit's own people and the reviewers of the
unit's bureau (once the package has been submitted), nobody else. Objects outside a user's reach
answer 404, a visible one the role may not change 403; every refusal is logged (packages.access.deny)."""

from __future__ import annotations

from ..accounts.models import Role
from ..packages.access import deny, packages_for
from ..packages.models import BUREAU_VISIBLE_STATES, Package
from .models import Evidence, RectificationItem

UNIT_ROLES = (Role.CLERK, Role.UNIT_HEAD)


def is_unit_person(user, unit_id: int) -> bool:
    return user.role in UNIT_ROLES and user.unit_id == unit_id


def is_bureau_reviewer(user, bureau_id: int) -> bool:
    return user.role == Role.REVIEWER and user.bureau_id == bureau_id


def get_package(request, package_id: int) -> Package:
    pkg = packages_for(request.user).filter(pk=package_id).first()
    if pkg is None:
        deny(request, f"无权访问材料#{package_id}", status=404)
    return pkg


def get_evidence(request, evidence_id: int) -> Evidence:
    ev = (Evidence.objects.select_related("package", "package__campaign", "package__unit")
          .filter(pk=evidence_id, removed_at__isnull=True, package__in=packages_for(request.user)).first())
    if ev is None:
        deny(request, f"无权访问佐证材料#{evidence_id}", status=404)
    return ev


def items_for(user):
    qs = RectificationItem.objects.select_related("package", "package__campaign", "unit")
    if user.role in UNIT_ROLES:
        return qs.filter(unit_id=user.unit_id)
    if user.role == Role.REVIEWER:
        return qs.filter(package__campaign__bureau_id=user.bureau_id, package__state__in=BUREAU_VISIBLE_STATES)
    return qs.none()


def get_item(request, item_id: int) -> RectificationItem:
    item = items_for(request.user).filter(pk=item_id).first()
    if item is None:
        deny(request, f"无权访问整改事项#{item_id}", status=404)
    return item


def require_roles(request, *roles: str) -> None:
    if not request.user.is_authenticated or request.user.role not in roles:
        deny(request, "角色无权访问此页面")
