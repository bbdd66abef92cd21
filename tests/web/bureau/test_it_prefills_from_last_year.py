"""Carry-over: this year's draft from last year's package where the forms overlap."""

from __future__ import annotations

from bureauworld import generated_document

from jixiao.web.bureau.jobs import start_prefill
from jixiao.web.bureau.models import LineStatus
from jixiao.web.packages.checking import new_document
from jixiao.web.packages.models import Campaign, Package, State
from jixiao.web.packages.prefill import carry_over


def test_it_carries_over_last_years_finals_and_indicator_tree():
    last = generated_document("岳阳楼区园林绿化服务中心", 4)
    fresh = new_document("岳阳楼区园林绿化服务中心", 2024, "hunan-2023", "hunan-2023")
    doc = carry_over(last, fresh)
    assert doc["fiscal_year"] == 2024
    for row in ("sangong", "project_spending", "district_special"):
        assert doc["basic"][row] == {"prev_final": last["basic"][row]["final"], "budget": None, "final": None}
    assert [i["name"] for i in doc["basic"]["district_special_items"]] == [
        i["name"] for i in last["basic"]["district_special_items"]]
    ind_last = last["overall"]["indicators"][0]["children"][0]["indicators"][0]
    ind = doc["overall"]["indicators"][0]["children"][0]["indicators"][0]
    assert ind["name"] == ind_last["name"] and ind["target"] == ind_last["target"] and ind["weight"] == ind_last["weight"]
    assert "actual" not in ind and "self_score" not in ind
    assert [p["project_name"] for p in doc["projects"]] == [p["project_name"] for p in last["projects"]]
    assert doc["overall"]["funds"].get("executed") is None
    assert doc["report"]["sections"][0]["body"] == last["report"]["sections"][0]["body"]
    assert doc["report"]["sections"][1]["body"] == ""


def test_it_prefills_units_that_have_last_years_package(world, campaign_units):
    # Last year's campaign: unit_a's seed package, accepted.
    last = Campaign.objects.create(bureau=world.bureau, year=2022, title="2022年度自评")
    Package.objects.filter(pk=world.package.pk).update(campaign=last, state=State.ACCEPTED,
                                                       submitted_number=world.package.head_number)
    old = Package.objects.get(pk=world.package.pk).head.document
    job = start_prefill(campaign=world.campaign, actor=world.reviewer)
    job.refresh_from_db()
    lines = {ln.file_name: ln for ln in job.lines.all()}
    assert job.total == 5 and lines[world.unit_a.name].status == LineStatus.IMPORTED
    assert all(ln.status == LineStatus.SKIPPED and "没有2022年度材料" in ln.message
               for name, ln in lines.items() if name != world.unit_a.name)
    pkg = Package.objects.get(campaign=world.campaign, unit=world.unit_a)
    assert pkg.state == State.DRAFT and pkg.head.source == "carryover" and pkg.head.fiscal_year == 2023
    assert pkg.head.document["basic"]["sangong"]["prev_final"] == old["basic"]["sangong"]["final"]
    # The unit's clerk sees it in the list; nothing else of theirs changed.
    from django.urls import reverse
    from webworld import client_for

    assert pkg.unit.name in client_for(world.clerk).get(reverse("packages:home")).content.decode()
    # Run again: the package exists now, so it is left alone.
    again = start_prefill(campaign=world.campaign, actor=world.reviewer)
    assert again.lines.get(file_name=world.unit_a.name).message == "已有本年度材料，未预填。"


def test_it_opens_a_campaign_and_prefills_it(world):
    from django.urls import reverse
    from webworld import client_for

    from jixiao.web.bureau.models import ImportJob

    Package.objects.filter(pk=world.package.pk).update(state=State.ACCEPTED, submitted_number=2)
    client = client_for(world.reviewer)
    form = client.get(reverse("bureau:campaign_new"))
    assert form.context["form"]["year"].isdigit()
    resp = client.post(reverse("bureau:campaign_new"), {
        "year": "2024", "title": "2024年度自评", "rule_pack": "hunan-2023", "deadline": "2025-05-31",
        "unit": [world.unit_a.pk, world.unit_b.pk, world.unit_c.pk], "prefill": "on",
    })
    new = Campaign.objects.get(bureau=world.bureau, year=2024)
    job = ImportJob.objects.get(campaign=new)
    assert resp["Location"] == reverse("bureau:job", args=[job.pk])
    assert set(new.units.all()) == {world.unit_a, world.unit_b}  # another bureau's unit is never attached
    assert str(new.deadline) == "2025-05-31" and job.imported == 1
    carried = Package.objects.get(campaign=new, unit=world.unit_a).head
    assert carried.source == "carryover" and carried.fiscal_year == 2024
    again = client.post(reverse("bureau:campaign_new"), {"year": "2024", "title": "重复", "rule_pack": "hunan-2023"},
                        follow=True)
    assert "本财政局已有2024年度的评价任务。" in again.content.decode()
    bad = client.post(reverse("bureau:campaign_new"), {"year": "2025", "title": "x", "rule_pack": "no-such-pack"},
                      follow=True)
    assert "找不到规则包“no-such-pack”" in bad.content.decode()


def test_the_clerks_start_carries_last_years_package_over(world):
    from jixiao.web.packages.actions import do_create_package

    last = Campaign.objects.create(bureau=world.bureau, year=2022, title="2022年度自评")
    Package.objects.filter(pk=world.package.pk).update(campaign=last, state=State.ACCEPTED,
                                                       submitted_number=world.package.head_number)
    old = Package.objects.get(pk=world.package.pk).head.document
    pkg = do_create_package(campaign=world.campaign, unit=world.clerk.unit, actor=world.clerk)
    head = pkg.head
    assert head.source == "create" and head.note.startswith("按2022年度材料第")
    assert head.document["basic"]["project_spending"]["prev_final"] == old["basic"]["project_spending"]["final"]
    assert head.document["basic"]["project_spending"]["final"] is None
    assert [i["name"] for i in head.document["basic"]["district_special_items"]] == [
        i["name"] for i in old["basic"]["district_special_items"]]


def test_the_clerks_start_is_blank_without_last_year(world):
    from jixiao.web.packages.actions import do_create_package

    # The unit's only other package belongs to an unrelated year, so nothing carries over.
    Package.objects.filter(pk=world.package.pk).update(campaign=Campaign.objects.create(
        bureau=world.bureau, year=2030, title="无关年度"))
    pkg = do_create_package(campaign=world.campaign, unit=world.clerk.unit, actor=world.clerk)
    assert pkg.head.note == ""
    assert pkg.head.document["basic"]["district_special_items"] == []
