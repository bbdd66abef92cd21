"""`jixiao draft` as a user runs it, and the report findings in `jixiao check`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from docx import Document

from support.examples import CLEAN_PATH, SEED_PATH

JIXIAO = [str(Path(sys.executable).with_name("jixiao"))]


def run(*args):
    return subprocess.run([*JIXIAO, *map(str, args)], capture_output=True, text=True,
                          env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"})


def test_draft_prints_markdown_and_the_reconciliation_result():
    r = run("draft", SEED_PATH)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("# 2023年度岳阳市岳阳楼区城市管理督查考评中心单位整体支出绩效自评报告")
    assert "报告与表格核对：无不一致。" in r.stderr


def test_draft_writes_word_and_json(tmp_path):
    r = run("draft", CLEAN_PATH, "-o", tmp_path / "r.docx")
    assert r.returncode == 0, r.stderr
    assert "已生成自评报告" in r.stderr
    assert "六、单位整体支出绩效情况" in [p.text for p in Document(str(tmp_path / "r.docx")).paragraphs]
    r = run("draft", SEED_PATH, "-o", tmp_path / "p.json")
    assert r.returncode == 0, r.stderr
    checked = json.loads(run("check", tmp_path / "p.json", "--format", "json").stdout)
    assert not [f for f in checked["findings"] if f["rule"].startswith("report.")]


def test_draft_rejects_bad_output_and_missing_input_with_one_chinese_line(tmp_path):
    r = run("draft", SEED_PATH, "-o", tmp_path / "r.pdf")
    assert r.returncode == 2 and r.stderr.strip() == f"jixiao: 不支持的输出类型“.pdf”（支持：.md、.docx、.json）：{tmp_path / 'r.pdf'}"
    r = run("draft", tmp_path / "none.json")
    assert r.returncode == 2 and "找不到文件" in r.stderr and "Traceback" not in r.stderr
    r = run("draft", SEED_PATH, "-o", tmp_path / "no" / "r.md")
    assert r.returncode == 2 and "输出目录不存在" in r.stderr


def test_check_shows_the_report_findings_with_their_sentences():
    r = run("check", SEED_PATH)
    assert "[提示] 自评报告“二、一般公共预算支出情况”：“2023年我单位的基本支出数为391.27万元”中基本支出为391.27万元" in r.stdout
    data = json.loads(run("check", SEED_PATH, "--format", "json").stdout)
    omitted = next(f for f in data["findings"] if f["rule"] == "report.item_omitted")
    assert omitted["location"]["quote"].startswith("2023年我单位项目支出总数为994.24万元")
