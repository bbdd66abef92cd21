"""Campaign pages: the list, opening one, its units, its progress and its workbooks."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jixiao.io import InputError
from jixiao.rules import DEFAULT_PACK, PackError

from ..accounts.models import Unit
from ..audit.log import record
from ..packages.actions import ActionError
from ..packages.models import Campaign
from . import progress
from .access import get_campaign, require_reviewer
from .actions import cycle_forms, do_add_units, do_create_campaign, do_update_campaign
from .jobs import start_prefill
from .models import ImportJob
from .unitlist import units_from_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE = 100


def _date(text: str | None) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ActionError(f"日期“{text}”无效，应为“2024-05-31”这样的格式。") from exc


def campaigns(request):
    require_reviewer(request)
    rows = []
    for c in Campaign.objects.filter(bureau_id=request.user.bureau_id).order_by("-year"):
        rows.append((c, progress.counts(c)))
    return render(request, "bureau/campaigns.html", {"rows": rows, "statuses": progress.STATUSES})


def campaign_new(request):
    require_reviewer(request)
    units = Unit.objects.filter(bureau_id=request.user.bureau_id).order_by("name")
    year = timezone.localdate().year - 1
    form = {"year": str(year), "title": f"{year}年度预算单位整体支出绩效自评", "rule_pack": DEFAULT_PACK, "deadline": "",
            "targets_form": "", "monitoring_form": ""}
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in form}
        try:
            if not form["year"].isdigit() or not 2000 <= int(form["year"]) <= 2100:
                raise ActionError(f"年度“{form['year']}”无效。")
            if not form["title"]:
                raise ActionError("请填写任务名称。")
            ids = [int(x) for x in request.POST.getlist("unit") if x.isdigit()]
            campaign = do_create_campaign(
                actor=request.user, year=int(form["year"]), title=form["title"], rule_pack=form["rule_pack"],
                deadline=_date(form["deadline"]), unit_ids=ids, request=request,
                targets_form=form["targets_form"] or None, monitoring_form=form["monitoring_form"] or None,
            )
        except (ActionError, PackError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已创建{campaign.title}，纳入{campaign.units.count()}个单位。")
            if request.POST.get("prefill") == "on":
                job = start_prefill(campaign=campaign, actor=request.user, request=request)
                return redirect("bureau:job", job.pk)
            return redirect("bureau:progress", campaign.pk)
    return render(request, "bureau/campaign_new.html", {
        "form": form, "units": units, "packs": _packs(form["rule_pack"]),
        "targets_forms": cycle_forms("targets"), "monitoring_forms": cycle_forms("monitoring")})


def _packs(current: str) -> list[tuple[str, str]]:
    """(id, what the bureau reads) of the rule packs that ship with the program (and the one
    posted): the pack's Chinese name and the form its packages are on."""
    from importlib import resources

    from jixiao.errors import FormError
    from jixiao.forms import form_of
    from jixiao.rules import PackError, load_pack

    ids = sorted(f.name[:-5] for f in resources.files("jixiao.rules").joinpath("packs").iterdir()
                 if f.name.endswith(".yaml"))
    if current and current not in ids:
        ids.append(current)
    out = []
    for pack_id in ids:
        try:
            pack = load_pack(pack_id)
        except PackError:
            out.append((pack_id, pack_id))
            continue
        try:
            form = form_of(pack)
        except FormError:
            out.append((pack_id, pack.name))
            continue
        out.append((pack_id, f"{pack.name}（表式：{form.get('name') or _form_parts(form)}）"))
    return out


def _form_parts(form: dict) -> str:
    return "、".join(part["name"] for part in form["parts"].values())


def progress_page(request, campaign_id: int):
    campaign = get_campaign(request, campaign_id)
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(progress.unit_table(campaign, status, query), PAGE).get_page(request.GET.get("page"))
    units = list(page.object_list)
    progress.attach_packages(campaign, units)
    jobs = ImportJob.objects.filter(campaign=campaign).select_related("created_by")[:5]
    return render(request, "bureau/progress.html", {
        "campaign": campaign, "counts": progress.counts(campaign), "page": page, "units": units,
        "status": status, "q": query, "statuses": progress.STATUSES, "jobs": jobs,
        "other_units": Unit.objects.filter(bureau_id=campaign.bureau_id).exclude(campaigns=campaign).order_by("name"),
        "today": timezone.localdate(),
        "targets_forms": cycle_forms("targets"), "monitoring_forms": cycle_forms("monitoring"),
    })


@require_POST
def campaign_edit(request, campaign_id: int):
    campaign = get_campaign(request, campaign_id)
    try:
        cycle = {k: request.POST.get(k, "").strip() for k in ("targets_form", "monitoring_form") if k in request.POST}
        do_update_campaign(campaign_id=campaign.pk, actor=request.user, deadline=_date(request.POST.get("deadline")),
                           is_open=request.POST.get("is_open") == "on", request=request, **cycle)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已保存任务设置。")
    return redirect("bureau:progress", campaign.pk)


@require_POST
def campaign_units(request, campaign_id: int):
    """Add units: ticked ones of the bureau's organisation list, and/or an Excel list."""
    campaign = get_campaign(request, campaign_id)
    ids = [int(x) for x in request.POST.getlist("unit") if x.isdigit()]
    names: list[tuple[str, str]] = []
    upload = request.FILES.get("file")
    try:
        if upload is not None:
            if upload.size > settings.JIXIAO_MAX_UPLOAD_BYTES:
                raise ActionError(f"文件过大（{upload.size / 1048576:.1f} MB）。")
            names = units_from_xlsx(upload.read(), upload.name)
        if not ids and not names:
            raise ActionError("请勾选单位，或上传单位名单（Excel）。")
        created, attached = do_add_units(campaign_id=campaign.pk, actor=request.user, names=names, unit_ids=ids,
                                         request=request)
    except (ActionError, InputError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已纳入{len(attached)}个单位，其中新建{len(created)}个单位。")
    return redirect("bureau:progress", campaign.pk)


@require_POST
def prefill(request, campaign_id: int):
    campaign = get_campaign(request, campaign_id)
    try:
        job = start_prefill(campaign=campaign, actor=request.user, request=request)
    except ActionError as exc:
        messages.error(request, str(exc))
        return redirect("bureau:progress", campaign.pk)
    return redirect("bureau:job", job.pk)


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=XLSX)
    resp["Content-Disposition"] = _attachment(filename)
    return resp


def _attachment(filename: str) -> str:
    return f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}"


def _export(request, campaign: Campaign, what: str, data: bytes, filename: str) -> HttpResponse:
    with transaction.atomic():
        record(request, "export", obj=campaign, detail={"what": what})
    return xlsx_response(data, filename)


def reminders(request, campaign_id: int):
    from .exports import reminder_workbook

    campaign = get_campaign(request, campaign_id)
    return _export(request, campaign, "reminders", reminder_workbook(campaign), f"{campaign.year}年度催报名单.xlsx")


def summary(request, campaign_id: int):
    """Streamed: at 20,000 units the workbook is written while it is sent, never held whole."""
    from .exports import summary_stream

    campaign = get_campaign(request, campaign_id)
    with transaction.atomic():
        record(request, "export", obj=campaign, detail={"what": "summary"})
    resp = StreamingHttpResponse(summary_stream(campaign), content_type=XLSX)
    resp["Content-Disposition"] = _attachment(f"{campaign.year}年度绩效自评汇总表.xlsx")
    return resp
