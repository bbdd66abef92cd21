"""What a new user reads: Chinese names, not rule ids, model paths, role codes or Python dicts (#13)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from webworld import client_for

from jixiao.rules.engine import load_pack, registered_rules
from jixiao.web.packages.labels import describe


def test_every_rule_of_the_pack_has_a_chinese_title():
    pack = load_pack("hunan-2023")
    assert set(pack.rules) == registered_rules()
    for rule_id in pack.rules:
        title = pack.title(rule_id)
        assert title != rule_id and re.search(r"[\u4e00-\u9fff]", title), rule_id


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
