"""填表人 prepares, 单位负责人 submits; errors block unless explained; after submission only the
bureau's return reopens the package."""

from __future__ import annotations

from django.urls import reverse
from webworld import client_for, second_document

from jixiao.web.audit.models import AuditEvent
from jixiao.web.packages import actions
from jixiao.web.packages.checking import canonical, evaluate
from jixiao.web.packages.models import Package, State, Transition


def _post(client, name, world, data=None):
    return client.post(reverse(name, args=[world.package.pk]), data or {})


def _state(world):
    return Package.objects.get(pk=world.package.pk).state


def _explain_all(world):
    c = client_for(world.clerk)
    resp = c.get(reverse("packages:findings", args=[world.package.pk]))
    keys = [v.key for v in resp.context["views"] if v.severity == "error"]
    data = {"base_revision": str(world.package.head_number)}
    data.update({f"explain.{k}": f"原因说明{i}" for i, k in enumerate(keys)})
    assert c.post(reverse("packages:findings", args=[world.package.pk]), data).status_code == 302
    world.package.refresh_from_db()
    return keys


def test_it_refuses_to_prepare_unexplained_errors(world):
    resp = _post(client_for(world.clerk), "packages:prepare", world)
    assert resp.status_code == 302 and _state(world) == State.DRAFT
    msgs = [str(m) for m in resp.wsgi_request._messages]
    assert any("条错误没有书面说明，不能提交" in m for m in msgs)
    assert AuditEvent.objects.filter(action="submit_refused").exists()


def test_it_submits_once_every_error_is_explained(world):
    keys = _explain_all(world)
    assert keys and world.package.head.unexplained_errors == 0
    assert world.package.head.source == "explain"
    assert _post(client_for(world.clerk), "packages:prepare", world).status_code == 302
    assert _state(world) == State.PREPARED
    # The clerk cannot submit; the head can.
    assert _post(client_for(world.clerk), "packages:submit", world).status_code == 403
    assert _post(client_for(world.head), "packages:submit", world).status_code == 302
    pkg = Package.objects.get(pk=world.package.pk)
    assert pkg.state == State.SUBMITTED and pkg.submitted_number == pkg.head_number
    assert list(Transition.objects.filter(package=pkg).order_by("id").values_list("to_state", flat=True)) == [
        State.PREPARED, State.SUBMITTED]


def test_it_locks_a_submitted_package_until_the_bureau_returns_it(world):
    _explain_all(world)
    _post(client_for(world.clerk), "packages:prepare", world)
    _post(client_for(world.head), "packages:submit", world)
    save = {"base_revision": str(world.package.head_number), "basic.note": "提交后修改"}
    url = reverse("packages:sheet", args=[world.package.pk, "basic"])
    assert client_for(world.clerk).post(url, save).status_code == 403
    page = client_for(world.clerk).get(url).content.decode()
    assert "只读" in page
    # Returning needs a reason.
    assert _post(client_for(world.reviewer), "packages:return", world).status_code == 302
    assert _state(world) == State.SUBMITTED
    assert _post(client_for(world.reviewer), "packages:return", world, {"comment": "请补充偏差原因"}).status_code == 302
    assert _state(world) == State.RETURNED
    assert client_for(world.clerk).post(url, save).status_code == 302
    assert Transition.objects.filter(package_id=world.package.pk, to_state=State.RETURNED, comment="请补充偏差原因").exists()
    # One review path: returning from the package page records the decision as the review page does.
    from jixiao.web.bureau.models import Decision, Review

    review = Review.objects.get(package_id=world.package.pk)
    assert review.decision == Decision.RETURN and review.reviewer == world.reviewer and review.comment == "请补充偏差原因"


def test_it_returns_a_changed_package_to_draft(world):
    _explain_all(world)
    _post(client_for(world.clerk), "packages:prepare", world)
    url = reverse("packages:sheet", args=[world.package.pk, "basic"])
    client_for(world.clerk).post(url, {"base_revision": str(world.package.head_number), "basic.note": "又改了"})
    assert _state(world) == State.DRAFT  # the head approved other content


def test_it_lets_the_head_send_it_back(world):
    _explain_all(world)
    _post(client_for(world.clerk), "packages:prepare", world)
    assert _post(client_for(world.head), "packages:unprepare", world, {"comment": "再核对"}).status_code == 302
    assert _state(world) == State.DRAFT


def test_it_refuses_a_submit_of_a_revision_the_head_has_not_seen(world):
    _explain_all(world)
    _post(client_for(world.clerk), "packages:prepare", world)
    resp = _post(client_for(world.head), "packages:submit", world, {"base_revision": "1"})
    assert resp.status_code == 302 and _state(world) == State.PREPARED


def test_it_submits_a_clean_package_without_explanations(world):
    doc = canonical(evaluate(second_document(), "hunan-2023").package)
    actions.do_save(package_id=world.package.pk, actor=world.clerk, document=doc, base_number=2)
    world.package.refresh_from_db()
    assert world.package.head.errors == 0
    _post(client_for(world.clerk), "packages:prepare", world)
    _post(client_for(world.head), "packages:submit", world)
    assert _state(world) == State.SUBMITTED
    assert _post(client_for(world.reviewer), "packages:accept", world).status_code == 302
    assert _state(world) == State.ACCEPTED
    from jixiao.web.bureau.models import Decision, Review

    assert list(Review.objects.filter(package_id=world.package.pk).values_list("decision", flat=True)) == [Decision.ACCEPT]


def test_it_lets_a_clerk_start_a_campaign_package(world):
    c = client_for(world.clerk_b)
    home = c.get(reverse("packages:home")).content.decode()
    assert "开始填报" in home
    resp = c.post(reverse("packages:start", args=[world.campaign.pk]))
    pkg = Package.objects.get(unit=world.unit_b)
    assert resp.status_code == 302 and pkg.head_number == 1
    doc = pkg.head.document
    assert doc["unit_name"] == world.unit_b.name and len(doc["report"]["sections"]) == 10
    assert [lv["label"] for lv in doc["overall"]["indicators"]] == ["产出指标(50分)", "效益指标(30分)", "满意度指标(10分)"]
    # Not a campaign of the unit's bureau: not found.
    assert c.post(reverse("packages:start", args=[world.other_campaign.pk])).status_code == 404
