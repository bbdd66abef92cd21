"""`jixiao render`: files written, formats chosen, and one-line Chinese errors with exit 2."""

from __future__ import annotations

import json

import pytest

from jixiao.cli import main
from support.examples import CLEAN_PATH, SEED_PATH


def test_it_renders_the_chosen_formats_and_lists_the_files(tmp_path, capsys):
    assert main(["render", str(SEED_PATH), "--out", str(tmp_path / "out"), "--format", "xlsx,docx"]) == 0
    listed = capsys.readouterr().out.split()
    assert len(listed) == 6 and all(p.startswith(str(tmp_path)) for p in listed)
    assert {p.rsplit(".", 1)[1] for p in listed} == {"docx", "xlsx"}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.rsplit("/", 1)[1] for p in listed)


def test_it_reports_each_filled_cell(tmp_path, capsys):
    assert main(["render", str(SEED_PATH), "--out", str(tmp_path), "--format", "xlsx", "--fill-computed"]) == 0
    err = capsys.readouterr().err
    assert "已补填：基础数据表“公务用车购置和维护经费”行“2023年决算数”列 = 11.48" in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "doc"], "不支持的输出格式“doc”"),
        (["--format", ","], "不支持的输出格式"),
        (["--template", "/nonexistent.docx", "--format", "docx"], "找不到Word模板"),
    ],
)
def test_it_refuses_bad_options_in_one_chinese_line(tmp_path, capsys, args, message):
    assert main(["render", str(CLEAN_PATH), "--out", str(tmp_path), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err


def test_it_refuses_bad_input_in_one_chinese_line(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"fiscal_year": "x"}), encoding="utf-8")
    assert main(["render", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert "bad.json" in capsys.readouterr().err
    assert main(["render", str(tmp_path / "missing.json"), "--out", str(tmp_path / "o")]) == 2
    assert "找不到文件" in capsys.readouterr().err
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert main(["render", str(CLEAN_PATH), "--out", str(afile), "--format", "xlsx"]) == 2
    assert "输出位置不是目录" in capsys.readouterr().err
    assert main(["render", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    assert "不接受目录" in capsys.readouterr().err


def test_it_warns_that_findings_go_only_into_the_pdf(tmp_path, capsys):
    assert main(["render", str(CLEAN_PATH), "--out", str(tmp_path), "--format", "xlsx", "--with-findings"]) == 0
    assert "只作用于 PDF" in capsys.readouterr().err


def test_it_refuses_a_package_with_nothing_to_print(tmp_path, capsys):
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"fiscal_year": 2023, "unit_name": "空单位"}), encoding="utf-8")
    assert main(["render", str(empty), "--out", str(tmp_path / "o")]) == 2
    assert "没有任何表格或报告" in capsys.readouterr().err
