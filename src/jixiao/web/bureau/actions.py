"""The bureau's state changes, in the style of packages.actions: each do_* runs in one
transaction and writes its audit row in that same transaction. Package transitions
(return, accept) are the unit side's own actions, called inside ours so that the review
record and the transition commit together or not at all."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from jixiao.api import CheckResult
from jixiao.rules import load_pack
from jixiao.scoring import grade

from ..accounts.models import Bureau, Role, Unit
from ..audit.log import record
from ..packages import actions as unit_actions
from ..packages.actions import ActionError, NotAllowed
from ..packages.checking import summary_columns
from ..packages.cycle_actions import record_approval
from ..packages.models import EDITABLE_STATES, Campaign, Package, Revision, Stage, State, Transition
from .figures import provided_result
from .matching import UnitIndex
from .models import Decision, Review, ReviewComment

BUREAU_SOURCES = {"import": "导入文件", "carryover": "按上年材料预填"}


def require_reviewer(actor, bureau_id: int | None = None) -> None:
    if actor.role != Role.REVIEWER:
        raise NotAllowed("只有财政局审核人可以执行此操作。")
    if bureau_id is not None and actor.bureau_id != bureau_id:
        raise NotAllowed("只能管理本财政局的评价任务。")


# ------------------------------------------------------------------ campaigns


def campaign_form(rule_pack: str) -> str:
    """The form a campaign's packages are on: the one its rule pack names (``form:``), else the
    default. Refused in Chinese when the pack or its form cannot be read."""
    from jixiao.errors import FormError
    from jixiao.forms import form_of

    pack = load_pack(rule_pack)
    try:
        return form_of(pack)["id"]
    except FormError as exc:
        raise ActionError(f"规则包“{pack.name}”所用的表式无法读取：{exc}") from exc


def do_create_campaign(*, actor, year: int, title: str, rule_pack: str, deadline: date | None,
                       unit_ids: list[int], request=None, targets_form: str | None = None,
                       monitoring_form: str | None = None) -> Campaign:
    """A campaign of one year on the form ``rule_pack`` names; ``targets_form`` / ``monitoring_form``:
    the forms of the cycle's other steps it also collects (None: not collected)."""
    require_reviewer(actor)
    form = campaign_form(rule_pack)  # PackError / ActionError (a Chinese line) before anything is written
    cycle = {"targets_form": _cycle_form(Stage.TARGETS, targets_form),
             "monitoring_form": _cycle_form(Stage.MONITORING, monitoring_form)}
    with transaction.atomic():
        if Campaign.objects.filter(bureau_id=actor.bureau_id, year=year).exists():
            raise ActionError(f"本财政局已有{year}年度的评价任务。")
        campaign = Campaign.objects.create(bureau_id=actor.bureau_id, year=year, title=title.strip()[:200],
                                           rule_pack=rule_pack, form=form, deadline=deadline, **cycle)
        units = Unit.objects.filter(bureau_id=actor.bureau_id, pk__in=unit_ids)
        campaign.units.set(units)
        record(request, "campaign_created", obj=campaign, user=actor,
               detail={"year": year, "rule_pack": rule_pack, "form": form, "units": len(unit_ids), **cycle})
    return campaign


def cycle_forms(stage: str) -> list[tuple[str, str]]:
    """(id, name) of the shipped forms of one step of the cycle ('targets', 'monitoring')."""
    from importlib import resources

    from jixiao.forms import load_form

    out = []
    for f in sorted(resources.files("jixiao.forms").iterdir(), key=lambda f: f.name):
        if f.name.endswith(".yaml"):
            form = load_form(f.name[:-5])
            if form.get("stage") == stage:
                out.append((form["id"], form.get("name") or form["id"]))
    return out


def _cycle_form(stage: str, value: str | None) -> str | None:
    if not value:
        return None
    if value not in dict(cycle_forms(stage)):
        raise ActionError(f"表样“{value}”不是{Stage(stage).label}的表样。")
    return value


def do_update_campaign(*, campaign_id: int, actor, deadline: date | None, is_open: bool, request=None,
                       targets_form: str | None | bool = False, monitoring_form: str | None | bool = False) -> Campaign:
    """Deadline, open or closed, and (when given; False: unchanged) the forms of the cycle the
    campaign also collects: blank stops collecting that step (packages already started stay)."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        require_reviewer(actor, campaign.bureau_id)
        campaign.deadline, campaign.is_open = deadline, is_open
        fields = ["deadline", "is_open"]
        if targets_form is not False:
            campaign.targets_form = _cycle_form(Stage.TARGETS, targets_form)
            fields.append("targets_form")
        if monitoring_form is not False:
            campaign.monitoring_form = _cycle_form(Stage.MONITORING, monitoring_form)
            fields.append("monitoring_form")
        campaign.save(update_fields=fields)
        record(request, "campaign_updated", obj=campaign, user=actor,
               detail={"deadline": deadline.isoformat() if deadline else None, "is_open": is_open,
                       "targets_form": campaign.targets_form, "monitoring_form": campaign.monitoring_form})
    return campaign


def do_add_units(*, campaign_id: int, actor, names: list[tuple[str, str]], unit_ids: list[int] = (),
                 request=None) -> tuple[list[Unit], list[Unit]]:
    """Attach units to a campaign: existing ones by id, listed ones by (name, code) — matched
    to the bureau's units by normalised name, created when new. Returns (created, attached)."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        require_reviewer(actor, campaign.bureau_id)
        bureau = Bureau.objects.get(pk=campaign.bureau_id)
        index = UnitIndex(Unit.objects.filter(bureau=bureau))
        created, attached = [], list(Unit.objects.filter(bureau=bureau, pk__in=list(unit_ids)))
        for name, code in names:
            unit = index.get(name)
            if unit is None:
                unit = Unit.objects.create(bureau=bureau, name=name.strip()[:200], code=(code or "").strip()[:50])
                index.add(unit, unit.name)
                created.append(unit)
            attached.append(unit)
        campaign.units.add(*attached)
        record(request, "campaign_units", obj=campaign, user=actor,
               detail={"attached": len(attached), "created": [u.name for u in created][:100]})
    return created, attached


# ------------------------------------------------------------------ drafts written by the bureau


def do_write_draft(*, campaign: Campaign, unit: Unit, actor, document: dict[str, Any], result: CheckResult,
                   source: str, note: str, request=None, audit_detail: dict | None = None) -> tuple[Package, Revision]:
    """A new revision of ``unit``'s package written by the bureau (batch import, carry-over).
    The package is created when missing; one the unit has submitted or that was accepted is
    never overwritten (ActionError). Prepared packages go back to 填报中, as on any change."""
    require_reviewer(actor, campaign.bureau_id)
    if unit.bureau_id != campaign.bureau_id:
        raise NotAllowed("该单位不属于本财政局。")
    summary = summary_columns(result, {}, campaign.rule_pack)
    with transaction.atomic():
        pkg, _ = Package.objects.get_or_create(campaign=campaign, unit=unit, stage="evaluation")
        pkg = Package.objects.select_for_update(of=("self",)).select_related("head").get(pk=pkg.pk)
        if pkg.state not in EDITABLE_STATES:
            raise ActionError(f"{unit.name}的材料状态为“{pkg.state_label}”，未覆盖（已提交的材料只能由单位在退回后修改）。")
        with provided_result(result):
            rev = Revision.objects.create(
                package=pkg, number=pkg.head_number + 1, base_number=pkg.head_number or None, document=document,
                explanations={}, author=actor, source=source, note=note[:300], **summary,
            )
        pkg.head_number, pkg.head = rev.number, rev
        pkg.save(update_fields=["head_number", "head", "updated_at"])
        if pkg.state == State.PREPARED:
            Transition.objects.create(package=pkg, from_state=pkg.state, to_state=State.DRAFT, actor=actor,
                                      revision_number=rev.number, comment="财政局导入了新版本")
            pkg.state = State.DRAFT
            pkg.save(update_fields=["state", "updated_at"])
        action = "campaign_prefill" if source == "carryover" else "batch_import_file"
        record(request, action, obj=pkg, user=actor, detail={"revision": rev.number, **(audit_detail or {})})
    return pkg, rev


# ------------------------------------------------------------------ review


def parse_score(text: str | None) -> Decimal | None:
    """The review score as typed: blank is 'not given'; otherwise 0–100 with at most two places."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ActionError(f"审核得分“{text}”不是数字。") from exc
    if not value.is_finite() or value < 0 or value > 100:
        raise ActionError(f"审核得分应在0至100分之间，填写的是{text}分。")
    if value != value.quantize(Decimal("0.01")):
        raise ActionError(f"审核得分最多保留两位小数，填写的是{text}分。")
    return value.quantize(Decimal("0.01"))


def _comment_text(comment: str, cells: list[tuple[str, str, str]]) -> str:
    """The transition's comment: what the unit reads in its 流转记录, per-cell comments included."""
    lines = [comment.strip()] if comment.strip() else []
    lines += [f"【{label}】{text.strip()}" for _, label, text in cells]
    return "\n".join(lines)


def do_review(*, package_id: int, actor, decision: str, comment: str = "",
              cells: list[tuple[str, str, str]] = (), review_total: Decimal | None = None,
              request=None) -> Review:
    """Return (with a reason: overall or per cell) or accept a submitted package.

    ``cells``: (document path, the cell's Chinese name, comment). The review score, when given,
    is kept beside the self-score and the computed one; its grade uses the campaign's pack.
    """
    if decision not in (Decision.RETURN, Decision.ACCEPT):
        raise ActionError("未知的审核结论。")
    cells = [(p, label, t) for p, label, t in cells if t and t.strip()]
    text = _comment_text(comment, cells)
    if decision == Decision.RETURN and not text:
        raise ActionError("退回时须写明退回原因（总体意见或单元格意见）。")
    with transaction.atomic():
        if decision == Decision.RETURN:
            pkg = unit_actions.do_return(package_id=package_id, actor=actor, comment=text, request=request)
        else:
            pkg = unit_actions.do_accept(package_id=package_id, actor=actor, comment=text, request=request)
            if pkg.stage == Stage.TARGETS:  # accepting targets is approving them: a frozen version
                record_approval(pkg, actor, text, request)
        head = pkg.head
        pack = load_pack(pkg.rule_pack)
        review = Review.objects.create(
            package=pkg, revision_number=pkg.head_number, reviewer=actor, decision=decision, comment=comment.strip(),
            self_total=head.self_total, computed_total=head.computed_total, review_total=review_total,
            review_grade=(grade(review_total, pack) or "") if review_total is not None else "",
        )
        ReviewComment.objects.bulk_create(
            [ReviewComment(review=review, path=p[:300], label=label[:300], text=t.strip()) for p, label, t in cells]
        )
        record(request, "review", obj=pkg, user=actor, detail={
            "decision": decision, "revision": pkg.head_number, "cells": len(cells),
            "review_total": str(review_total) if review_total is not None else None,
        })
    return review
