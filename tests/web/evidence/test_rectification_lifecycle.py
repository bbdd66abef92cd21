"""整改: the reviewer turns a finding (or a problem in words) into an item with a due date, the
unit's clerk responds, the bureau closes it or reopens it; the unit cannot close, another unit
cannot see, each step is an event and an audit row."""

from __future__ import annotations

from django.urls import reverse
from evidenceworld import messages_of, submit_and_review
from webworld import client_for

from jixiao.web.audit.models import AuditEvent
from jixiao.web.evidence.models import RectificationItem, RectState
from jixiao.web.evidence.views_rect import finding_choices


def _create_from_finding(world):
    pkg = submit_and_review(world)
    key, text = finding_choices(pkg.head, pkg)[0]
    resp = client_for(world.reviewer).post(reverse("evidence:rectification_new", args=[pkg.pk]),
                                           {"finding": key, "problem": "请逐项核实", "due": "2024-06-30"}, follow=True)
    return pkg, key, text, resp


def test_the_whole_lifecycle_from_a_finding(world):
    pkg, key, text, resp = _create_from_finding(world)
    item = RectificationItem.objects.get()
    assert item.problem == f"{text}{'' if text.endswith('。') else '。'}请逐项核实" and item.finding_key == key and str(item.due) == "2024-06-30"
    assert (item.year, item.unit_id, item.state) == (2023, world.unit_a.pk, RectState.OPEN)
    assert "已列为整改事项" in messages_of(resp)[0] and text[:20] in resp.content.decode()

    # The unit sees it on its package page and its list, and responds.
    assert text[:20] in client_for(world.head).get(reverse("packages:overview", args=[pkg.pk])).content.decode()
    assert text[:20] in client_for(world.clerk).get(reverse("evidence:rectifications")).content.decode()
    url = reverse("evidence:respond", args=[item.pk])
    client_for(world.clerk).post(url, {"measures": "修订指标体系", "progress": "已于5月完成"})
    item.refresh_from_db()
    assert (item.state, item.measures, item.progress) == (RectState.RESPONDED, "修订指标体系", "已于5月完成")

    # The unit cannot close its own item (403, logged); the bureau can, then reopens it with a reason.
    assert client_for(world.clerk).post(reverse("evidence:close", args=[item.pk])).status_code == 403
    assert client_for(world.head).post(reverse("evidence:close", args=[item.pk])).status_code == 403
    client_for(world.reviewer).post(reverse("evidence:close", args=[item.pk]), {"note": "整改到位"})
    item.refresh_from_db()
    assert item.state == RectState.CLOSED and item.closed_at is not None
    resp = client_for(world.clerk).post(url, {"measures": "再改"}, follow=True)
    assert messages_of(resp) == ["该整改事项已由财政局销号，不能再修改整改情况。"]

    resp = client_for(world.reviewer).post(reverse("evidence:reopen", args=[item.pk]), {"reason": ""}, follow=True)
    assert messages_of(resp) == ["重新打开整改事项须说明原因。"]
    client_for(world.reviewer).post(reverse("evidence:reopen", args=[item.pk]), {"reason": "抽查发现未落实"})
    item.refresh_from_db()
    assert item.state == RectState.RESPONDED and item.closed_at is None
    assert [e.action for e in item.events.all()] == ["created", "responded", "closed", "reopened"]
    audit = list(AuditEvent.objects.filter(action__startswith="rectification_").order_by("seq")
                 .values_list("action", "username"))
    assert audit == [("rectification_created", "reviewer"), ("rectification_responded", "clerk-a"),
                     ("rectification_closed", "reviewer"), ("rectification_reopened", "reviewer")]
    page = client_for(world.head).get(reverse("evidence:rectification", args=[item.pk])).content.decode()
    assert "抽查发现未落实" in page and "修订指标体系" in page


def test_a_free_text_problem_and_the_refusals_before_a_review(world):
    from jixiao.web.packages.models import Package, State

    Package.objects.filter(pk=world.package.pk).update(state=State.SUBMITTED)
    url = reverse("evidence:rectification_new", args=[world.package.pk])
    resp = client_for(world.reviewer).post(url, {"problem": "绩效目标不够量化"}, follow=True)
    assert messages_of(resp) == ["请先作出审核结论（退回修改或审核通过）后再列整改事项。"]
    submit_and_review(world, decision="return")
    resp = client_for(world.reviewer).post(url, {"problem": ""}, follow=True)
    assert messages_of(resp) == ["请选择一条审核发现的问题或填写问题描述。"]
    resp = client_for(world.reviewer).post(url, {"problem": "x", "due": "明年"}, follow=True)
    assert messages_of(resp) == ["整改期限“明年”无效，应为“2025-03-31”这样的日期。"]
    resp = client_for(world.reviewer).post(url, {"problem": "绩效目标不够量化"}, follow=True)
    assert RectificationItem.objects.get().problem == "绩效目标不够量化" and RectificationItem.objects.get().due is None
    resp = client_for(world.reviewer).post(url, {"finding": "no|such|finding", "problem": ""}, follow=True)
    assert messages_of(resp) == ["所选问题已不在审核的版本中，请刷新页面后重试。"]


def test_another_unit_and_another_bureau_cannot_see_it(world):
    _create_from_finding(world)
    item = RectificationItem.objects.get()
    for user in (world.clerk_b, world.head_b, world.other_reviewer):
        assert client_for(user).get(reverse("evidence:rectification", args=[item.pk])).status_code == 404
        assert item.problem[:10] not in client_for(user).get(reverse("evidence:rectifications")).content.decode()
    assert client_for(world.clerk_b).post(reverse("evidence:respond", args=[item.pk]),
                                          {"measures": "x"}).status_code == 404
    assert client_for(world.sysadmin).get(reverse("evidence:rectifications")).status_code == 403


def test_an_empty_response_is_refused(world):
    _create_from_finding(world)
    item = RectificationItem.objects.get()
    resp = client_for(world.clerk).post(reverse("evidence:respond", args=[item.pk]), {"measures": " "}, follow=True)
    assert messages_of(resp) == ["请填写整改措施或整改情况。"]
    item.refresh_from_db()
    assert item.state == RectState.OPEN


def test_a_due_date_already_past_is_recorded_with_a_warning(world):
    import datetime as dt

    from jixiao.web.evidence.models import RectificationItem

    pkg = submit_and_review(world)
    url = reverse("evidence:rectification_new", args=[pkg.pk])
    reviewer = client_for(world.reviewer)
    yesterday, today = dt.date.today() - dt.timedelta(days=1), dt.date.today()
    page = reviewer.post(url, {"problem": "补录上年问题", "due": yesterday.isoformat()}, follow=True).content.decode()
    assert f"整改期限{yesterday:%Y-%m-%d}早于今天" in page
    page = reviewer.post(url, {"problem": "本年问题", "due": today.isoformat()}, follow=True).content.decode()
    assert "早于今天" not in page
    assert RectificationItem.objects.filter(package=pkg).count() == 2


def test_the_units_home_page_lists_its_open_items(world):
    from jixiao.web.evidence.models import RectificationItem, RectState

    pkg, _, _, _ = _create_from_finding(world)
    item = RectificationItem.objects.get(package=pkg)
    home = client_for(world.clerk).get("/").content.decode()
    assert "未销号的整改事项（1）" in home and f"/evidence/rectification/{item.pk}/" in home
    assert "未销号的整改事项" not in client_for(world.clerk_b).get("/").content.decode()  # another unit's
    item.state = RectState.CLOSED
    item.save(update_fields=["state"])
    assert "未销号的整改事项" not in client_for(world.clerk).get("/").content.decode()
