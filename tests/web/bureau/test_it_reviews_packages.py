"""Review: the queue worst first; the page shows findings, explanations, scores and years;
return with per-cell comments, the unit sees them, resubmits, the reviewer accepts with a score."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bureauworld import explain_and_submit, submitted_package
from django.urls import reverse
from webworld import client_for

from jixiao.web.bureau.actions import do_review, parse_score
from jixiao.web.bureau.models import Review
from jixiao.web.packages.actions import ActionError
from jixiao.web.packages.models import Campaign, Package, State


def test_it_orders_the_queue_by_severity(world, campaign_units):
    pkgs = [submitted_package(world, u, seed) for u, seed in zip(campaign_units, (11, 12, 13), strict=True)]
    resp = client_for(world.reviewer).get(reverse("bureau:queue", args=[world.campaign.pk]))
    assert resp.status_code == 200
    shown = list(resp.context["packages"])
    keys = [(p.head.unexplained_errors, p.head.errors, p.head.warnings) for p in shown]
    assert keys == sorted(keys, reverse=True) and {p.pk for p in shown} == {p.pk for p in pkgs}
    assert resp.context["tabs"][0] == ("submitted", "待审核", 3)


def test_it_returns_with_cell_comments_and_accepts_the_resubmission(world):
    explain_and_submit(world.package, world.clerk, world.head)
    reviewer = client_for(world.reviewer)
    page = reviewer.get(reverse("bureau:review", args=[world.package.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "单位说明：已核实，情况属实。" in html
    cell = page.context["cells"][0]
    resp = reviewer.post(reverse("bureau:decide", args=[world.package.pk]), {
        "decision": "return", "comment": "请核对基础数据表。", f"cell:{cell['path']}": "此处合计有误，请改正。",
        "cell:basic.no.such.cell": "不会被记录",
    })
    assert resp.status_code == 302
    pkg = Package.objects.get(pk=world.package.pk)
    assert pkg.state == State.RETURNED
    review = Review.objects.get(package=pkg)
    assert review.decision == "return" and review.revision_number == pkg.head_number
    assert [(c.path, c.text) for c in review.comments.all()] == [(cell["path"], "此处合计有误，请改正。")]
    # The unit reads the comments in its 流转记录, each cell named as on its forms.
    overview = client_for(world.clerk).get(reverse("packages:overview", args=[pkg.pk])).content.decode()
    assert f"【{cell['label']}】此处合计有误，请改正。" in overview and "请核对基础数据表。" in overview
    # It comes back: the unit resubmits, the queue shows it with one return behind it.
    explain_and_submit(pkg, world.clerk, world.head)
    queue = reviewer.get(reverse("bureau:queue", args=[world.campaign.pk]))
    assert [(p.pk, p.returns) for p in queue.context["packages"]] == [(pkg.pk, 1)]
    resp = reviewer.post(reverse("bureau:decide", args=[pkg.pk]), {"decision": "accept", "review_total": "85.5"})
    assert resp.status_code == 302
    pkg.refresh_from_db()
    assert pkg.state == State.ACCEPTED
    accepted = Review.objects.filter(package=pkg).first()
    assert (accepted.decision, accepted.review_total, accepted.review_grade) == ("accept", Decimal("85.50"), "良")
    assert accepted.self_total == pkg.head.self_total  # kept beside the self-score, which is unchanged
    # After the accept, “compare with the last review” compares the returned revision with this one.
    after = reviewer.get(reverse("bureau:review", args=[pkg.pk])).content.decode()
    returned_number = review.revision_number
    assert returned_number != pkg.head_number
    assert f"?a={returned_number}&b={pkg.head_number}" in after
    assert f"?a={pkg.head_number}&b={pkg.head_number}" not in after


def test_it_refuses_a_return_without_reason_and_a_bad_score(world):
    Package.objects.filter(pk=world.package.pk).update(state=State.SUBMITTED)
    with pytest.raises(ActionError, match="须写明退回原因"):
        do_review(package_id=world.package.pk, actor=world.reviewer, decision="return", comment="  ")
    for text, msg in [("abc", "不是数字"), ("101", "0至100分"), ("-1", "0至100分"), ("88.123", "两位小数")]:
        with pytest.raises(ActionError, match=msg):
            parse_score(text)
    assert parse_score("") is None and parse_score(" 90 ") == Decimal("90.00")
    resp = client_for(world.reviewer).post(reverse("bureau:decide", args=[world.package.pk]),
                                           {"decision": "accept", "review_total": "120"}, follow=True)
    assert "审核得分应在0至100分之间，填写的是120分。" in resp.content.decode()
    assert Package.objects.get(pk=world.package.pk).state == State.SUBMITTED
    assert not Review.objects.exists()


def test_it_shows_previous_years_side_by_side(world):
    last = Campaign.objects.create(bureau=world.bureau, year=2022, title="2022年度自评")
    last.units.add(world.unit_a)
    old = world.package
    Package.objects.filter(pk=old.pk).update(campaign=last, state=State.ACCEPTED, submitted_number=old.head_number)
    new = submitted_package(world, world.unit_a, 5)
    resp = client_for(world.reviewer).get(reverse("bureau:review", args=[new.pk]))
    years = resp.context["years"]
    assert [y["year"] for y in years] == [2023, 2022] and years[0]["current"]
    assert years[1]["rev"].number == old.head_number and years[0]["executed"] is not None


def test_the_queue_shows_the_score_gap_to_two_places(world, campaign_units):
    import re

    pkgs = [submitted_package(world, u, seed) for u, seed in zip(campaign_units, (11, 12, 13), strict=True)]
    html = client_for(world.reviewer).get(reverse("bureau:queue", args=[world.campaign.pk])).content.decode()
    rows = re.findall(r"<tr>\s*<td>\d+</td>(.*?)</tr>", html, re.S)
    assert len(rows) == len(pkgs)
    for row in rows:
        gap = re.findall(r"<td>([^<]*)</td>", row)[-3]
        assert gap == "" or re.fullmatch(r"[+-]\d+\.\d\d", gap), gap
    for p in pkgs:
        p.refresh_from_db()
        h = p.head
        if h.self_total is not None and h.computed_total is not None:
            assert f"{h.self_total - h.computed_total:+.2f}" in html
