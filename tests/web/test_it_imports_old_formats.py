"""The package page takes the old formats units still send (.doc/.xls/.wps/.et): converted in a
fenced subprocess (here a stand-in for soffice, see tests/io/test_legacy_hostile.py), read by the
same readers, saved as a revision, and the clerk is told how the file was read."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.urls import reverse
from webworld import client_for

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io"))

from iofix_ole import word_doc  # noqa: E402


def _fake_soffice(tmp_path: Path, payload: bytes, body: str = "") -> Path:
    data = tmp_path / "payload.docx"
    data.write_bytes(payload)
    script = tmp_path / "fake-soffice"
    script.write_text(
        f"#!{sys.executable}\nimport os, sys, time\nargs = sys.argv[1:]\n{body}\n"
        "out = args[args.index('--outdir') + 1]\n"
        "for f in [a for a in args if '/in/' in a]:\n"
        f"    open(os.path.join(out, os.path.basename(f).rsplit('.', 1)[0] + '.docx'), 'wb').write(open({str(data)!r}, 'rb').read())\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


def _upload(world, name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client_for(world.clerk).post(reverse("packages:import", args=[world.package.pk]),
                                        {"file": SimpleUploadedFile(name, data), "base_revision": "2"})


def test_a_clerk_imports_a_doc(world, tmp_path, monkeypatch):
    from jixiao.io.legacy import convert
    from jixiao.render import render_package
    from jixiao.web.packages.checking import evaluate

    package = evaluate(world.package.head.document, "hunan-2023").package
    full = next(f for f in render_package(package, tmp_path / "r", formats=("docx",)).files if "全套" in f.name)
    monkeypatch.setattr(convert, "SOFFICE", str(_fake_soffice(tmp_path, full.read_bytes())))
    resp = _upload(world, "单位材料.doc", word_doc())
    notes = [str(m) for m in resp.wsgi_request._messages]
    assert resp.status_code == 302, notes
    world.package.refresh_from_db()
    assert world.package.head.source == "import" and world.package.head.number == 3
    assert world.package.head.document["basic"]["district_special"]["budget"] == "66.00"
    assert any(n.startswith("“单位材料.doc”由旧格式 .doc 经 LibreOffice 转换为 .docx 后读取（转换用时") for n in notes)
    assert not any("未能放入表格" in n and "旧格式" in n for n in notes)


@pytest.mark.parametrize("name,data,want", [
    ("加密.doc", word_doc(flags=0x0100), "已加密"),
    ("截断.xls", word_doc()[:3000], "截断"),
])
def test_a_hostile_old_file_is_refused_with_its_reason(world, tmp_path, monkeypatch, name, data, want):
    from jixiao.io.legacy import convert

    monkeypatch.setattr(convert, "SOFFICE", "/nonexistent/soffice")  # never reached
    resp = _upload(world, name, data)
    notes = [str(m) for m in resp.wsgi_request._messages]
    assert resp.status_code == 302
    assert any(name in n and want in n for n in notes), notes
    world.package.refresh_from_db()
    assert world.package.head.number == 2


def test_a_hanging_conversion_is_cut_off_and_reported(world, tmp_path, monkeypatch):
    from jixiao.io.legacy import convert

    monkeypatch.setattr(convert, "SOFFICE", str(_fake_soffice(tmp_path, b"", body="time.sleep(300)")))
    monkeypatch.setattr(convert, "TIMEOUT_SECONDS", 1)
    resp = _upload(world, "卡死.wps", word_doc())
    notes = [str(m) for m in resp.wsgi_request._messages]
    assert any("卡死.wps" in n and "转换超时" in n for n in notes), notes
