"""A batch survives its bad files: each is one report line naming it, every good file is
imported and the job ends 'done' (issue #10)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from bureauworld import generated_document, json_file, zip_bytes

from jixiao.cli import main
from jixiao.web.bureau.jobs import start_import
from jixiao.web.bureau.models import JobStatus, LineStatus
from jixiao.web.packages.models import Package

BOOM = b"BOOM-IN-THE-READER"


def _hostile_docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("../../etc/passwd", "x")
    return buf.getvalue()


def _batch(world, campaign_units) -> dict[str, bytes]:
    good = {f"{n * 2:02d}-{u.name}.json": json_file(generated_document(u.name, n + 1))
            for n, u in enumerate(campaign_units)}
    absurd = generated_document(world.unit_b.name, 7)
    absurd["basic"]["sangong"]["final"] = "1E+30"
    nan = json.dumps(generated_document(world.unit_b.name, 8), ensure_ascii=False)
    nan = nan.replace('"unit_name"', '"overall_nan_marker": NaN, "unit_name"', 0)
    doc = generated_document(world.unit_b.name, 9)
    doc["overall"]["funds"]["executed"] = "@@"
    bad = {
        "01-损坏的文件.docx": b"PK\x03\x04 not really a zip",
        "03-恶意路径.docx": _hostile_docx(),
        "05-金额荒谬.json": json_file(absurd),
        "06-非数.json": json.dumps(doc, ensure_ascii=False).replace('"@@"', "NaN").encode(),
        "07-读取器意外错误.json": BOOM,
        "08-写入时意外错误.json": json_file(generated_document(world.unit_b.name, 10)),
    }
    return {**good, **bad}


@pytest.fixture
def failing(monkeypatch, world):
    """An unexpected exception in a reader (KeyError) and one while checking a read package (RuntimeError)."""
    import jixiao.io.json_io as json_io
    import jixiao.web.bureau.jobs as jobs

    real_read, real_evaluate = json_io.read_json, jobs.evaluate

    def read_json(path):
        if path.read_bytes() == BOOM:
            raise KeyError("surprise")
        return real_read(path)

    def evaluate(document, rule_pack):
        if document.get("unit_name") == world.unit_b.name:
            raise RuntimeError("surprise")
        return real_evaluate(document, rule_pack)

    monkeypatch.setattr(json_io, "read_json", read_json)
    monkeypatch.setattr(jobs, "evaluate", evaluate)


def test_every_good_file_is_imported_and_each_bad_one_is_a_line(world, campaign_units, failing):
    files = _batch(world, campaign_units)
    job = start_import(campaign=world.campaign, actor=world.reviewer, upload=[zip_bytes(files)], source_name="批量.zip")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    lines = {ln.file_name: ln for ln in job.lines.all()}
    assert set(lines) == set(files)
    for u in campaign_units:
        assert Package.objects.get(campaign=world.campaign, unit=u).head.source == "import"
    bad = {name: ln for name, ln in lines.items() if ln.status != LineStatus.IMPORTED}
    assert len(bad) == 6 and (job.imported, job.failed) == (3, 6)
    for name, line in bad.items():
        assert name in line.message, line.message
        assert "Traceback" not in line.message and "\n" not in line.message
    assert "超出金额的合理范围" in lines["05-金额荒谬.json"].message
    assert "basic.sangong.final" in lines["05-金额荒谬.json"].message
    assert "“NaN”不是数值" in lines["06-非数.json"].message
    assert "内部错误" in lines["08-写入时意外错误.json"].message
    assert not Package.objects.filter(campaign=world.campaign, unit=world.unit_b).exists()


def test_the_cli_reports_the_same_and_exits_1(world, campaign_units, failing, tmp_path, capsys):
    files = _batch(world, campaign_units)
    z = tmp_path / "批量.zip"
    z.write_bytes(zip_bytes(files, gbk_names=True))
    rc = main(["import-batch", str(z), "--user", "reviewer", "--year", "2023", "--quiet"])
    out, err = capsys.readouterr()
    assert rc == 1 and "Traceback" not in out + err
    assert "共9个文件，导入3个，未导入6个" in out
    for name in files:
        if not name.endswith(tuple(f"{u.name}.json" for u in campaign_units)):
            assert sum(line.startswith(name) for line in out.splitlines()) == 1, name
