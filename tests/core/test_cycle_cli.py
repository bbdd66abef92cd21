"""The CLI on the cycle's forms: check and score on targets and monitoring packages, check
--targets/--rectifications, and jixiao cycle monitoring|evaluation|carry-over."""

from __future__ import annotations

import json

import pytest

from jixiao.cli import main
from jixiao.io import dump_json
from jixiao.model import IndicatorValue, Package
from support.cycle_world import evaluation, indicator, monitoring, targets
from support.examples import SEED_PATH


def _write(tmp_path, name, pkg):
    path = tmp_path / name
    path.write_text(dump_json(pkg), encoding="utf-8")
    return path


def _run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_check_on_targets_and_monitoring_uses_their_own_packs(tmp_path, capsys):
    bad = targets()
    indicator(bad.projects[0], "设施完好率").target = IndicatorValue.model_validate("全面提升")
    code, out, _ = _run(capsys, "check", _write(tmp_path, "t.json", bad), "--format", "json")
    assert code == 1 and {f["rule"] for f in json.loads(out)["findings"]} == {"target.vague"}
    code, out, _ = _run(capsys, "check", _write(tmp_path, "m.json", monitoring()))
    assert code == 0 and "共 0 条" in out


@pytest.mark.parametrize("build", [targets, monitoring])
def test_score_says_these_tables_are_reviewed_not_scored(tmp_path, capsys, build):
    code, out, _ = _run(capsys, "score", _write(tmp_path, "p.json", build()))
    assert code == 0 and "只审核、不评分" in out


def test_check_against_approved_targets(tmp_path, capsys):
    approved = targets()
    pkg = evaluation(approved)
    indicator(pkg.projects[0], "设施完好率").target = IndicatorValue.model_validate("≥95%")
    evaluation_path, targets_path = _write(tmp_path, "e.json", pkg), _write(tmp_path, "t.json", approved)
    code, out, _ = _run(capsys, "check", evaluation_path, "--format", "json")
    assert "cycle.target_changed" not in out
    code, out, _ = _run(capsys, "check", evaluation_path, "--targets", targets_path, "--format", "json")
    rules = [f["rule"] for f in json.loads(out)["findings"] if f["rule"].startswith("cycle.")]
    assert code == 1 and rules == ["cycle.target_changed"]


@pytest.mark.parametrize("other", [dict(unit_name="另一个单位"), dict(fiscal_year=2022)])
def test_targets_of_another_unit_or_year_are_refused(tmp_path, capsys, other):
    approved = targets()
    pkg = evaluation(approved)
    stranger = approved.model_copy(update=other)
    code, _, err = _run(capsys, "check", _write(tmp_path, "e.json", pkg), "--targets", _write(tmp_path, "t.json", stranger))
    assert code == 2 and "不是同一单位、同一年度" in err and "Traceback" not in err
    # the unit's own targets, its name written with full-width brackets or spaces, are its own
    own = approved.model_copy(update={"unit_name": " " + approved.unit_name.replace("(", "（") + " "})
    code, _, err = _run(capsys, "check", _write(tmp_path, "e.json", pkg), "--targets", _write(tmp_path, "t.json", own))
    assert "不是同一单位" not in err


def test_check_with_rectifications(tmp_path, capsys):
    rect = tmp_path / "r.json"
    rect.write_text(json.dumps([{"problem": "夜宵店油烟扰民投诉处理不及时", "due": "2024-06-30", "year": 2022},
                                {"problem": "三公经费超预算", "closed": True}], ensure_ascii=False), encoding="utf-8")
    code, out, _ = _run(capsys, "check", SEED_PATH, "--rectifications", rect, "--format", "json")
    rules = [f["rule"] for f in json.loads(out)["findings"]]
    assert rules.count("cycle.rectification_unaddressed") == 1


@pytest.mark.parametrize("content, said", [
    ("{not json", "不是有效的 JSON"), ('{"problem": "x"}', "应为 JSON 列表"), ('[{"due": "2024-01-01"}]', "缺少“problem”"),
    ('[{"problem": "x", "due": "明年"}]', "整改期限或年度无效"),
])
def test_bad_rectification_files_are_one_chinese_line(tmp_path, capsys, content, said):
    rect = tmp_path / "r.json"
    rect.write_text(content, encoding="utf-8")
    code, out, err = _run(capsys, "check", SEED_PATH, "--rectifications", rect)
    assert code == 2 and said in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_targets_that_are_not_targets_are_refused(tmp_path, capsys):
    code, _, err = _run(capsys, "check", SEED_PATH, "--targets", SEED_PATH)
    assert code == 2 and "不是绩效目标申报表" in err
    code, _, err = _run(capsys, "cycle", "monitoring", SEED_PATH)
    assert code == 2 and "不是绩效目标申报表" in err
    code, _, err = _run(capsys, "cycle", "monitoring", tmp_path / "missing.json")
    assert code == 2 and err.startswith("jixiao: ")


def test_cycle_commands_write_the_next_steps_package(tmp_path, capsys):
    source = _write(tmp_path, "t.json", targets(projects=2))
    for step, form, year in (("monitoring", "monitoring-national", 2024), ("evaluation", "national", 2024),
                             ("carry-over", "targets-national", 2025)):
        out = tmp_path / f"{step}.json"
        code, _, err = _run(capsys, "cycle", step, source, "-o", out)
        assert code == 0 and str(out) in err
        pkg = Package.model_validate_json(out.read_text(encoding="utf-8"))
        assert pkg.form == form and pkg.fiscal_year == year and [p.project_name for p in pkg.projects] == ["项目甲", "项目乙"]
        assert indicator(pkg.projects[0], "设施完好率").target.raw == "≥98%"
    code, stdout, _ = _run(capsys, "cycle", "monitoring", source)
    assert code == 0 and Package.model_validate_json(stdout).form == "monitoring-national"
    code, _, err = _run(capsys, "cycle", "evaluation", source, "--form", "no-such-form")
    assert code == 2 and "--form" in err


def test_in_a_folder_only_the_other_units_package_is_refused_its_targets(tmp_path, capsys):
    approved = targets()
    folder = tmp_path / "材料"
    folder.mkdir()
    own = evaluation(approved)
    indicator(own.projects[0], "设施完好率").target = IndicatorValue.model_validate("≥95%")
    _write(folder, "own.json", own)
    _write(folder, "other.json", evaluation(approved).model_copy(update={"unit_name": "另一个单位"}))
    code, out, err = _run(capsys, "check", folder, "--targets", _write(tmp_path, "t.json", approved), "--format", "json")
    text = out + err
    assert "不是同一单位、同一年度" in text and "另一个单位" in text
    assert "cycle.target_changed" in text  # the unit's own package is checked against its targets
