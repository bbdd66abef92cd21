"""Targets approval (绩效目标批复): submitted, returned with comments or approved; approved targets
are frozen; an adjustment (调整) is a new approved version naming its reason; each action audited."""

from __future__ import annotations

import pytest
from cycleworld import targets_document

from jixiao.web.audit.models import AuditEvent
from jixiao.web.packages.models import Package, Stage, State, TargetAdjustment, TargetApproval


def test_a_campaign_names_the_forms_of_the_cycle_it_collects(cw):
    c = cw.campaign
    assert c.stages == ["targets", "monitoring", "evaluation"]
    assert (c.form_of("targets"), c.rule_pack_of("targets")) == ("targets-national", "targets-national")
    assert (c.form_of("monitoring"), c.rule_pack_of("monitoring")) == ("monitoring-national", "monitoring-national")
    c.monitoring_form = None
    assert c.stages == ["targets", "evaluation"] and c.form_of("monitoring") is None


def test_one_package_per_unit_and_stage_each_on_its_own_form(cw):
    t, m, e = cw.start("targets"), cw.start("monitoring"), cw.start("evaluation")
    assert [p.stage for p in (t, m, e)] == ["targets", "monitoring", "evaluation"]
    assert [p.form for p in (t, m, e)] == ["targets-national", "monitoring-national", "national"]
    assert t.head.document["form"] == "targets-national"
    assert cw.start("targets").pk == t.pk  # started twice: the same package
    assert Package.objects.filter(campaign=cw.campaign, unit=cw.unit).count() == 3


def test_a_step_the_campaign_does_not_collect_cannot_be_started(cw):
    from jixiao.web.packages.actions import NotAllowed

    cw.campaign.monitoring_form = None
    cw.campaign.save()
    with pytest.raises(NotAllowed, match="不收集绩效运行监控"):
        cw.start("monitoring")


def test_approving_targets_freezes_them_as_version_1(cw):
    pkg = cw.approved_targets()
    assert pkg.state == State.ACCEPTED
    approval = TargetApproval.objects.get(package=pkg)
    assert (approval.version, approval.revision_number, approval.approved_by) == (1, pkg.head_number, cw.reviewer)
    ind = approval.document["projects"][0]["indicators"][0]["children"][0]["indicators"][0]
    assert ind["target"]["raw"] == "≥5000卷"
    assert AuditEvent.objects.filter(action="targets_approved", object_id=str(pkg.pk)).count() == 1


def test_approved_targets_refuse_a_save_in_chinese_and_the_refusal_is_audited(cw):
    from jixiao.web.packages.actions import NotAllowed

    pkg = cw.approved_targets()
    with pytest.raises(NotAllowed, match=r"绩效目标已于.*批复（第1版），已冻结，不能修改"):
        cw.save(pkg, targets_document(cw.unit.name, target="≥3000卷"))
    pkg.refresh_from_db()
    assert pkg.revisions.count() == pkg.head_number  # nothing appended
    assert AuditEvent.objects.filter(action="targets_frozen_refused", object_id=str(pkg.pk)).exists()


def test_a_returned_targets_package_is_not_approved(cw):
    from jixiao.web.bureau.actions import do_review

    pkg = cw.start("targets")
    cw.save(pkg, targets_document(cw.unit.name))
    cw.submit(pkg)
    do_review(package_id=pkg.pk, actor=cw.reviewer, decision="return", comment="指标值过低，请按上年完成情况设定")
    pkg.refresh_from_db()
    assert pkg.state == State.RETURNED and not TargetApproval.objects.filter(package=pkg).exists()
    assert "指标值过低" in pkg.transitions.first().comment
    cw.save(pkg, targets_document(cw.unit.name, target="≥6000卷"))  # editable again
    assert cw.approve(cw.submit(pkg)).target_approvals.get().version == 1


def test_an_adjustment_is_a_new_approved_version_with_its_reason(cw):
    from jixiao.web.packages.cycle_actions import approved_targets, do_allow_adjustment

    pkg = cw.approved_targets()
    do_allow_adjustment(package_id=pkg.pk, actor=cw.reviewer, reason="预算调减20万元，数字化数量相应调整")
    pkg.refresh_from_db()
    assert pkg.state == State.RETURNED
    assert approved_targets(pkg).version == 1  # version 1 holds until the adjusted targets are approved
    cw.save(pkg, targets_document(cw.unit.name, target="≥4000卷"))
    cw.approve(cw.submit(pkg))
    v1, v2 = TargetApproval.objects.filter(package=pkg).order_by("version")
    assert (v1.version, v2.version) == (1, 2) and v1.adjustment is None
    assert v2.adjustment.reason == "预算调减20万元，数字化数量相应调整" and v2.adjustment.from_version == 1
    assert approved_targets(pkg) == v2
    assert AuditEvent.objects.filter(action="targets_adjustment", object_id=str(pkg.pk)).count() == 1


def test_an_adjustment_needs_a_reason_and_approved_targets(cw):
    from jixiao.web.packages.actions import ActionError, NotAllowed
    from jixiao.web.packages.cycle_actions import do_allow_adjustment

    pkg = cw.start("targets")
    with pytest.raises(NotAllowed, match="只有已批复的绩效目标可以调整"):
        do_allow_adjustment(package_id=pkg.pk, actor=cw.reviewer, reason="调整")
    with pytest.raises(ActionError, match="须写明调整理由"):
        do_allow_adjustment(package_id=pkg.pk, actor=cw.reviewer, reason="  ")


def test_approvals_and_adjustments_are_append_only(cw):
    from jixiao.web.audit.models import AppendOnlyError

    pkg = cw.approved_targets()
    approval = pkg.target_approvals.get()
    approval.comment = "改"
    with pytest.raises(AppendOnlyError):
        approval.save()
    with pytest.raises(AppendOnlyError):
        approval.delete()
    with pytest.raises(AppendOnlyError):
        TargetAdjustment.objects.filter(package=pkg).update(reason="x")


def test_a_unit_cannot_approve_or_adjust(cw):
    from jixiao.web.bureau.actions import do_review
    from jixiao.web.packages.actions import NotAllowed
    from jixiao.web.packages.cycle_actions import do_allow_adjustment

    pkg = cw.start("targets")
    cw.save(pkg, targets_document(cw.unit.name))
    cw.submit(pkg)
    for actor in (cw.clerk, cw.head):
        with pytest.raises(NotAllowed):
            do_review(package_id=pkg.pk, actor=actor, decision="accept")
    cw.approve(pkg)
    with pytest.raises(NotAllowed):
        do_allow_adjustment(package_id=pkg.pk, actor=cw.head, reason="想改")


def test_another_unit_sees_neither_the_targets_nor_their_review(cw):
    from webworld import client_for

    pkg = cw.approved_targets()
    other = client_for(cw.other_clerk)
    assert other.get(f"/p/{pkg.pk}/").status_code == 404
    assert other.get(f"/bureau/p/{pkg.pk}/review/").status_code == 403
    assert client_for(cw.head).post(f"/bureau/p/{pkg.pk}/adjust-targets/", {"reason": "x"}).status_code == 403


def test_the_review_page_lists_the_approved_versions_and_offers_an_adjustment(cw):
    from webworld import client_for

    pkg = cw.approved_targets()
    page = client_for(cw.reviewer).get(f"/bureau/p/{pkg.pk}/review/").content.decode()
    assert "绩效目标批复" in page and "第1版（现行）" in page and "准予调整绩效目标" in page
    r = client_for(cw.reviewer).post(f"/bureau/p/{pkg.pk}/adjust-targets/", {"reason": "政策调整"}, follow=True)
    assert "已准予" in r.content.decode()
    pkg.refresh_from_db()
    assert pkg.state == State.RETURNED and pkg.stage == Stage.TARGETS


def test_the_units_home_shows_the_steps_of_its_campaign_with_their_state(cw):
    from webworld import client_for

    cw.approved_targets()
    page = client_for(cw.clerk).get("/").content.decode()
    assert "全年绩效管理环节" in page
    assert "已批复（批复第1版，已冻结）" in page and "开始填报绩效运行监控" in page and "开始填报绩效自评" in page
    r = client_for(cw.clerk).post(f"/campaigns/{cw.campaign.pk}/start/", {"stage": "monitoring"})
    assert r.status_code == 302
    assert Package.objects.get(campaign=cw.campaign, unit=cw.unit, stage="monitoring").head.note.startswith("按批复的绩效目标")


def test_the_campaign_page_sets_the_cycle_forms(cw):
    from webworld import client_for

    c = client_for(cw.reviewer)
    page = c.get(f"/bureau/c/{cw.campaign.pk}/").content.decode()
    assert "同时收集的全年绩效管理环节" in page and "全国通用绩效目标申报表" in page
    c.post(f"/bureau/c/{cw.campaign.pk}/edit/", {"deadline": "", "is_open": "on", "targets_form": "targets-national",
                                                 "monitoring_form": ""})
    cw.campaign.refresh_from_db()
    assert (cw.campaign.targets_form, cw.campaign.monitoring_form) == ("targets-national", None)
    r = c.post(f"/bureau/c/{cw.campaign.pk}/edit/", {"is_open": "on", "targets_form": "national"}, follow=True)
    assert "不是绩效目标申报的表样" in r.content.decode()
    cw.campaign.refresh_from_db()
    assert cw.campaign.targets_form == "targets-national"


def test_approved_targets_are_not_published_as_a_self_evaluation(cw):
    from jixiao.web.bureau.publication import do_publish
    from jixiao.web.packages.actions import ActionError

    pkg = cw.approved_targets()
    with pytest.raises(ActionError, match="绩效目标申报材料不在公开范围内"):
        do_publish(package_id=pkg.pk, actor=cw.reviewer)


def test_the_reviewers_home_links_each_package_to_its_review_page(cw):
    from webworld import client_for

    pkg = cw.start("targets")
    cw.submit(pkg)
    reviewer_home = client_for(cw.reviewer).get("/").content.decode()
    assert f'href="/bureau/p/{pkg.pk}/review/"' in reviewer_home
    clerk_home = client_for(cw.clerk).get("/").content.decode()
    assert f'href="/p/{pkg.pk}/"' in clerk_home and f"/bureau/p/{pkg.pk}/review/" not in clerk_home


def test_a_campaign_past_its_deadline_says_so_where_it_is_offered(cw):
    import datetime as dt

    from webworld import client_for

    for days, late in ((-1, True), (0, False)):
        cw.campaign.deadline = dt.date.today() + dt.timedelta(days=days)
        cw.campaign.save(update_fields=["deadline"])
        home = client_for(cw.clerk).get("/").content.decode()
        assert ("已过截止日期" in home) is late and "开始填报" in home
