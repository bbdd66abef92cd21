"""Unit lists from Excel, and the name matching the batch import relies on."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from webworld import client_for

from jixiao.io import InputError
from jixiao.model import fold
from jixiao.web.bureau.matching import UnitIndex, name_from_file, normalise
from jixiao.web.bureau.unitlist import units_from_xlsx


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_it_reads_names_and_codes_under_a_header():
    data = _xlsx([["岳阳楼区2024年度评价单位"], [], ["序号", "单位 名称", "单位编码"], [1, "甲中心", 101001],
                  [2, "乙中心", "101002"], [3, "甲中心", 101001], ["合计", "", ""]])
    assert units_from_xlsx(data, "名单.xlsx") == [("甲中心", "101001"), ("乙中心", "101002")]


def test_it_reads_names_from_column_a_without_a_header():
    assert units_from_xlsx(_xlsx([["甲中心"], ["乙中心"]]), "a.xlsx") == [("甲中心", ""), ("乙中心", "")]


@pytest.mark.parametrize("data, msg", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "旧版 Office 文件"),
    (b"plain text", "不是 Excel"),
    (None, "没有找到单位名称"),
])
def test_it_refuses_what_is_not_a_unit_list(data, msg):
    if data is None:
        data = _xlsx([["序号", "单位名称"], [1, None]])
    with pytest.raises(InputError, match=msg):
        units_from_xlsx(data, "名单.xlsx")


def test_it_attaches_listed_units_creating_new_ones(world):
    data = _xlsx([["单位名称", "单位编码"], ["岳阳楼区机关事务服务中心", "9"], ["岳阳楼区新设中心", "10"]])
    upload = io.BytesIO(data)
    upload.name = "名单.xlsx"
    resp = client_for(world.reviewer).post(reverse("bureau:units", args=[world.campaign.pk]), {"file": upload},
                                           follow=True)
    assert "已纳入2个单位，其中新建1个单位。" in resp.content.decode()
    names = set(world.campaign.units.values_list("name", flat=True))
    assert {"岳阳楼区新设中心", world.unit_b.name} <= names
    assert world.bureau.units.filter(name="岳阳楼区机关事务服务中心").count() == 1  # matched, not duplicated


@given(st.text(alphabet="岳阳楼区中心机关（）()【】 \u3000ＡＢab12１２", min_size=1, max_size=20))
def test_it_normalises_names_idempotently_and_width_blind(name):
    once = normalise(name)
    assert normalise(once) == once
    assert normalise(fold(name)) == once
    assert normalise(name.replace(" ", "\n")) == once


def test_it_matches_file_names_carrying_more_than_the_unit():
    index = UnitIndex(["岳阳楼区城市建设档案馆", "岳阳楼区档案馆"], name_of=lambda u: u)
    assert index.from_file("2023年度岳阳楼区城市建设档案馆整体支出绩效自评（盖章版）") == "岳阳楼区城市建设档案馆"
    assert index.from_file("附件1岳阳楼区档案馆") == "岳阳楼区档案馆"
    assert index.from_file("汇总") is None
    assert name_from_file("2023年度 某中心 绩效自评材料") == "某中心"
    twins = UnitIndex(["甲 中心", "甲中心"], name_of=lambda u: u)
    assert twins.get("甲中心") is None and twins.ambiguous == {"甲中心"}
