"""Typing NaN, Infinity or a number no budget can hold gives a Chinese message on that cell,
in the live check and on save, never a 500 (issue #10)."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from webworld import client_for

from jixiao.web.packages.cells import dom_id

ABSURD = {
    "NaN": "“NaN”不是数值",
    "Infinity": "“Infinity”不是数值",
    "-Infinity": "“-Infinity”不是数值",
    "1E+30": "“1E+30”超出金额的合理范围",
    "1e308": "“1e308”超出金额的合理范围",
    "1" * 29: f"“{'1' * 29}”超出金额的合理范围",
}


@pytest.mark.parametrize("typed", list(ABSURD))
def test_the_live_check_names_the_cell(world, typed):
    c = client_for(world.clerk)
    url = reverse("packages:recompute", args=[world.package.pk, "basic"])
    resp = c.post(url, {"base_revision": "2", "basic.sangong.final": typed}, HTTP_HX_REQUEST="true")
    assert resp.status_code == 200
    body = html.unescape(resp.content.decode())
    assert ABSURD[typed] in body
    assert "{'decimal'" not in body and "Traceback" not in body
    mark = re.search(rf'<output id="m-{dom_id("basic.sangong.final")}"[^>]*>(.*?)</output>', body, re.S)
    assert mark and f"输入有误：{ABSURD[typed]}" in mark.group(1)


@pytest.mark.parametrize("path,typed,expect", [
    ("overall.funds.weight", "1e308", "超出分值的合理范围"),
    ("overall.funds.execution_rate", "NaN", "“NaN”不是数值"),
    ("overall.funds.executed", "Infinity", "“Infinity”不是数值"),
])
def test_saving_keeps_the_page_and_says_why(world, path, typed, expect):
    c = client_for(world.clerk)
    url = reverse("packages:sheet", args=[world.package.pk, "overall"])
    resp = c.post(url, {"base_revision": "2", path: typed})
    assert resp.status_code == 422
    body = html.unescape(resp.content.decode())
    assert expect in body
    world.package.refresh_from_db()
    assert world.package.head_number == 2


@pytest.mark.parametrize("literal,expect", [
    ('"1E+30"', "“1E+30”超出金额的合理范围"), ("NaN", "“NaN”不是数值"), ("1e400", "“1E+400”超出金额的合理范围"),
    ('"-Infinity"', "“-Infinity”不是数值"),
])
def test_importing_a_file_with_an_absurd_number_says_why_in_one_line(world, literal, expect):
    import io
    import json

    doc = world.package.head.document
    doc["basic"]["sangong"]["final"] = "@@"
    f = io.BytesIO(json.dumps(doc, ensure_ascii=False).replace('"@@"', literal).encode())
    f.name = "荒谬.json"
    resp = client_for(world.clerk).post(reverse("packages:import", args=[world.package.pk]),
                                        {"file": f, "base_revision": "2"})
    assert resp.status_code == 302
    msgs = [str(m) for m in resp.wsgi_request._messages]
    assert any(m.startswith("荒谬.json：字段 basic.sangong.final 无效：") and expect in m for m in msgs), msgs
    world.package.refresh_from_db()
    assert world.package.head_number == 2
