"""One grid draws every table: the form's grid (jixiao.forms.grid), the printed parts Word, Excel and
HTML/PDF write, and the web sheet have the same rows, cells, spans and model paths; and what Word
and Excel wrote has those merges. Walked over the seed, the clean example and generated packages.
"""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pytest

from jixiao.forms import load_form
from jixiao.forms.grid import build_grid
from jixiao.render import render_package
from jixiao.render.tables import build_parts
from jixiao.web.packages.sheets import basic_sheet, overall_sheet, project_sheet
from support.examples import clean, seed
from support.generate import generated_packages

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "render"))
from render_helpers import docx_tables  # noqa: E402

PACKAGES = [seed(), clean(), *generated_packages(4, seed=5)]


def _grid_shape(part):
    return [[(c.col, c.colspan, c.rowspan, c.path) for c in row] for row in part.rows]


def _printed_shape(part):
    return [[(c.col, c.colspan, c.rowspan, c.path) for c in row] for row in part.grid.rows]


def _sheet_shape(sheet, n_rows):
    return [[(c.colspan, c.rowspan, c.path) for c in row.cells] for row in sheet.rows[:n_rows]]


@pytest.mark.parametrize("index", range(len(PACKAGES)))
def test_the_documents_and_the_web_sheet_draw_the_one_grid(index, tmp_path):
    pkg = PACKAGES[index]
    form = load_form()
    grid = build_grid(pkg, form)  # the web sheet's
    paper = build_grid(pkg, form, printed=True)  # the same grid with the paper form's rows to write in
    printed = [p for p in build_parts(pkg, form) if p.grid is not None]
    assert [g.label for g in grid] == [g.label for g in paper] == [p.label for p in printed]
    doc = pkg.model_dump(mode="json")
    sheets = [basic_sheet(doc, form_name="hunan-2023", editable=True, url="/"),
              overall_sheet(doc, form_name="hunan-2023", editable=True, url="/")]
    sheets += [project_sheet(doc, i, form_name="hunan-2023", editable=True, url="/") for i in range(len(pkg.projects))]
    for part, paper_part, page, sheet in zip(grid, paper, printed, sheets, strict=True):
        assert _grid_shape(paper_part) == _printed_shape(page), part.label
        values = {c.path for c in part.cells() if c.is_value}
        assert values == {c.path for c in paper_part.cells() if c.is_value}  # padding adds no value cell
        want = [[(c.colspan, c.rowspan, c.path if c.is_value else None) for c in row] for row in part.rows]
        assert _sheet_shape(sheet, len(part.rows)) == want, part.label
        assert sheet.columns == part.n_cols and sheet.title == part.label

    result = render_package(pkg, tmp_path, formats=("docx", "xlsx"))
    combined = next(f for f in result.files if f.name.endswith("全套.docx"))
    tables = docx_tables(combined)
    # Word prints a long table as two (the header repeats on every page of the second): together
    # they hold the grid's cells; a cell merged down across the cut is split there.
    cells = sum(1 for p in paper for _ in p.cells())
    assert sum(len(t) for t in tables) >= cells
    book = openpyxl.load_workbook(next(f for f in result.files if f.suffix == ".xlsx"))
    for part, ws in zip(paper, book.worksheets, strict=False):
        merged = sum(1 for c in part.cells() if c.colspan > 1 or c.rowspan > 1)
        assert len(ws.merged_cells.ranges) >= merged, part.label


# ------------------------------------------------------------------ forms beyond the default


def _other_forms():
    from support.other_forms import other_form_packages

    return other_form_packages()


@pytest.mark.parametrize("form_id", ["national", "sichuan-2023-project"])
def test_the_web_sheet_of_each_form_draws_its_grid_with_an_input_at_each_new_cell(form_id):
    from jixiao.model import Package

    doc = _other_forms()[form_id]
    form = load_form(form_id)
    grid = build_grid(doc, form)
    printed = [p for p in build_parts(Package.model_validate(doc), form) if p.grid is not None]
    sheets = [overall_sheet(doc, form_name=form_id, editable=True, url="/")] if "overall" in doc else []
    sheets += [project_sheet(doc, i, form_name=form_id, editable=True, url="/") for i in range(len(doc["projects"]))]
    assert len(grid) == len(printed) == len(sheets)
    for part, page, sheet in zip(grid, printed, sheets, strict=True):
        want = [[(c.colspan, c.rowspan, c.path if c.is_value else None) for c in row] for row in part.rows]
        assert _sheet_shape(sheet, len(part.rows)) == want, part.label
        assert [[(c.col, c.colspan, c.rowspan, c.path) for c in row] for row in part.rows] == _printed_shape(page)
        assert sheet.columns == len(form["evaluation"]["layout"]["widths"])
        assert sheet.preamble == (part.preamble or "") and sheet.title_lines == part.title_lines
        kinds = {c.path: c.kind for row in sheet.rows for c in row.cells if c.path}
        table = part.path
        first = f"{table}.indicators.0.children.0.indicators.0"
        columns = {c["field"] for c in form["evaluation"]["indicator_columns"]}
        for f in ("nature", "unit"):
            assert (kinds.get(f"{first}.{f}") == "text") == (f in columns), f
        for row in form["evaluation"].get("text_rows", []):
            assert kinds[f"{table}.{row['field']}"] == "area"
        if any(c["field"] == "reason" for c in form["evaluation"]["funds_columns"]):
            assert kinds[f"{table}.funds.reason"] == "area"
        assert sheet.values[f"{first}.name"] == doc_value(doc, f"{first}.name")
        signature = [c.text for row in sheet.footer for c in row.cells if c.cls == "sig"]
        assert signature == [s["label"] for s in form["captions"]["signature"]]


def doc_value(doc, path):
    node = doc
    for key in path.split("."):
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


@pytest.mark.parametrize(("form_id", "keys"), [
    ("hunan-2023", ["basic", "overall", "project-0", "report"]),
    ("national", ["overall", "project-0"]),
    ("sichuan-2023-project", ["project-0"]),
])
def test_the_sheet_tabs_are_the_forms_parts(form_id, keys):
    from types import SimpleNamespace

    from jixiao.web.packages.sheet_views import sheet_tabs

    pkg = SimpleNamespace(form=form_id, campaign=SimpleNamespace(form=form_id))
    doc = {"projects": [{"project_name": "某项目"}]}
    assert [k for k, _ in sheet_tabs(pkg, doc)] == keys
