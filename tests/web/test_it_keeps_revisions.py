"""Every save is a new revision; nothing is overwritten; stale saves are refused with a way to
merge; history shows a diff between any two revisions; restore makes a new revision."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from webworld import client_for

from jixiao.web.audit.models import AppendOnlyError, AuditEvent
from jixiao.web.packages.models import Revision


def _save(client, world, data, base=2, sheet="basic"):
    return client.post(reverse("packages:sheet", args=[world.package.pk, sheet]), {"base_revision": str(base), **data})


def test_it_saves_a_new_revision_and_keeps_the_old(world):
    c = client_for(world.clerk)
    old = world.package.head.document
    resp = _save(c, world, {"basic.district_special.budget": "66.54"})
    assert resp.status_code == 302
    world.package.refresh_from_db()
    assert world.package.head_number == 3
    assert world.package.head.document["basic"]["district_special"]["budget"] == "66.54"
    assert Revision.objects.get(package=world.package, number=2).document == old
    assert world.package.head.base_number == 2 and world.package.head.author == world.clerk
    # The fixed sum removes the error it caused.
    assert world.package.head.errors == Revision.objects.get(package=world.package, number=2).errors - 1


def test_it_refuses_a_stale_save_and_offers_a_merge(world):
    a, b = client_for(world.clerk), client_for(world.clerk2)
    assert _save(a, world, {"basic.note": "甲的说明"}).status_code == 302
    resp = _save(b, world, {"basic.frugality_measures": "乙写的措施"})  # still based on revision 2
    assert resp.status_code == 409
    page = resp.content.decode()
    assert "保存被拒绝" in page and "第3版" in page and "合并" in page
    world.package.refresh_from_db()
    assert world.package.head_number == 3  # nothing overwritten
    assert AuditEvent.objects.filter(action="save_conflict", username="clerk-a2").count() == 1
    # No overlapping cells: the merge applies 乙's edit onto 甲's revision.
    mine = json.loads(resp.context["mine_json"])
    resp = b.post(reverse("packages:merge", args=[world.package.pk]), {"base_revision": "2", "mine": json.dumps(mine)})
    assert resp.status_code == 302
    world.package.refresh_from_db()
    doc = world.package.head.document
    assert doc["basic"]["note"] == "甲的说明" and doc["basic"]["frugality_measures"] == "乙写的措施"
    assert world.package.head.source == "merge"


def test_it_asks_which_side_wins_when_both_changed_a_cell(world):
    a, b = client_for(world.clerk), client_for(world.clerk2)
    _save(a, world, {"basic.sangong.budget": "7.00"})
    resp = _save(b, world, {"basic.sangong.budget": "8.00"})
    assert resp.status_code == 409
    conflicts = resp.context["conflicts"]
    assert [c["path"] for c in conflicts] == ["basic.sangong.budget"]
    assert conflicts[0]["label"] == "基础数据表 · 三公经费 · 2023年预算数"
    mine = resp.context["mine_json"]
    # Without a choice the merge is not saved.
    again = b.post(reverse("packages:merge", args=[world.package.pk]), {"base_revision": "2", "mine": mine})
    assert again.status_code == 409
    done = b.post(reverse("packages:merge", args=[world.package.pk]),
                  {"base_revision": "2", "mine": mine, "choice.basic.sangong.budget": "mine"})
    assert done.status_code == 302
    world.package.refresh_from_db()
    assert world.package.head.document["basic"]["sangong"]["budget"] == "8.00"


def test_it_shows_who_changed_what_between_any_two_revisions(world):
    c = client_for(world.clerk)
    _save(c, world, {"basic.sangong.budget": "7.00"})
    resp = c.get(reverse("packages:compare", args=[world.package.pk]), {"a": 2, "b": 3})
    assert resp.status_code == 200
    changes = resp.context["changes"]
    assert [(ch["label"], ch["before"], ch["after"]) for ch in changes] == [
        ("基础数据表 · 三公经费 · 2023年预算数", "6.00", "7.00")
    ]
    history = c.get(reverse("packages:history", args=[world.package.pk])).content.decode()
    assert "第3版" in history and "clerk-a" in history and "网页填报" in history


def test_it_restores_an_old_revision_as_a_new_one(world):
    c = client_for(world.clerk)
    _save(c, world, {"basic.sangong.budget": "7.00"})
    resp = c.post(reverse("packages:restore", args=[world.package.pk, 2]), {"base_revision": "3"})
    assert resp.status_code == 302
    world.package.refresh_from_db()
    assert world.package.head_number == 4
    assert world.package.head.document == Revision.objects.get(package=world.package, number=2).document
    assert world.package.head.source == "restore" and world.package.head.note == "恢复第2版"
    assert Revision.objects.filter(package=world.package).count() == 4


def test_it_refuses_to_restore_over_a_newer_revision(world):
    c = client_for(world.clerk)
    _save(c, world, {"basic.sangong.budget": "7.00"})
    c.post(reverse("packages:restore", args=[world.package.pk, 1]), {"base_revision": "2"})
    world.package.refresh_from_db()
    assert world.package.head_number == 3


def test_it_refuses_unreadable_cells_and_marks_them(world):
    c = client_for(world.clerk)
    resp = _save(c, world, {"basic.sangong.budget": "6.0O"})
    assert resp.status_code == 422
    page = resp.content.decode()
    assert "输入有误" in page and "6.0O" in page  # the typed text is kept for correcting
    world.package.refresh_from_db()
    assert world.package.head_number == 2


def test_it_never_updates_or_deletes_revisions(world):
    rev = world.package.head
    with pytest.raises(AppendOnlyError):
        rev.save()
    with pytest.raises(AppendOnlyError):
        Revision.objects.filter(pk=rev.pk).update(note="x")
    with pytest.raises(AppendOnlyError):
        rev.delete()


def test_it_blocks_revision_updates_in_the_database_too(world):
    from django.db import DatabaseError, connection, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE packages_revision SET note = 'x'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET action = 'x'")


@pytest.mark.parametrize("path, label", [
    ("basic.signature.unit_head", "基础数据表 · 签字栏 · 单位负责人签字"),
    ("basic.district_special_items.3.final", "基础数据表 · 3、区级专项资金(一个专项一行) · 第4项 · 2023年决算数"),
    ("basic.staffing.actual", "基础数据表 · 财政供养人员情况 · 2023年实际在职人数"),
    ("overall.income.other", "整体支出绩效自评表 · 按收入性质分 · 其他资金"),
    ("projects.0.carryover.executed", "项目支出绩效自评表（业务工作经费） · 上年结转资金 · 全年执行数"),
    ("report.sections.2.body", "自评报告 · 第3节 · 正文"),
])
def test_it_names_changed_cells_as_the_form_does(path, label):
    from jixiao.web.packages.labels import describe

    doc = {"fiscal_year": 2023, "projects": [{"project_name": "业务工作经费"}]}
    assert describe(path, doc, "hunan-2023") == label


@pytest.mark.postgres
def test_it_blocks_deletes_in_postgresql(world):
    from django.db import DatabaseError, connection, transaction

    for table in ("audit_auditevent", "packages_revision"):  # both hold rows in this world
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(f"DELETE FROM {table}")


def test_the_comparison_leaves_out_numbers_only_written_differently_and_names_explained_findings(world):
    from jixiao.web.packages.actions import do_explain

    c = client_for(world.clerk)
    # “6” for “6.00”: the same figure, written differently; and one real change.
    _save(c, world, {"basic.sangong.budget": "6", "basic.sangong.final": "12.00"})
    world.package.refresh_from_db()
    from jixiao.web.packages.annotate import finding_views
    from jixiao.web.packages.checking import evaluate_revision

    views = finding_views(evaluate_revision(world.package.head, "hunan-2023"), {})
    key = next(v.key for v in views if v.severity == "error" and v.finding.rule == "basic.subtotal")
    do_explain(package_id=world.package.pk, actor=world.clerk, base_number=world.package.head_number,
               explanations={key: "已核实。"})
    resp = c.get(reverse("packages:compare", args=[world.package.pk]), {"a": 2, "b": 4})
    changes = [(ch["label"], ch["before"], ch["after"]) for ch in resp.context["changes"]]
    assert changes == [("基础数据表 · 三公经费 · 2023年决算数", "11.48", "12.00")]
    html = resp.content.decode()
    assert "另有1处只是数字的写法不同" in html
    assert re.search(r"<li>基础数据表 · [^<|]+：基础数据表小计与明细不符：（无） → 已核实。</li>", html)
