"""Removing evidence (the unit, before submission only), the results workbook (units by grade
with the bureau's budget decisions, opened with openpyxl) and the publication flag."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from evidenceworld import attach, first_choice, image_bytes, messages_of, pdf_bytes, submit_and_review
from webworld import client_for, second_document

from jixiao.web.evidence import actions
from jixiao.web.evidence.models import BudgetDecision, Evidence, PublishedEvidence, RectificationItem
from jixiao.web.packages.models import Package, State


def test_the_unit_removes_evidence_before_submission_only(world):
    attach(client_for(world.clerk), world.package, "旧照片.png", image_bytes())
    ev = Evidence.objects.get()
    assert client_for(world.head).post(reverse("evidence:remove", args=[ev.pk])).status_code == 403
    resp = client_for(world.clerk).post(reverse("evidence:remove", args=[ev.pk]), follow=True)
    assert messages_of(resp) == ["已删除佐证材料“旧照片.png”。"]
    ev.refresh_from_db()
    assert ev.removed_at is not None and ev.removed_by == world.clerk  # kept, marked removed
    assert client_for(world.clerk).get(reverse("evidence:download", args=[ev.pk])).status_code == 404

    attach(client_for(world.clerk), world.package, "证明.pdf", pdf_bytes())
    kept = Evidence.objects.get(removed_at__isnull=True)
    pkg = submit_and_review(world, decision="return")
    assert pkg.state == State.RETURNED
    # Returned: the unit edits again, but what the bureau was given stays; a new file may go.
    assert client_for(world.clerk).post(reverse("evidence:remove", args=[kept.pk])).status_code == 403
    attach(client_for(world.clerk), world.package, "补充.pdf", pdf_bytes())
    extra = Evidence.objects.get(name="补充.pdf")
    assert client_for(world.clerk).post(reverse("evidence:remove", args=[extra.pk])).status_code == 302
    page = client_for(world.reviewer).get(reverse("bureau:review", args=[pkg.pk])).content.decode()
    assert "证明.pdf" in page and "补充.pdf" not in page and "旧照片.png" not in page
    assert client_for(world.reviewer).get(reverse("evidence:download", args=[kept.pk])).status_code == 200


def _accepted_unit_b(world, total):
    from jixiao.web.packages import actions as unit_actions
    from jixiao.web.packages.checking import canonical, evaluate

    pkg = unit_actions.do_create_package(campaign=world.campaign, unit=world.unit_b, actor=world.clerk_b)
    doc = canonical(evaluate(second_document(), "hunan-2023").package)
    doc["unit_name"] = world.unit_b.name
    unit_actions.do_save(package_id=pkg.pk, actor=world.clerk_b, document=doc, base_number=1, source="import")
    return submit_and_review(world, pkg, review_total=total)


def _read(resp):
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    return [list(r) for r in wb.active.iter_rows(values_only=True)]


def test_the_results_workbook_ranks_units_by_grade_with_the_budget_decision(world):
    from jixiao.web.accounts.models import Unit

    late = Unit.objects.create(bureau=world.bureau, name="岳阳楼区未提交中心")
    world.campaign.units.add(late)
    a = submit_and_review(world, review_total=Decimal("72.5"))  # 中
    b = _accepted_unit_b(world, Decimal("91"))  # 优
    rv = client_for(world.reviewer)
    rv.post(reverse("evidence:budget", args=[a.pk]), {"action": "cut", "amount": "12.345", "percent": "10%",
                                                      "note": "执行率偏低"})
    rv.post(reverse("evidence:budget", args=[b.pk]), {"action": "keep"})
    RectificationItem.objects.create(package=a, unit=world.unit_a, year=2023, problem="x", created_by=world.reviewer)
    resp = rv.get(reverse("evidence:results_xlsx", args=[world.campaign.pk]))
    assert resp.status_code == 200 and "attachment" in resp["Content-Disposition"]
    rows = _read(resp)
    header = rows[0]
    assert header[:6] == ["序号", "单位名称", "单位编码", "状态", "评价等级", "等级来源"]
    by = {r[1]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert [r[1] for r in rows[1:]] == [world.unit_b.name, world.unit_a.name, late.name]
    assert by[world.unit_b.name]["评价等级"] == "优" and by[world.unit_b.name]["预算安排"] == "保持"
    ra = by[world.unit_a.name]
    assert (ra["评价等级"], ra["等级来源"], ra["审核得分"], ra["预算安排"]) == ("中", "审核等级", 72.5, "压减")
    assert ra["调整金额（万元）"] == 12.35 and ra["调整比例（%）"] == 10 and ra["说明"] == "执行率偏低"
    assert (ra["整改事项"], ra["未销号整改事项"]) == (1, 1)
    assert by[late.name]["评价等级"] is None and by[late.name]["预算安排"] is None
    assert BudgetDecision.objects.get(package=a).amount == Decimal("12.35")  # ROUND_HALF_UP, two places


@pytest.mark.parametrize("action,amount,percent,says", [
    ("keep", "5", "", "选择“保持”时不填写调整金额或比例。"),
    ("cut", "", "100.01", "压减比例100.01%超过上限100%。"),
    ("raise", "", "1000.01", "增加比例1000.01%超过上限1000%。"),
    ("cut", "-3", "", "调整金额不能为负数"),
    ("cut", "三万", "", "调整金额“三万”不是数字。"),
    ("cut", "100000000.01", "", "超过上限100000000万元"),
    ("", "", "", "请选择预算安排：压减、保持或增加。"),
])
def test_budget_decisions_refuse_what_makes_no_sense(world, action, amount, percent, says):
    a = submit_and_review(world)
    resp = client_for(world.reviewer).post(reverse("evidence:budget", args=[a.pk]),
                                           {"action": action, "amount": amount, "percent": percent}, follow=True)
    assert says in messages_of(resp)[0]
    assert not BudgetDecision.objects.exists()


@pytest.mark.parametrize("action,percent", [("cut", "100"), ("raise", "1000"), ("keep", "0")])
def test_budget_limits_are_inclusive(world, action, percent):
    a = submit_and_review(world)
    client_for(world.reviewer).post(reverse("evidence:budget", args=[a.pk]), {"action": action, "percent": percent})
    assert BudgetDecision.objects.get().action == action


def test_a_budget_decision_needs_a_submitted_package(world):
    with pytest.raises(actions.ActionError, match="尚未提交"):
        actions.do_budget_decision(package_id=world.package.pk, actor=world.reviewer, action="keep", amount=None,
                                   percent=None)


@pytest.mark.parametrize("flag", [True, False])
def test_a_publication_includes_evidence_when_the_campaign_says_so(world, settings, flag):
    from jixiao.web.bureau.publication import do_publish

    settings.JIXIAO_PUBLISH_PDF = False
    data = pdf_bytes()
    attach(client_for(world.clerk), world.package, "满意度调查.pdf", data, first_choice(world.package))
    actions.do_set_policy(campaign=world.campaign, actor=world.reviewer, required="", publish_evidence=flag)
    submit_and_review(world)
    pub = do_publish(package_id=world.package.pk, actor=world.reviewer)
    page = client_for(world.clerk_b).get(reverse("public:publication", args=[pub.pk])).content.decode()
    ev = Evidence.objects.get()
    assert PublishedEvidence.objects.filter(publication=pub).exists() is flag
    assert ("满意度调查.pdf" in page) is flag
    from django.test import Client

    resp = Client().get(reverse("public_evidence:file", args=[pub.pk, ev.pk]))
    assert resp.status_code == (200 if flag else 404)
    if flag:
        assert b"".join(resp.streaming_content) == data
        # Frozen with the publication: a later removal does not take it off the public page.
        Evidence.objects.update(removed_at="2024-05-01T00:00:00Z")
        assert Client().get(reverse("public_evidence:file", args=[pub.pk, ev.pk])).status_code == 200
    assert Package.objects.get(pk=world.package.pk).state == State.ACCEPTED
