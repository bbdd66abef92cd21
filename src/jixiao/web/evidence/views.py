"""Evidence pages' actions: upload and remove (the unit's clerk), download (the unit and the
bureau), the campaign's evidence policy (the bureau), and the public download of published files.
The lists themselves are panels on the package, review, campaign and public pages (templatetags)."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from jixiao.forms import column_label

from ..accounts.models import Role
from ..audit.log import record
from ..bureau.access import get_campaign
from ..packages.actions import ActionError
from ..packages.checking import evaluate_revision
from ..uploads import UploadRefused
from . import actions
from .access import get_evidence, get_package
from .files import check_evidence, read_capped
from .models import EvidenceChunk, PublishedEvidence


def _back(request, pkg_id: int):
    """Back to where the form was: the package overview (the unit) or the review page (the bureau)."""
    if request.user.role == Role.REVIEWER:
        return redirect("bureau:review", pkg_id)
    return redirect(f"{_overview(pkg_id)}#evidence")


def _overview(pkg_id: int) -> str:
    from django.urls import reverse

    return reverse("packages:overview", args=[pkg_id])


@require_POST
def upload(request, package_id: int):
    pkg = get_package(request, package_id)
    if not actions.can_upload(request.user, pkg):
        from ..packages.access import deny

        deny(request, f"只有本单位{Role.CLERK.label}在提交前可以上传佐证材料", obj=pkg)
    ev = evaluate_revision(pkg.head, pkg.rule_pack)
    choices = {c.value: c for c in actions.indicators_of(ev.package, pkg.form)}
    choice = choices.get(request.POST.get("indicator", ""))
    upload_file = request.FILES.get("file")
    try:
        if choice is None:
            raise ActionError(f"请选择佐证材料对应的{column_label('indicator', 'name', pkg.form)}。")
        if upload_file is None:
            raise ActionError("请选择要上传的文件。")
        data = read_capped(upload_file.chunks(), upload_file.size, settings.JIXIAO_EVIDENCE_MAX_BYTES,
                           upload_file.name)
        checked = check_evidence(upload_file.name, data, max_pixels=settings.JIXIAO_EVIDENCE_MAX_PIXELS)
        saved = actions.do_upload_evidence(package_id=pkg.pk, actor=request.user, choice=choice, checked=checked,
                                           request=request)
    except (UploadRefused, ActionError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已上传佐证材料“{saved.name}”（{saved.indicator_label}）。")
    return _back(request, pkg.pk)


@require_POST
def remove(request, evidence_id: int):
    ev = get_evidence(request, evidence_id)
    if not actions.can_remove(request.user, ev, actions.last_submitted_at(ev.package)):
        from ..packages.access import deny

        deny(request, "已提交的佐证材料不能删除", obj=ev.package)
    try:
        actions.do_remove_evidence(evidence_id=ev.pk, actor=request.user, request=request)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已删除佐证材料“{ev.name}”。")
    return _back(request, ev.package_id)


def _file_response(ev) -> StreamingHttpResponse:
    def chunks():
        for seq in EvidenceChunk.objects.filter(evidence=ev).order_by("seq").values_list("seq", flat=True):
            yield bytes(EvidenceChunk.objects.values_list("data", flat=True).get(evidence=ev, seq=seq))

    resp = StreamingHttpResponse(chunks(), content_type=ev.content_type)
    resp["Content-Length"] = str(ev.size)
    # Always an attachment: the browser never renders an uploaded file inside our origin.
    resp["Content-Disposition"] = f"attachment; filename=\"evidence.{ev.kind}\"; filename*=UTF-8''{quote(ev.name)}"
    return resp


def download(request, evidence_id: int):
    ev = get_evidence(request, evidence_id)
    with transaction.atomic():
        record(request, "evidence_downloaded", obj=ev.package,
               detail={"file": ev.name, "indicator": f"{ev.table_label} · {ev.indicator_label}"})
    return _file_response(ev)


@require_POST
def policy(request, campaign_id: int):
    campaign = get_campaign(request, campaign_id)
    try:
        p = actions.do_set_policy(campaign=campaign, actor=request.user, required=request.POST.get("required", "")[:8000],
                                  publish_evidence=request.POST.get("publish_evidence") == "on", request=request)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        names = p.required_names()
        messages.success(request, f"已保存佐证材料要求：{'、'.join(names) if names else '不要求'}；"
                                  f"公开时{'附' if p.publish_evidence else '不附'}佐证材料。")
    return redirect("bureau:progress", campaign.pk)


def public_file(request, pub_id: int, evidence_id: int):
    """A file a publication included; no login, like the rest of the published copy."""
    pe = get_object_or_404(PublishedEvidence.objects.select_related("evidence"), publication_id=pub_id,
                           evidence_id=evidence_id)
    if pe.evidence is None:
        raise Http404("没有该文件")
    return _file_response(pe.evidence)
