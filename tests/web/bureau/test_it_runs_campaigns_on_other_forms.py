"""A campaign on another form, end to end without a browser: the campaign takes its form from its
rule pack, packages start from that form's parts, the sheet saves the columns and rows only
other forms print, the package pages, workflow, review, dashboard, exports and public pages
work for a package of project tables only, and a file of another form is refused on import."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from bureauworld import explain_and_submit
from django.urls import reverse
from formworld import (
    NATIONAL_FORM,
    PROJECT_FORM,
    YEAR,
    filled_project,
    form_campaign,
    pack_text,
)
from openpyxl import load_workbook
from webworld import client_for, seed_document

from jixiao.forms import DEFAULT_FORM, load_form
from jixiao.web.bureau import aggregates, dashboard
from jixiao.web.bureau.models import Review
from jixiao.web.packages import actions
from jixiao.web.packages.checking import project_skeleton
from jixiao.web.packages.models import Campaign, Package, State

IND = "projects.0.indicators.0.children.0.indicators.0"


@pytest.fixture
def no_pdf(settings):
    settings.JIXIAO_PUBLISH_PDF = False


def _package(world, campaign, unit=None, clerk=None):
    return actions.do_create_package(campaign=campaign, unit=unit or world.unit_a, actor=clerk or world.clerk)


def _save(world, pkg, doc, clerk=None):
    actions.do_save(package_id=pkg.pk, actor=clerk or world.clerk, document=doc, base_number=pkg.head_number)
    return Package.objects.get(pk=pkg.pk)


def _filled(pkg, *tables: tuple[str, str, str]) -> dict:
    """The package's document with one filled project table per (name, budget, executed)."""
    doc = json.loads(json.dumps(pkg.head.document))
    blank = doc["projects"][0]
    doc["projects"] = [filled_project(blank, name, doc["unit_name"], budget=b, executed=e) for name, b, e in tables]
    return doc


# ------------------------------------------------------------------ the campaign and its skeleton


def test_the_new_campaign_page_names_each_pack_with_its_form(world):
    html = client_for(world.reviewer).get(reverse("bureau:campaign_new")).content.decode()
    assert "规则包与表式" in html and "（表式：" in html
    for form in (PROJECT_FORM, NATIONAL_FORM):
        assert f'value="{form}"' in html and load_form(form)["name"] in html


def test_a_campaign_takes_the_form_its_pack_names(world, tmp_path):
    pack = tmp_path / "own.yaml"  # a bureau's own pack, read from its file, naming the form
    pack.write_text(pack_text(PROJECT_FORM).replace(f"id: {PROJECT_FORM}", "id: own"), encoding="utf-8")
    pack = str(pack)
    resp = client_for(world.reviewer).post(reverse("bureau:campaign_new"), {
        "year": str(YEAR), "title": "2024年度项目支出绩效自评", "rule_pack": pack, "unit": [world.unit_a.pk]})
    assert resp.status_code == 302
    campaign = Campaign.objects.get(bureau=world.bureau, year=YEAR)
    assert (campaign.form, campaign.rule_pack) == (PROJECT_FORM, pack)
    assert world.campaign.form == DEFAULT_FORM  # the default pack's campaigns stay on the default form


def test_a_pack_naming_an_unknown_form_is_refused_in_chinese(world, tmp_path):
    pack = tmp_path / "broken.yaml"
    pack.write_text(pack_text(PROJECT_FORM).replace(f"form: {PROJECT_FORM}", "form: no-such-form"), encoding="utf-8")
    resp = client_for(world.reviewer).post(reverse("bureau:campaign_new"), {
        "year": str(YEAR), "title": "坏任务", "rule_pack": str(pack)}, follow=True)
    assert "所用的表式无法读取" in resp.content.decode()
    assert not Campaign.objects.filter(year=YEAR).exists()


def test_a_package_on_a_project_form_starts_with_one_project_table_and_nothing_else(world):
    pkg = _package(world, form_campaign(world, PROJECT_FORM))
    doc = pkg.head.document
    assert doc["form"] == PROJECT_FORM
    assert (doc["basic"], doc["overall"], doc["report"], len(doc["projects"])) == (None, None, None, 1)
    level1 = [l1["name"] for l1 in load_form(PROJECT_FORM)["evaluation"]["level1"]]
    assert [l1["label"].split("(")[0].split("（")[0] for l1 in doc["projects"][0]["indicators"]] == level1


def test_last_years_package_on_another_form_carries_nothing_and_one_on_the_same_form_its_tree(world):
    # The world's unit A has a 2023 package on the default form: a 2024 project-form package starts blank.
    pkg = _package(world, form_campaign(world, PROJECT_FORM))
    assert pkg.head.note == "" and pkg.head.document["projects"][0].get("project_name") is None
    pkg = _save(world, pkg, _filled(pkg, ("县乡道路养护", "100", "95")))
    explain_and_submit(pkg, world.clerk, world.head)
    # 2025 on the same form: the project table and its indicators carry over, 指标性质 and 度量单位 with the target.
    nxt = _package(world, form_campaign(world, PROJECT_FORM, year=YEAR + 1))
    assert nxt.head.note.startswith(f"按{YEAR}年度材料第") and nxt.head.note.endswith("版预填")
    table = nxt.head.document["projects"][0]
    ind = table["indicators"][0]["children"][0]["indicators"][0]
    assert table["project_name"] == "县乡道路养护" and table["implementing_unit"] == world.unit_a.name
    assert (ind["nature"], ind["unit"], ind["target"]["raw"]) == ("≥", "公里", "120")
    assert ind.get("actual") in (None, {"raw": None}, {}) and ind.get("self_score") is None


def test_a_national_package_starts_with_its_overall_table(world):
    pkg = _package(world, form_campaign(world, NATIONAL_FORM))
    doc = pkg.head.document
    assert doc["form"] == NATIONAL_FORM and doc["overall"]["unit_name"] == world.unit_a.name
    assert (doc["basic"], doc["report"], doc["projects"]) == (None, None, [])


# ------------------------------------------------------------------ the unit's pages


def test_the_sheet_saves_the_columns_and_rows_other_forms_print(world):
    pkg = _package(world, form_campaign(world, PROJECT_FORM))
    posted = {
        f"{IND}.name": "县乡道路养护里程", f"{IND}.nature": "≥", f"{IND}.target": "120", f"{IND}.unit": "公里",
        f"{IND}.actual": "118",
        "projects.0.funds.reason": "年末尚有工程款未结算。", "projects.0.fiscal_funds.full_year_budget": "80",
        "projects.0.special_account_funds.executed": "5", "projects.0.unit_funds.initial_budget": "20",
        "projects.0.summary": "完成县乡道路养护。", "projects.0.conclusion": "总体完成年度目标。",
        "projects.0.problems": "进度偏慢。", "projects.0.improvements": "细化月度计划。",
        "projects.0.signature.project_head": "王五", "projects.0.signature.finance_head": "赵六",
    }
    resp = client_for(world.clerk).post(reverse("packages:sheet", args=[pkg.pk, "project-0"]),
                                        {"base_revision": "1", **posted})
    assert resp.status_code == 302
    pkg.refresh_from_db()
    doc = pkg.head.document
    ind = doc["projects"][0]["indicators"][0]["children"][0]["indicators"][0]
    assert (ind["nature"], ind["unit"], ind["target"]["raw"]) == ("≥", "公里", "120")
    table = doc["projects"][0]
    assert table["funds"]["reason"] == "年末尚有工程款未结算。" and table["fiscal_funds"]["full_year_budget"] == "80"
    assert table["special_account_funds"]["executed"] == "5" and table["unit_funds"]["initial_budget"] == "20"
    assert (table["summary"], table["conclusion"], table["problems"], table["improvements"]) == (
        "完成县乡道路养护。", "总体完成年度目标。", "进度偏慢。", "细化月度计划。")
    assert table["signature"]["project_head"] == "王五" and table["signature"]["finance_head"] == "赵六"
    # The history names each changed cell by the form's own labels.
    history = client_for(world.clerk).get(reverse("packages:compare", args=[pkg.pk]) + "?a=1&b=2").content.decode()
    for label in ("指标性质", "度量单位", "原因", "评价结论", "项目负责人", "财务负责人", "财政专户管理资金"):
        assert label in history, label


def test_the_package_pages_work_without_basic_overall_or_report(world):
    pkg = _package(world, form_campaign(world, PROJECT_FORM))
    clerk = client_for(world.clerk)
    overview = clerk.get(reverse("packages:overview", args=[pkg.pk]))
    tabs = overview.context["tabs"]
    assert overview.status_code == 200 and [k for k, _ in tabs] == ["project-0"]
    project_part = load_form(PROJECT_FORM)["parts"]["project"]["name"]
    assert f"增加一张{project_part}" in overview.content.decode()
    for key in ("basic", "overall", "report"):
        assert clerk.get(reverse("packages:sheet", args=[pkg.pk, key])).status_code == 404
    assert clerk.get(reverse("packages:findings", args=[pkg.pk])).status_code == 200
    assert clerk.get(reverse("packages:history", args=[pkg.pk])).status_code == 200
    resp = clerk.post(reverse("packages:add_project", args=[pkg.pk]), {"base_revision": "1"})
    assert resp.status_code == 302 and len(Package.objects.get(pk=pkg.pk).head.document["projects"]) == 2


# ------------------------------------------------------------------ scores of a package of project tables


def _score_first_indicator(table: dict, score: str) -> None:
    table["indicators"][0]["children"][0]["indicators"][0]["self_score"] = score
    table["total_self_score"] = None


def test_a_package_of_project_tables_is_scored_by_the_mean_of_its_tables(world):
    pkg = _package(world, form_campaign(world, PROJECT_FORM))
    doc = _filled(pkg, ("县乡道路养护", "100", "100"), ("农村饮水安全", "100", "100"))
    _score_first_indicator(doc["projects"][0], "45")  # table total 95
    _score_first_indicator(doc["projects"][1], "34")  # table total 84: mean 89.50, just under the 90 of 优
    head = _save(world, pkg, doc).head
    assert (head.self_total, head.self_grade) == (Decimal("89.50"), "良")
    _score_first_indicator(doc["projects"][1], "35")  # mean 90.00: 优
    head = _save(world, Package.objects.get(pk=pkg.pk), doc).head
    assert (head.self_total, head.self_grade) == (Decimal("90.00"), "优")


def test_a_form_with_an_overall_table_is_scored_by_that_table_alone(world):
    pkg = _package(world, form_campaign(world, NATIONAL_FORM))
    doc = json.loads(json.dumps(pkg.head.document))
    doc["projects"] = [filled_project(project_skeleton(NATIONAL_FORM, NATIONAL_FORM), "县乡道路养护", doc["unit_name"])]
    head = _save(world, pkg, doc).head
    assert head.self_total is None and head.self_grade == ""  # the 整体表 is not scored yet: no mean of projects


# ------------------------------------------------------------------ workflow, review, dashboard, exports, public


def _submitted(world, campaign, unit, clerk, head, tables):
    pkg = _package(world, campaign, unit, clerk)
    pkg = _save(world, pkg, _filled(pkg, *tables), clerk)
    explain_and_submit(pkg, clerk, head)
    return Package.objects.get(pk=pkg.pk)


def _two_units(world):
    campaign = form_campaign(world, PROJECT_FORM)
    a = _submitted(world, campaign, world.unit_a, world.clerk, world.head, [("县乡道路养护", "100", "95")])
    b = _submitted(world, campaign, world.unit_b, world.clerk_b, world.head_b,
                   [("农村饮水安全", "200", "150"), ("城乡环境整治", "50.5", "50.5")])
    return campaign, a, b


def test_the_reviewer_returns_and_accepts_a_project_only_package_on_its_review_page(world, no_pdf):
    campaign, a, b = _two_units(world)
    reviewer = client_for(world.reviewer)
    queue = reviewer.get(reverse("bureau:queue", args=[campaign.pk]))
    assert queue.status_code == 200 and {p.pk for p in queue.context["packages"]} == {a.pk, b.pk}
    page = reviewer.get(reverse("bureau:review", args=[a.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "县乡道路养护" in html and "三公经费决算" not in html
    cell = f"{IND}.unit"
    assert cell in {p for p, _ in page.context["cell_choices"]}
    resp = reviewer.post(reverse("bureau:decide", args=[a.pk]), {
        "decision": "return", "comment": "请核对度量单位。", "extra_path": cell, "extra_text": "单位应为公里。"})
    assert resp.status_code == 302 and Package.objects.get(pk=a.pk).state == State.RETURNED
    overview = client_for(world.clerk).get(reverse("packages:overview", args=[a.pk])).content.decode()
    assert "度量单位】单位应为公里。" in overview
    explain_and_submit(Package.objects.get(pk=a.pk), world.clerk, world.head)
    resp = reviewer.post(reverse("bureau:decide", args=[a.pk]), {"decision": "accept", "review_total": "88"})
    assert resp.status_code == 302 and Package.objects.get(pk=a.pk).state == State.ACCEPTED
    assert Review.objects.get(package=a, decision="accept").review_grade == "良"

    # Publication and the public pages.
    resp = reviewer.post(reverse("bureau:publish", args=[a.pk]), follow=True)
    assert "已公开（第1次公开）" in resp.content.decode()
    from django.test import Client

    anon = Client()
    unit_page = anon.get(reverse("public:unit", args=[campaign.pk, world.unit_a.pk])).content.decode()
    assert "县乡道路养护" in unit_page
    assert world.unit_a.name in anon.get(reverse("public:campaign", args=[campaign.pk])).content.decode()


def test_the_dashboard_and_exports_of_a_project_only_campaign(world):
    from jixiao.web.bureau.actions import do_review

    campaign, a, b = _two_units(world)
    for pkg in (a, b):
        do_review(package_id=pkg.pk, actor=world.reviewer, decision="accept")
    reviewer = client_for(world.reviewer)
    # Funds totals of the project tables, no 三公经费 trends (the form has no 基础数据表).
    page = reviewer.get(reverse("bureau:dashboard", args=[campaign.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="chart-funds"' in html and 'id="chart-trends"' not in html
    d = aggregates.build(campaign)
    assert d.total == 2 and d.trends == []
    assert d.funds == {"units": 2, "budget": Decimal("350.50"), "executed": Decimal("295.50"),
                       "rate": Decimal("84.31")}
    py = dashboard.build_from_rows(campaign)
    assert (py.funds, py.grade_counts, py.bands) == (d.funds, d.grade_counts, d.bands)  # the two paths agree
    assert sum(d.grade_counts["self"].values()) == 2 and d.grade_counts["self"]["未评"] == 0
    charts = page.context["charts"]
    assert charts["trends"] is None and charts["funds"]["values"] == [350.5, 295.5]
    sheet = load_workbook(io.BytesIO(reviewer.get(reverse("bureau:chart_xlsx", args=[campaign.pk, "funds"])).content))
    rows = list(sheet.worksheets[0].iter_rows(values_only=True))
    assert rows[1][0] == 2 and [Decimal(str(v)) for v in rows[1][1:3]] == [Decimal("350.5"), Decimal("295.5")]
    assert reviewer.get(reverse("bureau:chart_xlsx", args=[campaign.pk, "trends"])).status_code == 404
    for chart in ("grades", "scatter", "execution", "findings", "units"):
        assert reviewer.get(reverse("bureau:chart_xlsx", args=[campaign.pk, chart])).status_code == 200, chart
    for export in ("summary", "reminders"):
        assert reviewer.get(reverse(f"bureau:{export}", args=[campaign.pk])).status_code == 200, export
    streamed = reviewer.get(reverse("bureau:summary", args=[campaign.pk])).streaming_content
    summary = load_workbook(io.BytesIO(b"".join(streamed))).worksheets[0]
    header = [c.value for c in summary[1]]
    assert not [h for h in header if "三公经费" in h] and "调整后预算数（万元）" in header
    by_unit = {row[1]: dict(zip(header, row, strict=True)) for row in summary.iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(by_unit[world.unit_b.name]["调整后预算数（万元）"])) == Decimal("250.5")


# ------------------------------------------------------------------ importing a file


def _upload(client, pkg, name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("packages:import", args=[pkg.pk]),
                       {"base_revision": str(pkg.head_number), "file": SimpleUploadedFile(name, data)}, follow=True)


def test_a_file_of_another_form_is_refused_and_one_of_the_campaign_form_imported(world):
    pkg = _package(world, form_campaign(world, PROJECT_FORM))
    clerk = client_for(world.clerk)
    other = seed_document()
    other["fiscal_year"] = YEAR
    resp = _upload(clerk, pkg, "默认表式的材料.json", json.dumps(other, ensure_ascii=False).encode())
    html = resp.content.decode()
    assert "表式不同，未导入" in html and load_form(PROJECT_FORM)["name"] in html
    assert Package.objects.get(pk=pkg.pk).head_number == 1
    own = _filled(pkg, ("县乡道路养护", "100", "95"))
    resp = _upload(clerk, pkg, "项目表.json", json.dumps(own, ensure_ascii=False).encode())
    assert "已导入“项目表.json”" in resp.content.decode()
    head = Package.objects.get(pk=pkg.pk).head
    assert head.number == 2 and head.document["projects"][0]["project_name"] == "县乡道路养护"


def test_a_batch_skips_a_file_of_another_form_with_the_reason(world):
    from bureauworld import zip_bytes

    from jixiao.web.bureau.jobs import start_import
    from jixiao.web.bureau.models import ImportLine

    campaign = form_campaign(world, PROJECT_FORM)
    other = seed_document()
    other["fiscal_year"] = YEAR
    data = zip_bytes({"默认表式.json": json.dumps(other, ensure_ascii=False).encode()})
    job = start_import(campaign=campaign, actor=world.reviewer, upload=[data], source_name="批量.zip")
    line = ImportLine.objects.get(job=job)
    assert line.status == "skipped" and "表式不同，未导入" in line.message


def test_the_prefill_job_leaves_out_last_years_packages_on_another_form(world):
    from jixiao.web.bureau.jobs import start_prefill
    from jixiao.web.bureau.models import ImportLine

    campaign = form_campaign(world, PROJECT_FORM)
    job = start_prefill(campaign=campaign, actor=world.reviewer)
    line = ImportLine.objects.get(job=job, unit=world.unit_a)  # unit A's 2023 package is on the default form
    assert line.status == "skipped" and "表式不同，不沿用" in line.message and load_form(PROJECT_FORM)["name"] in line.message
    assert not Package.objects.filter(campaign=campaign).exists()


def _rendered(doc: dict, fmt: str, tmp_path, part: str = "全套") -> tuple[str, bytes]:
    """The document as the Word (its whole-package file) or Excel file our renderer writes for its form."""
    from jixiao.model import Package as Doc
    from jixiao.render import render_package

    files = render_package(Doc.model_validate(doc), tmp_path / fmt, formats=(fmt,)).files
    f = next(f for f in files if fmt == "xlsx" or part in f.name)
    return f.name, f.read_bytes()


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_a_word_or_excel_file_of_the_campaign_form_is_imported_and_one_of_another_form_refused(world, tmp_path, fmt):
    pkg = _package(world, form_campaign(world, PROJECT_FORM))
    clerk = client_for(world.clerk)
    national = _package(world, form_campaign(world, NATIONAL_FORM, year=YEAR + 1), world.unit_b, world.clerk_b)
    other = json.loads(json.dumps(national.head.document))
    other["fiscal_year"] = YEAR
    name, data = _rendered(other, fmt, tmp_path / "other")
    html = _upload(clerk, pkg, name, data).content.decode()
    assert "表式不同，未导入" in html and load_form(NATIONAL_FORM)["name"] in html
    name, data = _rendered(_filled(pkg, ("县乡道路养护", "100", "95")), fmt, tmp_path / "own")
    html = _upload(clerk, pkg, name, data).content.decode()
    assert f"已导入“{name}”" in html
    table = Package.objects.get(pk=pkg.pk).head.document["projects"][0]
    ind = table["indicators"][0]["children"][0]["indicators"][0]
    assert table["project_name"] == "县乡道路养护" and table["conclusion"] == "项目总体完成年度目标，自评等级为优。"
    assert (ind["nature"], ind["unit"]) == ("≥", "公里") and table["unit_funds"]["executed"] == "19.00"
    assert table["signature"]["project_head"] == "王五"


def test_funds_figures_come_from_the_overall_table_when_the_form_has_one_else_from_the_project_tables(world):
    from jixiao.web.bureau.models import RevisionFigures

    pkg = _package(world, form_campaign(world, NATIONAL_FORM))
    doc = json.loads(json.dumps(pkg.head.document))
    doc["overall"]["funds"].update(full_year_budget="500", executed="450")
    doc["projects"] = [filled_project(project_skeleton(NATIONAL_FORM, NATIONAL_FORM), "县乡道路养护", doc["unit_name"])]
    fig = RevisionFigures.objects.get(revision=_save(world, pkg, doc).head)
    assert (fig.budget_cents, fig.executed_cents, fig.execution_rate) == (50000, 45000, Decimal("90.00"))
    pkg = _package(world, form_campaign(world, PROJECT_FORM, year=YEAR + 1))
    doc = _filled(pkg, ("县乡道路养护", "100", "95"), ("农村饮水安全", "60", "30"))
    doc["projects"].append(project_skeleton(PROJECT_FORM, PROJECT_FORM))  # a blank table: left out, not zero
    fig = RevisionFigures.objects.get(revision=_save(world, pkg, doc).head)
    assert (fig.budget_cents, fig.executed_cents, fig.execution_rate) == (16000, 12500, Decimal("78.13"))
