"""Monitoring and the self-evaluation start from the approved targets, next year's targets from this
year's; every check of a package gets the approved targets (cycle_context_for), and a new approval
checks the same revision again."""

from __future__ import annotations

import pytest
from cycleworld import INDICATOR, PROJECT

from jixiao.web.packages.cycle_context import approved_targets_of, cycle_context_for


def _indicator(doc: dict) -> dict:
    return doc["projects"][0]["indicators"][0]["children"][0]["indicators"][0]


def test_monitoring_starts_from_the_approved_targets(cw):
    cw.approved_targets()
    m = cw.start("monitoring")
    doc = m.head.document
    assert doc["form"] == "monitoring-national" and m.head.note == "按批复的绩效目标（第1版）预填"
    assert doc["projects"][0]["project_name"] == PROJECT
    assert doc["projects"][0]["funds"]["initial_budget"] == "120.00" or float(doc["projects"][0]["funds"]["initial_budget"]) == 120
    ind = _indicator(doc)
    assert (ind["name"], ind["target"]["raw"]) == (INDICATOR, "≥5000卷")
    assert not (ind.get("actual") or {}).get("raw")  # the 1-7月 figures are the unit's to fill


def test_the_self_evaluation_starts_from_the_approved_targets_with_their_weights(cw):
    cw.approved_targets()
    e = cw.start("evaluation")
    ind = _indicator(e.head.document)
    # approved 20 of 100 → 18 of the 90 the national table leaves beside 预算执行率 10 (cycle.weight_scale)
    assert (ind["name"], ind["target"]["raw"], float(ind["weight"])) == (INDICATOR, "≥5000卷", 18)
    assert e.head.note.startswith("按批复的绩效目标")


def test_without_approved_targets_nothing_is_prefilled_from_them(cw):
    pkg = cw.start("targets")
    assert cw.start("monitoring").head.note == ""
    assert approved_targets_of(pkg) is None


def test_next_years_targets_are_carried_over_from_this_years_approved_ones(cw):
    from jixiao.web.packages.actions import do_create_package
    from jixiao.web.packages.models import Campaign

    cw.approved_targets()
    nxt = Campaign.objects.create(bureau=cw.bureau, year=2025, title="2025", form="national", rule_pack="national",
                                  targets_form="targets-national")
    nxt.units.set([cw.unit])
    pkg = do_create_package(campaign=nxt, unit=cw.unit, actor=cw.clerk, stage="targets")
    doc = pkg.head.document
    assert doc["fiscal_year"] == 2025 and doc["projects"][0]["project_type"] == "延续"
    assert _indicator(doc)["target"]["raw"] == "≥5000卷"
    assert pkg.head.note == "按2024年度批复的绩效目标（第1版）预填"


def test_the_context_holds_the_latest_approved_version(cw):
    from cycleworld import targets_document

    from jixiao.web.packages.cycle_actions import do_allow_adjustment

    t = cw.approved_targets()
    e = cw.start("evaluation")
    assert _target_of(cycle_context_for(e)) == "≥5000卷"
    assert approved_targets_of(t) is None  # targets are not held to themselves
    do_allow_adjustment(package_id=t.pk, actor=cw.reviewer, reason="预算调减")
    assert _target_of(cycle_context_for(e)) == "≥5000卷"  # until the adjusted targets are approved
    cw.save(t, targets_document(cw.unit.name, target="≥4000卷"))
    cw.approve(cw.submit(t))
    assert _target_of(cycle_context_for(e)) == "≥4000卷"


def _target_of(ctx) -> str:
    return ctx.approved_targets.projects[0].indicators[0].children[0].indicators[0].target.raw


@pytest.mark.parametrize("page", ["overview", "findings", "review"])
def test_every_page_that_checks_the_package_passes_the_approved_targets(cw, monkeypatch, page):
    """Every page's check gets the context (the changed-target check itself: the test below)."""
    from webworld import client_for

    import jixiao.web.packages.checking as checking
    from jixiao.web.packages.checking import REVISION_CACHE

    cw.approved_targets()
    e = cw.start("evaluation")
    seen = []
    real = checking.check_package

    def spy(package, pack, cycle=None):
        seen.append(cycle)
        return real(package, pack, cycle=cycle)

    monkeypatch.setattr(checking, "check_package", spy)
    REVISION_CACHE.items.clear()
    if page == "review":
        cw.submit(e)
        seen.clear()
        r = client_for(cw.reviewer).get(f"/bureau/p/{e.pk}/review/")
    else:
        r = client_for(cw.clerk).get(f"/p/{e.pk}/" + ("findings/" if page == "findings" else ""))
    assert r.status_code == 200
    assert seen and all(c is not None and _target_of(c) == "≥5000卷" for c in seen)


def test_a_new_approval_checks_the_same_revision_again(cw):
    from jixiao.web.packages.checking import context_key, evaluate_revision

    e = cw.start("evaluation")
    before = evaluate_revision(e.head, e.rule_pack, cycle=cycle_context_for(e))
    cw.approved_targets()
    after = evaluate_revision(e.head, e.rule_pack, cycle=cycle_context_for(e))
    assert before is not after and before.cycle_key == "" and after.cycle_key == context_key(cycle_context_for(e))
    assert evaluate_revision(e.head, e.rule_pack, cycle=cycle_context_for(e)) is after  # cached while unchanged


def test_a_lowered_target_is_flagged_on_review_and_can_become_a_rectification_item(cw):
    """The review page and the rectification's choice of findings both check against the approved
    targets: the finding names the indicator and both values."""
    import copy

    from webworld import client_for

    from jixiao.web.evidence.views_rect import finding_choices

    cw.approved_targets()
    e = cw.start("evaluation")
    doc = copy.deepcopy(e.head.document)
    _indicator(doc)["target"] = "≥3000卷"
    cw.save(e, doc)
    cw.submit(e)
    e.refresh_from_db()
    html = client_for(cw.reviewer).get(f"/bureau/p/{e.pk}/review/").content.decode()
    assert "≥3000卷" in html and "≥5000卷" in html
    changed = [text for _, text in finding_choices(e.head, e) if "≥3000卷" in text]
    assert changed and "≥5000卷" in changed[0] and INDICATOR in changed[0]


def test_an_unchanged_target_gives_no_changed_target_choice(cw):
    from jixiao.web.evidence.views_rect import finding_choices

    cw.approved_targets()
    e = cw.start("evaluation")
    cw.submit(e)
    e.refresh_from_db()
    assert not [text for _, text in finding_choices(e.head, e) if "≥5000卷" in text and "批复" in text]
