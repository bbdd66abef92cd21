"""One unit and the bureau through the year in Debian's Chromium: the unit types its targets into
the sheets and submits them, the bureau approves them; the monitoring table starts from them and
the unit types in a lagging project (ticking its 偏差原因), which the monitoring dashboard shows; the
self-evaluation starts from them too, the unit lowers a 年度指标值 and attaches evidence to the
indicator; the review page flags the changed target with both values and lists the evidence, the
bureau accepts and makes the finding a rectification item, the unit responds, and next spring the
item shows in the unit's new package until the bureau closes it.

Each step is a function taking the story (page, server, world, what earlier steps found); the
evidence and rectification steps are the evidence story's (tests/web/evidencesteps.py).
Screenshots: JIXIAO_SCREENSHOTS=docs pytest tests/web/cycle/test_browser_whole_year.py."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cycleworld import INDICATOR, PROJECT, CycleWorld
from evidencesteps import (
    attach_evidence,
    bureau_closes,
    pdf_bytes,
    reviewer_accepts,
    reviewer_creates_rectification,
    reviewer_downloads_evidence,
    unit_responds,
)
from test_browser_story import browser, login, logout  # noqa: F401 (the shared Chromium fixture)

pytestmark = pytest.mark.browser
IND = "projects.0.indicators.0.children.0.indicators.0"


@dataclass
class Story:
    page: object
    base: str
    world: CycleWorld
    urls: dict[str, str] = field(default_factory=dict)  # stage -> the package's overview URL
    found: dict[str, object] = field(default_factory=dict)  # what a step leaves for later ones

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


# What the clerk types into the targets sheets: (一级, 二级 index in the form's tree) → 三级指标,
# 年度指标值, 分值 — every level the targets pack requires, the 分值 adding up to 100.
TARGETS = [
    ((0, 0), INDICATOR, "≥5000卷", "30"),
    ((0, 1), "数字化成果验收合格率", "≥98%", "20"),
    ((0, 2), "年度任务完成时间", "≤12月", "10"),
    ((0, 3), "每卷数字化成本", "≤240元", "10"),
    ((1, 1), "数字档案在线查询服务人次", "≥3000人次", "20"),
    ((2, 0), "查档群众满意度", "≥90%", "10"),
]


def type_targets(page, table: str) -> None:
    for (i, j), name, target, weight in TARGETS:
        at = f"{table}.indicators.{i}.children.{j}.indicators.0"
        page.fill(f"[name='{at}.name']", name)
        page.fill(f"[name='{at}.target']", target)
        page.fill(f"[name='{at}.weight']", weight)


def save_sheet(page) -> None:
    page.click("button.save")
    page.wait_for_selector(".messages li.success")


# ------------------------------------------------------------------ the year, step by step


def unit_fills_and_submits_targets(s: Story) -> None:
    s.as_user("dangan-clerk")
    home = s.page.locator("section.cycle-steps").inner_text()
    assert "绩效目标申报" in home and "绩效运行监控" in home and "未开始" in home
    s.start("绩效目标申报", "targets")
    page = s.page
    page.click("button:has-text('增加一张项目支出绩效目标申报表')")
    page.wait_for_url(re.compile(r"/sheet/project-0/"))
    for name, value in (("project_name", PROJECT), ("department", "岳阳楼区住房和城乡建设局"),
                        ("implementing_unit", s.world.unit.name), ("funds.initial_budget", "120"),
                        ("funds.mid_term_budget", "300"), ("goals.expected", "完成馆藏档案数字化5000卷"),
                        ("goals.mid_term", "三年完成馆藏档案全部数字化")):
        page.fill(f"[name='projects.0.{name}']", value)
    type_targets(page, "projects.0")
    save_sheet(page)
    s.shot("targets")
    page.goto(f"{s.urls['targets']}sheet/overall/")
    page.fill("[name='overall.goals.expected']", "保管好城建档案，完成馆藏档案数字化5000卷")
    page.fill("[name='overall.tasks_total.total']", "120")
    type_targets(page, "overall")
    save_sheet(page)
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
    assert "已批复（批复第1版，已冻结）" in s.page.locator("section.cycle-steps").inner_text()
    s.start("绩效运行监控", "monitoring")
    page = s.page
    page.goto(f"{s.urls['monitoring']}sheet/project-0/")
    # Prefilled from the approved targets: the project, its budget, the indicator and its value.
    assert page.input_value("[name='projects.0.project_name']") == PROJECT
    assert page.input_value(f"[name='{IND}.name']") == INDICATOR
    assert page.input_value(f"[name='{IND}.target']") == "≥5000卷"
    # The 1-7月 figures: 30 of 120万元 spent (25%), 1800 of 5000卷, 4200 expected by the year end.
    page.fill("[name='projects.0.funds.executed']", "30")
    page.fill(f"[name='{IND}.actual']", "1800卷")
    page.fill(f"[name='{IND}.forecast']", "4200卷")
    page.select_option(f"[name='{IND}.likelihood']", "有可能")
    page.check(f"input[type=checkbox][name='{IND}.causes'][value='经费保障']")
    page.fill(f"[name='{IND}.remark']", "扫描设备采购延迟")
    save_sheet(page)
    assert page.input_value("[name='projects.0.funds.executed']") in ("30", "30.00")
    assert page.is_checked(f"input[type=checkbox][name='{IND}.causes'][value='经费保障']")
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
    save_sheet(s.page)


def unit_attaches_evidence(s: Story) -> None:
    """Before submitting, the clerk (still logged in) attaches the acceptance record to the indicator."""
    with tempfile.TemporaryDirectory() as tmp:
        evidence = Path(tmp) / "档案数字化验收记录.pdf"
        evidence.write_bytes(pdf_bytes())
        attach_evidence(s.page, s.base, s.package_id("evaluation"), INDICATOR, evidence)
        s.found["evidence"] = (evidence.name, evidence.read_bytes())
    s.submit("evaluation")


def review_page_flags_the_changed_target(s: Story) -> None:
    s.as_user("reviewer")
    s.page.goto(f"{s.base}/bureau/p/{s.package_id('evaluation')}/review/")
    assert "对照2024年度批复的绩效目标（第1版" in s.page.content()
    findings = s.page.locator("main").inner_text()
    assert "≥3000卷" in findings and "≥5000卷" in findings and INDICATOR in findings
    s.shot("review")
    name, content = s.found["evidence"]
    assert reviewer_downloads_evidence(s.page, s.base, s.package_id("evaluation"), name) == content


def bureau_makes_it_a_rectification(s: Story) -> None:
    """The reviewer accepts the package and makes the changed target a rectification item due in spring."""
    pid = s.package_id("evaluation")
    reviewer_accepts(s.page, s.base, pid)
    due = dt.date(s.world.campaign.year + 2, 4, 30)
    s.found["item"] = reviewer_creates_rectification(s.page, s.base, pid, "≥3000卷", due.isoformat(),
                                                     note="年度指标值未经批复自行调低，请说明并规范目标调整程序")
    logout(s.page)
    s.as_user("dangan-clerk")
    unit_responds(s.page, s.base, pid, s.found["item"], "建立绩效目标调整报批制度",
                  "已制定《绩效目标调整管理办法》，调整须报财政局批复")
    logout(s.page)


def closed_next_spring(s: Story) -> None:
    """Next spring's campaign: the unit's new package shows the open item; the bureau closes it
    and it no longer shows."""
    from jixiao.web.evidence.models import RectificationItem, RectState
    from jixiao.web.packages import actions
    from jixiao.web.packages.models import Campaign

    w = s.world
    spring = Campaign.objects.create(bureau=w.bureau, year=w.campaign.year + 1, title=f"{w.campaign.year + 1}年度自评",
                                     form="national", rule_pack="national")
    spring.units.set([w.unit])
    nxt = actions.do_create_package(campaign=spring, unit=w.unit, actor=w.clerk)
    item = s.found["item"]
    s.as_user("dangan-clerk")
    s.page.goto(f"{s.base}/p/{nxt.pk}/")
    assert s.page.locator("ul.rectifications.earlier").locator(f"a[href='/evidence/rectification/{item}/']").count() == 1
    logout(s.page)
    s.as_user("reviewer")
    bureau_closes(s.page, s.base, item, "经核查，制度已建立，整改到位")
    assert RectificationItem.objects.get(pk=item).state == RectState.CLOSED
    logout(s.page)
    s.as_user("dangan-clerk")
    s.page.goto(f"{s.base}/p/{nxt.pk}/")
    assert s.page.locator("ul.rectifications.earlier").count() == 0
    logout(s.page)


YEAR = [unit_fills_and_submits_targets, bureau_approves_targets, unit_enters_a_lagging_project, dashboard_shows_it,
        unit_changes_an_approved_target, unit_attaches_evidence, review_page_flags_the_changed_target,
        bureau_makes_it_a_rectification, closed_next_spring]


def test_one_unit_and_the_bureau_through_the_year(live_server, transactional_db, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(15000)
    story = Story(page=page, base=live_server.url, world=CycleWorld())
    for step in YEAR:
        step(story)
    page.close()
