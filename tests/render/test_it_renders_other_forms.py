"""Every form renders in every format in its own layout: Word, Excel and PDF of a package on the
national forms and on a province's project form hold the grid of the form, the form's title lines,
preamble, text rows and signature; generated packages (any number of indicators, text rows and
fund sub-rows) render without error; the template of each form has the form's grid."""

from __future__ import annotations

import copy
import io
import re
import subprocess

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render_helpers import docx_grid, layout_cells, one, paragraphs, values_from_parts

from jixiao.forms import load_form
from jixiao.model import Package
from jixiao.render import render_package
from jixiao.render.docx_writer import write_docx
from jixiao.render.html_writer import render_html
from jixiao.render.tables import build_parts
from jixiao.render.xlsx_writer import table_top, write_xlsx
from support.other_forms import NATIONAL, PROVINCE_PROJECT, other_form_packages

FORMS = [NATIONAL, PROVINCE_PROJECT]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = {}
    for form_id, doc in other_form_packages().items():
        pkg = Package.model_validate(doc)
        out[form_id] = (pkg, render_package(pkg, tmp_path_factory.mktemp(form_id), with_findings=False))
    return out


def _text(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60).stdout


@pytest.mark.parametrize("form_id", FORMS)
def test_the_package_is_drawn_as_its_own_form(form_id, rendered):
    pkg, _ = rendered[form_id]
    form = load_form(form_id)
    parts = build_parts(pkg, load_form(pkg.form))
    assert [p.key for p in parts] == [k for k in ("overall", "project") if k in form["parts"]]
    values = values_from_parts(parts)
    # what only these forms print reaches the page, cell by cell
    doc = other_form_packages()[form_id]
    for i, table in enumerate(doc["projects"]):
        shown = values["projects"][i]
        assert shown["project_name"] == table["project_name"]
        for text_row in form["evaluation"].get("text_rows", []):
            assert shown[text_row["field"]] == table[text_row["field"]]
        for row in form["evaluation"]["project_fund_rows"]:
            assert row["field"] in shown
        first = shown["indicators"][0]["children"][0]["indicators"][0]
        source = table["indicators"][0]["children"][0]["indicators"][0]
        for f in ("nature", "unit"):
            assert (f in first) == (f in {c["field"] for c in form["evaluation"]["indicator_columns"]})
            if f in first:
                assert first[f] == source[f]


@pytest.mark.parametrize("form_id", FORMS)
def test_word_has_the_forms_grid_title_lines_preamble_and_signature(form_id, rendered):
    pkg, result = rendered[form_id]
    parts = build_parts(pkg, load_form(form_id))
    for n, part in enumerate(parts, start=1):
        path = one(result, ".docx", f"-{n:02d}-")
        assert docx_grid(path) == layout_cells(part), part.label
        lines = paragraphs(path)
        head = [x for x in (part.preamble, part.title, *part.title_lines) if x]
        assert lines[: len(head)] == head
        for label, _ in part.signature:
            assert any(line.startswith(f"{label}：") or f"  {label}：" in line for line in lines), label


@pytest.mark.parametrize("form_id", FORMS)
def test_excel_puts_each_table_under_its_title_lines_with_its_merges(form_id, rendered):
    pkg, result = rendered[form_id]
    parts = build_parts(pkg, load_form(form_id))
    book = openpyxl.load_workbook(one(result, ".xlsx"))
    assert len(book.worksheets) == len(parts)
    for part, ws in zip(parts, book.worksheets, strict=True):
        top = table_top(part)
        assert ws.cell(row=top - 1 - len(part.title_lines), column=1).value == part.title
        for k, line in enumerate(part.title_lines):
            assert ws.cell(row=top - len(part.title_lines) + k, column=1).value == line
        if part.preamble:
            assert ws.cell(row=1, column=1).value == part.preamble
        for r, row in enumerate(part.grid.rows):
            for cell in row:
                written = ws.cell(row=top + r, column=cell.col + 1).value
                if cell.value is not None:
                    assert float(written) == pytest.approx(float(cell.value)), (part.label, r, cell.path)
                else:
                    assert written == (cell.text or None), (part.label, r, cell.path)
        merged = sum(1 for row in part.grid.rows for c in row if c.colspan > 1 or c.rowspan > 1)
        # the title, each title line, the note and the signature line are merged across the table too
        assert len(ws.merged_cells.ranges) == merged + 1 + len(part.title_lines) + bool(part.note) + bool(part.signature)
        assert ws.max_column == len(part.grid.widths)


@pytest.mark.parametrize("form_id", FORMS)
def test_the_pdf_prints_the_forms_title_lines_and_signature_landscape_and_its_html_every_label(form_id, rendered):
    import re

    pkg, result = rendered[form_id]
    pdf = one(result, ".pdf")
    compact = re.sub(r"\s", "", _text("pdftotext", "-layout", str(pdf), "-"))
    form = load_form(form_id)
    parts = build_parts(pkg, form)
    for part in parts:
        for line in [part.preamble, part.title, *part.title_lines]:
            if line:
                assert line in compact, line
    for s in form["captions"]["signature"]:
        assert f"{s['label']}：" in compact
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", _text("pdfinfo", "-f", "1", "-l", "20", str(pdf)))
    assert sizes and all(float(w) > float(h) for w, h in sizes)  # the evaluation tables print landscape
    # the labels, whole (a PDF's text breaks a wrapped cell's words apart)
    html = render_html(parts, title="t")
    ev = form["evaluation"]
    for label in [c["label"] for c in ev["indicator_columns"] + ev["funds_columns"]] + [
            r["label"] for r in ev.get("text_rows", [])]:
        assert f">{label}<" in html, label


def test_a_package_on_the_default_form_is_drawn_as_before(seed_render):
    from support.examples import seed

    assert seed().form is None
    assert not any(f.name.startswith("2023-") and "（2023年度）" in f.name for f in seed_render.files)


# ------------------------------------------------------------------ generated packages

_word = st.text(st.sampled_from(list("项目资金完成指标年度绩效目标说明原因改进措施0123456789%≥≤=")), min_size=1, max_size=30)
_amount = st.one_of(st.none(), st.just("/"), st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False,
                                                         allow_infinity=False).map(str))


@st.composite
def generated(draw, form_id: str) -> dict:
    doc = copy.deepcopy(other_form_packages()[form_id])
    form = load_form(form_id)
    tables = ([doc["overall"]] if "overall" in doc else []) + doc["projects"]
    if "project" in form["parts"]:
        extra = draw(st.integers(0, 2))
        doc["projects"] += [copy.deepcopy(doc["projects"][0]) for _ in range(extra)]
        tables = ([doc["overall"]] if "overall" in doc else []) + doc["projects"]
    for table in tables:
        table["indicators"] = [
            {"label": draw(_word), "children": [
                {"label": draw(_word), "indicators": [
                    {"name": draw(_word), "nature": draw(st.sampled_from(["=", "≥", "≤", "定性", None])),
                     "target": draw(_word), "unit": draw(st.one_of(st.none(), _word)), "actual": draw(_word)}
                    for _ in range(draw(st.integers(0, 3)))]}
                for _ in range(draw(st.integers(0, 3)))]}
            for _ in range(draw(st.integers(0, 3)))]
        for field in ("summary", "conclusion", "problems", "improvements"):
            table[field] = draw(st.one_of(st.none(), st.lists(_word, min_size=1, max_size=3).map("\n".join)))
        for row in ("funds", "current_appropriation", "carryover", "other_funds", "fiscal_funds",
                    "special_account_funds", "unit_funds"):
            table[row] = {c: draw(_amount) for c in ("initial_budget", "full_year_budget", "executed")}
            table[row]["reason"] = draw(st.one_of(st.none(), _word))
    return doc


@pytest.mark.parametrize("form_id", FORMS)
def test_generated_packages_render_in_every_format(form_id, tmp_path_factory):
    @settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
    @given(doc=generated(form_id))
    def run(doc):
        pkg = Package.model_validate(doc)
        parts = build_parts(pkg, load_form(form_id))
        out = tmp_path_factory.mktemp("gen")
        write_docx(parts, out / "a.docx")
        write_xlsx(parts, out / "a.xlsx")
        html = render_html(parts, title="t")
        assert html.count("<table") >= len(parts)
        for part in parts:
            part.grid.occupancy()
            assert docx_grid_ok(out / "a.docx")

    run()


def docx_grid_ok(path) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == b"PK"


@pytest.mark.parametrize("form_id", FORMS)
def test_the_template_of_each_form_has_its_grid(form_id):
    from jixiao.io import write_template

    data = write_template(2023, form=form_id, pack="hunan-2023")
    book = openpyxl.load_workbook(io.BytesIO(data))
    form = load_form(form_id)
    names = [form["parts"][k]["name"] for k in ("overall", "project") if k in form["parts"]]
    assert [ws.title.split("（")[0] for ws in book.worksheets] == names
    for ws in book.worksheets:
        texts = {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
        for column in form["evaluation"]["indicator_columns"]:
            assert column["label"] in texts, (ws.title, column["label"])
        assert ws.protection.sheet


# ------------------------------------------------------------------ derived cells on the fund rows


def test_every_fund_row_the_forms_rates_list_has_its_rate_and_fill_computed_fills_them():
    from jixiao.forms.derived import fund_sums, rates
    from jixiao.render.fill import fill_computed

    form = load_form(PROVINCE_PROJECT)
    doc = other_form_packages()[PROVINCE_PROJECT]
    table = doc["projects"][0]
    for row in ("funds", "fiscal_funds", "unit_funds"):
        table[row]["execution_rate"] = None
    table["funds"]["executed"] = None
    pkg = Package.model_validate(doc)
    listed = {r["field"] for r in form["derived"]["rates"]}
    found = {r.path.split(".", 2)[2] for r in rates(pkg, form)}
    assert found == listed
    sums = {s.column: s.value for s in fund_sums(pkg, form)}
    # 372.40 + 0.00 + 98.00 + 0.00: the four 其中 rows of this form, not the default form's three
    assert str(sums["executed"]) == "470.40" and str(sums["initial_budget"]) == "500.00"
    filled, cells = fill_computed(pkg, form)
    got = {c.path: c.value for c in cells}
    assert got["projects.0.funds.executed"] == "470.40"
    assert got["projects.0.funds.execution_rate"] == "98.00%"  # from the filled total: 470.40 ÷ 480.00
    assert got["projects.0.fiscal_funds.execution_rate"] == "98.00%"  # 372.40 ÷ 380.00
    assert got["projects.0.unit_funds.execution_rate"] == "98.00%"
    assert "projects.0.other_funds.execution_rate" not in got  # 0.00 ÷ 0.00 has no rate
    assert str(filled.projects[0].funds.executed) == "470.40"


def test_a_rate_on_a_fund_row_stands_only_on_the_table_kinds_that_print_the_row():
    from jixiao.forms.derived import rates

    form = copy.deepcopy(load_form(NATIONAL))
    form["derived"]["rates"].append({
        "part": "evaluation", "field": "carryover.execution_rate", "numerator": "carryover.executed",
        "denominator": "carryover.full_year_budget", "row": "上年结转资金", "column": "执行率", "formula": "x"})
    pkg = Package.model_validate(other_form_packages()[NATIONAL])
    assert {r.prefix for r in rates(pkg, form) if r.path.endswith("carryover.execution_rate")} == {"overall", "projects.0"}
    form["evaluation"]["overall_fund_rows"] = []
    assert {r.prefix for r in rates(pkg, form) if r.path.endswith("carryover.execution_rate")} == {"projects.0"}
    assert "overall.funds.execution_rate" in {r.path for r in rates(pkg, form)}  # the total's rate stays


@pytest.mark.parametrize("form_id", FORMS)
def test_the_templates_filled_copy_imports_back(form_id, tmp_path):
    from jixiao.io import import_package, write_template

    pkg = Package.model_validate(other_form_packages()[form_id])
    path = tmp_path / "filled.xlsx"
    path.write_bytes(write_template(2023, package=pkg, form=form_id, pack=form_id))
    imported = import_package(path)
    back = imported.package
    assert back.form == form_id and imported.issues == []
    # The template prints the form's titles, which the reader keeps; the unit a standalone table
    # names is its 实施单位 (or the 整体 table's own name), whatever the package was called.
    unit = pkg.overall.unit_name if pkg.overall is not None else pkg.projects[0].implementing_unit
    assert back.unit_name == re.sub(r"^\d+-", "", unit)  # without its budget code ('305-')
    no_titles = {"form": True, "unit_name": True, "overall": {"title"}, "projects": {"__all__": {"title"}}}
    assert back.model_dump(exclude=no_titles) == pkg.model_dump(exclude=no_titles)


@pytest.mark.parametrize("form_id", FORMS)
def test_the_template_command_draws_the_form_asked_for_or_the_one_the_package_is_on(form_id, tmp_path):
    import json

    from jixiao.cli import main

    blank = tmp_path / "blank.xlsx"
    assert main(["template", "--form", form_id, "--year", "2023", "--projects", "2", "-o", str(blank)]) == 0
    form = load_form(form_id)
    book = openpyxl.load_workbook(blank)
    want = ([form["parts"]["overall"]["name"]] if "overall" in form["parts"] else []) + [
        form["parts"]["project"]["name"]] * 2
    assert [ws.title.split("（")[0] for ws in book.worksheets] == want
    src = tmp_path / "pkg.json"
    src.write_text(json.dumps(other_form_packages()[form_id], ensure_ascii=False), encoding="utf-8")
    filled = tmp_path / "filled.xlsx"
    assert main(["template", "--from", str(src), "-o", str(filled)]) == 0
    ws = openpyxl.load_workbook(filled).worksheets[-1]
    texts = {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
    assert {c["label"] for c in form["evaluation"]["indicator_columns"]} <= texts
    assert other_form_packages()[form_id]["projects"][0]["project_name"] in texts
