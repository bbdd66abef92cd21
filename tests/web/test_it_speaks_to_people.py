"""What a new user reads: Chinese names, not rule ids, model paths, role codes or Python dicts (#13)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from webworld import client_for

from jixiao.rules.engine import load_pack, registered_rules
from jixiao.web.packages.labels import describe


def test_every_rule_of_the_pack_has_a_chinese_title():
    from importlib import resources

    names = sorted(f.name.removesuffix(".yaml") for f in resources.files("jixiao.rules").joinpath("packs").iterdir()
                   if f.name.endswith(".yaml"))
    packs = [load_pack(name) for name in names]
    assert "hunan-2023" in names and set().union(*(p.rules for p in packs)) == registered_rules()
    for pack in packs:
        for rule_id in pack.rules:
            title = pack.title(rule_id)
            assert title != rule_id and re.search(r"[\u4e00-\u9fff]", title), (pack.id, rule_id)


def test_the_findings_page_names_rules_in_chinese(world):
    html = client_for(world.clerk).get(reverse("packages:findings", args=[world.package.pk])).content.decode()
    shown = re.findall(r'<small class="rule">([^<]*)</small>', html)
    assert shown and "基础数据表小计与明细不符" in shown
    assert not [s for s in shown if re.fullmatch(r"[a-z_0-9]+\.[a-z_0-9]+", s)]


@pytest.mark.parametrize("path, label", [
    ("projects", "项目支出绩效自评表"),
    ("report", "自评报告"),
    ("report.sections", "自评报告 · 各节"),
    ("report.sections.2", "自评报告 · 第三节"),
    ("basic", "基础数据表"),
    ("overall", "整体支出绩效自评表"),
])
def test_it_names_whole_parts_in_chinese(path, label):
    from webworld import seed_document

    doc = seed_document()
    got = describe(path, doc, "hunan-2023")
    assert re.search(r"[a-z]", got) is None, got
    assert got.startswith(label.split(" · 第")[0])


def test_the_audit_log_shows_roles_objects_and_details_in_chinese(world):
    clerk = client_for(world.clerk)
    clerk.get(reverse("packages:download", args=[world.package.pk, "json"]))
    clerk.get(reverse("audit:log"))  # refused: a permission_denied row with a reason
    client_for(world.reviewer).get(reverse("bureau:summary", args=[world.campaign.pk]))
    html = client_for(world.auditor).get(reverse("audit:log")).content.decode()
    cells = re.findall(r"<tr class=\"a-[a-z_]+\">(.*?)</tr>", html, re.S)
    assert cells
    columns = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in cells]
    roles = {c[2] for c in columns}
    assert "填表人" in roles and "财政局审核人" in roles and not roles & {"clerk", "reviewer", "unit_head"}
    objects = {c[4] for c in columns}
    assert f"{world.unit_a.name}2023年度绩效自评材料" in objects
    assert f"评价任务“{world.campaign.title}”" in objects
    assert not [o for o in objects if "#" in o or "package" in o]
    details = " ".join(c[6] for c in columns)
    assert "{" not in details and "&#x27;" not in details and "'" not in details
    assert "格式：JSON" in details and "导出内容：汇总表" in details and "原因：" in details
    assert f"评价任务：“{world.campaign.title}”" in details


def _import(world, name: str, data: bytes):
    import io

    f = io.BytesIO(data)
    f.name = name
    resp = client_for(world.clerk).post(reverse("packages:import", args=[world.package.pk]),
                                        {"file": f, "base_revision": str(world.package.head_number)}, follow=True)
    return resp, " ".join(str(m) for m in resp.context["messages"])


@pytest.mark.parametrize("name, data", [
    ("材料.docx", b"PK\x03\x04 not really a zip"),
    ("材料.zip", b"PK\x05\x06" + b"\x00" * 18),
    ("材料.json", b""),
    ("材料.json", b"{\"fiscal_year\": 2023,"),
])
def test_an_unreadable_upload_is_explained_in_chinese_by_its_own_name(world, name, data):
    resp, text = _import(world, name, data)
    assert name in text and "/tmp" not in text and "upload" not in text, text
    assert "File is not" not in text and "Expecting" not in text, text


def test_a_json_with_the_number_1_as_schema_version_imports(world):
    import json

    from webworld import seed_document

    doc = seed_document()
    doc["schema_version"] = 1
    resp, text = _import(world, "材料.json", json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    assert "已导入“材料.json”" in text, text
    assert "格式版本" not in text


def test_docs_and_code_agree_on_one_upload_limit(settings):
    from pathlib import Path

    from jixiao.model import SCHEMA_VERSION
    from jixiao.web import uploads
    from jixiao.web.bureau import sources

    assert uploads.SCHEMA_VERSION == SCHEMA_VERSION
    assert settings.JIXIAO_MAX_UPLOAD_BYTES == uploads.MAX_UPLOAD_BYTES == sources.MAX_FILE_BYTES == 20 * 1024 * 1024
    root = Path(__file__).resolve().parents[2]
    for doc in ("docs/web.md", "docs/import.md"):
        text = (root / doc).read_text(encoding="utf-8")
        assert "20 MB" in text and "Uploads are capped at 50 MB" not in text, doc


def test_history_says_how_each_revision_came_about_once(world):
    from jixiao.web.packages.models import Revision

    def text(source, note):
        return Revision(source=source, note=note).source_text

    assert text("demo", "演示数据") == "演示数据"
    assert text("explain", "填写错误说明") == "填写错误说明"
    assert text("import", "导入 材料.docx") == "导入 材料.docx"
    assert text("restore", "恢复第2版") == "恢复第2版"
    assert text("web", "") == "网页填报"
    assert text("web", "改了三公经费") == "网页填报：改了三公经费"
    html = client_for(world.clerk).get(reverse("packages:history", args=[world.package.pk])).content.decode()
    assert "导入文件：导入" not in html and "（演示数据）" not in html


def test_an_unnamed_project_table_is_shown_by_its_number():
    from webworld import seed_document

    doc = seed_document()
    doc["projects"] = [{"project_name": "/"}, {"project_name": "业务工作经费"}]
    assert describe("projects.0.funds.final", doc, "hunan-2023").startswith("项目支出绩效自评表（第1张）")
    assert describe("projects.1.funds.final", doc, "hunan-2023").startswith("项目支出绩效自评表（业务工作经费）")


def test_the_tab_of_an_unnamed_project_table_names_its_number(world):
    html = client_for(world.clerk).get(reverse("packages:overview", args=[world.package.pk])).content.decode()
    tabs = re.findall(r"项目表[：（][^<]*", html)
    assert tabs and "项目表：/" not in tabs


def test_the_audit_detail_reads_revisions_and_explanations_in_chinese():
    from jixiao.web.audit.present import detail_lines

    lines = detail_lines({"revision": 5, "explained": ["basic.subtotal|basic.x||a|b", "basic.subtotal|basic.y||a|b",
                                                       "complete.unit_name|overall.unit_name|||"]})
    assert lines == ["版本：第5版", "已说明的问题：3条（基础数据表小计与明细不符、单位名称空白）"]


def test_an_administrator_is_not_named_twice_in_the_header(world):
    world.auditor.full_name = "审计管理员"  # as the demo's administrators are named
    world.auditor.save()
    html = client_for(world.auditor).get(reverse("audit:log")).content.decode()
    header = re.search(r'<span class="user">.*?</span>\s*(<span class="role">.*?</span>)?', html, re.S).group(0)
    assert header.count("审计管理员") == 1


def test_a_failed_login_keeps_the_page_that_was_asked_for(world):
    from django.test import Client
    from webworld import PASSWORD

    c = Client()
    target = reverse("packages:overview", args=[world.package.pk])
    login_url = reverse("accounts:login") + f"?next={target}"
    failed = c.post(login_url, {"username": "clerk-a", "password": "wrong", "next": target})
    assert failed.status_code == 401 and f'name="next" value="{target}"' in failed.content.decode()
    ok = c.post(reverse("accounts:login"), {"username": "clerk-a", "password": PASSWORD, "next": target})
    assert ok.status_code == 302 and ok["Location"] == target


def test_the_audit_log_names_the_cycles_steps_and_the_approvals_version(db):
    """A package of the targets or monitoring step, and an approval's version, read in Chinese."""
    from jixiao.web.audit.log import record
    from jixiao.web.audit.models import AuditEvent
    from jixiao.web.audit.present import rows

    record(None, "package_created", username="某人", detail={"stage": "monitoring", "unit": "某单位"})
    record(None, "targets_approved", username="某人", detail={"version": 2, "revision": 3})
    lines = [line for row in rows(AuditEvent.objects.order_by("seq")) for line in row.lines]
    assert "环节：绩效运行监控" in lines and "批复版次：2" in lines and "版本：第3版" in lines
    assert not [line for line in lines if re.search(r"[A-Za-z]{4,}", line)], lines
