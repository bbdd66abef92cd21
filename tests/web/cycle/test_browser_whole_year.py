"""One unit and the bureau through the year in Debian's Chromium: the unit fills and submits its
targets, the bureau approves them; the monitoring table starts from them and the unit enters a
lagging project, which the monitoring dashboard shows; the self-evaluation starts from them too,
the unit changes a 年度指标值, and the review page flags it with both values.

Each step is a function taking the story (page, server, world, what earlier steps found), so the
later steps of the cycle (evidence, rectification) are added as more functions at the end.
Screenshots: JIXIAO_SCREENSHOTS=docs pytest tests/web/cycle/test_browser_whole_year.py."""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cycleworld import INDICATOR, PROJECT, CycleWorld, targets_document
from test_browser_story import browser, login, logout  # noqa: F401 (the shared Chromium fixture)

pytestmark = pytest.mark.browser
IND = "projects.0.indicators.0.children.0.indicators.0"


@dataclass
class Story:
    page: object
    base: str
    world: CycleWorld
    urls: dict[str, str] = field(default_factory=dict)  # stage -> the package's overview URL

    def shot(self, name: str) -> None:
        where = os.environ.get("JIXIAO_SCREENSHOTS")
        if where:
            Path(where).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(where) / f"web-cycle-{name}.png"), full_page=True)

    def as_user(self, username: str) -> None:
        login(self.page, self.base, username)

    def start(self, label: str, stage: str) -> None:
        self.page.goto(f"{self.base}/")
        self.page.click(f"button:has-text('开始填报{label}')")
        self.page.wait_for_url(re.compile(r"/p/\d+/$"))
        self.urls[stage] = self.page.url

    def submit(self, stage: str) -> None:
        """填表人 explains any error that remains and asks the head, who submits."""
        page, url = self.page, self.urls[stage]
        page.goto(f"{url}findings/")
        boxes = page.locator("textarea[name^='explain.']")
        if boxes.count():
            for i in range(boxes.count()):
                boxes.nth(i).fill("年中尚未完成，按实际情况说明。")
            page.click("button:has-text('保存说明')")
        page.goto(url)
        page.click("button:has-text('提请单位负责人提交')")
        logout(page)
        self.as_user("dangan-head")
        page.goto(url)
        page.click("button:has-text('提交财政局')")
        assert "材料已提交财政局" in page.locator(".messages").inner_text()
        logout(page)

    def package_id(self, stage: str) -> int:
        return int(re.search(r"/p/(\d+)/", self.urls[stage]).group(1))


def import_file(s: Story, name: str, document: dict) -> None:
    """Import ``document`` as a JSON file through the package's 导入 form (the page must be its overview)."""
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / name
        f.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        s.page.set_input_files("input[type=file]", str(f))
        s.page.click("button:has-text('导入为新版本')")
    assert "已导入" in s.page.locator(".messages").inner_text()


def monitoring_filled(world: CycleWorld, package_id: int) -> dict:
    """The unit's prefilled monitoring table with its 1-7月 figures: 30 of 120万元 spent (25%)."""
    from jixiao.web.packages.models import Package

    doc = Package.objects.get(pk=package_id).head.document
    p = doc["projects"][0]
    p["funds"]["executed"] = "30"
    ind = p["indicators"][0]["children"][0]["indicators"][0]
    ind.update(actual="1800卷", forecast="4200卷", likelihood="有可能", causes=["经费保障"], remark="扫描设备采购延迟")
    return doc


# ------------------------------------------------------------------ the year, step by step


def unit_fills_and_submits_targets(s: Story) -> None:
    # The targets are imported from a file (the sheet of the targets form is drawn by the draw
    # helper's grid; once it draws, this step can type them into the sheet instead).
    s.as_user("dangan-clerk")
    home = s.page.locator("section.cycle-steps").inner_text()
    assert "绩效目标申报" in home and "绩效运行监控" in home and "未开始" in home
    s.start("绩效目标申报", "targets")
    import_file(s, "绩效目标申报表.json", targets_document(s.world.unit.name))
    s.submit("targets")


def bureau_approves_targets(s: Story) -> None:
    s.as_user("reviewer")
    s.page.goto(f"{s.base}/bureau/p/{s.package_id('targets')}/review/")
    s.page.click("button:has-text('批复绩效目标')")
    s.page.wait_for_selector(".messages li.success")
    assert "绩效目标已批复（第1版），已冻结" in s.page.locator(".messages").inner_text()
    approvals = s.page.locator("section.approvals").inner_text()
    assert "第1版（现行）" in approvals and "准予调整绩效目标" in s.page.content()
    s.shot("approval")
    logout(s.page)


def unit_enters_a_lagging_project(s: Story) -> None:
    s.as_user("dangan-clerk")
    assert "已批复（第1版）" in s.page.locator("section.cycle-steps").inner_text()
    s.start("绩效运行监控", "monitoring")
    s.page.goto(f"{s.urls['monitoring']}sheet/project-0/")
    # Prefilled from the approved targets: the project, its budget, the indicator and its value.
    assert s.page.input_value("[name='projects.0.project_name']") == PROJECT
    assert s.page.input_value(f"[name='{IND}.name']") == INDICATOR
    assert s.page.input_value(f"[name='{IND}.target']") == "≥5000卷"
    # The 1-7月 figures go in as a file built from the prefilled table: the sheet posts its tick
    # cells (偏差原因) as text until the draw helper's tick cells land (test_it_draws_the_cycle_sheets,
    # xfail until then); once they do, this step types them into the sheet instead.
    doc = monitoring_filled(s.world, s.package_id("monitoring"))
    s.page.goto(s.urls["monitoring"])
    import_file(s, "绩效目标执行监控表.json", doc)
    s.page.goto(f"{s.urls['monitoring']}sheet/project-0/")
    assert s.page.input_value("[name='projects.0.funds.executed']") in ("30", "30.00")
    s.shot("monitoring")
    s.submit("monitoring")


def dashboard_shows_it(s: Story) -> None:
    s.as_user("reviewer")
    s.page.goto(f"{s.base}/bureau/c/{s.world.campaign.pk}/monitoring/")
    behind = s.page.locator("table.monitoring-behind").inner_text()
    assert s.world.unit.name in behind and "25.00%" in behind and "33.33个百分点" in behind
    risk = s.page.locator("table.monitoring-risk").inner_text()
    assert INDICATOR in risk and "全年预计完成值4200卷未达年度指标值≥5000卷" in risk
    assert "时间进度 58.33%" in s.page.content()
    s.shot("dashboard")
    s.page.click("table.monitoring-behind a:has-text('查看')")
    s.page.wait_for_url(re.compile(rf"/bureau/p/{s.package_id('monitoring')}/review/$"))
    logout(s.page)


def unit_changes_an_approved_target(s: Story) -> None:
    s.as_user("dangan-clerk")
    s.start("绩效自评", "evaluation")
    s.page.goto(f"{s.urls['evaluation']}sheet/project-0/")
    assert s.page.input_value(f"[name='{IND}.target']") == "≥5000卷"  # prefilled from the approval
    s.page.fill(f"[name='{IND}.target']", "≥3000卷")  # lowered at year end to match the result
    s.page.fill(f"[name='{IND}.actual']", "3100卷")
    s.page.click("button.save")
    s.page.wait_for_selector(".messages li.success")
    s.submit("evaluation")


def review_page_flags_the_changed_target(s: Story) -> None:
    from jixiao.rules import load_pack

    s.as_user("reviewer")
    s.page.goto(f"{s.base}/bureau/p/{s.package_id('evaluation')}/review/")
    page = s.page.content()
    assert "对照2024年度批复的绩效目标（第1版" in page
    s.shot("review")
    rules = load_pack("national").get("rules", default={}) or {}
    if not any(k.startswith("cycle.") for k in rules):
        pytest.xfail("the changed-target check (helper checks, rules/checks/cycle_checks.py) is not on main yet")
    findings = s.page.locator("main").inner_text()
    assert "≥3000卷" in findings and "≥5000卷" in findings and INDICATOR in findings
    logout(s.page)


YEAR = [unit_fills_and_submits_targets, bureau_approves_targets, unit_enters_a_lagging_project, dashboard_shows_it,
        unit_changes_an_approved_target, review_page_flags_the_changed_target]


def test_one_unit_and_the_bureau_through_the_year(live_server, transactional_db, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(15000)
    story = Story(page=page, base=live_server.url, world=CycleWorld())
    for step in YEAR:
        step(story)
    page.close()
