"""jixiao import / check / score / template on Word and Excel files."""

from __future__ import annotations

import json

import openpyxl
from iofix_docx import C, R, T, document_xml, docx_bytes
from iofix_layouts import official_table

from jixiao.cli import main
from jixiao.model import Package


def _write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_it_imports_a_word_file_to_json(tmp_path, seed_docx, seed_pkg, capsys):
    src = _write(tmp_path, "seed.docx", seed_docx["variations"])
    out = tmp_path / "seed.json"
    assert main(["import", str(src), "-o", str(out)]) == 0
    assert Package.model_validate_json(out.read_text(encoding="utf-8")) == seed_pkg
    err = capsys.readouterr().err
    assert "导入提示 0 条" in err
    assert main(["import", str(src)]) == 0
    assert Package.model_validate_json(capsys.readouterr().out) == seed_pkg


def test_check_and_score_on_word_give_what_they_give_on_json(tmp_path, seed_docx, capsys):
    src = _write(tmp_path, "seed.docx", seed_docx["official"])
    json_path = tmp_path / "seed.json"
    main(["import", str(src), "-o", str(json_path)])
    capsys.readouterr()
    for command in ("check", "score"):
        code_json = main([command, "--format", "json", str(json_path)])
        from_json = json.loads(capsys.readouterr().out)
        code_docx = main([command, "--format", "json", str(src)])
        from_docx = json.loads(capsys.readouterr().out)
        assert from_docx == from_json and code_docx == code_json
    main(["check", "--format", "json", str(json_path)])
    assert json.loads(capsys.readouterr().out)["findings"], "the seed has findings to compare"


def test_it_reports_what_it_could_not_place_with_its_location(tmp_path, capsys):
    rows = [
        ["预算单位名称", "测试单位"],
        ["经费控制情况(万元)", "2022年决算数", "2023年预算数", "2023年决算数"],
        ["三公经费", "1.00", "2.00", "3.00"],
        ["这一行谁也不认识", "9.00", "", ""],
        ["公用经费", "abc", "", ""],
    ]
    data = docx_bytes(document_xml(["2023年度预算单位整体支出绩效评价基础数据表", official_table("basic", rows), "一段无处安放的文字"]))
    src = _write(tmp_path, "odd.docx", data)
    assert main(["import", str(src)]) == 0
    cap = capsys.readouterr()
    pkg = Package.model_validate_json(cap.out)
    assert pkg.unit_name == "测试单位" and str(pkg.basic.sangong.final) == "3.00"
    assert "基础数据表 第1张表格第4行" in cap.err and "这一行谁也不认识" in cap.err
    assert "第1张表格第5行" in cap.err and "“abc”不是数值" in cap.err
    assert "一段无处安放的文字" in cap.err
    assert main(["import", "--strict", str(src)]) == 1


def test_template_writes_a_workbook_that_imports_back(tmp_path, example_packages, capsys):
    blank = tmp_path / "blank.xlsx"
    assert main(["template", "--format", "xlsx", "--year", "2024", "-o", str(blank)]) == 0
    assert main(["import", str(blank)]) == 0
    pkg = Package.model_validate_json(capsys.readouterr().out)
    assert pkg.fiscal_year == 2024 and pkg.basic is not None and pkg.overall is not None and len(pkg.projects) == 1
    assert [s.number for s in pkg.report.sections] == list(range(1, 11))
    for name, expected in example_packages.items():
        src = tmp_path / f"{name}.json"
        src.write_text(expected.model_dump_json(), encoding="utf-8")
        filled = tmp_path / f"{name}.xlsx"
        assert main(["template", "--from", str(src), "-o", str(filled)]) == 0
        assert main(["import", str(filled)]) == 0
        assert Package.model_validate_json(capsys.readouterr().out) == expected, name


def test_template_locks_captions_and_opens_value_cells(tmp_path):
    path = tmp_path / "t.xlsx"
    main(["template", "-o", str(path)])
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert ws.protection.sheet
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert cells["三公经费"].protection.locked
    header = next(c for text, c in cells.items() if text.endswith("年决算数"))
    value = ws.cell(row=cells["三公经费"].row, column=header.column)
    assert not value.protection.locked and value.number_format == "0.00"
    assert ws.data_validations.dataValidation, "value cells carry validation"
    assert "自评报告" in wb.sheetnames


def test_template_keeps_formula_like_text_as_text(tmp_path, seed_pkg):
    pkg = seed_pkg.model_copy(deep=True)
    pkg.overall.goals.expected = "=HYPERLINK(\"http://evil\")"
    src = tmp_path / "p.json"
    src.write_text(pkg.model_dump_json(), encoding="utf-8")
    out = tmp_path / "p.xlsx"
    main(["template", "--from", str(src), "-o", str(out)])
    wb = openpyxl.load_workbook(out)
    hits = [c for ws in wb for row in ws.iter_rows() for c in row if c.value == pkg.overall.goals.expected]
    assert hits and all(c.data_type == "s" for c in hits)


def test_layout_with_merged_cells_nested_in_content_controls_reads(tmp_path, capsys):
    table = T([R([C("预算单位名称", 2), C("单位甲", 5)], sdt=True), R([C("厉行节约保障措施", 2, sdt=True), C("节约", 5)])], 7)
    src = _write(tmp_path, "x.docx", docx_bytes(document_xml(["2023年度预算单位整体支出绩效评价基础数据表", table])))
    assert main(["import", str(src)]) == 0
    pkg = Package.model_validate_json(capsys.readouterr().out)
    assert pkg.basic.unit_name == "单位甲" and pkg.basic.frugality_measures == "节约"
