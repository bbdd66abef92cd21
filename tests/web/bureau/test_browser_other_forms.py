"""Campaigns on other forms in Debian's Chromium. The bureau opens a campaign on a province's
project form from the new-campaign page; a unit clerk fills a project table (indicators with
指标性质 and 度量单位, the 其中 fund rows, 原因, 评价结论 and the signature), explains the errors and
prepares it, the head submits; the reviewer opens it, sees the findings, returns it with a cell
comment, accepts the resubmission and looks at the dashboard. Then a national-form campaign as
far as the review page.

With JIXIAO_SCREENSHOTS=<dir> the story also saves the screenshots kept in docs/.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from bureauworld import explain_and_submit
from formworld import NATIONAL_FORM, PROJECT_FORM, YEAR, form_campaign
from playwright.sync_api import expect
from test_browser_story import browser, login, logout  # noqa: F401 (the shared Chromium fixture)
from webworld import World

pytestmark = pytest.mark.browser
IND = "projects.0.indicators.{i}.children.0.indicators.0"


def _shot(page, name: str, full: bool = True) -> None:
    where = os.environ.get("JIXIAO_SCREENSHOTS")
    if where:
        Path(where).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(where) / name), full_page=full)


def _fill(page, values: dict[str, str]) -> None:
    for path, value in values.items():
        page.fill(f"[name='{path}']", value)


def _project_values(unit: str) -> dict[str, str]:
    values = {
        "projects.0.project_name": "县乡道路养护", "projects.0.department": "某某县交通运输局",
        "projects.0.implementing_unit": unit,
        "projects.0.funds.initial_budget": "100", "projects.0.funds.full_year_budget": "100",
        "projects.0.funds.executed": "85", "projects.0.funds.execution_rate": "85",
        "projects.0.funds.self_score": "8.5", "projects.0.funds.reason": "年末尚有工程款未结算。",
        "projects.0.fiscal_funds.initial_budget": "80", "projects.0.fiscal_funds.full_year_budget": "80",
        "projects.0.fiscal_funds.executed": "70", "projects.0.fiscal_funds.execution_rate": "87.5",
        "projects.0.unit_funds.initial_budget": "20", "projects.0.unit_funds.full_year_budget": "20",
        "projects.0.unit_funds.executed": "15", "projects.0.unit_funds.execution_rate": "75",
        "projects.0.goals.expected": "完成县乡道路养护120公里。", "projects.0.goals.actual": "完成养护118公里。",
        "projects.0.summary": "全年按计划开展日常养护和专项整治。",
        "projects.0.conclusion": "项目基本完成年度目标。", "projects.0.problems": "部分路段进度偏慢。",
        "projects.0.improvements": "细化月度养护计划。",
        "projects.0.signature.project_head": "王五", "projects.0.signature.finance_head": "赵六",
    }
    for i, (name, nature, target, unit_, actual, weight) in enumerate([
        ("养护里程", "≥", "120", "公里", "118", "50"), ("群众出行便利度", "≥", "95", "%", "96", "30"),
        ("群众满意度", "≥", "90", "%", "92", "10"),
    ]):
        ind = IND.format(i=i)
        values |= {f"{ind}.name": name, f"{ind}.nature": nature, f"{ind}.target": target, f"{ind}.unit": unit_,
                   f"{ind}.actual": actual, f"{ind}.weight": weight, f"{ind}.self_score": weight}
    return values


def test_a_unit_fills_a_project_table_and_the_bureau_reviews_it(live_server, transactional_db, browser):  # noqa: F811
    from jixiao.web.packages.models import Campaign, Package

    world = World()
    base = live_server.url
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    page.set_default_timeout(30000)

    # The bureau opens a campaign on the province's project form.
    login(page, base, "reviewer")
    page.goto(f"{base}/bureau/new/")
    page.fill("input[name=year]", str(YEAR))
    page.fill("input[name=title]", f"{YEAR}年度部门预算项目支出绩效自评")
    page.select_option("select[name=rule_pack]", PROJECT_FORM)
    page.uncheck("input[name=prefill]")
    _shot(page, "bureau-campaign-form.png", full=False)
    page.click("button:has-text('创建')")
    page.wait_for_url(re.compile(r"/bureau/c/\d+/$"))
    campaign = Campaign.objects.get(bureau=world.bureau, year=YEAR)
    assert campaign.form == PROJECT_FORM
    logout(page)

    # The clerk starts the package: one project table, no 基础数据表, 整体表 or report tab.
    login(page, base, "clerk-a")
    page.locator("section.start li", has_text=campaign.title).locator("button:has-text('开始填报')").click()
    page.wait_for_url(re.compile(r"/p/\d+/$"))
    package_url = page.url
    tabs = page.locator("nav.tabs a").all_inner_texts()
    assert tabs == ["概况", "项目表（第1张）", "审核结果", "历史版本"], tabs
    page.click("nav.tabs a:has-text('项目表（第1张）')")
    page.wait_for_url(re.compile(r"/sheet/project-0/$"))
    for header in ("指标性质", "度量单位", "财政专户管理资金", "评价结论", "项目负责人"):
        assert page.locator("table.sheet th, table.sheet-footer th", has_text=header).count() >= 1, header
    _fill(page, _project_values(world.unit_a.name))
    page.click("button.save")
    page.wait_for_selector(".messages li.success")
    expect(page.locator(".messages")).to_contain_text("已保存为第2版")
    assert page.locator("[name='projects.0.indicators.0.children.0.indicators.0.unit']").input_value() == "公里"
    assert page.locator("[name='projects.0.conclusion']").input_value() == "项目基本完成年度目标。"
    _shot(page, "web-project-form.png")

    # 85% executed: the form asks for the reason, which is given; the findings page lists what remains.
    page.click("nav.tabs a:has-text('审核结果')")
    boxes = page.locator("textarea[name^='explain.']")
    for i in range(boxes.count()):
        boxes.nth(i).fill("已与财政局核对。")
    if boxes.count():
        page.click("button:has-text('保存说明')")
    page.goto(package_url)
    page.click("button:has-text('提请单位负责人提交')")
    expect(page.locator("header.pkg .state")).to_contain_text("待负责人提交")  # waits for the redirect
    logout(page)
    login(page, base, "head-a")
    page.goto(package_url)
    page.click("button:has-text('提交财政局')")
    expect(page.locator("header.pkg .state")).to_contain_text("已提交")
    logout(page)

    # The reviewer opens it, sees the findings, returns it with a comment on the 度量单位 cell.
    pkg = Package.objects.get(campaign=campaign, unit=world.unit_a)
    login(page, base, "reviewer")
    page.goto(f"{base}/bureau/p/{pkg.pk}/review/")
    assert world.unit_a.name in page.locator("main > h1").inner_text()
    scores = page.locator("section.scores").inner_text()
    assert "县乡道路养护" in scores and "三公经费决算" not in page.content()
    headings = page.locator(".cell-review h3").all_inner_texts()
    assert not [h for h in headings if re.search(r"[A-Za-z]", h)], headings
    _shot(page, "bureau-review-project-form.png", full=False)
    page.select_option("select[name=extra_path]", f"{IND.format(i=0)}.unit")
    page.fill("textarea[name=extra_text]", "养护里程的度量单位请写“公里”以外的统计口径说明。")
    page.fill("textarea[name=comment]", "请补充说明。")
    page.click("button:has-text('退回修改')")
    expect(page.locator(".messages")).to_contain_text(f"已退回{world.unit_a.name}修改（1条单元格意见）")
    pkg.refresh_from_db()
    assert pkg.state == "returned" and "度量单位】" in pkg.transitions.first().comment

    # It comes back (the unit's side as above, by its actions) and is accepted with a review score.
    explain_and_submit(pkg, world.clerk, world.head)
    page.goto(f"{base}/bureau/p/{pkg.pk}/review/")
    page.fill("input[name=review_total]", "88")
    page.click("button:has-text('审核通过')")
    expect(page.locator(".messages")).to_contain_text("审核通过")
    pkg.refresh_from_db()
    assert pkg.state == "accepted"

    # The dashboard: funds totals of the project tables instead of the 三公经费 trends, every chart drawn.
    page.goto(f"{base}/bureau/c/{campaign.pk}/dashboard/")
    page.wait_for_selector("body[data-charts-ready]")
    assert page.locator("#chart-funds[data-ready]").count() == 1 and page.locator("#chart-trends").count() == 0
    assert int(page.locator("body").get_attribute("data-charts-ready")) == 5
    funds = page.locator("table.funds").inner_text()
    assert "100.00" in funds and "85.00" in funds and "85.00%" in funds
    _shot(page, "bureau-dashboard-project-form.png")
    page.close()


def test_a_national_form_campaign_reaches_the_review_page(live_server, transactional_db, browser):  # noqa: F811
    from jixiao.web.packages.models import Package

    world = World()
    campaign = form_campaign(world, NATIONAL_FORM)
    base = live_server.url
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    page.set_default_timeout(30000)
    login(page, base, "clerk-b")
    page.locator("section.start li", has_text=campaign.title).locator("button:has-text('开始填报')").click()
    page.wait_for_url(re.compile(r"/p/\d+/$"))
    tabs = page.locator("nav.tabs a").all_inner_texts()
    assert tabs[1:] == ["部门整体支出绩效自评表", "审核结果", "历史版本"], tabs
    page.click("button:has-text('增加一张项目支出绩效自评表')")
    page.wait_for_url(re.compile(r"/sheet/project-0/$"))
    _fill(page, {"projects.0.project_name": "政务信息化运维", "projects.0.implementing_unit": world.unit_b.name,
                 "projects.0.funds.full_year_budget": "60", "projects.0.funds.executed": "60",
                 "projects.0.carryover.full_year_budget": "10"})
    page.click("button.save")
    page.wait_for_selector(".messages li.success")
    _shot(page, "web-national-project-form.png")
    logout(page)
    pkg = Package.objects.get(campaign=campaign, unit=world.unit_b)
    explain_and_submit(pkg, world.clerk_b, world.head_b)
    login(page, base, "reviewer")
    page.goto(f"{base}/bureau/p/{pkg.pk}/review/")
    assert world.unit_b.name in page.locator("main > h1").inner_text()
    assert page.locator("li.finding").count() > 0
    expect(page.locator("section.scores")).to_contain_text("政务信息化运维")
    page.close()
