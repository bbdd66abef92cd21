"""Progress: who has not started, drafted, submitted, been returned or accepted; overdue units;
the reminder list and the campaign summary workbook."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from bureauworld import submitted_package
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from webworld import client_for

from jixiao.web.accounts.models import Unit
from jixiao.web.bureau import progress
from jixiao.web.bureau.exports import REMINDER_HEADER, SUMMARY_HEADER
from jixiao.web.packages.models import Campaign, Package, State


def _sheet(resp):
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(resp.content)).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_it_counts_units_by_status_and_flags_overdue_ones(world, campaign_units):
    garden, archive, sanitation = campaign_units
    submitted_package(world, garden, 1)  # 已提交
    Package.objects.create(campaign=world.campaign, unit=archive)  # an empty package still counts as started
    Campaign.objects.filter(pk=world.campaign.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    world.campaign.refresh_from_db()
    n = progress.counts(world.campaign)
    # unit_a: the seed draft; unit_b and sanitation: nothing yet.
    assert n.total == 5 and n.by_status == {"not_started": 2, "draft": 2, "submitted": 1}
    assert n.overdue == 4 and n.submitted_share == 20
    resp = client_for(world.reviewer).get(reverse("bureau:progress", args=[world.campaign.pk]) + "?status=not_started")
    names = [u.name for u in resp.context["units"]]
    assert names == sorted([world.unit_b.name, sanitation.name]) and all(u.overdue for u in resp.context["units"])
    assert "逾期未交 <b>4</b>" in resp.content.decode()


def test_it_counts_the_bureaus_carry_over_as_not_started(world, campaign_units):
    from jixiao.web.bureau.actions import do_write_draft
    from jixiao.web.packages.checking import evaluate, new_document

    unit = campaign_units[0]
    ev = evaluate(new_document(unit.name, 2023, "hunan-2023", "hunan-2023"), "hunan-2023")
    do_write_draft(campaign=world.campaign, unit=unit, actor=world.reviewer, document=ev.document, result=ev.result,
                   source="carryover", note="预填")
    assert progress.counts(world.campaign).by_status["not_started"] == 4
    statuses = {u.name: u.status for u in progress.unit_table(world.campaign)}
    assert statuses[unit.name] == "not_started"


def test_it_exports_reminders_for_units_that_owe_a_package(world, campaign_units):
    submitted_package(world, campaign_units[0], 1)
    Campaign.objects.filter(pk=world.campaign.pk).update(deadline=timezone.localdate() - timedelta(days=2))
    rows = _sheet(client_for(world.reviewer).get(reverse("bureau:reminders", args=[world.campaign.pk])))
    assert tuple(rows[0]) == REMINDER_HEADER
    by_name = {r[1]: r for r in rows[1:]}
    assert campaign_units[0].name not in by_name and len(by_name) == 4
    a = by_name[world.unit_a.name]
    assert a[3] == "填报中" and a[5] == "clerk-a、clerk-a2" and a[6] == "head-a" and a[8] == 2


def test_it_exports_the_summary_with_one_row_per_unit(world, campaign_units):
    hostile = Unit.objects.create(bureau=world.bureau, name="=HYPERLINK(\"http://x\",\"点我\")")
    world.campaign.units.add(hostile)
    pkg = submitted_package(world, campaign_units[1], 7, state=State.ACCEPTED)
    resp = client_for(world.reviewer).get(reverse("bureau:summary", args=[world.campaign.pk]))
    assert resp.streaming, "written while it is sent, not built in the request"
    ws = load_workbook(io.BytesIO(b"".join(resp.streaming_content))).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert tuple(rows[0]) == SUMMARY_HEADER and len(rows) == 1 + 6
    cell = next(c for c in ws["B"] if c.value == hostile.name)
    assert cell.data_type == "s" and cell.quotePrefix, "a unit name never becomes a formula"
    row = next(r for r in rows if r[1] == campaign_units[1].name)
    col = dict(zip(SUMMARY_HEADER, row, strict=True))
    head = pkg.head
    assert col["状态"] == "审核通过" and Decimal(str(col["全年执行数（万元）"])) == pkg.head.funds_executed
    assert Decimal(str(col["自评总分"])) == head.self_total and col["错误"] == head.errors
    assert col["核定等级"] == head.computed_grade


def test_the_campaign_list_counts_every_status_so_they_add_up(world, campaign_units):
    import re

    from bureauworld import submitted_package
    from django.urls import reverse
    from webworld import client_for

    from jixiao.web.packages.models import Package, State

    submitted_package(world, campaign_units[0], 21)
    Package.objects.filter(pk=world.package.pk).update(state=State.PREPARED)
    html = client_for(world.reviewer).get(reverse("bureau:campaigns")).content.decode()
    heads = re.findall(r"<th>([^<]*)</th>", html)
    for label in ("未开始", "填报中", "待负责人提交", "已提交", "已退回修改", "审核通过"):
        assert label in heads, label
    row = re.search(rf"{world.campaign.title}</a></td>(.*?)</tr>", html, re.S).group(1)
    numbers = [int(n) for n in re.findall(r"<td[^>]*>(\d+)</td>", row)]
    total, by_status = numbers[0], numbers[1:7]
    assert total == world.campaign.units.count() and sum(by_status) == total


def test_bureau_pages_name_the_rule_pack_in_chinese(world):
    from django.urls import reverse
    from webworld import client_for

    c = client_for(world.reviewer)
    for url in (reverse("bureau:campaigns"), reverse("bureau:progress", args=[world.campaign.pk]),
                reverse("bureau:campaign_new")):
        html = c.get(url).content.decode()
        assert "湖南式2023年度整体支出绩效自评规则" in html, url
        assert ">hunan-2023<" not in html and "规则包 hunan-2023" not in html, url


def test_the_summary_gives_each_unit_the_status_the_progress_page_gives(world, campaign_units):
    from jixiao.web.bureau.actions import do_write_draft
    from jixiao.web.bureau.exports import summary_rows
    from jixiao.web.packages.checking import evaluate, new_document

    submitted_package(world, campaign_units[0], 3)
    ev = evaluate(new_document(campaign_units[1].name, 2023, "hunan-2023", "hunan-2023"), "hunan-2023")
    do_write_draft(campaign=world.campaign, unit=campaign_units[1], actor=world.reviewer, document=ev.document,
                   result=ev.result, source="carryover", note="预填")
    Package.objects.create(campaign=world.campaign, unit=campaign_units[2])
    want = {u.name: progress.STATUS_LABELS[u.status] for u in progress.units_with_status(world.campaign)}
    got = {row[1]: row[3] for row in summary_rows(world.campaign)}
    assert got == want and len(set(want.values())) >= 3
