"""Evidence and rectification in Debian's Chromium: the unit attaches evidence to an indicator →
the reviewer sees it on the review page and downloads it → accepts and turns a finding into a
rectification item with a due date → the unit responds → next spring the unit's new package shows
the open item and the bureau closes it.

The steps are functions in tests/web/evidencesteps.py, which the whole-year story reuses. With
JIXIAO_SCREENSHOTS=<dir> the story saves docs/web-evidence-*.png and docs/bureau-rectification-*.png."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from evidencesteps import (
    attach_evidence,
    bureau_closes,
    reviewer_accepts,
    reviewer_creates_rectification,
    reviewer_downloads_evidence,
    shot,
    unit_responds,
)
from test_browser_story import browser, login, logout  # noqa: F401 (the shared Chromium fixture)
from webworld import World

pytestmark = pytest.mark.browser


# ------------------------------------------------------------------ the story


def _submit(world) -> None:
    """The unit's own workflow has its browser story; here it runs server-side."""
    from jixiao.web.packages import actions
    from jixiao.web.packages.checking import evaluate, finding_key
    from jixiao.web.packages.models import Package

    pkg = Package.objects.get(pk=world.package.pk)
    ev = evaluate(pkg.head.document, pkg.campaign.rule_pack)
    notes = {finding_key(f): "已核实。" for f in ev.findings() if f.severity == "error"}
    actions.do_explain(package_id=pkg.pk, actor=world.clerk, base_number=pkg.head_number, explanations=notes)
    actions.do_prepare(package_id=pkg.pk, actor=world.clerk)
    actions.do_submit(package_id=pkg.pk, actor=world.head)


def test_evidence_and_rectification_through_the_year(live_server, transactional_db, browser):  # noqa: F811
    from evidenceworld import first_choice, pdf_bytes

    from jixiao.web.evidence.models import RectificationItem, RectState
    from jixiao.web.packages import actions
    from jixiao.web.packages.models import Campaign

    world = World()
    base = live_server.url
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(15000)
    indicator = first_choice(world.package).indicator_label

    with tempfile.TemporaryDirectory() as tmp:
        evidence = Path(tmp) / "群众满意度调查报告.pdf"
        evidence.write_bytes(pdf_bytes())
        login(page, base, "clerk-a")
        attach_evidence(page, base, world.package.pk, indicator, evidence)
        shot(page, "web-evidence-package.png", ".cols > section")
        logout(page)
        _submit(world)

        login(page, base, "reviewer")
        got = reviewer_downloads_evidence(page, base, world.package.pk, evidence.name)
        assert got == evidence.read_bytes()
        reviewer_accepts(page, base, world.package.pk)
        due = dt.date.today() + dt.timedelta(days=180)
        item_id = reviewer_creates_rectification(page, base, world.package.pk, "区级专项资金", due.isoformat(),
                                                 note=f"请于{due:%Y年%m月%d日}前完成整改")
    shot(page, "web-evidence-review.png", "section.evidence-panel")
    shot(page, "bureau-rectification-review.png", "section.rectification-panel")
    logout(page)

    login(page, base, "clerk-a")
    unit_responds(page, base, world.package.pk, item_id, "修订考评指标，增加量化目标值",
                  "已于2024年5月完成修订并经单位党组会审议")
    shot(page, "bureau-rectification-item.png")
    # Another unit's clerk cannot open it.
    logout(page)
    login(page, base, "clerk-b")
    assert page.goto(f"{base}/evidence/rectification/{item_id}/").status == 404
    logout(page)

    # Next spring: the 2024 campaign; the unit's new package shows the item still open.
    c2024 = Campaign.objects.create(bureau=world.bureau, year=2024, title="2024年度自评")
    c2024.units.set([world.unit_a, world.unit_b])
    nxt = actions.do_create_package(campaign=c2024, unit=world.unit_a, actor=world.clerk)
    login(page, base, "clerk-a")
    page.goto(f"{base}/p/{nxt.pk}/")
    earlier = page.locator("ul.rectifications.earlier")
    assert earlier.locator(f"a[href='/evidence/rectification/{item_id}/']").count() == 1
    shot(page, "bureau-rectification-next-year.png", ".cols > section")
    logout(page)

    login(page, base, "reviewer")
    bureau_closes(page, base, item_id, "经核查，整改到位")
    assert RectificationItem.objects.get(pk=item_id).state == RectState.CLOSED
    page.goto(f"{base}/evidence/rectification/")
    shot(page, "bureau-rectification-list.png")
    logout(page)
    login(page, base, "clerk-a")
    page.goto(f"{base}/p/{nxt.pk}/")
    assert page.locator("ul.rectifications.earlier").count() == 0
    page.close()
