"""What next year's checks learn from this app (packages.cycle_context): the open items of
earlier years, the indicators with evidence, the names the campaign requires."""

from __future__ import annotations

import datetime as dt

from evidenceworld import attach, first_choice, pdf_bytes
from webworld import client_for

from jixiao.cycle import CycleContext, Rectification, indicator_key
from jixiao.web.evidence import actions
from jixiao.web.evidence.models import Evidence, RectificationItem, RectState
from jixiao.web.packages import actions as unit_actions
from jixiao.web.packages.checking import evaluate_revision
from jixiao.web.packages.cycle_context import (
    cycle_context_for,
    evidence_of,
    evidence_required_of,
    open_rectifications_of,
)
from jixiao.web.packages.models import Campaign


def _next_year(world):
    c2024 = Campaign.objects.create(bureau=world.bureau, year=2024, title="2024年度自评")
    c2024.units.set([world.unit_a, world.unit_b])
    return unit_actions.do_create_package(campaign=c2024, unit=world.unit_a, actor=world.clerk)


def _item(world, year, problem, state=RectState.OPEN, **kw):
    return RectificationItem.objects.create(package=world.package, unit=world.unit_a, year=year, problem=problem,
                                            state=state, created_by=world.reviewer, **kw)


def test_open_items_of_earlier_years_reach_next_years_package(world):
    assert open_rectifications_of(world.package) == () and cycle_context_for(world.package) is None
    _item(world, 2023, "目标值未量化", due=dt.date(2024, 6, 30), measures="细化指标", progress="已完成一半",
          state=RectState.RESPONDED)
    _item(world, 2023, "已整改完毕的问题", state=RectState.CLOSED)
    _item(world, 2022, "更早的问题")
    nxt = _next_year(world)
    got = open_rectifications_of(nxt)
    assert got == (Rectification(problem="更早的问题", due=None, response=None, closed=False, year=2022),
                   Rectification(problem="目标值未量化", due=dt.date(2024, 6, 30), response="细化指标\n已完成一半",
                                 closed=False, year=2023))
    assert cycle_context_for(nxt).open_rectifications == got
    # The year's own items are not "earlier"; another unit's never are.
    assert [r.year for r in open_rectifications_of(world.package)] == [2022]
    b2024 = unit_actions.do_create_package(campaign=nxt.campaign, unit=world.unit_b, actor=world.clerk_b)
    assert open_rectifications_of(b2024) == ()


def test_the_written_out_query_answers_as_the_orm_would(world):
    """open_rectifications_of writes its statement out (the save's path); the ORM's query for the
    same items gives the same items in the same order, blank deadlines included, on either database."""
    for year, day, state in [(2023, 5, RectState.OPEN), (2023, None, RectState.RESPONDED), (2022, 9, RectState.OPEN),
                             (2023, 1, RectState.CLOSED), (2022, None, RectState.OPEN), (2023, 5, RectState.OPEN),
                             (2021, 3, RectState.RESPONDED)]:
        _item(world, year, f"{year}年问题{day}", due=dt.date(2024, 1, day) if day else None, state=state,
              measures=f"措施{day}" if day else "", progress=" " if day == 5 else "进展")
    nxt = _next_year(world)
    orm = (RectificationItem.objects.filter(unit_id=nxt.unit_id, year__lt=nxt.campaign.year)
           .exclude(state=RectState.CLOSED).order_by("year", "due", "id"))
    expected = tuple(Rectification(problem=i.problem, due=i.due, response=i.response or None, closed=False, year=i.year)
                     for i in orm)
    assert len(expected) == 6
    assert open_rectifications_of(nxt) == expected


def test_evidence_of_names_the_indicators_by_the_cycles_key(world):
    choice = first_choice(world.package)
    attach(client_for(world.clerk), world.package, "证明.pdf", pdf_bytes(), choice)
    ev = evaluate_revision(world.package.head, world.package.campaign.rule_pack)
    table = ev.package.overall
    first = table.indicators[0].children[0].indicators[0]
    assert evidence_of(world.package) == frozenset({indicator_key(table, first.name)})
    # the context carries the evidence only when the campaign requires some (nothing else reads it)
    assert cycle_context_for(world.package) is None
    actions.do_set_policy(campaign=world.campaign, actor=world.reviewer, required=first.name, publish_evidence=False)
    world.package.campaign.refresh_from_db()
    assert cycle_context_for(world.package) == CycleContext(evidence=frozenset({indicator_key(table, first.name)}),
                                                            evidence_required=(first.name,))
    Evidence.objects.update(removed_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    assert evidence_of(world.package) == frozenset()


def test_evidence_required_follows_the_campaigns_policy(world):
    assert evidence_required_of(world.package) == ()
    actions.do_set_policy(campaign=world.campaign, actor=world.reviewer, required="群众满意度\n考评覆盖率、群众满意度\n",
                          publish_evidence=False)
    world.package.campaign.refresh_from_db()
    assert evidence_required_of(world.package) == ("群众满意度", "考评覆盖率")
    assert cycle_context_for(world.package).evidence_required == ("群众满意度", "考评覆盖率")


def test_the_package_page_names_missing_required_evidence(world):
    choice = first_choice(world.package)
    actions.do_set_policy(campaign=world.campaign, actor=world.reviewer, required=choice.indicator_label,
                          publish_evidence=False)
    page = client_for(world.clerk).get(f"/p/{world.package.pk}/").content.decode()
    assert "尚缺佐证材料" in page and choice.indicator_label in page
    attach(client_for(world.clerk), world.package, "证明.pdf", pdf_bytes(), choice)
    page = client_for(world.clerk).get(f"/p/{world.package.pk}/").content.decode()
    assert "尚缺佐证材料" not in page


def test_next_years_package_page_shows_the_open_items(world):
    _item(world, 2023, "专项资金执行率偏低")
    nxt = _next_year(world)
    page = client_for(world.clerk).get(f"/p/{nxt.pk}/").content.decode()
    assert "以前年度审核发现、尚未销号的问题" in page and "专项资金执行率偏低" in page
    RectificationItem.objects.update(state=RectState.CLOSED)
    assert "专项资金执行率偏低" not in client_for(world.clerk).get(f"/p/{nxt.pk}/").content.decode()
