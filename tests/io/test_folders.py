"""One rule for folders (jixiao.io.folders.packages_in): `import DIR`, `check DIR`, `score DIR`
and import_package(DIR) agree on which files make one package."""

from __future__ import annotations

import json
import shutil

import pytest
from iofix_layouts import build, example_docx
from iofix_seed import package_blocks, seed_blocks, split_blocks

from jixiao.cli import main
from jixiao.io import InputError, import_package
from jixiao.io.folders import packages_in
from support.examples import CLEAN_PATH, SEED_PATH


def _seed_parts() -> dict[str, bytes]:
    return {f"{n}-{kind}.docx": build(blocks, "official")
            for n, (kind, blocks) in enumerate(split_blocks(seed_blocks()).items(), 1)}


def _clean_parts(pkg) -> dict[str, bytes]:
    return {f"{n}-{kind}.docx": build(blocks, "official")
            for n, (kind, blocks) in enumerate(split_blocks(package_blocks(pkg)).items(), 1)}


def _clean(example_packages):
    return example_packages[CLEAN_PATH.stem]


def _findings(data: dict) -> list[tuple]:
    return sorted((f["rule"], f["location"].get("path") or "", f["message"]) for f in data["findings"])


def _check_json(capsys, *argv) -> tuple[int, dict]:
    rc = main(["check", *map(str, argv), "--format", "json"])
    return rc, json.loads(capsys.readouterr().out)


def test_one_units_part_files_are_one_package_with_the_combined_files_findings(tmp_path, seed_pkg, capsys):
    parts = _seed_parts()
    assert len(parts) == 4
    for name, data in parts.items():
        (tmp_path / name).write_bytes(data)
    groups = packages_in(tmp_path)
    assert len(groups) == 1 and groups[0].unit == seed_pkg.unit_name
    assert import_package(tmp_path).package == seed_pkg
    rc_dir, by_dir = _check_json(capsys, tmp_path)
    rc_file, by_file = _check_json(capsys, SEED_PATH)
    assert len(by_dir["packages"]) == 1
    one = by_dir["packages"][0]
    assert one["unit"] == seed_pkg.unit_name and one["path"] == "、".join(sorted(parts))
    assert _findings(one) == _findings(by_file)
    assert rc_dir == rc_file == 1
    assert not any("缺少" in f[2] and "表" in f[2] for f in _findings(one) if f[0].startswith("completeness"))


def test_two_units_full_files_are_two_packages(tmp_path, seed_pkg, example_packages, capsys):
    clean = _clean(example_packages)
    (tmp_path / "a.docx").write_bytes(build(seed_blocks(), "official"))
    (tmp_path / "b.docx").write_bytes(example_docx(clean))
    groups = packages_in(tmp_path)
    assert [g.unit for g in groups] == [seed_pkg.unit_name, clean.unit_name]
    assert groups[0].read().package == seed_pkg
    rc, data = _check_json(capsys, tmp_path)
    assert [p["unit"] for p in data["packages"]] == [seed_pkg.unit_name, clean.unit_name]
    assert rc == 1
    # `import DIR` reads ONE package: two units are an error that names them, one line, exit 2.
    with pytest.raises(InputError, match="2份材料"):
        import_package(tmp_path)
    assert main(["import", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and seed_pkg.unit_name in err and clean.unit_name in err


def test_two_units_part_files_mixed_in_one_folder_are_sorted_by_unit(tmp_path, seed_pkg, example_packages, capsys):
    clean = _clean(example_packages)
    for name, data in _seed_parts().items():
        (tmp_path / f"督查-{name}").write_bytes(data)
    for name, data in _clean_parts(clean).items():
        (tmp_path / f"卫生-{name}").write_bytes(data)
    groups = packages_in(tmp_path)
    assert sorted(g.unit for g in groups) == sorted([seed_pkg.unit_name, clean.unit_name])
    by_unit = {g.unit: g for g in groups}
    assert by_unit[seed_pkg.unit_name].read().package == seed_pkg
    got = by_unit[clean.unit_name].read().package
    assert got.unit_name == clean.unit_name and len(got.projects) == len(clean.projects) and got.report is not None
    assert all(f.name.startswith("督查-") for f in by_unit[seed_pkg.unit_name].files)


def test_sub_folders_are_packages_of_their_own(tmp_path, seed_pkg, example_packages, capsys):
    (tmp_path / "督查中心").mkdir()
    for name, data in _seed_parts().items():
        (tmp_path / "督查中心" / name).write_bytes(data)
    (tmp_path / "卫生中心").mkdir()
    (tmp_path / "卫生中心" / "全套.docx").write_bytes(example_docx(_clean(example_packages)))
    shutil.copy(SEED_PATH, tmp_path / "另一份.json")
    (tmp_path / "说明.txt").write_text("随附说明", encoding="utf-8")
    (tmp_path / "~$临时.docx").write_bytes(b"junk")
    groups = packages_in(tmp_path)
    assert [g.where for g in groups] == [
        "另一份.json", "卫生中心/全套.docx",
        "督查中心/1-basic.docx、督查中心/2-overall.docx、督查中心/3-project1.docx、督查中心/4-report.docx",
    ]
    first = groups[0].read()
    assert [i.where for i in first.issues] == ["说明.txt"]
    assert main(["check", str(tmp_path), "--summary"]) == 1
    out = capsys.readouterr().out
    assert "共 3 份" in out


def test_a_report_alone_joins_the_unit_its_title_names(tmp_path, seed_pkg, example_packages):
    clean = _clean(example_packages)
    seed_parts = _seed_parts()
    report = seed_parts.pop("4-report.docx")
    for name, data in seed_parts.items():
        (tmp_path / f"a-{name}").write_bytes(data)
    (tmp_path / "z-自评报告.docx").write_bytes(report)
    (tmp_path / "b.docx").write_bytes(example_docx(clean))
    groups = packages_in(tmp_path)
    assert len(groups) == 2
    seed_group = next(g for g in groups if g.unit == seed_pkg.unit_name)
    assert seed_group.read().package == seed_pkg


def test_a_broken_part_file_is_its_own_line_and_the_rest_is_read(tmp_path, seed_pkg, capsys):
    for name, data in _seed_parts().items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "5-坏的.docx").write_bytes(b"PK\x03\x04 broken")
    rc, data = _check_json(capsys, tmp_path)
    assert rc == 2
    assert [p.get("unit") for p in data["packages"]] == [seed_pkg.unit_name, None]
    assert "5-坏的.docx" in data["packages"][1]["error"]


def test_score_and_import_take_a_folder_of_one_units_parts(tmp_path, seed_pkg, capsys):
    for name, data in _seed_parts().items():
        (tmp_path / name).write_bytes(data)
    assert main(["score", str(tmp_path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["scores"]
    out = tmp_path.parent / f"{tmp_path.name}.json"
    assert main(["import", str(tmp_path), "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["unit_name"] == seed_pkg.unit_name


def test_import_writes_one_json_per_package_into_a_directory(tmp_path, seed_pkg, example_packages, capsys):
    src = tmp_path / "材料"
    src.mkdir()
    clean = _clean(example_packages)
    for name, data in _seed_parts().items():
        (src / f"督查-{name}").write_bytes(data)
    (src / "卫生.docx").write_bytes(example_docx(clean))
    out = tmp_path / "out"
    assert main(["import", str(src), "-o", f"{out}/"]) == 0
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted([f"{seed_pkg.unit_name}.json", f"{clean.unit_name}.json"])
    again = json.loads((out / f"{seed_pkg.unit_name}.json").read_text(encoding="utf-8"))
    assert again["unit_name"] == seed_pkg.unit_name and len(again["projects"]) == 1


def test_a_folder_check_warms_the_process_up_before_the_first_package(tmp_path, monkeypatch, capsys):
    """Many packages in one process: the CLI freezes its loaded heap first, as a server process does."""
    import jixiao.warmup

    calls = []
    monkeypatch.setattr(jixiao.warmup, "warm_up", lambda: calls.append("warm") or 0)
    (tmp_path / "a.docx").write_bytes(build(seed_blocks(), "official"))
    main(["check", str(tmp_path), "--format", "json"])
    assert calls == ["warm"]
    assert json.loads(capsys.readouterr().out)["packages"]

