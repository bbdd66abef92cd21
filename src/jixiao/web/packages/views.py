"""Package pages: the list, a package's overview, its findings with explanations, the
submission workflow, import and download."""

from __future__ import annotations

import importlib
import tempfile

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jixiao.forms import load_form

from ..accounts.models import ADMIN_ROLES, Role
from ..audit.log import record
from ..uploads import UploadRefused, read_uploaded_package
from .access import (
    _get_package_for_user,
    can_edit,
    can_prepare,
    can_review,
    can_submit,
    packages_for,
    require,
)
from .actions import (
    ActionError,
    InvalidDocument,
    StaleRevision,
    do_create_package,
    do_explain,
    do_prepare,
    do_record_download,
    do_save,
    do_submit,
    do_unprepare,
)
from .annotate import finding_views
from .checking import canonical, evaluate_revision, other_form_reason
from .cycle_context import cycle_context_for
from .formdata import FormDataError
from .models import Campaign, Stage
from .sheet_views import new_save_key, posted_save_key, repeated_message, sheet_tabs

ADMIN_HOME = {Role.SYSADMIN: "accounts:users", Role.SECADMIN: "accounts:security", Role.AUDITOR: "audit:log"}


def home(request):
    user = request.user
    if user.role in ADMIN_ROLES:
        return redirect(ADMIN_HOME[user.role])
    pkgs = list(packages_for(user).order_by("-campaign__year", "unit__name", "stage"))
    to_start, cycles = [], []
    if user.unit_id:
        have = {(p.campaign_id, p.stage): p for p in pkgs}
        for c in Campaign.objects.filter(units=user.unit_id).order_by("-year"):
            steps = [_step(c, stage, have.get((c.pk, stage))) for stage in c.stages]
            if len(steps) > 1:  # a campaign of the whole cycle: its steps and where each stands
                cycles.append({"campaign": c, "steps": steps})
            if user.role == Role.CLERK and c.is_open:
                to_start += [(c, s["stage"], s["label"]) for s in steps if s["pkg"] is None]
    return render(request, "packages/home.html", {"packages": pkgs, "to_start": to_start, "cycles": cycles,
                                                  "today": timezone.localdate()})


def _step(campaign: Campaign, stage: str, pkg) -> dict:
    from .cycle_actions import latest_approval

    approval = latest_approval(pkg) if pkg is not None and stage == Stage.TARGETS else None
    return {"stage": stage, "label": Stage(stage).label, "pkg": pkg,
            # the approval's own version, not the package's revision number shown beside it
            "state": (f"已批复（批复第{approval.version}版，已冻结）" if approval and pkg.state == "accepted"
                      else pkg.state_label if pkg else "未开始")}


@require_POST
def start(request, campaign_id: int):
    require(request, request.user.role == Role.CLERK, "只有填表人可以开始填报")
    campaign = Campaign.objects.filter(pk=campaign_id, units=request.user.unit_id).first()
    if campaign is None:
        from .access import deny

        deny(request, f"无权访问填报任务#{campaign_id}", status=404)
    stage = request.POST.get("stage") or Stage.EVALUATION
    if stage not in campaign.stages:
        messages.error(request, "本填报任务不收集该环节的材料。")
        return redirect("packages:home")
    try:
        pkg = do_create_package(campaign=campaign, unit=request.user.unit, actor=request.user, request=request,
                                stage=stage)
    except ActionError as exc:
        messages.error(request, str(exc))
        return redirect("packages:home")
    return redirect("packages:overview", pkg.pk)


def _formats() -> list[str]:
    """JSON always; Word, Excel and PDF when the renderer is installed."""
    try:
        render_mod = importlib.import_module("jixiao.render")
    except ImportError:
        return ["json"]
    return ["json", *[f for f in ("docx", "xlsx", "pdf") if f in getattr(render_mod, "FORMATS", ())]]


def _import_suffixes() -> list[str]:
    from jixiao.io import READERS

    return sorted(s for s in READERS if s.startswith("."))


def overview(request, package_id: int):
    pkg = _get_package_for_user(request, package_id)
    head = pkg.head
    ev = evaluate_revision(head, pkg.rule_pack, cycle=cycle_context_for(pkg))
    user = request.user
    parts = load_form(pkg.form)["parts"]
    return render(request, "packages/overview.html", {
        "project_part": parts["project"]["name"] if "project" in parts else "",
        "has_basic": "basic" in parts, "has_overall": "overall" in parts,
        "pkg": pkg, "head": head, "evaluation": ev, "views": finding_views(ev, head.explanations),
        "scores": ev.result.scores if ev.result else [],
        "tabs": sheet_tabs(pkg, head.document), "tab": "overview",
        "can_edit": can_edit(user, pkg), "can_prepare": can_prepare(user, pkg), "can_submit": can_submit(user, pkg),
        "can_review": can_review(user, pkg), "formats": _formats(), "import_suffixes": _import_suffixes(),
        "transitions": pkg.transitions.select_related("actor")[:20],
        "max_upload_mb": settings.JIXIAO_MAX_UPLOAD_BYTES // 1024 // 1024, "save_key": new_save_key(),
    })


def findings(request, package_id: int):
    """审核结果: every finding with a link to its cell; the clerk explains error-level ones here."""
    pkg = _get_package_for_user(request, package_id)
    head = pkg.head
    editable = can_edit(request.user, pkg)
    if request.method == "POST":
        require(request, editable, "无权修改此材料", obj=pkg)
        explanations = {
            k[len("explain."):]: v.strip()[:2000] for k, v in request.POST.items() if k.startswith("explain.")
        }
        merged = {**head.explanations, **explanations}
        try:
            base = int(request.POST.get("base_revision", ""))
            rev = do_explain(package_id=pkg.pk, actor=request.user, base_number=base, explanations=merged,
                             request=request)
        except (ValueError, ActionError) as exc:
            messages.error(request, str(exc) if isinstance(exc, ActionError) else "表单内容无效")
            return redirect("packages:findings", pkg.pk)
        messages.success(request, f"说明已保存为第{rev.number}版；尚有{rev.unexplained_errors}条错误未说明。")
        return redirect("packages:findings", pkg.pk)
    ev = evaluate_revision(head, pkg.rule_pack, cycle=cycle_context_for(pkg))
    views = finding_views(ev, head.explanations)
    groups: dict[str, list] = {}
    for v in views:
        groups.setdefault(v.finding.location.table or v.finding.location.part, []).append(v)
    return render(request, "packages/findings.html", {
        "pkg": pkg, "head": head, "groups": groups, "views": views, "editable": editable, "evaluation": ev,
        "tabs": sheet_tabs(pkg, head.document), "tab": "findings",
    })


def _transition(request, package_id: int, fn, allowed, done: str, **kwargs):
    pkg = _get_package_for_user(request, package_id)
    require(request, allowed(request.user, pkg), "您的角色或材料状态不允许此操作", obj=pkg)
    try:
        fn(package_id=pkg.pk, actor=request.user, request=request, **kwargs)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("packages:overview", pkg.pk)


def _base(request) -> int | None:
    try:
        return int(request.POST.get("base_revision", ""))
    except ValueError:
        return None


@require_POST
def prepare(request, package_id: int):
    return _transition(request, package_id, do_prepare, can_prepare, "已提请单位负责人提交。")


@require_POST
def unprepare(request, package_id: int):
    return _transition(request, package_id, do_unprepare, can_submit, "已退回填表人修改。",
                       comment=request.POST.get("comment", ""))


@require_POST
def submit(request, package_id: int):
    return _transition(request, package_id, do_submit, can_submit, "材料已提交财政局。", base_number=_base(request))


def _review(decision: str):
    """Return or accept through the bureau's one review path, which records its decision (a Review
    row that the queue, its counts and the exports read), whichever page the reviewer used."""

    def act(*, package_id: int, actor, request=None, comment: str = ""):
        from ..bureau.actions import do_review

        return do_review(package_id=package_id, actor=actor, decision=decision, comment=comment, request=request)

    return act


@require_POST
def return_(request, package_id: int):
    from ..bureau.models import Decision

    return _transition(request, package_id, _review(Decision.RETURN), can_review, "已退回单位修改。",
                       comment=request.POST.get("comment", ""))


@require_POST
def accept(request, package_id: int):
    from ..bureau.models import Decision

    return _transition(request, package_id, _review(Decision.ACCEPT), can_review, "已审核通过。",
                       comment=request.POST.get("comment", ""))


@require_POST
def import_file(request, package_id: int):
    """Upload a filled package (Word/Excel/JSON) through jixiao.io's readers; saved as a new revision."""
    pkg = _get_package_for_user(request, package_id)
    require(request, can_edit(request.user, pkg), "无权修改此材料", obj=pkg)
    try:
        save_key = posted_save_key(request)
    except FormDataError:
        return HttpResponseBadRequest("表单内容无效，请刷新页面后重试。")
    if save_key:
        done = pkg.revisions.filter(save_key=save_key, author=request.user).first()
        if done is not None:  # a retried upload that was stored: not read or saved again
            messages.success(request, repeated_message(done))
            return redirect("packages:findings", pkg.pk)
    upload = request.FILES.get("file")
    fail = None
    if upload is None:
        fail = "请选择要导入的文件。"
    else:
        try:  # the one upload path of the web and the API (limits, kind, the hostile-file guard)
            read = read_uploaded_package(upload.name, upload.size, upload.chunks(), settings.JIXIAO_MAX_UPLOAD_BYTES,
                                         year=pkg.campaign.year)  # a file without a year: the campaign's
            package, issues = read.package, list(zip(read.issues, read.described, strict=True))
        except UploadRefused as exc:
            fail = str(exc)
    if fail is None and package.fiscal_year != pkg.campaign.year:
        fail = f"导入的材料是{package.fiscal_year}年度的，本填报任务是{pkg.campaign.year}年度。"
    if fail is None:
        fail = other_form_reason(package, pkg.form, upload.name)
    if fail is not None:
        with transaction.atomic():
            record(request, "import_failed", obj=pkg, detail={"file": upload.name if upload else "", "reason": fail})
        messages.error(request, fail)
        return redirect("packages:overview", pkg.pk)
    from .checking import keep_absent_parts

    document, kept = keep_absent_parts(canonical(package), pkg.head.document if pkg.head else None, pkg.form)
    try:
        rev = do_save(package_id=pkg.pk, actor=request.user, document=document, base_number=_base(request),
                      source="import", note=f"导入 {upload.name}"[:300], request=request, audit_action="import",
                      save_key=save_key,
                      detail={"file": upload.name, "size": upload.size, "import_issues": len(issues),
                              "issues": [text for _, text in issues[:20]]})
    except StaleRevision as exc:
        messages.error(request, str(exc))
        return redirect("packages:overview", pkg.pk)
    except (InvalidDocument, ActionError) as exc:
        messages.error(request, str(exc))
        return redirect("packages:overview", pkg.pk)
    if rev.repeated:
        messages.success(request, repeated_message(rev))
        return redirect("packages:findings", pkg.pk)
    from jixiao.io import LEGACY_WHERE as HOW_READ  # an old format (.doc/.xls/.wps/.et): how it was read

    for note, _ in (i for i in issues if i[0].where == HOW_READ):
        messages.info(request, f"“{upload.name}”{note.message}。")
    issues = [i for i in issues if i[0].where != HOW_READ]
    if kept:
        messages.info(request, f"“{upload.name}”中没有{'、'.join(kept)}，已保留当前版本中的这些部分。")
    notes = [i for i in issues if i[0].placed]
    unplaced = [i for i in issues if not i[0].placed]
    for group, text in ((unplaced, "处内容未能放入表格"), (notes, "处内容按推断读入")):
        if group:
            shown = "；".join(described for _, described in group[:5])
            more = f"等{len(group)}处" if len(group) > 5 else ""
            messages.warning(request, f"导入时有{len(group)}{text}，请核对：{shown}{more}。")
    if package.unit_name != pkg.unit.name:
        messages.warning(request, f"导入材料中的单位名称为“{package.unit_name}”，与本单位“{pkg.unit.name}”不一致，请核对。")
    messages.success(request, f"已导入“{upload.name}”，保存为第{rev.number}版：错误{rev.errors}条、警告{rev.warnings}条、提示{rev.infos}条。")
    return redirect("packages:findings", pkg.pk)


def download(request, package_id: int, fmt: str):
    pkg = _get_package_for_user(request, package_id)
    if fmt not in _formats():
        raise Http404("不支持的下载格式")
    rev = pkg.head
    if request.GET.get("rev"):
        try:
            rev = pkg.revisions.get(number=int(request.GET["rev"]))
        except (ValueError, pkg.revisions.model.DoesNotExist) as exc:
            raise Http404("没有这个版本") from exc
    ev = evaluate_revision(rev, pkg.rule_pack, cycle=cycle_context_for(pkg))
    if ev.package is None:
        raise Http404("该版本内容无法识别")
    do_record_download(package=pkg, actor=request.user, fmt=fmt, number=rev.number, request=request)
    stem = f"{pkg.campaign.year}-{pkg.unit.name}-v{rev.number}"
    if fmt == "json":
        from jixiao.io import dump_json

        resp = HttpResponse(dump_json(ev.package), content_type="application/json; charset=utf-8")
        resp["Content-Disposition"] = _disposition(f"{stem}.json")
        return resp
    from jixiao.render import render_package

    with tempfile.TemporaryDirectory(prefix="jixiao-render-") as tmp:
        result = render_package(ev.package, tmp, formats=(fmt,), pack=pkg.rule_pack)
        files = [f for f in result.files if f.suffix == f".{fmt}"]
        # Word comes as one file per part plus the whole set; the whole set is what people print.
        chosen = next((f for f in files if "全套" in f.name), files[-1])
        data = chosen.read_bytes()  # documents are small; reading now lets the directory go at once
    resp = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    resp["Content-Disposition"] = _disposition(f"{stem}.{fmt}")
    return resp


CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _disposition(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"package.{name.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(name)}"
