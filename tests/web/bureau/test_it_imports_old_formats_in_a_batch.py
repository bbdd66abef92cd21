"""A bureau batch with old formats: a .doc is converted (the report line says how and how long),
a .doc that hangs the converter is cut off at its timeout and the rest of the batch still imports."""

from __future__ import annotations

import sys
from pathlib import Path

from bureauworld import generated_document, json_file, zip_bytes

from jixiao.web.bureau.jobs import start_import
from jixiao.web.bureau.models import JobStatus, LineStatus

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "io"))

from iofix_ole import word_doc  # noqa: E402


def _fake_soffice(tmp_path: Path, payload: bytes) -> Path:
    """Converts every input to ``payload``, except one carrying a 'Hang' stream: that one never ends."""
    data = tmp_path / "payload.docx"
    data.write_bytes(payload)
    script = tmp_path / "fake-soffice"
    script.write_text(
        f"#!{sys.executable}\nimport os, sys, time\nargs = sys.argv[1:]\n"
        "out = args[args.index('--outdir') + 1]\n"
        "for f in [a for a in args if '/in/' in a]:\n"
        "    if 'Hang'.encode('utf-16-le') in open(f, 'rb').read():\n"
        "        time.sleep(300)\n"
        f"    open(os.path.join(out, os.path.basename(f).rsplit('.', 1)[0] + '.docx'), 'wb').write(open({str(data)!r}, 'rb').read())\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


def test_a_batch_reads_old_files_and_survives_a_hanging_one(world, campaign_units, tmp_path, monkeypatch):
    from jixiao.io.legacy import convert
    from jixiao.model import Package
    from jixiao.render import render_package

    first, second = campaign_units[:2]
    files = render_package(Package.model_validate(generated_document(first.name, 7)), tmp_path / "r", formats=("docx",))
    full = next(f for f in files.files if "全套" in f.name).read_bytes()
    monkeypatch.setattr(convert, "SOFFICE", str(_fake_soffice(tmp_path, full)))
    monkeypatch.setattr(convert, "TIMEOUT_SECONDS", 1)
    batch = zip_bytes({
        "a-卡死.doc": word_doc(extra={"Hang": b"x"}),
        f"b-{first.name}.doc": word_doc(),
        f"c-{second.name}.json": json_file(generated_document(second.name, 8)),
    })
    job = start_import(campaign=world.campaign, actor=world.reviewer, upload=[batch], source_name="b.zip")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    lines = {ln.file_name: ln for ln in job.lines.all()}
    assert lines["a-卡死.doc"].status == LineStatus.UNREADABLE and "转换超时" in lines["a-卡死.doc"].message
    converted = lines[f"b-{first.name}.doc"]
    assert converted.status == LineStatus.IMPORTED, converted.message
    assert "由旧格式 .doc 经 LibreOffice 转换为 .docx 后读取（转换用时" in converted.message
    assert lines[f"c-{second.name}.json"].status == LineStatus.IMPORTED
    assert (job.imported, job.failed) == (2, 1)
