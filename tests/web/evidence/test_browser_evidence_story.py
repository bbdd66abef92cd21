"""Evidence and rectification in Debian's Chromium: the unit attaches evidence to an indicator →
the reviewer sees it on the review page and downloads it → accepts and turns a finding into a
rectification item with a due date → the unit responds → next spring the unit's new package shows
the open item and the bureau closes it.

Each step is a function of (page, base, …) so a longer story (the lead's whole-year test) can
reuse them. With JIXIAO_SCREENSHOTS=<dir> the story saves docs/web-evidence-*.png and
docs/bureau-rectification-*.png."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from pathlib import Path

import pytest
from test_browser_story import browser, login, logout  # noqa: F401 (the shared Chromium fixture)
from webworld import World

pytestmark = pytest.mark.browser


def shot(page, name: str, selector: str | None = None) -> None:
    """The whole page, or only the element ``selector`` names (a panel of a long page)."""
    where = os.environ.get("JIXIAO_SCREENSHOTS")
    if where:
        Path(where).mkdir(parents=True, exist_ok=True)
        if selector:
            page.locator(selector).first.screenshot(path=str(Path(where) / name))
        else:
            page.screenshot(path=str(Path(where) / name), full_page=True)


# ------------------------------------------------------------------ steps


def attach_evidence(page, base: str, package_id: int, indicator: str, path: Path) -> None:
    """The unit's clerk, logged in: on the package page, choose the indicator (by its 三级指标
    name) and upload the file; the page names it afterwards."""
    page.goto(f"{base}/p/{package_id}/")
    select = page.locator("select[name=indicator]")
    value = select.locator("option", has_text=indicator).first.get_attribute("value")
    select.select_option(value)
    page.set_input_files("input[name=file][accept*='.pdf']", str(path))
    page.click("button:has-text('上传佐证材料')")
    page.wait_for_url(re.compile(rf"/p/{package_id}/"))
    assert "已上传佐证材料" in page.locator(".messages").inner_text()
    assert page.locator("li.evidence-file", has_text=path.name).count() == 1


def reviewer_downloads_evidence(page, base: str, package_id: int, name: str) -> bytes:
    """The reviewer, logged in: the review page lists the file; clicking it downloads it."""
    page.goto(f"{base}/bureau/p/{package_id}/review/")
    link = page.locator("section.evidence-panel a", has_text=name)
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


def reviewer_accepts(page, base: str, package_id: int) -> None:
    page.goto(f"{base}/bureau/p/{package_id}/review/")
    page.click("button[name=decision][value=accept]")
    page.wait_for_url(re.compile(rf"/bureau/p/{package_id}/review/"))
    assert "审核通过" in page.locator(".messages").inner_text()


def reviewer_creates_rectification(page, base: str, package_id: int, finding_text: str, due: str,
                                   note: str = "") -> int:
    """From the review page: pick the finding whose text contains ``finding_text``, a due date;
    returns the new item's id."""
    page.goto(f"{base}/bureau/p/{package_id}/review/#rectification")
    select = page.locator("select[name=finding]")
    value = select.locator("option", has_text=finding_text).first.get_attribute("value")
    select.select_option(value)
    if note:
        page.fill("textarea[name=problem]", note)
    page.fill("input[name=due]", due)
    page.click("button:has-text('列为整改事项')")
    page.wait_for_url(re.compile(rf"/bureau/p/{package_id}/review/"))
    message = page.locator(".messages").inner_text()
    assert "已列为整改事项" in message, message
    return int(re.search(r"整改事项#(\d+)", message).group(1))


def unit_responds(page, base: str, package_id: int, item_id: int, measures: str, progress: str) -> None:
    """The clerk: from the package page's list to the item, writes 整改措施 and 整改情况."""
    page.goto(f"{base}/p/{package_id}/#rectification")
    page.click(f"section.evidence-panel a[href='/evidence/rectification/{item_id}/']")
    page.fill("textarea[name=measures]", measures)
    page.fill("textarea[name=progress]", progress)
    page.click("button:has-text('提交整改情况')")
    page.wait_for_url(re.compile(rf"/evidence/rectification/{item_id}/$"))
    assert page.locator("#rect-state").inner_text() == "已反馈"


def bureau_closes(page, base: str, item_id: int, note: str = "") -> None:
    page.goto(f"{base}/evidence/rectification/?state=unclosed")
    page.click(f"a[href='/evidence/rectification/{item_id}/']")
    if note:
        page.fill("textarea[name=note]", note)
    page.click("button:has-text('整改完成，销号')")
    page.wait_for_url(re.compile(rf"/evidence/rectification/{item_id}/$"))
    assert page.locator("#rect-state").inner_text() == "已销号"


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
