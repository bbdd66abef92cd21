"""State changes of packages. Each do_* runs in one transaction and writes its audit row in
that same transaction; a refusal that must leave a trace (a stale save, a blocked submit)
commits its audit row and then raises.

Concurrency: the package row is locked first (SELECT … FOR UPDATE on PostgreSQL; on SQLite
the IMMEDIATE transaction already holds the database's write lock), then the head number is
compared with the revision the user's edit was based on: a stale save is refused, never
applied over the newer one.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..accounts.models import Role
from ..audit.log import record
from ..queries import only_row
from .checking import (
    REVISION_CACHE,
    Evaluation,
    canonical,
    evaluate,
    evaluate_revision,
    new_document,
    summary_columns,
    unexplained_errors,
)
from .cycle_context import cycle_context_for
from .models import EDITABLE_STATES, Campaign, Package, Revision, Stage, State, Transition
from .prefill import carry_over, same_form
from .writelock import write_lock


def _provided(result):
    """The bureau app's hook for handing it the check result of a revision being saved."""
    try:
        from ..bureau.figures import provided_result
    except ImportError:  # the bureau app is optional to this one
        return contextlib.nullcontext()
    return provided_result(result)


class ActionError(Exception):
    """A refused action; the message is one Chinese sentence for the user."""


class NotAllowed(ActionError):
    pass


class InvalidDocument(ActionError):
    def __init__(self, evaluation: Evaluation):
        self.evaluation = evaluation
        if evaluation.fatal:
            msg = evaluation.fatal
        else:
            n = len(evaluation.input_errors)
            msg = f"有{n}个单元格的内容无法识别，请按标记改正后再保存。"
        super().__init__(msg)


class StaleRevision(ActionError):
    def __init__(self, current: Revision, base_number: int | None):
        self.current = current
        self.base_number = base_number
        who = current.author.display_name if current.author_id else "他人"
        super().__init__(
            f"保存被拒绝：您的修改基于第{base_number}版，但{who}已于"
            f"{timezone.localtime(current.created_at):%Y-%m-%d %H:%M:%S}保存了第{current.number}版。"
            "为避免覆盖他人的修改，请合并后再保存。"
        )


class SubmitRefused(ActionError):
    pass


def _lock(package_id: int, read: Package | None = None) -> Package:
    """The package row locked and read again. ``read``: the package as the caller read it before
    the lock; its campaign and unit (which no change of a package changes) are taken from it
    instead of being joined in again, which a save would pay for every time."""
    # The head revision is fetched after the lock, by its own query: on PostgreSQL a row joined
    # into the locking query comes from the snapshot taken before the wait, so a head written
    # by the transaction we waited for would read as missing.
    if read is None or read.pk != package_id:
        return Package.objects.select_for_update(of=("self",)).select_related("campaign", "unit").get(pk=package_id)
    pkg = Package.objects.select_for_update().get(pk=package_id)
    for field in (Package.campaign.field, Package.unit.field):
        if field.is_cached(read):
            field.set_cached_value(pkg, field.get_cached_value(read))
    return pkg


def _head_explanations(pkg: Package, read: Package | None) -> dict[str, str]:
    """The explanations of the locked package's head, kept by a save that brings none. A revision
    never changes, so the head the caller read before the lock serves when it is still the head;
    otherwise the explanations alone are read (not the document, which would be parsed again)."""
    if not pkg.head_id:
        return {}
    if read is not None and read.head_id == pkg.head_id and Package.head.field.is_cached(read):
        return dict(read.head.explanations or {})
    return dict(only_row(Revision.objects.filter(pk=pkg.head_id).values_list("explanations", flat=True)) or {})


def _require_role(actor, *roles: str) -> None:
    if actor.role not in roles:
        raise NotAllowed("您的角色无权执行此操作。")


def _append(pkg: Package, actor, doc: dict[str, Any], summary: dict[str, Any], *, source: str, note: str,
            base: int | None, explanations: dict[str, str], evaluation: Evaluation | None = None,
            save_key: str | None = None) -> Revision:
    rev = Revision(
        package=pkg, number=pkg.head_number + 1, base_number=base, document=doc, explanations=explanations,
        author=actor, source=source, note=note[:300], save_key=save_key or None, **summary,
    )
    # Listeners of post_save (the bureau's figures) reuse this check instead of running it again.
    rev.check_result = evaluation.result if evaluation else None
    with _provided(rev.check_result):
        rev.save()
    if evaluation is not None:
        REVISION_CACHE.put((rev.pk, pkg.rule_pack, "", evaluation.cycle_key), evaluation)
    pkg.head_number = rev.number
    pkg.head = rev
    pkg.save(update_fields=["head_number", "head", "updated_at"])
    return rev


def _transition(pkg: Package, to: str, actor, comment: str = "") -> Transition:
    t = Transition.objects.create(
        package=pkg, from_state=pkg.state, to_state=to, actor=actor, revision_number=pkg.head_number, comment=comment,
    )
    pkg.state = to
    pkg.save(update_fields=["state", "updated_at"])
    return t


def last_year_revision(campaign: Campaign, unit_id: int):
    """The revision of last year's campaign to carry over: the accepted one, else the last
    submitted, else the newest draft."""
    prev = (Package.objects.filter(campaign__bureau_id=campaign.bureau_id, campaign__year=campaign.year - 1,
                                   unit_id=unit_id, stage=Stage.EVALUATION).select_related("head").first())
    if prev is None or prev.head is None:
        return None
    if prev.state != State.ACCEPTED and prev.submitted_number:
        return prev.revisions.filter(number=prev.submitted_number).first() or prev.head
    return prev.head


def do_create_package(*, campaign, unit, actor, request=None, stage: str = Stage.EVALUATION) -> Package:
    """The clerk's 开始填报 of one step of the cycle (``stage``). The self-evaluation and the
    monitoring table start from this year's approved targets where there are some, targets from
    last year's approved ones (cycle_actions.prefilled_document); a self-evaluation without
    targets is pre-filled from last year's package (上年决算数, named 专项 rows, indicator trees,
    project tables, 单位基本情况)."""
    from .cycle_actions import prefilled_document

    _require_role(actor, Role.CLERK)
    if actor.unit_id != unit.id:
        raise NotAllowed("只能为本单位创建材料。")
    form = campaign.form_of(stage)
    if form is None:
        raise NotAllowed(f"本填报任务不收集{Stage(stage).label}材料。")
    rule_pack = campaign.rule_pack_of(stage)
    doc = new_document(unit.name, campaign.year, form, rule_pack)
    doc, note = prefilled_document(campaign, unit, stage, doc)
    if not note and stage == Stage.EVALUATION:
        last = last_year_revision(campaign, unit.id)
        if last is not None and same_form(last.document, doc):
            carried = carry_over(last.document, doc)
            if evaluate(carried, rule_pack).ok:
                doc, note = carried, f"按{campaign.year - 1}年度材料第{last.number}版预填"
    ev = evaluate(doc, rule_pack)  # no context yet: the package does not exist; a later open checks with it
    with write_lock(), transaction.atomic():
        pkg, created = Package.objects.get_or_create(campaign=campaign, unit=unit, stage=stage)
        if not created:
            return pkg
        _append(pkg, actor, doc, summary_columns(ev.result, {}, rule_pack), source="create", note=note, base=None,
                explanations={}, evaluation=ev)
        record(request, "package_created", obj=pkg, user=actor,
               detail={"campaign": campaign.id, "unit": unit.name, "stage": stage})
    return pkg


def prepare_document(document: dict[str, Any], rule_pack: str, base: Evaluation | None = None, *,
                     cycle: Any = None) -> Evaluation:
    """Validate and check outside the lock: the slow part of a save does not hold the database
    (``base``: the evaluation of the revision the document was edited from, to check incrementally;
    ``cycle``: what the rest of the year says, cycle_context.cycle_context_for)."""
    ev = evaluate(document, rule_pack, base, cycle=cycle)
    if not ev.ok:
        raise InvalidDocument(ev)
    return ev


UNSET: Any = object()  # an argument not given (None is a value: no cycle context)


def do_save(
    *, package_id: int, actor, document: dict[str, Any], base_number: int | None, source: str = "web",
    note: str = "", explanations: dict[str, str] | None = None, request=None, detail: dict | None = None,
    audit_action: str = "save", roles: tuple[str, ...] = (Role.CLERK,), save_key: str | None = None,
    base_evaluation: Evaluation | None = None, cycle: Any = UNSET, package: Package | None = None,
) -> Revision:
    """Append the document as a new revision based on `base_number`.

    `cycle`: the package's cycle context when the caller has just computed it (the sheet's save
    has, for its base evaluation, None included); not given: computed here. `package`: the package
    as the caller read it (with its campaign), for what is decided before the lock (its form and
    pack); the lock reads it again.

    `save_key` is the save's idempotency key (one per rendered form). A save whose key already
    wrote a revision of this package is a retry (the answer to the first was lost): it writes
    nothing and returns that revision with `repeated` set, whatever the head is now.
    """
    _require_role(actor, *roles)
    pkg0 = package if package is not None and package.pk == package_id else \
        Package.objects.select_related("campaign").get(pk=package_id)
    ev = prepare_document(document, pkg0.rule_pack, base_evaluation,
                          cycle=cycle_context_for(pkg0) if cycle is UNSET else cycle)
    doc = canonical(ev.package)
    stale: Revision | None = None
    refused: str | None = None  # approved targets: the refusal is audited, then raised
    with write_lock(), transaction.atomic():
        pkg = _lock(package_id, pkg0)
        if actor.unit_id != pkg.unit_id:
            raise NotAllowed("只能修改本单位的材料。")
        if save_key:
            done = only_row(Revision.objects.filter(package=pkg, save_key=save_key))
            if done is not None:
                if done.author_id != actor.pk:
                    raise NotAllowed("保存标识无效，请刷新页面后重新保存。")
                done.repeated = True
                return done
        if pkg.state not in EDITABLE_STATES:
            from .cycle_actions import frozen_message

            frozen = frozen_message(pkg)
            if not frozen:
                raise NotAllowed(f"材料当前状态为“{pkg.state_label}”，不能修改；财政局退回后方可修改。")
            refused = frozen
            record(request, "targets_frozen_refused", obj=pkg, user=actor,
                   detail={"base": base_number, "head": pkg.head_number, "source": source})
        elif base_number != pkg.head_number:
            stale = pkg.head
            record(request, "save_conflict", obj=pkg, user=actor,
                   detail={"base": base_number, "head": pkg.head_number, "source": source})
        else:
            if explanations is not None:
                keep = {k: v for k, v in explanations.items() if v and v.strip()}
            else:
                keep = _head_explanations(pkg, package)
            rev = _append(pkg, actor, doc, summary_columns(ev.result, keep, pkg0.rule_pack), source=source, note=note,
                          base=base_number, explanations=keep, evaluation=ev, save_key=save_key)
            rev.repeated = False
            if pkg.state == State.PREPARED:
                # The head approved other content: a change sends it back to 填报中.
                _transition(pkg, State.DRAFT, actor, "提请提交后内容又有修改")
            record(request, audit_action, obj=pkg, user=actor,
                   detail={"revision": rev.number, "base": base_number, "source": source, **(detail or {})})
    if refused is not None:
        raise NotAllowed(refused)
    if stale is not None:
        raise StaleRevision(stale, base_number)
    return rev


def do_restore(*, package_id: int, number: int, actor, base_number: int | None, request=None) -> Revision:
    old = Revision.objects.get(package_id=package_id, number=number)
    return do_save(
        package_id=package_id, actor=actor, document=old.document, base_number=base_number, source="restore",
        note=f"恢复第{number}版", explanations=old.explanations, request=request, audit_action="restore",
        detail={"restored": number},
    )


def do_explain(*, package_id: int, actor, base_number: int | None, explanations: dict[str, str], request=None) -> Revision:
    head = Package.objects.get(pk=package_id).head
    return do_save(
        package_id=package_id, actor=actor, document=head.document, base_number=base_number, source="explain",
        note="填写错误说明", explanations=explanations, request=request, audit_action="explanations",
        detail={"explained": sorted(k for k, v in explanations.items() if v.strip())[:50]},
    )


def _blocking_errors(pkg: Package) -> list:
    ev = evaluate_revision(pkg.head, pkg.rule_pack, cycle=cycle_context_for(pkg))
    if ev.result is None:
        return ["材料内容无法识别"]
    return unexplained_errors(ev.result, pkg.head.explanations)


def _refuse(pkg: Package, actor, request, action: str, reason: str, blocking: list) -> None:
    with write_lock(), transaction.atomic():
        record(request, "submit_refused", obj=pkg, user=actor,
               detail={"attempt": action, "reason": reason, "unexplained": len(blocking)})
    raise SubmitRefused(reason)


def _blocking_message(blocking: list) -> str:
    return (f"材料还有{len(blocking)}条错误没有书面说明，不能提交。请改正错误，"
            "或在“审核结果”页为每条错误写明原因。")


def do_prepare(*, package_id: int, actor, request=None) -> Package:
    _require_role(actor, Role.CLERK)
    with write_lock(), transaction.atomic():
        pkg = _lock(package_id)
        if actor.unit_id != pkg.unit_id:
            raise NotAllowed("只能操作本单位的材料。")
        if pkg.state not in (State.DRAFT, State.RETURNED):
            raise NotAllowed(f"材料当前状态为“{pkg.state_label}”，不能提请提交。")
        blocking = _blocking_errors(pkg)
        if not blocking:
            _transition(pkg, State.PREPARED, actor)
            record(request, "prepare", obj=pkg, user=actor, detail={"revision": pkg.head_number})
            return pkg
    _refuse(pkg, actor, request, "prepare", _blocking_message(blocking), blocking)


def do_unprepare(*, package_id: int, actor, comment: str = "", request=None) -> Package:
    _require_role(actor, Role.UNIT_HEAD)
    with write_lock(), transaction.atomic():
        pkg = _lock(package_id)
        if actor.unit_id != pkg.unit_id:
            raise NotAllowed("只能操作本单位的材料。")
        if pkg.state != State.PREPARED:
            raise NotAllowed(f"材料当前状态为“{pkg.state_label}”，无需退回填表人。")
        _transition(pkg, State.DRAFT, actor, comment)
        record(request, "unprepare", obj=pkg, user=actor, detail={"comment": comment[:500]})
    return pkg


def do_submit(*, package_id: int, actor, base_number: int | None = None, request=None) -> Package:
    """单位负责人 submits what 填表人 prepared; errors without a written explanation block it."""
    _require_role(actor, Role.UNIT_HEAD)
    with write_lock(), transaction.atomic():
        pkg = _lock(package_id)
        if actor.unit_id != pkg.unit_id:
            raise NotAllowed("只能提交本单位的材料。")
        if pkg.state != State.PREPARED:
            raise NotAllowed(f"材料当前状态为“{pkg.state_label}”，须由填表人提请提交后才能提交。")
        if base_number is not None and base_number != pkg.head_number:
            raise NotAllowed(f"您看到的是第{base_number}版，材料已更新为第{pkg.head_number}版，请查看后再提交。")
        blocking = _blocking_errors(pkg)
        if not blocking:
            _transition(pkg, State.SUBMITTED, actor)
            pkg.submitted_number = pkg.head_number
            pkg.save(update_fields=["submitted_number"])
            record(request, "submit", obj=pkg, user=actor, detail={"revision": pkg.head_number})
            return pkg
    _refuse(pkg, actor, request, "submit", _blocking_message(blocking), blocking)


def _bureau_action(package_id: int, actor, to: str, action: str, comment: str, request) -> Package:
    _require_role(actor, Role.REVIEWER)
    with write_lock(), transaction.atomic():
        pkg = _lock(package_id)
        if pkg.unit.bureau_id != actor.bureau_id:
            raise NotAllowed("只能审核本财政局所辖单位的材料。")
        if pkg.state != State.SUBMITTED:
            raise NotAllowed(f"材料当前状态为“{pkg.state_label}”，只有已提交的材料可以退回或审核通过。")
        _transition(pkg, to, actor, comment)
        record(request, action, obj=pkg, user=actor, detail={"revision": pkg.head_number, "comment": comment[:500]})
    return pkg


# Return and accept are steps of the bureau's review: call jixiao.web.bureau.actions.do_review,
# which records the decision (a Review row) in the same transaction; these two only move the state.
def do_return(*, package_id: int, actor, comment: str, request=None) -> Package:
    if not comment.strip():
        raise ActionError("退回时须写明退回原因。")
    return _bureau_action(package_id, actor, State.RETURNED, "return", comment, request)


def do_accept(*, package_id: int, actor, comment: str = "", request=None) -> Package:
    return _bureau_action(package_id, actor, State.ACCEPTED, "accept", comment, request)


def do_record_download(*, package, actor, fmt: str, number: int, request=None) -> None:
    with write_lock(), transaction.atomic():
        record(request, "download", obj=package, user=actor, detail={"format": fmt, "revision": number})
