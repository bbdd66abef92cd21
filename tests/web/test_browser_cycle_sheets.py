"""The monitoring sheet in Debian's Chromium: a unit clerk ticks a cause of the deviation,
chooses 完成目标可能性, saves, reloads and finds both still there; unticking saves too. The
target sheet's 年度主要任务 gets a row from its ＋ button.

With JIXIAO_SCREENSHOTS=<dir> the test also saves the screenshot kept in docs/
(web-monitoring-project.png)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from formworld import YEAR, form_campaign
from playwright.sync_api import expect
from test_browser_story import browser, login  # noqa: F401 (the shared Chromium fixture)
from webworld import World

pytestmark = pytest.mark.browser
IND = "projects.0.indicators.0.children.0.indicators.0"


def _shot(page, name: str) -> None:
    where = os.environ.get("JIXIAO_SCREENSHOTS")
    if where:
        Path(where).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(where) / name), full_page=True)


def _package(world, form: str, year: int, *, project: bool):
    from jixiao.web.packages import actions
    from jixiao.web.packages.checking import project_skeleton
    from jixiao.web.packages.models import Package

    pkg = actions.do_create_package(campaign=form_campaign(world, form, year), unit=world.unit_a, actor=world.clerk)
    if project:
        doc = pkg.head.document
        table = project_skeleton(form, form)
        table.update(project_name="城区环卫保洁", department="岳阳市城市管理局", implementing_unit=world.unit_a.name)
        doc["projects"] = [table]
        actions.do_save(package_id=pkg.pk, actor=world.clerk, document=doc, base_number=pkg.head_number)
    return Package.objects.get(pk=pkg.pk)


def _box(page, cause: str):
    return page.locator(f"input[type=checkbox][name='{IND}.causes'][value='{cause}']")


def test_a_clerk_ticks_a_cause_chooses_a_likelihood_and_both_survive_a_reload(live_server, transactional_db,
                                                                               browser):  # noqa: F811
    world = World()
    pkg = _package(world, "monitoring-national", YEAR, project=True)
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    page.set_default_timeout(30000)
    login(page, live_server.url, "clerk-a")
    url = live_server.url + reverse("packages:sheet", args=[pkg.pk, "project-0"])
    page.goto(url)
    for header in ("偏差原因分析", "经费保障", "硬件条件保障", "完成目标可能性", "全年预计执行数"):
        assert page.locator("table.sheet th", has_text=header).count() >= 1, header

    page.fill("[name='projects.0.funds.initial_budget']", "320.50")
    page.fill("[name='projects.0.funds.executed']", "150")
    page.fill("[name='projects.0.funds.forecast']", "310")
    page.fill(f"[name='{IND}.name']", "道路机扫面积")
    page.fill(f"[name='{IND}.target']", "≥320万平方米")
    page.fill(f"[name='{IND}.actual']", "150万平方米")
    page.fill(f"[name='{IND}.forecast']", "300万平方米")
    _box(page, "制度保障").check()
    _box(page, "人员保障").check()
    page.select_option(f"select[name='{IND}.likelihood']", "有可能")
    page.fill(f"[name='{IND}.remark']", "机扫车辆维修")
    page.click("button.save")
    page.wait_for_selector(".messages li.success")
    expect(page.locator(".messages")).to_contain_text("已保存")

    page.goto(url)
    expect(_box(page, "制度保障")).to_be_checked()
    expect(_box(page, "人员保障")).to_be_checked()
    expect(_box(page, "经费保障")).not_to_be_checked()
    assert page.locator(f"select[name='{IND}.likelihood']").input_value() == "有可能"
    _shot(page, "web-monitoring-project.png")
    pkg.refresh_from_db()
    ind = pkg.head.document["projects"][0]["indicators"][0]["children"][0]["indicators"][0]
    assert ind["causes"] == ["制度保障", "人员保障"] and ind["likelihood"] == "有可能"

    # unticking both and choosing 完全不可能 saves too
    _box(page, "制度保障").uncheck()
    _box(page, "人员保障").uncheck()
    page.select_option(f"select[name='{IND}.likelihood']", "完全不可能")
    page.click("button.save")
    page.wait_for_selector(".messages li.success")
    page.goto(url)
    assert page.locator(f"input[type=checkbox][name='{IND}.causes']:checked").count() == 0
    assert page.locator(f"select[name='{IND}.likelihood']").input_value() == "完全不可能"
    pkg.refresh_from_db()
    ind = pkg.head.document["projects"][0]["indicators"][0]["children"][0]["indicators"][0]
    assert not ind.get("causes") and ind["likelihood"] == "完全不可能"


def test_a_clerk_adds_a_task_row_to_the_overall_target_table(live_server, transactional_db, browser):  # noqa: F811
    world = World()
    pkg = _package(world, "targets-national", YEAR, project=False)
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    page.set_default_timeout(30000)
    login(page, live_server.url, "clerk-a")
    page.goto(live_server.url + reverse("packages:sheet", args=[pkg.pk, "overall"]))
    rows = page.locator("[name$='.name'][name^='overall.tasks.']")
    before = rows.count()
    page.fill("[name='overall.tasks.0.name']", "城市道路保洁")
    page.fill("[name='overall.tasks.0.total']", "320.50")
    page.click("button.op[value='add:overall.tasks']")
    expect(rows).to_have_count(before + 1)
    page.fill(f"[name='overall.tasks.{before}.name']", "市容执法")
    _shot(page, "web-targets-overall.png")
    page.click("button.save")
    page.wait_for_selector(".messages li.success")
    pkg.refresh_from_db()
    tasks = pkg.head.document["overall"]["tasks"]
    assert tasks[0]["name"] == "城市道路保洁" and tasks[0]["total"] == "320.50" and tasks[before]["name"] == "市容执法"
    assert re.search(r"金额合计", page.content())
