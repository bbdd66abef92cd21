"""The targets' approval and adjustment (绩效目标批复、调整), and starting a step of the cycle from
the one before it (docs/cycle-web.md).

Approval rides on the bureau's ordinary review: accepting a submitted targets package
(bureau.actions.do_review) also writes a TargetApproval, the approved document frozen, in the
same transaction. Approved targets are not edited: the save path refuses them
(``frozen_message``). An adjustment is the bureau's leave, with its reason, to change them: the
package goes back to the unit, and the next acceptance is the next approved version, naming the
adjustment. Every action writes its audit row in its transaction, like packages.actions.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jixiao.cycle import carried_over_targets, evaluation_from_targets, monitoring_from_targets
from jixiao.model import Package as DocPackage

from ..accounts.models import Role
from ..audit.log import record
from .actions import ActionError, NotAllowed, _lock, _require_role, _transition
from .models import Package, Stage, State, TargetAdjustment, TargetApproval
from .writelock import write_lock


def latest_approval(pkg: Package) -> TargetApproval | None:
    return pkg.target_approvals.order_by("-version").first() if pkg.stage == Stage.TARGETS else None


def targets_package_of(pkg: Package) -> Package | None:
    """The targets package of ``pkg``'s unit in the same campaign (its year's targets)."""
    if pkg.stage == Stage.TARGETS:
        return pkg
    return Package.objects.filter(campaign_id=pkg.campaign_id, unit_id=pkg.unit_id, stage=Stage.TARGETS).first()


def approved_targets(pkg: Package) -> TargetApproval | None:
    """The latest approved version of the targets ``pkg`` is held to (an approved adjustment included)."""
    targets = targets_package_of(pkg)
    return latest_approval(targets) if targets is not None else None


def frozen_message(pkg: Package) -> str | None:
    """Why the unit may not change ``pkg`` now because its targets are approved (None: it may)."""
    if pkg.stage != Stage.TARGETS or pkg.state != State.ACCEPTED:
        return None
    approval = latest_approval(pkg)
    if approval is None:
        return None
    return (f"绩效目标已于{approval.approved_at:%Y-%m-%d}批复（第{approval.version}版），已冻结，不能修改；"
            "如确需调整，须由财政局准予调整并写明理由，调整后的目标经批复后作为新版本生效。")


def record_approval(pkg: Package, actor, comment: str, request=None) -> TargetApproval:
    """Inside the accepting transaction (bureau.actions.do_review): the approved version, frozen."""
    last = latest_approval(pkg)
    open_adjustment = pkg.target_adjustments.filter(approval__isnull=True).order_by("-at", "-id").first()
    approval = TargetApproval.objects.create(
        package=pkg, version=(last.version + 1) if last else 1, revision_number=pkg.head_number,
        document=pkg.head.document, approved_by=actor, comment=comment.strip()[:4000],
        adjustment=open_adjustment if last is not None else None,
    )
    record(request, "targets_approved", obj=pkg, user=actor, detail={
        "version": approval.version, "revision": pkg.head_number,
        "adjustment": open_adjustment.reason[:500] if approval.adjustment_id else None,
    })
    return approval


def do_allow_adjustment(*, package_id: int, actor, reason: str, request=None) -> TargetAdjustment:
    """The bureau allows the unit to adjust its approved targets, with the reason (调整理由): the
    package goes back to the unit; the current approved version stays in force until the adjusted
    targets are approved as the next version."""
    _require_role(actor, Role.REVIEWER)
    if not reason.strip():
        raise ActionError("调整绩效目标须写明调整理由。")
    with write_lock(), transaction.atomic():
        pkg = _lock(package_id)
        if pkg.unit.bureau_id != actor.bureau_id:
            raise NotAllowed("只能调整本财政局所辖单位的绩效目标。")
        last = latest_approval(pkg)
        if last is None or pkg.state != State.ACCEPTED:
            raise NotAllowed("只有已批复的绩效目标可以调整。")
        adjustment = TargetAdjustment.objects.create(package=pkg, from_version=last.version,
                                                     reason=reason.strip()[:4000], requested_by=actor)
        _transition(pkg, State.RETURNED, actor, f"准予调整绩效目标：{reason.strip()}")
        record(request, "targets_adjustment", obj=pkg, user=actor,
               detail={"from_version": last.version, "reason": reason.strip()[:500]})
    return adjustment


def approval_history(pkg: Package) -> list[TargetApproval]:
    return list(pkg.target_approvals.select_related("approved_by", "adjustment").order_by("-version"))


# ------------------------------------------------------------------ starting a step from the one before


def prefilled_document(campaign, unit, stage: str, fresh: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The first document of a unit's ``stage`` package and the note saying where it came from:
    monitoring and the self-evaluation from this year's approved targets, targets from last year's
    approved targets (carried over); ``fresh`` (the form's empty document) when there is nothing."""
    from .checking import canonical

    if stage == Stage.TARGETS:
        last = (Package.objects.filter(campaign__bureau_id=campaign.bureau_id, campaign__year=campaign.year - 1,
                                       unit=unit, stage=Stage.TARGETS).first())
        approval = latest_approval(last) if last is not None else None
        if approval is None:
            return fresh, ""
        doc = carried_over_targets(DocPackage.model_validate(approval.document))
        return canonical(doc), f"按{campaign.year - 1}年度批复的绩效目标（第{approval.version}版）预填"
    targets = Package.objects.filter(campaign=campaign, unit=unit, stage=Stage.TARGETS).first()
    approval = latest_approval(targets) if targets is not None else None
    if approval is None:
        return fresh, ""
    approved = DocPackage.model_validate(approval.document)
    form = campaign.form_of(stage)
    doc = monitoring_from_targets(approved, form) if stage == Stage.MONITORING else evaluation_from_targets(approved, form)
    return canonical(doc), f"按批复的绩效目标（第{approval.version}版）预填"
