"""The layout every writer draws: labels from the form definition, exact cell text, lossless."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render_helpers import values_from_parts
from render_strategies import packages

from jixiao.forms import basic_rows, load_form
from jixiao.model import BasicDataTable, OverallTable, ProjectTable
from jixiao.render.layout import amount_text
from jixiao.render.tables import build_parts
from support.examples import clean, seed

FORM = load_form()


def _texts(part, col=None):
    return [c.text for row in part.grid.rows for c in row if col is None or c.col == col]


def _cell(part, path):
    return next(c for row in part.grid.rows for c in row if c.path == path)


@pytest.mark.parametrize("make", [seed, clean], ids=["seed", "clean"])
def test_it_covers_every_grid_position_exactly_once(make):
    for part in build_parts(make()):
        if part.grid is not None:
            occupancy = part.grid.occupancy()
            assert all(cell is not None for row in occupancy for cell in row), part.label


def test_it_lays_out_the_parts_in_order_with_attachment_numbers():
    parts = build_parts(clean())
    assert [p.key for p in parts] == ["basic", "overall", "project", "project", "project", "project", "report"]
    assert [p.attachment for p in parts[:3]] == ["附件1", "附件2", "附件3"]
    assert [p.landscape for p in parts] == [False, True, True, True, True, True, False]
    assert parts[2].label == "项目支出绩效自评表（业务工作经费）"
    assert build_parts(seed())[2].label == "项目支出绩效自评表（第1张）"


def test_it_prints_every_row_label_of_the_form_definition_in_order():
    basic = build_parts(seed())[0]
    labels = _texts(basic, col=0)
    positions = [labels.index(spec["label"]) for spec in basic_rows(FORM)]
    assert positions == sorted(positions)
    # The '一个专项一行' items sit right under their subtotal row, in order.
    start = labels.index("3、区级专项资金(一个专项一行)")
    assert labels[start + 1: start + 16][:3] == ["城市综合管理专项", "工资性支出预留专项", "会议经费专项"]
    for c in FORM["basic"]["amount_columns"]:
        assert c["label"].format(year=2023, prev_year=2022) in _texts(basic)
    for c in FORM["basic"]["building_columns"]:
        assert c["label"] in _texts(basic)


def test_it_prints_the_evaluation_captions_from_the_form_definition():
    overall, project = build_parts(seed())[1:3]
    texts = _texts(overall)
    ev = FORM["evaluation"]
    for spec in ev["funds_columns"] + ev["indicator_columns"] + ev["income_rows"] + ev["spending_rows"]:
        assert spec["label"] in texts
    caps = FORM["captions"]["evaluation"]
    for key in ("unit_name", "overall_funds", "goals", "goals_expected", "goals_actual", "indicators", "total"):
        assert caps[key] in texts
    for spec in ev["project_fund_rows"]:
        assert spec["label"] in _texts(project)
    assert caps["project_funds"] in _texts(project)


def test_it_shows_exactly_what_the_package_says():
    pkg = seed()
    basic, overall, project = build_parts(pkg)[:3]
    assert _cell(basic, "basic.sangong.budget").text == "6.00"
    assert _cell(basic, "basic.sangong.prev_final").text == ""  # blank stays blank, not 0.00
    assert _cell(basic, "basic.staffing.control_rate").text == "93.33%"
    assert _cell(basic, "basic.staffing.establishment").text == "30"
    assert _cell(overall, "overall.funds.execution_rate").text == "100%"
    assert _cell(overall, "overall.funds.weight").text == "10"
    assert _cell(project, "projects.0.funds.execution_rate").text == "/"
    assert _cell(project, "projects.0.project_name").text == "/"
    # Indicator values keep their raw text, line breaks included.
    assert "全区接派智慧\n城管工单数量" in _texts(overall)
    assert _cell(overall, "overall.indicators.0.children.1.indicators.0.actual").text == "97%以上"


def test_it_aligns_numbers_right_and_keeps_them_numbers():
    basic = build_parts(seed())[0]
    cell = _cell(basic, "basic.project_spending.final")
    assert (cell.align, cell.value, cell.number_format) == ("right", Decimal("1146.79"), "0.00")
    rate = _cell(basic, "basic.staffing.control_rate")
    assert (rate.value, rate.number_format) == (Decimal("0.9333"), "0.00%")


def test_it_merges_indicator_levels_down_their_rows():
    overall = build_parts(seed())[1]
    level1 = _cell(overall, "overall.indicators.0.label")
    level2 = _cell(overall, "overall.indicators.0.children.0.label")
    assert (level1.rowspan, level2.rowspan) == (12, 5)
    # The web sheet gives an empty 二级 its one line; the printed 附件3 its three (test below).
    from jixiao.forms.grid import build_grid

    project = build_grid(seed())[2]
    level2 = next(c for c in project.cells() if c.path == "projects.0.indicators.0.children.0.label")
    assert level2.rowspan == 1 and "……" not in [c.text for c in project.cells()]


def _level2_blocks(part):
    """(二级 label, the 三级指标 texts of its rows) of each 二级指标 of a printed evaluation table."""
    rows = part.grid.rows
    blocks = []
    for r, row in enumerate(rows):
        for c in row:
            if c.path and c.path.endswith(".label") and ".children." in c.path:
                names = [next(x.text for x in rows[k] if x.col == 3) for k in range(r, r + c.rowspan)]
                blocks.append((c.text, names))
    return blocks


def test_the_printed_project_table_has_three_rows_per_level2_the_last_one_dots():
    # The seed's 附件3 is the blank form: under each 二级指标 two blank rows and '……', as the Word file prints it.
    blank = build_parts(seed())[2]
    blocks = _level2_blocks(blank)
    assert [b[0] for b in blocks][:4] == ["数量指标", "质量指标", "时效指标", "成本指标"]
    assert all(names == ["", "", "……"] for _, names in blocks)
    assert blank.grid.blank_row(next(r for r, row in enumerate(blank.grid.rows) if any(c.text == "数量指标" for c in row)))
    # A filled table: its indicators, blank rows up to three, '……' last; three or more print as they are.
    pkg = clean()
    l2 = pkg.projects[0].indicators[0].children[0]
    l2.indicators = l2.indicators * 3
    blocks = _level2_blocks(build_parts(pkg)[2])
    first = l2.indicators[0].name
    assert blocks[0][1] == [first] * 3
    assert blocks[1][1] == [pkg.projects[0].indicators[0].children[1].indicators[0].name, "", "……"]
    # The 整体支出绩效自评表 has no such rows.
    overall = build_parts(pkg)[1]
    assert "……" not in _texts(overall)


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**9, max_value=10**9))
def test_it_pads_amounts_to_two_places_and_never_rounds(value):
    text = amount_text(value)
    assert Decimal(text) == value
    assert "E" not in text and "e" not in text
    assert len(text.split(".")[1]) >= 2


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(packages())
def test_it_loses_nothing_the_package_says(pkg):
    parts = build_parts(pkg)
    for part in parts:
        if part.grid is not None:
            part.grid.occupancy()
    values = values_from_parts(parts)
    # Title, note and signature are printed outside the grid (tested with the documents).
    keep = ("title", "note", "signature")
    if pkg.basic is not None:
        got = BasicDataTable.model_validate({**values["basic"], **{k: getattr(pkg.basic, k) for k in keep}})
        assert got == pkg.basic
    if pkg.overall is not None:
        got = OverallTable.model_validate({**values["overall"], **{k: getattr(pkg.overall, k) for k in keep}})
        assert got == pkg.overall
    for i, project in enumerate(pkg.projects):
        got = ProjectTable.model_validate({**values["projects"][i], **{k: getattr(project, k) for k in keep}})
        assert got == project
