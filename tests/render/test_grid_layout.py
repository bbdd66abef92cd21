"""The evaluation tables are drawn from each form's ``evaluation.layout``: the default form's grid
is pinned cell by cell (data/seed-grid.json, taken from the fixed-geometry grid it replaced), and
every form's grid has the form's columns in its order, rows that fill the grid exactly, and the
form's own blocks, text rows, title lines and signature."""

from __future__ import annotations

import copy
import json
from dataclasses import asdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.errors import FormError
from jixiao.forms import load_form
from jixiao.forms.grid import build_grid, evaluation_layout
from jixiao.forms.skeleton import empty_package
from jixiao.forms.spec import EvaluationSpec
from jixiao.render.layout import Grid
from support.examples import seed

PINNED = Path(__file__).parent / "data" / "seed-grid.json"
FORMS = ["hunan-2023", "national", "sichuan-2023-project"]


def _shape(parts) -> list[dict]:
    out = []
    for p in parts:
        d = asdict(p)
        assert d.pop("title_lines") == [] and d.pop("preamble") is None
        d["rows"] = [[[c["col"], c["colspan"], c["rowspan"], c["kind"], c["text"], c["path"], c["label"], c["anchor"],
                       [list(o) for o in c["ops"]], c["align"], c["style"], c["placeholder"]] for c in r] for r in d["rows"]]
        d["lists"] = [list(x) for x in d["lists"]]
        d["signature"] = [list(x) for x in d["signature"]]
        d["note"] = list(d["note"]) if d["note"] else None
        out.append(d)
    return out


@pytest.mark.parametrize("printed", [False, True], ids=["web", "printed"])
def test_the_default_forms_grid_of_the_seed_is_unchanged_cell_by_cell(printed):
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))["printed" if printed else "web"]
    assert _shape(build_grid(seed(), load_form(), printed=printed)) == pinned


def _filled_grid(part) -> None:
    """Every grid position covered exactly once: no overlap, no hole, nothing sticking out."""
    grid = Grid(part.widths, rows=part.rows)  # GridCells have col/colspan/rowspan as layout cells do
    for r, row in enumerate(grid.occupancy()):
        assert all(c is not None for c in row), f"{part.label}: hole in row {r}"


@pytest.mark.parametrize("form_id", FORMS)
def test_each_forms_grid_fills_its_columns_and_heads_the_indicators_in_the_forms_order(form_id):
    form = load_form(form_id)
    pkg = empty_package(form_id, unit_name="某单位", year=2023, projects=1)
    parts = build_grid(pkg, form, printed=True)
    assert parts, form_id
    lay = evaluation_layout(form)
    for part in parts:
        _filled_grid(part)
        if part.key == "basic":
            continue
        assert part.widths == lay.widths
        header = next(row for row in part.rows if any(c.anchor == f"{part.path}.indicators" for c in row))
        assert [c.text for c in header[1:]] == [c["label"] for c in form["evaluation"]["indicator_columns"]]
        funds = next(row for row in part.rows if any(c.anchor == f"{part.path}.funds" for c in row))
        assert [c.text for c in funds[2:]] == [c["label"] for c in form["evaluation"]["funds_columns"]]
        assert [label for label, _ in part.signature] == [s["label"] for s in form["captions"]["signature"]]


def test_the_tables_blocks_come_in_the_layouts_order_with_the_kinds_fund_rows():
    form = load_form("sichuan-2023-project")
    part = build_grid(empty_package("sichuan-2023-project", unit_name="某单位", year=2023, projects=1), form)[0]
    anchors = [c.anchor for row in part.rows for c in row if c.anchor and c.anchor.count(".") == 2]
    order = [a.split(".")[2] for a in anchors]
    # header, then the goals block (its text row inside), funds with its 其中 rows, indicators, total, text rows
    assert order.index("basic_info") < order.index("summary") < order.index("funds") < order.index("indicators")
    assert order.index("total") < order.index("conclusion") < order.index("problems") < order.index("improvements")
    fund_rows = [a for a in anchors if a.split(".")[2] in ("fiscal_funds", "special_account_funds", "unit_funds",
                                                           "other_funds", "current_appropriation", "carryover")]
    assert [a.split(".")[2] for a in fund_rows] == [r["field"] for r in form["evaluation"]["project_fund_rows"]]
    paths = {c.path for c in part.cells() if c.is_value}
    assert {"projects.0.indicators.0.children.0.indicators.0.nature", "projects.0.indicators.0.children.0.indicators.0.unit",
            "projects.0.funds.reason", "projects.0.summary", "projects.0.conclusion"} <= paths
    assert part.preamble and part.preamble in form["captions"]["preamble"]["project"]
    assert part.title_lines == []


def test_a_bare_title_gets_the_year_on_its_own_line_and_each_table_kind_its_own_fund_rows():
    form = load_form("national")
    overall, project = build_grid(empty_package("national", unit_name="某单位", year=2023, projects=1), form)
    for part in (overall, project):
        assert part.title == form["captions"]["titles"][part.key] and part.title_lines == ["（2023年度）"]
        assert part.preamble is None
    for part, rows in ((overall, "overall_fund_rows"), (project, "project_fund_rows")):
        labels = [c.text for row in part.rows for c in row if c.kind == "label" and c.anchor and
                  c.anchor.rsplit(".", 1)[-1] in {r["field"] for r in form["evaluation"][rows]}]
        assert labels == [r["label"] for r in form["evaluation"][rows]]
    # no 按收入/支出性质分 split on a form without it
    assert not any(c.anchor in ("overall.income", "overall.spending") for c in overall.cells())


def _spec(**layout) -> dict:
    ev = load_form("national")["evaluation"]
    return {**ev, "layout": {**ev["layout"], **layout}}


def test_a_layout_whose_spans_do_not_fill_the_grid_is_refused_naming_the_row():
    EvaluationSpec.model_validate(_spec())  # the shipped one fits
    with pytest.raises(ValueError, match="funds_columns"):
        EvaluationSpec.model_validate(_spec(funds_label_span=3))
    with pytest.raises(ValueError, match="goals_spans"):
        EvaluationSpec.model_validate(_spec(goals_spans=[4, 4]))
    with pytest.raises(ValueError, match="重复"):
        EvaluationSpec.model_validate(_spec(blocks=["header", "funds", "funds", "indicators", "total"]))
    with pytest.raises(ValueError, match="缺少"):
        EvaluationSpec.model_validate(_spec(blocks=["header", "funds", "total"]))


@pytest.mark.parametrize("form_id", FORMS)
def test_a_form_without_a_layout_is_drawn_from_its_columns(form_id):
    form = copy.deepcopy(load_form(form_id))
    del form["evaluation"]["layout"]
    EvaluationSpec.model_validate(form["evaluation"])
    for part in build_grid(empty_package(form, unit_name="某单位", year=2023, projects=2), form, printed=True):
        _filled_grid(part)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(form_id=st.sampled_from(FORMS), shape=st.lists(st.lists(st.integers(0, 4), max_size=4), max_size=4),
       printed=st.booleans())
def test_any_number_of_indicators_fills_the_grid(form_id, shape, printed):
    form = load_form(form_id)
    pkg = empty_package(form_id, unit_name="某单位", year=2023, projects=1)
    table = pkg["projects"][0]
    table["indicators"] = [{"label": f"一级{i}", "children": [{"label": f"二级{j}", "indicators": [{"name": "x"}] * n}
                                                              for j, n in enumerate(l2)]} for i, l2 in enumerate(shape)]
    for part in build_grid(pkg, form, printed=printed):
        _filled_grid(part)


def test_an_unknown_form_is_a_form_error():
    with pytest.raises(FormError):
        empty_package("no-such-form", unit_name="x", year=2023)
