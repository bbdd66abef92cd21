"""The cycle's forms (targets-national, monitoring-national) drawn from their definitions: each
table kind prints its own blocks and columns, grouped columns get a two-row header, causes are
tick cells and 完成目标可能性 a choice cell, 年度主要任务 ends in 金额合计; Word, Excel and the
PDF carry what the grid says; the templates offer drop-downs."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.cli import main
from jixiao.forms import load_form
from jixiao.forms.grid import TICK_MARK, build_grid
from jixiao.render import render_package
from jixiao.render.fill import fill_computed
from jixiao.render.tables import build_parts
from support.cycle_packages import CAUSES, LIKELIHOODS, monitoring_doc, package, targets_doc

TARGETS, MONITORING = load_form("targets-national"), load_form("monitoring-national")


def _captions(part) -> list[str]:
    return [c.text for c in part.cells() if c.kind == "caption"]


def _by_key(parts, key):
    return next(p for p in parts if p.key == key)


def _row_texts(grid, r) -> list[str]:
    return [c.text for c in grid.rows[r]]


# ------------------------------------------------------------------ the grid, per table kind


def test_the_overall_target_table_prints_tasks_where_the_project_table_prints_funds():
    parts = build_grid(package(targets_doc()), TARGETS, printed=True)
    overall, project = _by_key(parts, "overall"), _by_key(parts, "project")
    assert "年度主要任务" in _captions(overall) and "项目资金（万元）" not in _captions(overall)
    assert "项目资金（万元）" in _captions(project) and "年度主要任务" not in _captions(project)
    # the 整体 table's single 指标值 column; the 项目 table's 中期指标值 beside 年度指标值
    assert "指标值" in _captions(overall) and "中期指标值" not in _captions(overall)
    assert {"中期指标值", "年度指标值"} <= set(_captions(project))
    assert not any(c.path and c.path.endswith("mid_term_target") for c in overall.cells())


def test_the_project_target_table_prints_its_header_pairs_and_goals_side_by_side():
    project = _by_key(build_grid(package(targets_doc()), TARGETS), "project")
    pair_row = next(row for row in project.rows if any(c.text == "项目属性" for c in row))
    assert [c.text or c.path for c in pair_row] == ["项目属性", "projects.0.project_type", "项目期",
                                                     "projects.0.project_period"]
    heading = next(row for row in project.rows if any(c.text == "中期目标" for c in row))
    values = project.rows[project.rows.index(heading) + 1]
    assert [c.text for c in heading if c.text != "总体目标"] == ["中期目标", "年度目标"]
    assert [c.path for c in values] == ["projects.0.goals.mid_term", "projects.0.goals.expected"]
    assert values[0].col + values[0].colspan == values[1].col  # side by side, no gap


@given(st.lists(st.tuples(st.text("任务项目建设", min_size=1, max_size=6),
                          st.one_of(st.none(), st.decimals(0, 10_000, places=2).map(str))), max_size=6))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_tasks_block_has_a_row_per_task_and_a_total_that_sums_them(tasks):
    doc = targets_doc([(name, "内容", amount, amount, None) for name, amount in tasks], projects=0)
    pkg = package(doc)
    part = _by_key(build_parts(pkg, TARGETS), "overall")
    grid = part.grid
    task_rows = [r for r, row in enumerate(grid.rows) if any(c.path and ".tasks." in c.path for c in row)]
    assert len(task_rows) == len(tasks)
    for (name, _), r in zip(tasks, task_rows, strict=True):
        assert name in [c.text for c in grid.rows[r]]
    total_row = next(r for r, row in enumerate(grid.rows) if any(c.text == "金额合计" for c in row))
    assert total_row == (task_rows[-1] if task_rows else total_row - 1) + 1
    filled = build_parts(fill_computed(pkg, TARGETS)[0], TARGETS)
    total_cells = {c.path: c for c in _by_key(filled, "overall").grid.rows[total_row] if c.path}
    written = [Decimal(a) for _, a in tasks if a is not None]
    expected = f"{sum(written, Decimal(0)):.2f}" if written else ""
    assert total_cells["overall.tasks_total.total"].text == expected
    assert total_cells["overall.tasks_total.fiscal"].text == expected
    assert total_cells["overall.tasks_total.other"].text == ""  # a blank column stays blank, not 0.00


def test_an_empty_task_list_still_prints_a_row_to_write_in():
    doc = targets_doc([], projects=0)
    grid = _by_key(build_parts(package(doc), TARGETS), "overall").grid
    total_row = next(r for r, row in enumerate(grid.rows) if any(c.text == "金额合计" for c in row))
    assert grid.blank_row(total_row - 1)


def test_the_empty_target_package_starts_with_task_rows():
    from jixiao.forms.skeleton import TASK_ROWS, empty_package

    doc = empty_package("targets-national", year=2024, projects=0)
    assert doc["overall"]["tasks"] == [{} for _ in range(TASK_ROWS)] and TASK_ROWS >= 2
    assert "tasks" not in empty_package("monitoring-national", year=2024, projects=0)["overall"]
    assert "tasks" not in empty_package("national", year=2024, projects=0)["overall"]


def test_the_monitoring_header_is_two_rows_with_the_causes_under_their_group():
    part = _by_key(build_grid(package(monitoring_doc()), MONITORING), "project")
    top_r = next(r for r, row in enumerate(part.rows) if any(c.text == "偏差原因分析" for c in row))
    top, under = part.rows[top_r], part.rows[top_r + 1]
    group = next(c for c in top if c.text == "偏差原因分析")
    assert [c.text for c in under] == list(CAUSES)
    assert group.col == under[0].col and group.colspan == sum(c.colspan for c in under)
    # the other captions are merged down over both rows
    assert all(c.rowspan == 2 for c in top if c.text in ("一级指标", "三级指标", "完成目标可能性", "备注"))


@given(st.lists(st.sampled_from(CAUSES), unique=True), st.one_of(st.none(), st.sampled_from(LIKELIHOODS)))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_ticked_causes_print_a_tick_under_their_column_and_the_likelihood_as_written(causes, likelihood):
    parts = build_parts(package(monitoring_doc(causes, likelihood, projects=1)), MONITORING)
    for part in parts:
        grid = part.grid
        header = next(r for r, row in enumerate(grid.rows) if any(c.text == "偏差原因分析" for c in row))
        columns = {c.col: c.text for c in grid.rows[header + 1]}
        first = grid.rows[header + 2]
        ticks = {columns[c.col]: c.text for c in first if c.kind == "tick"}
        assert ticks == {cause: TICK_MARK if cause in causes else "" for cause in CAUSES}
        choice = next(c for c in first if c.kind == "choice")
        assert choice.text == (likelihood or "") and choice.choices == LIKELIHOODS
        assert all(c.choices == (TICK_MARK,) for c in first if c.kind == "tick")


def test_the_printed_page_repeats_both_header_rows_of_a_grouped_header():
    part = _by_key(build_parts(package(monitoring_doc()), MONITORING), "project")
    start, end = part.grid.repeat
    assert end - start == 2 and "偏差原因分析" in _row_texts(part.grid, start)
    targets = _by_key(build_parts(package(targets_doc()), TARGETS), "project")
    start, end = targets.grid.repeat
    assert end - start == 1 and "一级指标" in _row_texts(targets.grid, start)


def test_the_self_evaluation_forms_draw_as_before():
    """No tick, choice or task cell and no two-row header on the forms that have none."""
    from jixiao.forms.skeleton import empty_package

    for name in ("national", "hunan-2023"):
        form = load_form(name)
        for part in build_grid(package(empty_package(name, year=2023, projects=1)), form):
            assert not {c.kind for c in part.cells()} & {"tick", "choice"}
            assert not any(c.path and ".tasks" in c.path for c in part.cells())
            assert not any(c.style == "group" for c in part.cells())


# ------------------------------------------------------------------ the documents


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = {}
    for name, doc in (("targets", targets_doc()), ("monitoring", monitoring_doc(["制度保障"], "完全不可能"))):
        folder = tmp_path_factory.mktemp(name)
        out[name] = render_package(package(doc), folder, ["docx", "xlsx", "pdf"], fill_computed=True).files
    return out


def _one(files, suffix, contains=""):
    return next(f for f in files if f.suffix == suffix and contains in f.name)


def _docx_text(path: Path) -> str:
    doc = Document(str(path))
    return "\n".join(cell.text for table in doc.tables for row in table.rows for cell in row.cells)


def test_word_carries_the_tasks_total_and_the_ticks(rendered):
    text = _docx_text(_one(rendered["targets"], ".docx", "全套"))
    for expected in ("年度主要任务", "城市道路保洁", "金额合计", "400.50", "380.00", "项目属性", "延续", "中期目标"):
        assert expected in text, expected
    text = _docx_text(_one(rendered["monitoring"], ".docx", "全套"))
    for expected in ("偏差原因分析", "制度保障", TICK_MARK, "完全不可能", "46.80%"):
        assert expected in text, expected


def test_excel_puts_the_tick_under_its_cause(rendered):
    wb = openpyxl.load_workbook(_one(rendered["monitoring"], ".xlsx"))
    ws = wb.worksheets[-1]
    cells = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}
    header = next(pos for pos, v in cells.items() if v == "制度保障")
    assert cells.get((header[0] + 1, header[1])) == TICK_MARK
    assert all(cells.get((header[0] + 1, header[1] + d)) is None for d in (-1, 1, 2, 3))
    assert "完全不可能" in cells.values()


def test_the_pdf_is_written(rendered):
    for files in rendered.values():
        assert _one(files, ".pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("form", ["targets-national", "monitoring-national"])
def test_the_cli_renders_and_fills_either_form(tmp_path, capsys, form):
    doc = targets_doc() if form == "targets-national" else monitoring_doc()
    src = tmp_path / "in.json"
    src.write_text(package(doc).model_dump_json(exclude_none=True), encoding="utf-8")
    assert main(["render", str(src), "--format", "docx,xlsx,pdf", "--fill-computed", "--out", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    names = [p.name for p in (tmp_path / "o").iterdir()]
    assert any(n.endswith(".pdf") for n in names) and any(n.endswith(".xlsx") for n in names)
    assert ("金额合计" in err) == (form == "targets-national")
    assert ("1-7月执行率" in err) == (form == "monitoring-national")


# ------------------------------------------------------------------ the templates


def _lists(ws) -> dict[str, list[str]]:
    return {dv.formula1: str(dv.sqref).split() for dv in ws.data_validations.dataValidation if dv.type == "list"}


def test_the_monitoring_template_offers_drop_downs_for_ticks_and_likelihood(tmp_path):
    out = tmp_path / "m.xlsx"
    assert main(["template", "--form", "monitoring-national", "--year", "2024", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        lists = _lists(ws)
        assert set(lists) == {f'"{TICK_MARK}"', '"' + ",".join(LIKELIHOODS) + '"'}
        tick_cells = lists[f'"{TICK_MARK}"']
        header = next(c for row in ws.iter_rows() for c in row if c.value == "经费保障")
        # five tick columns on each indicator row, starting under 经费保障
        assert f"{header.column_letter}{header.row + 1}" in tick_cells
        assert len(tick_cells) == 5 * len(lists['"' + ",".join(LIKELIHOODS) + '"'])


def test_the_targets_template_has_task_rows_and_no_drop_downs(tmp_path):
    out = tmp_path / "t.xlsx"
    assert main(["template", "--form", "targets-national", "--year", "2024", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    values = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert "年度主要任务" in values and "金额合计" in values
    assert not _lists(ws)
    # the task rows' cells are open to write in, the captions locked
    total = next(c for row in ws.iter_rows() for c in row if c.value == "金额合计")
    assert not ws.cell(row=total.row - 1, column=2).protection.locked
    assert ws.cell(row=total.row, column=2).protection.locked


@pytest.mark.parametrize("form", ["targets-national", "monitoring-national"])
def test_the_word_template_is_the_forms_empty_tables(tmp_path, form):
    out = tmp_path / "t.docx"
    assert main(["template", "--form", form, "--format", "docx", "--year", "2024", "-o", str(out)]) == 0
    text = _docx_text(out)
    assert ("年度主要任务" in text) == (form == "targets-national")
    assert ("偏差原因分析" in text) == (form == "monitoring-national")
    assert TICK_MARK not in text


def test_a_template_without_an_output_is_named_after_its_form(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["template", "--form", "monitoring-national", "--format", "docx", "--year", "2024"]) == 0
    assert (tmp_path / "全国通用绩效目标执行监控表模板.docx").is_file()


def test_the_cycle_package_round_trips_through_json():
    pkg = package(monitoring_doc(["其他"], "确定能"))
    again = package(json.loads(pkg.model_dump_json()))
    assert again.projects[0].indicators[0].children[0].indicators[0].causes == ["其他"]
