"""`jixiao import-batch`: a folder or zip into a campaign, exit 0/1/2, progress and report."""

from __future__ import annotations

import json

from bureauworld import batch_zip, generated_document, json_file

from jixiao.cli import main
from jixiao.web.packages.models import Package


def test_it_imports_a_folder_and_reports_what_it_could_not(world, campaign_units, tmp_path, capsys):
    folder = tmp_path / "材料"
    (folder / "子目录").mkdir(parents=True)
    for i, u in enumerate(campaign_units):
        (folder / "子目录" / f"{u.name}.json").write_bytes(json_file(generated_document(u.name, i)))
    (folder / "其他.txt").write_text("x", encoding="utf-8")
    rc = main(["import-batch", str(folder), "--user", "reviewer", "--year", "2023"])
    out, err = capsys.readouterr()
    assert rc == 1  # one file was not imported
    assert "其他.txt：无法读取" in out and "共4个文件，导入3个，未导入1个" in out
    assert "[4/4]" in err or "[1/4]" in err
    for u in campaign_units:
        assert Package.objects.get(campaign=world.campaign, unit=u).head.source == "import"
    assert folder.exists(), "the CLI never deletes the user's own files"


def test_it_prints_json_and_exits_0_when_all_imported(world, campaign_units, tmp_path, capsys):
    z = tmp_path / "batch.zip"
    z.write_bytes(batch_zip([u.name for u in campaign_units], broken=False))
    rc = main(["import-batch", str(z), "--user", "reviewer", "--campaign", str(world.campaign.pk), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert rc == 0 and report["imported"] == 3 and report["failed"] == 0
    assert {ln["unit"] for ln in report["lines"]} == {u.name for u in campaign_units}
    assert z.exists()


def test_it_refuses_bad_input_with_one_chinese_line(world, tmp_path, capsys):
    z = tmp_path / "bad.zip"
    z.write_bytes(b"PK\x03\x04garbage")
    cases = [
        (["import-batch", str(z), "--user", "nobody", "--year", "2023"], "没有名为“nobody”的在用账户"),
        (["import-batch", str(z), "--user", "clerk-a", "--year", "2023"], "只有财政局审核人可以批量导入"),
        (["import-batch", str(z), "--user", "reviewer", "--year", "1999"], "没有1999年度的评价任务"),
        (["import-batch", str(z), "--user", "reviewer-js", "--campaign", str(world.campaign.pk)], "没有编号为"),
        (["import-batch", str(z), "--user", "reviewer", "--year", "2023"], "bad.zip"),
        (["import-batch", str(tmp_path / "a.docx"), "--user", "reviewer", "--year", "2023"], "找不到文件"),
    ]
    for argv, expected in cases:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err.strip()
        assert err.startswith("jixiao: ") and expected in err and "\n" not in err, err
