"""The unit's sheets of the cycle's forms, drawn from the same grid as the documents: ticked
causes are checkboxes (unticking saves), 完成目标可能性 a drop-down, 年度主要任务 rows are
added and removed like other rows; every value saved comes back from the stored package."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from formworld import YEAR, form_campaign
from webworld import client_for

from jixiao.web.packages import actions
from jixiao.web.packages.cells import dom_id
from jixiao.web.packages.models import Package

IND = "projects.0.indicators.0.children.0.indicators.0"
OVERALL_IND = "overall.indicators.0.children.0.indicators.0"


def _package(world, form: str, year: int):
    campaign = form_campaign(world, form, year)
    assert campaign.form == form
    return actions.do_create_package(campaign=campaign, unit=world.unit_a, actor=world.clerk)


@pytest.fixture
def monitoring(world):
    pkg = _package(world, "monitoring-national", YEAR + 1)  # one campaign a year per bureau
    assert pkg.head.document["projects"] == []  # the form has an 整体 table: projects are added
    resp = client_for(world.clerk).post(reverse("packages:add_project", args=[pkg.pk]),
                                        {"base_revision": str(pkg.head_number)})
    assert resp.status_code in (200, 302)
    return Package.objects.get(pk=pkg.pk)


@pytest.fixture
def targets(world):
    return _package(world, "targets-national", YEAR)


def _page(world, pkg, key) -> str:
    resp = client_for(world.clerk).get(reverse("packages:sheet", args=[pkg.pk, key]))
    assert resp.status_code == 200
    return resp.content.decode()


def _save(world, pkg, key, data) -> Package:
    resp = client_for(world.clerk).post(reverse("packages:sheet", args=[pkg.pk, key]),
                                        {"base_revision": str(pkg.head_number), **data})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    return Package.objects.get(pk=pkg.pk)


def _indicator(doc, table="project") -> dict:
    t = doc["projects"][0] if table == "project" else doc["overall"]
    return t["indicators"][0]["children"][0]["indicators"][0]


def test_the_monitoring_sheet_draws_checkboxes_and_a_likelihood_drop_down(world, monitoring):
    page = _page(world, monitoring, "project-0")
    for cause in ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"):
        assert re.search(rf'<input type="checkbox" id="c-{dom_id(IND)}-causes-[0-9a-f-]+" name="{IND}.causes" '
                         rf'value="{cause}"', page), cause
    assert f'name="_list.{IND}.causes"' in page
    select = re.search(rf'<select id="c-{dom_id(IND)}-likelihood" name="{IND}.likelihood"[^>]*>(.*?)</select>', page)
    assert select and [o for o in re.findall(r'<option value="([^"]*)"', select.group(1))] == [
        "", "确定能", "有可能", "完全不可能"]
    assert "偏差原因分析" in page and "全年预计完成值" in page
    assert page.count(f'id="m-{dom_id(IND)}-causes"') == 1  # one findings output for the five boxes


def test_ticks_and_likelihood_round_trip_and_unticking_saves(world, monitoring):
    pkg = _save(world, monitoring, "project-0", {
        f"_list.{IND}.causes": "1", f"{IND}.causes": ["经费保障", "硬件条件保障"], f"{IND}.likelihood": "完全不可能",
        f"{IND}.forecast": "300万平方米", f"{IND}.remark": "车辆维修", "projects.0.funds.forecast": "310"})
    ind = _indicator(pkg.head.document)
    assert ind["causes"] == ["经费保障", "硬件条件保障"] and ind["likelihood"] == "完全不可能"
    assert ind["forecast"]["raw"] == "300万平方米" and ind["remark"] == "车辆维修"
    assert pkg.head.document["projects"][0]["funds"]["forecast"] == "310"
    page = _page(world, pkg, "project-0")
    assert re.search(rf'name="{IND}.causes" value="经费保障" aria-label="[^"]*" checked>', page)
    assert re.search(rf'name="{IND}.causes" value="制度保障" aria-label="[^"]*">', page)
    assert '<option value="完全不可能" selected>' in page
    # every box unticked: only the hidden _list field is posted, and the list empties
    pkg = _save(world, pkg, "project-0", {f"_list.{IND}.causes": "1", f"{IND}.likelihood": ""})
    ind = _indicator(pkg.head.document)
    assert ind.get("causes") in ([], None) and ind.get("likelihood") is None


def test_a_save_without_the_tick_fields_keeps_the_ticks(world, monitoring):
    pkg = _save(world, monitoring, "project-0", {f"_list.{IND}.causes": "1", f"{IND}.causes": ["其他"]})
    pkg = _save(world, pkg, "project-0", {f"{IND}.remark": "补充说明"})
    assert _indicator(pkg.head.document)["causes"] == ["其他"]


def test_a_tick_list_of_another_sheet_is_refused(world, monitoring):
    resp = client_for(world.clerk).post(reverse("packages:sheet", args=[monitoring.pk, "project-0"]), {
        "base_revision": str(monitoring.head_number), f"_list.{OVERALL_IND}.causes": "1"})
    assert resp.status_code == 400


def test_the_overall_target_sheet_adds_saves_and_removes_task_rows(world, targets):
    page = _page(world, targets, "overall")
    n = int(re.search(r'name="_len.overall.tasks" value="(\d+)"', page).group(1))
    assert n >= 2 and "金额合计" in page and 'value="add:overall.tasks"' in page
    data = {"_len.overall.tasks": str(n)}
    for i in range(n):
        data |= {f"overall.tasks.{i}.name": f"任务{i + 1}", f"overall.tasks.{i}.content": "内容",
                 f"overall.tasks.{i}.total": str(10 * (i + 1)), f"overall.tasks.{i}.fiscal": str(10 * (i + 1))}
    data |= {"overall.tasks_total.total": "60", f"{OVERALL_IND}.target": "≥95%"}
    pkg = _save(world, targets, "overall", data)
    doc = pkg.head.document["overall"]
    assert [t["name"] for t in doc["tasks"]] == [f"任务{i + 1}" for i in range(n)]
    assert doc["tasks"][1]["total"] == "20" and doc["tasks_total"]["total"] == "60"
    assert _indicator(pkg.head.document, "overall")["target"]["raw"] == "≥95%"
    # the sheet shows what the task rows add up to beside 金额合计 (10 + 20 + … per column)
    total = sum(10 * (i + 1) for i in range(n))
    page = _page(world, pkg, "overall")
    assert re.search(rf'<output id="m-overall-tasks_total-fiscal"[^>]*><span class="calc">合计 {total}\.00</span>', page)
    assert not re.search(r'<output id="m-overall-tasks_total-other"[^>]*><span class="calc">', page)  # all blank
    clerk = client_for(world.clerk)
    url = reverse("packages:sheet", args=[pkg.pk, "overall"])
    resp = clerk.post(url, {"base_revision": str(pkg.head_number), "op": "add:overall.tasks", **data})
    assert resp.status_code == 200
    added = resp.content.decode()
    assert f'name="_len.overall.tasks" value="{n + 1}"' in added and f'name="overall.tasks.{n}.name"' in added
    resp = clerk.post(url, {"base_revision": str(pkg.head_number), "op": "del:overall.tasks.0", **data})
    assert f'name="_len.overall.tasks" value="{n - 1}"' in resp.content.decode()


def test_the_project_target_sheet_saves_its_header_pairs_goals_and_mid_term_values(world, targets):
    clerk = client_for(world.clerk)
    resp = clerk.post(reverse("packages:add_project", args=[targets.pk]), {"base_revision": str(targets.head_number)})
    assert resp.status_code in (200, 302)
    pkg = Package.objects.get(pk=targets.pk)
    page = _page(world, pkg, "project-0")
    for label in ("项目属性", "项目期", "中期目标", "年度目标", "中期指标值", "年度指标值", "中期资金"):
        assert label in page, label
    pkg = _save(world, pkg, "project-0", {
        "projects.0.project_name": "城区环卫保洁", "projects.0.project_type": "延续", "projects.0.project_period": "3年",
        "projects.0.goals.mid_term": "三年目标", "projects.0.goals.expected": "当年目标",
        "projects.0.funds.mid_term_budget": "960", f"{IND}.mid_term_target": "≥960万平方米", f"{IND}.target": "≥320万平方米"})
    table = pkg.head.document["projects"][0]
    assert (table["project_type"], table["project_period"]) == ("延续", "3年")
    assert table["goals"] == {"mid_term": "三年目标", "expected": "当年目标"} | {
        k: v for k, v in table["goals"].items() if k not in ("mid_term", "expected")}
    assert table["funds"]["mid_term_budget"] == "960"
    assert _indicator(pkg.head.document)["mid_term_target"]["raw"] == "≥960万平方米"


def test_a_submitted_package_shows_ticks_and_likelihood_read_only(world, monitoring):
    pkg = _save(world, monitoring, "project-0", {f"_list.{IND}.causes": "1", f"{IND}.causes": ["人员保障"],
                                                 f"{IND}.likelihood": "有可能"})
    from jixiao.web.packages.cells import render_sheet
    from jixiao.web.packages.sheets import project_sheet

    sheet = project_sheet(pkg.head.document, 0, form_name="monitoring-national", editable=False, url="")
    html = render_sheet(sheet)
    assert 'type="checkbox"' not in html and "<select" not in html
    assert re.search(r'class="cell tick[^"]*"><span[^>]*>√</span>', html) and ">有可能</span>" in html


def test_the_history_names_the_ticked_causes_and_the_likelihood(world, monitoring):
    pkg = _save(world, monitoring, "project-0", {f"_list.{IND}.causes": "1", f"{IND}.causes": ["人员保障"],
                                                 f"{IND}.likelihood": "有可能"})
    n = pkg.head_number
    resp = client_for(world.clerk).get(reverse("packages:compare", args=[pkg.pk]) + f"?a={n - 1}&b={n}")
    assert resp.status_code == 200
    page = resp.content.decode()
    assert "人员保障" in page and "有可能" in page
    assert "偏差原因分析" in page and "完成目标可能性" in page


def test_the_history_names_the_cycle_forms_own_cells(world, targets):
    from jixiao.web.packages.labels import describe

    doc = targets.head.document
    assert describe("overall.tasks.1.total", doc, "targets-national") == "部门（单位）整体支出绩效目标申报表 · 年度主要任务 · 第2项 · 总额"
    assert describe("overall.tasks_total.fiscal", doc, "targets-national").endswith("金额合计 · 财政拨款")
    assert describe("projects.0.project_type", doc, "targets-national").endswith("项目属性")
    assert describe("projects.0.goals.mid_term", doc, "targets-national").endswith("总体目标 · 中期目标")
    assert describe(f"{IND}.causes", doc, "monitoring-national").endswith("偏差原因分析")
