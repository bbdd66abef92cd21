"""The sheets: laid out like the Word forms from the form definition, recomputed by the core
checker over HTMX, rows added and removed in place."""

from __future__ import annotations

import re

from django.urls import reverse
from webworld import client_for

from jixiao.forms import basic_rows, load_form
from jixiao.web.packages.cells import dom_id


def _sheet(client, world, key):
    return client.get(reverse("packages:sheet", args=[world.package.pk, key]))


def test_it_draws_every_row_of_the_form_definition(world):
    page = _sheet(client_for(world.clerk), world, "basic").content.decode()
    for row in basic_rows(load_form()):
        assert f'name="basic.{row["field"]}.final"' in page
        assert row["label"].split("(")[0] in page
    # The seed's 15 named rows under 区级专项资金, each with its own inputs.
    assert len(re.findall(r'name="basic\.district_special_items\.\d+\.name"', page)) == 15
    assert 'name="_len.basic.district_special_items" value="15"' in page


def test_it_merges_indicator_labels_over_their_rows(world):
    page = _sheet(client_for(world.clerk), world, "overall").content.decode()
    # 产出指标 spans its 12 三级 rows; 数量指标 its 5, as in the Word table.
    assert re.search(r'<td rowspan="12" id="c-overall-indicators-0"', page)
    assert re.search(r'<td rowspan="5" id="c-overall-indicators-0-children-0"', page)


def test_it_marks_findings_on_their_cells_and_links_to_them(world):
    resp = _sheet(client_for(world.clerk), world, "basic")
    page = resp.content.decode()
    cell = "basic.district_special.budget"
    out = re.search(rf'<output id="m-{dom_id(cell)}" class="mark error"[^>]*>(.*?)</output>', page)
    assert out and "合计 66.54" in out.group(1) and "错误" in out.group(1)
    assert f'#c-{dom_id(cell)}' in page  # the findings list links to the cell


def test_it_recomputes_through_the_core_checker(world):
    c = client_for(world.clerk)
    url = reverse("packages:recompute", args=[world.package.pk, "basic"])
    doc = world.package.head.document
    items = doc["basic"]["district_special_items"]
    data = {"base_revision": "2", "_len.basic.district_special_items": str(len(items))}
    for i, item in enumerate(items):
        data[f"basic.district_special_items.{i}.budget"] = item.get("budget") or ""
    # 公务用车运行维护费 6.00 → 5.46: the items now add up to the 66.00 written on the subtotal.
    idx = next(i for i, it in enumerate(items) if it["name"] == "公务用车运行维护费")
    data[f"basic.district_special_items.{idx}.budget"] = "5.46"
    resp = c.post(url, data, HTTP_HX_REQUEST="true")
    assert resp.status_code == 200
    body = resp.content.decode()
    out = re.search(r'<output id="m-basic-district_special-budget" class="([^"]*)"[^>]*hx-swap-oob="true">(.*?)</output>',
                    body)
    assert out and out.group(1) == "mark" and "合计 66.00" in out.group(2)
    assert 'id="findings-panel"' in body and 'hx-swap-oob="true"' in body
    assert "“区级专项资金”行“2023年预算数”列：填报" not in body  # its error is gone
    world.package.refresh_from_db()
    assert world.package.head_number == 2  # a recompute stores nothing


def test_it_recomputes_scores_and_totals(world):
    c = client_for(world.clerk)
    url = reverse("packages:recompute", args=[world.package.pk, "overall"])
    resp = c.post(url, {"base_revision": "2", "overall.total_self_score": "97",
                        "overall.indicators.0.children.3.indicators.0.self_score": "1"})
    body = resp.content.decode()
    assert re.search(r'id="m-overall-total_self_score"[^>]*>.*合计 97\.00', body)
    assert 'id="self-total">97.00' in body or 'id="self-total">97' in body


def test_it_adds_and_removes_rows_in_place_without_saving(world):
    c = client_for(world.clerk)
    url = reverse("packages:sheet", args=[world.package.pk, "basic"])
    resp = c.post(url, {"base_revision": "2", "op": "add:basic.transfer_items", "_len.basic.transfer_items": "0"})
    page = resp.content.decode()
    assert resp.status_code == 200 and 'name="basic.transfer_items.0.name"' in page and "有未保存的修改" in page
    resp = c.post(url, {"base_revision": "2", "_len.basic.transfer_items": "1",
                        "basic.transfer_items.0.name": "中央转移支付", "basic.transfer_items.0.final": "12.5"})
    assert resp.status_code == 302
    world.package.refresh_from_db()
    assert world.package.head.document["basic"]["transfer_items"][0]["name"] == "中央转移支付"
    resp = c.post(url, {"base_revision": "3", "_len.basic.transfer_items": "1", "basic.transfer_items.0.name": "中央转移支付",
                        "op": "del:basic.transfer_items.0"})
    assert 'name="basic.transfer_items.0.name"' not in resp.content.decode()


def test_it_adds_an_indicator_under_a_level2(world):
    c = client_for(world.clerk)
    url = reverse("packages:sheet", args=[world.package.pk, "overall"])
    resp = c.post(url, {"base_revision": "2", "op": "add:overall.indicators.0.children.0.indicators"})
    assert 'name="overall.indicators.0.children.0.indicators.5.name"' in resp.content.decode()


def test_it_refuses_fields_of_another_sheet(world):
    c = client_for(world.clerk)
    url = reverse("packages:sheet", args=[world.package.pk, "basic"])
    assert c.post(url, {"base_revision": "2", "overall.unit_name": "x"}).status_code == 400
    assert c.post(url, {"base_revision": "2", "op": "add:overall.indicators"}).status_code == 400
    assert c.post(url, {"base_revision": "99"}).status_code == 400


def test_it_shows_a_read_only_sheet_to_the_unit_head(world):
    page = _sheet(client_for(world.head), world, "basic").content.decode()
    assert "只读" in page and "<input type=\"text\" id=\"c-basic" not in page
    assert 'id="c-basic-sangong-final" class="val"' in page


def test_it_edits_report_sections_in_form_order(world):
    c = client_for(world.clerk)
    page = _sheet(c, world, "report").content.decode()
    assert page.count('name="report.sections.') >= 30  # number, heading and body of ten sections
    assert "一般公共预算支出情况" in page


def test_it_draws_each_project_table(world):
    from webworld import second_document

    from jixiao.web.packages import actions
    from jixiao.web.packages.checking import canonical, evaluate

    doc = canonical(evaluate(second_document(), "hunan-2023").package)
    actions.do_save(package_id=world.package.pk, actor=world.clerk, document=doc, base_number=2)
    c = client_for(world.clerk)
    overview = c.get(reverse("packages:overview", args=[world.package.pk])).content.decode()
    for i, p in enumerate(doc["projects"]):
        assert f"/sheet/project-{i}/" in overview
        page = _sheet(c, world, f"project-{i}").content.decode()
        assert p["project_name"] in page and f'name="projects.{i}.carryover.executed"' in page
    assert _sheet(c, world, f"project-{len(doc['projects'])}").status_code == 404


def test_it_adds_and_deletes_project_tables_as_revisions(world):
    c = client_for(world.clerk)
    resp = c.post(reverse("packages:add_project", args=[world.package.pk]), {"base_revision": "2"})
    assert resp.status_code == 302 and resp["Location"].endswith("/sheet/project-1/")
    world.package.refresh_from_db()
    projects = world.package.head.document["projects"]
    assert len(projects) == 2 and [lv["label"] for lv in projects[1]["indicators"]][0] == "产出指标(50分)"
    assert _sheet(c, world, "project-1").status_code == 200
    resp = c.post(reverse("packages:delete_project", args=[world.package.pk, 0]), {"base_revision": "3"})
    world.package.refresh_from_db()
    assert world.package.head_number == 4 and len(world.package.head.document["projects"]) == 1
    assert "删除项目支出绩效自评表" in world.package.head.note
    # A stale page cannot delete a table someone else just changed.
    c.post(reverse("packages:delete_project", args=[world.package.pk, 0]), {"base_revision": "3"})
    world.package.refresh_from_db()
    assert world.package.head_number == 4
