"""The jixiao command as a user runs it: exit codes, Chinese output, JSON, directories, bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.examples import CLEAN_PATH, SEED_PATH

JIXIAO = [str(Path(sys.executable).with_name("jixiao"))]


def run(*args, cwd=None):
    return subprocess.run([*JIXIAO, *map(str, args)], capture_output=True, text=True, cwd=cwd, env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"})


def test_check_exits_1_on_errors_and_prints_a_chinese_report():
    r = run("check", SEED_PATH)
    assert r.returncode == 1
    assert "■ 基础数据表" in r.stdout
    assert "[错误] 基础数据表“区级专项资金”行“2023年预算数”列：填报66.00万元，但各专项合计为66.54万元，相差0.54万元。" in r.stdout
    assert r.stdout.strip().splitlines()[-1].startswith("共 ")
    assert "\033[" not in r.stdout  # no colour when not on a terminal


def test_check_exits_0_when_clean():
    r = run("check", CLEAN_PATH)
    assert r.returncode == 0, r.stdout
    assert "错误 0 条" in r.stdout


def test_check_json_has_findings_and_scores():
    r = run("check", SEED_PATH, "--format", "json")
    data = json.loads(r.stdout)
    assert r.returncode == 1
    f = next(f for f in data["findings"] if f["rule"] == "basic.subtotal")
    assert {"rule", "severity", "message", "location", "expected", "actual"} <= set(f)
    assert (f["expected"], f["actual"]) == ("66.54", "66.00")
    assert data["scores"][0]["self_total"] == "98"
    assert data["summary"]["error"] >= 1


def test_score_shows_self_and_computed():
    r = run("score", SEED_PATH)
    assert r.returncode == 0
    assert "不超过年初预算投入" in r.stdout and "1.39" in r.stdout and "偏高" in r.stdout
    data = json.loads(run("score", SEED_PATH, "--format", "json").stdout)
    cost = next(i for i in data["scores"][0]["items"] if i["name"] == "不超过年初预算投入")
    assert cost["too_high"] is True and cost["allowed_max"] == "1.39"


def test_schema_is_json_schema_with_a_version():
    data = json.loads(run("schema").stdout)
    assert data["properties"]["schema_version"]["const"] == "1"
    assert "BasicDataTable" in data["$defs"]


def test_a_directory_is_checked_package_by_package(tmp_path):
    shutil.copy(SEED_PATH, tmp_path / "a.json")
    shutil.copy(CLEAN_PATH, tmp_path / "b.json")
    r = run("check", tmp_path)
    assert r.returncode == 1
    assert "a.json" in r.stdout and "b.json" in r.stdout
    assert "共 2 份：有错误 1 份" in r.stdout
    data = json.loads(run("check", tmp_path, "--format", "json").stdout)
    assert [Path(p["path"]).name for p in data["packages"]] == ["a.json", "b.json"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "文件为空"),
        (b"{not json", "不是有效的 JSON"),
        (b"[1, 2]", "顶层应为对象"),
        (b'{"schema_version": "9", "fiscal_year": 2023, "unit_name": "x"}', "格式版本"),
        ('{"fiscal_year": "二〇二三", "unit_name": "x"}'.encode(), "fiscal_year"),
        (b"\xff\xfe\x00garbage", "不是有效的 JSON"),
    ],
)
def test_bad_input_exits_2_with_one_chinese_line(tmp_path, content, reason):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    r = run("check", path)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert reason in r.stderr


def test_missing_file_and_unknown_type_and_unknown_pack(tmp_path):
    assert run("check", tmp_path / "nope.json").returncode == 2
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    r = run("check", tmp_path / "x.pdf")
    assert r.returncode == 2 and "不支持的文件类型" in r.stderr
    r = run("check", SEED_PATH, "--pack", "no-such-pack")
    assert r.returncode == 2 and "找不到规则包" in r.stderr


def test_a_directory_with_an_unreadable_file_exits_2_but_reports_the_rest(tmp_path):
    shutil.copy(CLEAN_PATH, tmp_path / "ok.json")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    r = run("check", tmp_path)
    assert r.returncode == 2
    assert "无法读取" in r.stdout and "ok.json" in r.stdout


def fake_import(path):
    """An importer that could not place one row (stands in for a Word reader)."""
    from jixiao.io.issues import ImportIssue, ImportResult
    from support.examples import clean

    return ImportResult(clean(), [ImportIssue(where="基础数据表 第1张表格第9行", message="未识别的行“其他经费”：12.00")])


def test_check_and_score_show_what_an_import_could_not_place(tmp_path, monkeypatch, capsys):
    from jixiao import io
    from jixiao.cli import main

    monkeypatch.setitem(io.READERS, ".fake", "test_cli:fake_import")
    monkeypatch.setitem(io.IMPORTERS, ".fake", "test_cli:fake_import")
    path = tmp_path / "unit.fake"
    path.write_text("x", encoding="utf-8")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "■ 导入" in out and "基础数据表 第1张表格第9行：未识别的行“其他经费”：12.00" in out
    assert "另有导入提示 1 条" in out
    assert main(["check", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["import_findings"] == [
        {"where": "基础数据表 第1张表格第9行", "message": "未识别的行“其他经费”：12.00", "source": None}
    ]
    assert main(["score", str(path)]) == 0
    assert "未识别的行" in capsys.readouterr().err


def test_a_schema_version_written_as_the_number_1_is_version_1(tmp_path):
    doc = json.loads(Path(SEED_PATH).read_text(encoding="utf-8"))
    doc["schema_version"] = 1
    path = tmp_path / "v1.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert run("check", path).returncode == 1  # the seed's own errors: read, not refused
    doc["schema_version"] = 2
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    r = run("check", path)
    assert r.returncode == 2 and "格式版本为“2”" in r.stderr
