"""Publication: accepted packages as frozen, dated public pages with PDF, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest
from bureauworld import submitted_package
from django.test import Client
from django.urls import reverse
from webworld import client_for

from jixiao.web.bureau.models import Publication
from jixiao.web.bureau.publication import do_publish
from jixiao.web.packages.actions import ActionError
from jixiao.web.packages.models import Package, State


@pytest.fixture
def no_pdf(settings):
    settings.JIXIAO_PUBLISH_PDF = False


def test_it_publishes_a_frozen_page_that_anyone_can_open(world, campaign_units):
    pkg = submitted_package(world, campaign_units[0], 41, state=State.ACCEPTED)
    resp = client_for(world.reviewer).post(reverse("bureau:publish", args=[pkg.pk]), follow=True)
    assert "已公开（第1次公开）" in resp.content.decode()
    pub = Publication.objects.get(package=pkg)
    assert bytes(pub.pdf).startswith(b"%PDF") and pub.revision_number == pkg.head_number
    anon = Client()
    page = anon.get(reverse("public:unit", args=[world.campaign.pk, pkg.unit_id]))
    html = page.content.decode()
    assert page.status_code == 200 and pkg.unit.name in html and "基础数据表" in html and 'class="form"' in html
    assert anon.get(reverse("public:download", args=[pub.pk, "pdf"])).content.startswith(b"%PDF")
    data = json.loads(anon.get(reverse("public:download", args=[pub.pk, "json"])).content)
    assert data == pkg.head.document
    text = anon.get(reverse("public:download", args=[pub.pk, "csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["部分", "单元格", "路径", "内容"]
    sangong = next(r for r in rows if r[2] == "basic.sangong.final")
    assert sangong[1].startswith("基础数据表 · 三公经费") and sangong[3] == pkg.head.document["basic"]["sangong"]["final"]
    index = anon.get(reverse("public:campaign", args=[world.campaign.pk])).content.decode()
    assert pkg.unit.name in index


def test_it_keeps_old_publications_when_a_changed_package_is_published_again(world, campaign_units, no_pdf):
    from jixiao.web.bureau.actions import do_write_draft
    from jixiao.web.packages.checking import evaluate

    pkg = submitted_package(world, campaign_units[0], 42, state=State.ACCEPTED)
    first = do_publish(package_id=pkg.pk, actor=world.reviewer)
    with pytest.raises(ActionError, match="内容没有变化"):
        do_publish(package_id=pkg.pk, actor=world.reviewer)
    # Later change: returned, edited, accepted again (shortcut through the bureau's draft writer).
    Package.objects.filter(pk=pkg.pk).update(state=State.RETURNED)
    doc = json.loads(json.dumps(pkg.head.document))
    doc["basic"]["frugality_measures"] = "新增：严格执行公务接待标准。"
    ev = evaluate(doc, "hunan-2023")
    do_write_draft(campaign=world.campaign, unit=pkg.unit, actor=world.reviewer, document=doc, result=ev.result,
                   source="import", note="改")
    Package.objects.filter(pk=pkg.pk).update(state=State.ACCEPTED)
    second = do_publish(package_id=pkg.pk, actor=world.reviewer)
    assert (first.number, second.number) == (1, 2) and second.revision_number == first.revision_number + 1
    first.refresh_from_db()
    assert "新增：严格执行公务接待标准。" not in json.dumps(first.document, ensure_ascii=False)
    anon = Client()
    latest = anon.get(reverse("public:unit", args=[world.campaign.pk, pkg.unit_id])).content.decode()
    old = anon.get(reverse("public:publication", args=[first.pk])).content.decode()
    assert "新增：严格执行公务接待标准。" in latest and "第2次公开" in latest
    assert "新增：严格执行公务接待标准。" not in old and "此为旧版本" in old
    from jixiao.web.audit.models import AppendOnlyError

    with pytest.raises(AppendOnlyError):
        Publication.objects.filter(pk=first.pk).update(html="改")


def test_it_publishes_only_accepted_packages(world, no_pdf):
    Package.objects.filter(pk=world.package.pk).update(state=State.SUBMITTED)
    with pytest.raises(ActionError, match="只有审核通过的材料可以公开"):
        do_publish(package_id=world.package.pk, actor=world.reviewer)
    assert Client().get(reverse("public:unit", args=[world.campaign.pk, world.unit_a.pk])).status_code == 404


def test_it_publishes_every_accepted_package_in_a_job(world, campaign_units, no_pdf):
    from jixiao.web.bureau.models import ImportJob, LineStatus

    accepted = [submitted_package(world, u, 50 + i, state=State.ACCEPTED) for i, u in enumerate(campaign_units[:2])]
    submitted_package(world, campaign_units[2], 53)  # submitted only: not published
    do_publish(package_id=accepted[0].pk, actor=world.reviewer)
    resp = client_for(world.reviewer).post(reverse("bureau:publish_all", args=[world.campaign.pk]), follow=True)
    job = ImportJob.objects.get(kind="publish")
    lines = {ln.file_name: ln for ln in job.lines.all()}
    assert job.total == 2 and (job.imported, job.failed) == (1, 1)
    assert lines[campaign_units[1].name].status == LineStatus.PUBLISHED
    assert "内容没有变化" in lines[campaign_units[0].name].message
    assert "公开报告" in resp.content.decode()
    assert Publication.objects.filter(campaign=world.campaign).count() == 2


def test_the_public_campaign_page_lists_each_unit_once_when_several_are_published(world, campaign_units, no_pdf):
    accepted = [submitted_package(world, u, 60 + i, state=State.ACCEPTED) for i, u in enumerate(campaign_units[:2])]
    for pkg in accepted:
        do_publish(package_id=pkg.pk, actor=world.reviewer)
    anon = Client()
    resp = anon.get(reverse("public:campaign", args=[world.campaign.pk]))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert all(html.count(pkg.unit.name) >= 1 for pkg in accepted)
    assert anon.get(reverse("public:index")).status_code == 200
    unpublished = world.campaign.__class__.objects.exclude(pk=world.campaign.pk).first()
    if unpublished is not None:
        assert anon.get(reverse("public:campaign", args=[unpublished.pk])).status_code == 404
