"""`jixiao check` and `score` on packages of the forms whose tables stand alone: each package is
checked by its own form's pack; a --pack for another form is refused in one line."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest

from jixiao.io import dump_json
from support.examples import CLEAN_PATH
from support.standalone import national_overall, national_project, province_project

JIXIAO = [str(Path(sys.executable).with_name("jixiao"))]


def run(*args):
    return subprocess.run([*JIXIAO, *map(str, args)], capture_output=True, text=True,
                          env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"})


@pytest.fixture
def files(tmp_path):
    out = {}
    for name, build in (("national_project", national_project), ("national_overall", national_overall),
                        ("province", province_project)):
        out[name] = tmp_path / f"{name}.json"
        out[name].write_text(dump_json(build()), encoding="utf-8")
    wrong = province_project()
    wrong.projects[0].unit_funds.executed = D("21.00")
    wrong.projects[0].unit_funds.execution_rate = D("105.00")
    out["province_wrong"] = tmp_path / "province_wrong.json"
    out["province_wrong"].write_text(dump_json(wrong), encoding="utf-8")
    return out


@pytest.mark.parametrize("name", ["national_project", "national_overall", "province"])
def test_check_finds_nothing_on_a_right_table(files, name):
    r = run("check", files[name])
    assert r.returncode == 0, r.stdout + r.stderr
    assert "错误 0 条，警告 0 条，提示 0 条" in r.stdout


def test_check_reports_a_wrong_sum_in_the_forms_words(files):
    r = run("check", files["province_wrong"])
    assert r.returncode == 1
    assert ("[错误] 部门预算项目支出绩效自评表（51000023T000000123456-2023年农业生产发展补助资金项目）“总额”行“预算执行数”列："
            "填报196.00万元，但财政资金、财政专户管理资金、单位资金、其他资金合计197.00万元，相差1.00万元。") in r.stdout
    assert "合计得分 99.80（优），按规则核定 99.80（优）" in r.stdout


def test_check_json_uses_the_forms_pack(files):
    r = run("check", files["province_wrong"], "--format", "json")
    data = json.loads(r.stdout)
    assert r.returncode == 1
    assert [f["rule"] for f in data["findings"]] == ["eval.project_funds_split"]
    assert data["scores"][0]["items"][0]["name"] == "预算执行率"


def test_score_prints_each_row_by_the_rule(files):
    r = run("score", files["province"])
    assert r.returncode == 0, r.stderr
    assert "等值定量" in r.stdout and "合计：权重 100.00，自评 99.80（优），按规则核定 99.80（优）" in r.stdout
    data = json.loads(run("score", files["national_project"], "--format", "json").stdout)
    assert data["scores"][0]["items"][0]["computed"] == "9.50"


def test_a_pack_for_another_form_is_refused(files):
    r = run("check", files["province"], "--pack", "national")
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.strip() == ("jixiao: 规则包“national”用于表式“national”，而材料的表式是“sichuan-2023-project”；"
                                "请去掉 --pack（按材料的表式选用规则包）或换用该表式的规则包")
    assert run("score", files["national_overall"], "--pack", "hunan-2023").returncode == 2
    assert run("check", CLEAN_PATH, "--pack", "national").returncode == 2


def test_the_forms_own_pack_may_be_named(files):
    assert run("check", files["province"], "--pack", "sichuan-2023-project").returncode == 0
    assert run("check", CLEAN_PATH, "--pack", "hunan-2023").returncode == 0


def test_a_folder_of_packages_on_other_forms_is_checked_each_by_its_pack(files, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    for name in ("national_project", "province"):
        (folder / files[name].name).write_text(files[name].read_text(encoding="utf-8"), encoding="utf-8")
    r = run("check", folder, "--format", "json")
    data = json.loads(r.stdout)
    assert r.returncode == 0, r.stdout
    assert len(data["packages"]) == 2
    assert all(p["findings"] == [] for p in data["packages"])
    r = run("check", folder, "--pack", "national", "--format", "json")
    data = json.loads(r.stdout)
    assert r.returncode == 2  # the province's package is refused, the national one checked
    assert sorted("error" in p for p in data["packages"]) == [False, True]


def test_draft_refuses_a_form_without_a_report(files):
    r = run("draft", files["national_overall"])
    assert r.returncode == 2
    assert r.stderr.strip() == "jixiao: 表式“national”只有部门整体支出绩效自评表、项目支出绩效自评表，没有报告部分，无从起草"
