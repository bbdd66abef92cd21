"""State changes of evidence, rectification items and budget decisions. Like packages.actions:
each do_* runs in one transaction with its audit row, and refuses in one Chinese sentence
(ActionError / NotAllowed) what the actor may not do."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from jixiao.cycle import indicator_key, project_key
from jixiao.forms import part_name

from ..accounts.models import Role
from ..audit.log import record
from ..packages.actions import ActionError, NotAllowed
from ..packages.models import EDITABLE_STATES, Campaign, Package, State, Transition
from .files import CheckedFile
from .models import (
    BudgetAction,
    BudgetDecision,
    Evidence,
    EvidenceChunk,
    EvidencePolicy,
    RectificationEvent,
    RectificationItem,
    RectState,
)

CHUNK_BYTES = 1024 * 1024
CENT = Decimal("0.01")
# Amounts above this (万元) are typing mistakes, not budgets: refused rather than stored.
MAX_AMOUNT = Decimal("100000000")
MAX_CUT_PERCENT = Decimal("100")  # a cut cannot take more than the whole budget
MAX_RAISE_PERCENT = Decimal("1000")


@dataclass(frozen=True)
class IndicatorChoice:
    table_key: str
    indicator_key: str
    table_label: str
    indicator_label: str

    @property
    def value(self) -> str:
        return f"{self.table_key}\x1f{self.indicator_key}"


def indicators_of(doc_package, form: str) -> list[IndicatorChoice]:
    """Every 三级指标 of a package, each table's once, named as the unit reads it."""
    if doc_package is None:
        return []
    tables = []
    if doc_package.overall is not None:
        tables.append((doc_package.overall, part_name("overall", form)))
    for p in doc_package.projects:
        tables.append((p, f"{part_name('project', form)}：{p.project_name or '（未命名项目）'}"))
    out, seen = [], set()
    for table, label in tables:
        for l1 in table.indicators:
            for l2 in l1.children:
                for ind in l2.indicators:
                    key = indicator_key(table, ind.name)
                    if not key[1] or key in seen:
                        continue
                    seen.add(key)
                    out.append(IndicatorChoice(key[0], key[1], label, (ind.name or "").strip()))
    return out


def _lock(package_id: int) -> Package:
    return Package.objects.select_for_update(of=("self",)).select_related("campaign", "unit").get(pk=package_id)


def last_submitted_at(pkg: Package) -> dt.datetime | None:
    t = Transition.objects.filter(package=pkg, to_state=State.SUBMITTED).order_by("-at", "-id").first()
    return t.at if t else None


def can_upload(user, pkg: Package) -> bool:
    return user.role == Role.CLERK and user.unit_id == pkg.unit_id and pkg.state in EDITABLE_STATES


def can_remove(user, ev: Evidence, submitted_at: dt.datetime | None) -> bool:
    """Only the unit's clerk, while the package is editable, and only files the bureau has not been
    given: uploaded after the last submission (all of them before the first)."""
    return (can_upload(user, ev.package) and ev.removed_at is None
            and (submitted_at is None or ev.uploaded_at > submitted_at))


# ------------------------------------------------------------------ evidence


def do_upload_evidence(*, package_id: int, actor, choice: IndicatorChoice, checked: CheckedFile,
                       request=None) -> Evidence:
    with transaction.atomic():
        pkg = _lock(package_id)
        if not can_upload(actor, pkg):
            raise NotAllowed(f"材料当前状态为“{pkg.state_label}”，只有本单位{Role.CLERK.label}在提交前可以上传佐证材料。")
        ev = Evidence.objects.create(
            package=pkg, table_key=choice.table_key, indicator_key=choice.indicator_key,
            table_label=choice.table_label[:300], indicator_label=choice.indicator_label[:300], name=checked.name,
            kind=checked.kind, size=len(checked.data), sha256=checked.sha256, uploaded_by=actor)
        EvidenceChunk.objects.bulk_create(
            EvidenceChunk(evidence=ev, seq=n, data=checked.data[i:i + CHUNK_BYTES])
            for n, i in enumerate(range(0, len(checked.data), CHUNK_BYTES)))
        record(request, "evidence_uploaded", obj=pkg, user=actor,
               detail={"file": ev.name, "size": ev.size, "indicator": f"{ev.table_label} · {ev.indicator_label}",
                       "sha256": ev.sha256})
    return ev


def do_remove_evidence(*, evidence_id: int, actor, request=None) -> Evidence:
    with transaction.atomic():
        ev = Evidence.objects.select_related("package").get(pk=evidence_id)
        pkg = _lock(ev.package_id)
        ev.package = pkg
        if not can_remove(actor, ev, last_submitted_at(pkg)):
            raise NotAllowed(f"已提交给财政局的佐证材料不能删除；只有本单位{Role.CLERK.label}在提交前可以删除。")
        ev.removed_at, ev.removed_by = timezone.now(), actor
        ev.save(update_fields=["removed_at", "removed_by"])
        record(request, "evidence_removed", obj=pkg, user=actor,
               detail={"file": ev.name, "indicator": f"{ev.table_label} · {ev.indicator_label}"})
    return ev


def do_set_policy(*, campaign, actor, required: str, publish_evidence: bool, request=None) -> EvidencePolicy:
    if actor.role != Role.REVIEWER or actor.bureau_id != campaign.bureau_id:
        raise NotAllowed("只有本财政局的审核人可以设置佐证材料要求。")
    lines = [line.strip()[:200] for line in required.replace("、", "\n").replace("，", "\n").splitlines()]
    text = "\n".join(dict.fromkeys(x for x in lines if x))
    with transaction.atomic():
        policy, _ = EvidencePolicy.objects.select_for_update().get_or_create(
            campaign=campaign, defaults={"updated_by": actor})
        policy.required, policy.publish_evidence, policy.updated_by = text, publish_evidence, actor
        policy.save()
        record(request, "evidence_policy", obj=campaign, user=actor,
               detail={"required": list(policy.required_names()), "publish_evidence": publish_evidence})
    return policy


def required_names(campaign) -> tuple[str, ...]:
    # A campaign read with its policy (access.packages_for joins it: every save asks) asks no
    # query; one read alone asks one, and never caches a policy that could change meanwhile.
    related = Campaign.evidence_policy.related
    if related.is_cached(campaign):
        policy = related.get_cached_value(campaign)
    else:
        policy = EvidencePolicy.objects.filter(campaign=campaign).first()
    return policy.required_names() if policy else ()


def missing_required(campaign, choices: list[IndicatorChoice], attached: set[tuple[str, str]]) -> list[str]:
    """Required 三级指标 of the package's tables without a file, as “table · indicator”."""
    wanted = {project_key(n) for n in required_names(campaign)}
    return [f"{c.table_label} · {c.indicator_label}" for c in choices
            if c.indicator_key in wanted and (c.table_key, c.indicator_key) not in attached]


# ------------------------------------------------------------------ rectification


def _reviewer_of(actor, pkg: Package) -> None:
    if actor.role != Role.REVIEWER or actor.bureau_id != pkg.campaign.bureau_id:
        raise NotAllowed("只有本财政局的审核人可以处理整改事项。")


def do_create_rectification(*, package_id: int, actor, problem: str, due: dt.date | None, finding_key: str = "",
                            request=None) -> RectificationItem:
    problem = problem.strip()[:4000]
    if not problem:
        raise ActionError("请选择一条审核发现的问题或填写问题描述。")
    with transaction.atomic():
        pkg = _lock(package_id)
        _reviewer_of(actor, pkg)
        if not pkg.reviews.exists():
            raise ActionError("请先作出审核结论（退回修改或审核通过）后再列整改事项。")
        item = RectificationItem.objects.create(package=pkg, unit=pkg.unit, year=pkg.campaign.year, problem=problem,
                                                finding_key=finding_key[:500], due=due, created_by=actor)
        RectificationEvent.objects.create(item=item, action="created", actor=actor, text=problem)
        record(request, "rectification_created", obj=pkg, user=actor,
               detail={"item": item.pk, "problem": problem[:200], "due": due.isoformat() if due else None})
    return item


def _lock_item(item_id: int) -> RectificationItem:
    return RectificationItem.objects.select_for_update(of=("self",)).select_related(
        "package", "package__campaign", "unit").get(pk=item_id)


def do_respond(*, item_id: int, actor, measures: str, progress: str, request=None) -> RectificationItem:
    measures, progress = measures.strip()[:4000], progress.strip()[:4000]
    with transaction.atomic():
        item = _lock_item(item_id)
        if actor.role != Role.CLERK or actor.unit_id != item.unit_id:
            raise NotAllowed(f"只有本单位{Role.CLERK.label}可以填写整改情况。")
        if item.is_closed:
            raise ActionError("该整改事项已由财政局销号，不能再修改整改情况。")
        if not measures and not progress:
            raise ActionError("请填写整改措施或整改情况。")
        item.measures, item.progress, item.state, item.responded_at = measures, progress, RectState.RESPONDED, timezone.now()
        item.save(update_fields=["measures", "progress", "state", "responded_at"])
        RectificationEvent.objects.create(item=item, action="responded", actor=actor,
                                          text="\n".join(x for x in (measures, progress) if x))
        record(request, "rectification_responded", obj=item.package, user=actor,
               detail={"item": item.pk, "measures": measures[:200], "progress": progress[:200]})
    return item


def do_close(*, item_id: int, actor, note: str = "", request=None) -> RectificationItem:
    with transaction.atomic():
        item = _lock_item(item_id)
        _reviewer_of(actor, item.package)
        if item.is_closed:
            raise ActionError("该整改事项已经销号。")
        item.state, item.closed_at = RectState.CLOSED, timezone.now()
        item.save(update_fields=["state", "closed_at"])
        RectificationEvent.objects.create(item=item, action="closed", actor=actor, text=note.strip()[:2000])
        record(request, "rectification_closed", obj=item.package, user=actor,
               detail={"item": item.pk, "note": note.strip()[:200]})
    return item


def do_reopen(*, item_id: int, actor, reason: str, request=None) -> RectificationItem:
    reason = reason.strip()[:2000]
    with transaction.atomic():
        item = _lock_item(item_id)
        _reviewer_of(actor, item.package)
        if not item.is_closed:
            raise ActionError("只有已销号的整改事项可以重新打开。")
        if not reason:
            raise ActionError("重新打开整改事项须说明原因。")
        item.state, item.closed_at = (RectState.RESPONDED if item.responded_at else RectState.OPEN), None
        item.save(update_fields=["state", "closed_at"])
        RectificationEvent.objects.create(item=item, action="reopened", actor=actor, text=reason)
        record(request, "rectification_reopened", obj=item.package, user=actor, detail={"item": item.pk, "reason": reason})
    return item


# ------------------------------------------------------------------ use of results


def parse_decimal(text: str | None, what: str) -> Decimal | None:
    """A figure as typed (“12.5”, “1,200”, “10%”); blank is None, never zero."""
    text = (text or "").strip().replace(",", "").replace("，", "").rstrip("%％").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ActionError(f"{what}“{text}”不是数字。") from exc
    if not value.is_finite():
        raise ActionError(f"{what}“{text}”不是数字。")
    if value < 0:
        raise ActionError(f"{what}不能为负数（压减或增加由“预算安排”表示），填写的是{text}。")
    return value


def two_places(value: Decimal | None) -> Decimal | None:
    """万元 (or %) with two places, rounded half up once, at the end; blank stays blank."""
    return value.quantize(CENT, ROUND_HALF_UP) if value is not None else None


def do_budget_decision(*, package_id: int, actor, action: str, amount: Decimal | None, percent: Decimal | None,
                       note: str = "", request=None) -> BudgetDecision:
    if action not in BudgetAction.values:
        raise ActionError("请选择预算安排：压减、保持或增加。")
    if action == BudgetAction.KEEP and ((amount or 0) != 0 or (percent or 0) != 0):
        raise ActionError("选择“保持”时不填写调整金额或比例。")
    if amount is not None and amount > MAX_AMOUNT:
        raise ActionError(f"调整金额{amount}万元超过上限{MAX_AMOUNT}万元，请核对单位（万元）。")
    limit = MAX_CUT_PERCENT if action == BudgetAction.CUT else MAX_RAISE_PERCENT
    if percent is not None and percent > limit:
        raise ActionError(f"{BudgetAction(action).label}比例{percent}%超过上限{limit}%。")
    amount, percent = two_places(amount), two_places(percent)
    with transaction.atomic():
        pkg = _lock(package_id)
        _reviewer_of(actor, pkg)
        if pkg.state not in (State.SUBMITTED, State.RETURNED, State.ACCEPTED):
            raise ActionError("材料尚未提交，不能记录预算安排。")
        decision, _ = BudgetDecision.objects.select_for_update().get_or_create(
            package=pkg, defaults={"action": action, "decided_by": actor})
        decision.action, decision.amount, decision.percent = action, amount, percent
        decision.note, decision.decided_by = note.strip()[:500], actor
        decision.save()
        record(request, "budget_decision", obj=pkg, user=actor,
               detail={"budget_action": action, "amount": amount, "percent": percent, "note": decision.note})
    return decision
