"""Public pages (公开), no login: what was published, exactly as it was frozen.

Only Publication rows are read here, never the live packages: a package changed after
publication shows its published content until it is published again (a new, dated copy)."""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from ..packages.models import Campaign
from .models import Publication

FILES = {"pdf": "application/pdf", "json": "application/json; charset=utf-8", "csv": "text/csv; charset=utf-8"}


def index(request):
    campaigns = (Campaign.objects.filter(publications__isnull=False).select_related("bureau").distinct()
                 .order_by("-year", "bureau__name"))
    return render(request, "bureau/public_index.html", {"campaigns": campaigns})


def campaign(request, campaign_id: int):
    c = get_object_or_404(Campaign.objects.select_related("bureau"), pk=campaign_id)
    if not Publication.objects.filter(campaign=c).exists():
        raise Http404("该评价任务尚未公开任何材料")
    pubs = Publication.objects.filter(campaign=c).defer("document", "html", "csv", "pdf")
    newest: dict[int, Publication] = {}
    counts: dict[int, int] = {}
    for p in pubs.order_by("unit_name", "-number"):
        newest.setdefault(p.package_id, p)
        counts[p.package_id] = counts.get(p.package_id, 0) + 1
    rows = [(p, counts[p.package_id]) for p in newest.values()]
    return render(request, "bureau/public_campaign.html", {"campaign": c, "rows": rows})


def unit(request, campaign_id: int, unit_id: int):
    pubs = list(Publication.objects.filter(campaign_id=campaign_id, unit_id=unit_id).defer("pdf")
                .select_related("campaign__bureau").order_by("-number"))
    if not pubs:
        raise Http404("该单位尚未公开")
    return _page(request, pubs[0], pubs)


def publication(request, pub_id: int):
    pub = get_object_or_404(Publication.objects.defer("pdf").select_related("campaign__bureau"), pk=pub_id)
    others = list(Publication.objects.filter(package_id=pub.package_id).defer("document", "html", "csv", "pdf")
                  .order_by("-number"))
    return _page(request, pub, others)


def _page(request, pub: Publication, history: list[Publication]):
    has_pdf = Publication.objects.filter(pk=pub.pk, pdf__isnull=False).exists()
    return render(request, "bureau/public_unit.html", {
        "pub": pub, "history": history, "latest": history[0], "has_pdf": has_pdf, "campaign": pub.campaign,
    })


def download(request, pub_id: int, fmt: str):
    if fmt not in FILES:
        raise Http404("没有这种格式")
    pub = get_object_or_404(Publication, pk=pub_id)
    stem = f"{pub.fiscal_year}年度-{pub.unit_name}-公开{pub.number}-{pub.published_at:%Y%m%d}"
    if fmt == "pdf":
        if pub.pdf is None:
            raise Http404("本次公开没有PDF")
        body = bytes(pub.pdf)
    elif fmt == "json":
        import json

        body = json.dumps(pub.document, ensure_ascii=False, indent=1).encode("utf-8")
    else:
        body = ("\ufeff" + pub.csv).encode("utf-8")  # the BOM lets Excel open Chinese CSV correctly
    resp = HttpResponse(body, content_type=FILES[fmt])
    disposition = "inline" if fmt == "pdf" else "attachment"
    resp["Content-Disposition"] = f"{disposition}; filename=\"publication.{fmt}\"; filename*=UTF-8''{quote(stem)}.{fmt}"
    return resp
