"""Campaigns and packages as the caller's role sees them on the web: the same helpers decide
(packages.access, the same 404 for what the user must not know of, the same 403 for what the
role may not do), and every change goes through the web's actions (packages.actions,
bureau.actions), which write their audit rows in the change's own transaction."""

from __future__ import annotations

from typing import Annotated

from django.conf import settings
from django.db.models import Q
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.params.functions import Path as PathEx
from pydantic import Field

from ..accounts.models import ADMIN_ROLES, Role
from ..packages.access import (
    _get_package_for_user,
    can_edit,
    can_prepare,
    can_review,
    can_submit,
    deny,
    packages_for,
    require,
)
from ..packages.actions import do_prepare, do_save, do_submit, do_unprepare
from ..packages.checking import canonical, evaluate_revision, finding_key, keep_absent_parts
from ..packages.cycle_context import cycle_context_for
from ..packages.models import Campaign, Stage, State
from ..uploads import read_uploaded_package
from .auth import require_write
from .common import figures, responses, revision_meta
from .errors import ApiError
from .schemas import (
    Action,
    AllowedOut,
    CampaignOut,
    Conflict,
    FindingsOut,
    HistoryOut,
    Me,
    PackageDetail,
    PackageOut,
    RevisionIn,
    RevisionOut,
    ScoresOfPackage,
    StateOut,
    TransitionIn,
)

router = Router(tags=["材料"])
SOURCE = "api"  # Revision.source of what the API writes (label registered by the app)


def _require_package_role(request) -> None:
    """The administrators see no packages (三员分立): a list is refused, as their web home is."""
    if request.user.role in ADMIN_ROLES:
        deny(request, "系统、安全、审计管理员无权查看材料")


@router.get("/me", response=responses({200: Me}), summary="当前令牌及其用户")
def me(request):
    user, token = request.user, request.auth
    return Me(username=user.username, name=user.display_name, role=user.role, role_label=user.role_label,
              unit=user.unit.name if user.unit_id else None, bureau=user.bureau.name if user.bureau_id else None,
              token_name=token.name, token_scope=token.scope)


@router.get("/campaigns", response=responses({200: list[CampaignOut]}), summary="可见的评价任务")
def campaigns(request):
    """单位用户：本单位参加的任务；财政局审核人：本局的任务。"""
    _require_package_role(request)
    user = request.user
    if user.role == Role.REVIEWER:
        qs = Campaign.objects.filter(bureau_id=user.bureau_id)
    else:
        qs = Campaign.objects.filter(Q(units=user.unit_id) | Q(packages__unit_id=user.unit_id)).distinct()
    return [_campaign(c) for c in qs.order_by("-year", "id")]


def _campaign(c: Campaign) -> CampaignOut:
    return CampaignOut(id=c.id, year=c.year, title=c.title, rule_pack=c.rule_pack, form=c.form,
                       targets_form=c.targets_form, monitoring_form=c.monitoring_form, deadline=c.deadline,
                       is_open=c.is_open)


class PackageFilter(Schema):
    campaign: int | None = Field(None, ge=1, le=2**31 - 1, description="只列出该任务的材料")
    state: State | None = Field(None, description="只列出该状态的材料")
    stage: Stage | None = Field(None, description="只列出全年绩效管理该环节的材料")


def _package(pkg) -> dict:
    head = pkg.head
    return {"id": pkg.id, "campaign_id": pkg.campaign_id, "year": pkg.campaign.year, "unit": pkg.unit.name,
            "stage": pkg.stage, "stage_label": Stage(pkg.stage).label, "form": pkg.form,
            "state": pkg.state, "state_label": pkg.state_label, "head_revision": pkg.head_number,
            "submitted_revision": pkg.submitted_number, "updated_at": pkg.updated_at,
            "figures": figures(head) if head else None}


@router.get("/packages", response=responses({200: list[PackageOut]}), summary="可见的材料")
def packages(request, f: Query[PackageFilter]):
    """与网页首页相同的范围：单位用户看本单位的材料，审核人看本局已提交过的材料。"""
    _require_package_role(request)
    qs = packages_for(request.user).defer("head__document", "head__explanations")
    if f.campaign:
        qs = qs.filter(campaign_id=f.campaign)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.stage:
        qs = qs.filter(stage=f.stage)
    return [_package(p) for p in qs.order_by("-campaign__year", "unit__name", "id")]


MAX_ID = 2**31 - 1  # ids are database integers; a larger number is refused as invalid, not looked up


PackageId = Annotated[int, PathEx(ge=1, le=MAX_ID)]


@router.get("/packages/{package_id}", response=responses({200: PackageDetail}), summary="材料的当前版本")
def package_detail(request, package_id: PackageId):
    pkg = _get_package_for_user(request, package_id)
    head = pkg.head
    return {**_package(pkg), "revision": revision_meta(head), "document": head.document,
            "explanations": head.explanations or {}}


@router.get("/packages/{package_id}/findings", response=responses({200: FindingsOut}), summary="当前版本的审核发现")
def package_findings(request, package_id: PackageId):
    pkg = _get_package_for_user(request, package_id)
    head = pkg.head
    ev = evaluate_revision(head, pkg.rule_pack, cycle=cycle_context_for(pkg))
    explained = head.explanations or {}
    out = []
    for f in ev.findings():
        key = finding_key(f)
        out.append({"key": key, "finding": f, "explanation": (explained.get(key) or "").strip() or None})
    summary = {s: sum(1 for f in ev.findings() if f.severity == s) for s in ("error", "warning", "info")}
    return {"revision": head.number, "summary": summary, "unexplained_errors": head.unexplained_errors,
            "findings": out}


@router.get("/packages/{package_id}/scores", response=responses({200: ScoresOfPackage}), summary="当前版本的得分")
def package_scores(request, package_id: PackageId):
    pkg = _get_package_for_user(request, package_id)
    ev = evaluate_revision(pkg.head, pkg.rule_pack, cycle=cycle_context_for(pkg))
    return {"revision": pkg.head.number, "scores": ev.result.to_dict()["scores"] if ev.result else []}


@router.get("/packages/{package_id}/history", response=responses({200: HistoryOut}), summary="版本与流转记录")
def package_history(request, package_id: PackageId):
    pkg = _get_package_for_user(request, package_id)
    revisions = pkg.revisions.select_related("author").defer("document", "explanations")
    transitions = pkg.transitions.select_related("actor")
    return {
        "revisions": [revision_meta(r) for r in revisions],
        "transitions": [{"from_state": t.from_state, "to_state": t.to_state, "to_label": t.to_label,
                         "actor": t.actor.display_name, "at": t.at, "revision": t.revision_number,
                         "comment": t.comment} for t in transitions],
    }


def _editable(request, package_id: int):
    require_write(request)
    pkg = _get_package_for_user(request, package_id)
    require(request, can_edit(request.user, pkg), "无权修改此材料", obj=pkg)
    return pkg


def _same_year(pkg, package) -> None:
    if package.fiscal_year != pkg.campaign.year:
        raise ApiError(422, "wrong_year",
                       f"上传的材料是{package.fiscal_year}年度的，本填报任务是{pkg.campaign.year}年度。")


def _saved(rev, issues: list[str] | None = None) -> dict:
    return {"number": rev.number, "repeated": bool(getattr(rev, "repeated", False)), "figures": figures(rev),
            "import_issues": issues or []}


SAVE_RESPONSES = responses({200: RevisionOut, 201: RevisionOut}, _409=Conflict)


@router.post("/packages/{package_id}/revisions", response=SAVE_RESPONSES, summary="上传新版本（JSON）")
def upload_revision(request, package_id: PackageId, body: RevisionIn):
    """把整份材料存为新版本。`base_revision` 须等于当前版本号，否则返回 409 与 `current_revision`
    （他人已保存了更新的版本：请合并后重传）。带 `save_key` 的重试不会重复保存（返回 200 与 repeated=true）。"""
    pkg = _editable(request, package_id)
    _same_year(pkg, body.document)
    rev = do_save(package_id=pkg.pk, actor=request.user, document=canonical(body.document),
                  base_number=body.base_revision, source=SOURCE, note=body.note or "接口上传", request=request,
                  save_key=body.save_key, detail={"via": "api", "token": request.auth.pk})
    return Status(200 if rev.repeated else 201, _saved(rev))


class FileRevisionForm(Schema):
    base_revision: int = Field(ge=0, le=1_000_000)
    save_key: str | None = Field(None, pattern=r"^[0-9A-Za-z_-]{8,64}$")


@router.post("/packages/{package_id}/revisions/file", response=SAVE_RESPONSES, summary="上传新版本（文件）")
def upload_revision_file(request, package_id: PackageId, form: Form[FileRevisionForm], file: File[UploadedFile]):
    """与网页“导入文件”相同：读取 Word/Excel/WPS/zip/JSON 文件，文件中没有的部分保留当前版本的内容。"""
    pkg = _editable(request, package_id)
    if form.save_key:
        done = pkg.revisions.filter(save_key=form.save_key, author=request.user).first()
        if done is not None:  # a retried upload that was stored: not read or saved again
            done.repeated = True
            return Status(200, _saved(done))
    up = read_uploaded_package(file.name or "upload", file.size or 0, file.chunks(), settings.JIXIAO_MAX_UPLOAD_BYTES,
                               year=pkg.campaign.year)
    _same_year(pkg, up.package)
    document, _kept = keep_absent_parts(canonical(up.package), pkg.head.document if pkg.head else None,
                                        pkg.form)
    name = file.name or "upload"
    rev = do_save(package_id=pkg.pk, actor=request.user, document=document, base_number=form.base_revision,
                  source="import", note=f"导入 {name}"[:300], request=request, audit_action="import",
                  save_key=form.save_key,
                  detail={"file": name, "size": file.size, "import_issues": len(up.issues), "via": "api",
                          "token": request.auth.pk, "issues": up.described[:20]})
    return Status(200 if rev.repeated else 201, _saved(rev, up.described))


def _allowed(user, pkg) -> list[str]:
    actions = []
    if can_prepare(user, pkg):
        actions.append("prepare")
    if can_submit(user, pkg):
        actions += ["submit", "unprepare"]
    if can_review(user, pkg):
        actions += ["return", "accept"]
    return actions


@router.get("/packages/{package_id}/transitions", response=responses({200: AllowedOut}),
            summary="当前可执行的流转")
def allowed_transitions(request, package_id: PackageId):
    pkg = _get_package_for_user(request, package_id)
    return {"state": pkg.state, "state_label": pkg.state_label, "actions": _allowed(request.user, pkg)}


def _review(decision: str):
    def act(*, package_id: int, actor, request=None, comment: str = ""):
        from ..bureau.actions import do_review

        return do_review(package_id=package_id, actor=actor, decision=decision, comment=comment, request=request)

    return act


def _steps():
    from ..bureau.models import Decision

    return {  # action -> (may the user, the web's action, its keyword arguments from the body)
        "prepare": (can_prepare, do_prepare, lambda b: {}),
        "unprepare": (can_submit, do_unprepare, lambda b: {"comment": b.comment}),
        "submit": (can_submit, do_submit, lambda b: {"base_number": b.base_revision}),
        "return": (can_review, _review(Decision.RETURN), lambda b: {"comment": b.comment}),
        "accept": (can_review, _review(Decision.ACCEPT), lambda b: {"comment": b.comment}),
    }


@router.post("/packages/{package_id}/transitions/{action}", response=responses({200: StateOut}, _409=Conflict),
             summary="执行流转")
def transition(request, package_id: PackageId, action: Action, body: TransitionIn):
    """prepare（填表人提请提交）、unprepare（负责人退回填表人）、submit（负责人提交）、
    return / accept（财政局审核人退回或通过；退回须写 comment）。角色不符为 403，状态不符为 409。"""
    require_write(request)
    pkg = _get_package_for_user(request, package_id)
    allowed, fn, kwargs = _steps()[action]
    require(request, allowed(request.user, pkg), "您的角色或材料状态不允许此操作", obj=pkg)
    fn(package_id=pkg.pk, actor=request.user, request=request, **kwargs(body))
    pkg.refresh_from_db()
    return {"id": pkg.id, "state": pkg.state, "state_label": pkg.state_label, "head_revision": pkg.head_number}
