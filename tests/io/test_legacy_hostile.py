"""Old formats under attack, without an office suite: hostile OLE2 files are refused before any
converter starts, and the converter runs fenced (timeout killing its process group, memory limit,
input cap, throw-away profile with macros off, clean environment, no network where possible).

The converter is a stand-in script taking soffice's arguments (``convert.SOFFICE`` is configurable).
"""

from __future__ import annotations

import functools
import io
import json
import os
import struct
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from iofix_layouts import build
from iofix_ole import biff, boundsheet, cfb, excel_xls, word_doc
from iofix_seed import SEED_JSON, seed_blocks

from jixiao.cli import main
from jixiao.io import InputError, import_package
from jixiao.io.legacy import convert, legacy_document
from jixiao.model import Package


@functools.cache
def _good_docx() -> bytes:
    """The seed package as a Word file: what the stand-in converter 'produces'."""
    return build(seed_blocks(), "official")


@pytest.fixture
def no_converter(monkeypatch):
    """Hostile files must be refused before the converter would start."""

    def boom(*a, **k):  # pragma: no cover - reaching it is the failure
        raise AssertionError("the converter was started")

    monkeypatch.setattr(convert, "convert_many", boom)


def fake_soffice(tmp_path: Path, body: str, payload: bytes | None = None) -> Path:
    """A stand-in for soffice: parses --outdir and the inputs, runs ``body``, then writes each
    input's ``<stem>.docx`` (``payload``) into the out dir."""
    data = tmp_path / "payload.bin"
    data.write_bytes(payload if payload is not None else _good_docx())
    script = tmp_path / "fake-soffice"
    script.write_text(
        f"#!{sys.executable}\n"
        "import os, sys, time, json, socket, subprocess\n"
        "args = sys.argv[1:]\n"
        "out = args[args.index('--outdir') + 1]\n"
        "target = args[args.index('--convert-to') + 1].split(':')[0]\n"
        "inputs = [a for a in args if a.startswith('/') and '/in/' in a]\n"
        + textwrap.dedent(body)
        + f"\nfor f in inputs:\n    open(os.path.join(out, os.path.basename(f).rsplit('.', 1)[0] + '.' + target), 'wb')"
        f".write(open({str(data)!r}, 'rb').read())\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


def _cli_refuses(tmp_path, capsys, name: str, data: bytes, want: str, within: float = 2.0) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    started = time.monotonic()
    code = main(["import", str(path)])
    took = time.monotonic() - started
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert want in err, err
    assert took < within
    return err


@pytest.mark.parametrize(
    "name,build,want",
    [
        ("截断.doc", lambda: word_doc()[:3000], "截断"),
        ("截断尾部.doc", lambda: word_doc()[:-100], "截断"),
        ("只有文件头.doc", lambda: word_doc()[:700], "不完整"),
        ("巨大数据流.doc", lambda: word_doc(sizes={"WordDocument": 0x7FFF0000}), "超过文件本身"),
        ("加密.doc", lambda: word_doc(flags=0x0100), "已加密"),
        ("加密.xls", lambda: excel_xls((0x002F, bytes(6))), "已加密"),
        ("加密的docx.docx", lambda: cfb({"EncryptionInfo": b"x", "EncryptedPackage": b"y"}), "已加密"),
        ("宏.doc", lambda: word_doc(extra={"Macros": {"VBA": {"dir": b"x"}}}), "含有宏"),
        ("宏.xls", lambda: excel_xls(extra={"_VBA_PROJECT_CUR": {"VBA": {"dir": b"x"}}}), "含有宏"),
        ("宏表.xls", lambda: excel_xls(boundsheet("Macro1", 1)), "Excel 4.0 宏表"),
        ("演示文稿.doc", lambda: cfb({"PowerPoint Document": b"x"}), "PowerPoint"),
        ("不是文档.wps", lambda: b"%PDF-1.4 " + bytes(100), "PDF"),
    ],
)
def test_hostile_old_files_are_refused_before_any_converter(tmp_path, capsys, no_converter, name, build, want):
    _cli_refuses(tmp_path, capsys, name, build(), want)


def test_every_truncation_of_an_ole_file_is_refused(no_converter):
    whole = word_doc()
    for cut in range(520, len(whole), 211):
        with pytest.raises(InputError):
            legacy_document(whole[:cut], "t.doc")


def test_a_huge_declared_stream_is_refused_even_when_the_file_is_large(monkeypatch, no_converter):
    from jixiao.io.legacy import ole

    data = word_doc(extra={"Big": b"\0" * 300_000})
    monkeypatch.setattr(ole, "MAX_STREAM_BYTES", 200_000)
    with pytest.raises(InputError, match="超过上限"):
        legacy_document(data, "大.doc")
    monkeypatch.setattr(ole, "MAX_STREAM_BYTES", 400_000)
    assert ole.inspect(data, "大.doc").kind == "word"


def test_a_doc_that_is_really_a_docx_is_read_as_docx(tmp_path, no_converter):
    path = tmp_path / "改名的.doc"
    path.write_bytes(_good_docx())
    result = import_package(path)
    assert result.package.fiscal_year == 2023
    assert not any("旧格式" in i.message for i in result.issues)


def test_a_docx_that_is_really_ole_goes_the_old_format_way(tmp_path, monkeypatch):
    monkeypatch.setattr(convert, "SOFFICE", str(fake_soffice(tmp_path, "")))
    path = tmp_path / "其实是旧格式.docx"
    path.write_bytes(word_doc())
    result = import_package(path)
    assert result.package.fiscal_year == 2023
    assert any(i.message.startswith("由旧格式 .doc 经 LibreOffice 转换") for i in result.issues)


# ------------------------------------------------------------------ the converter's fences


def test_a_hanging_converter_is_killed_with_its_whole_group_at_the_timeout(tmp_path, monkeypatch, capsys):
    pidfile = tmp_path / "child.pid"
    body = f"""
    child = subprocess.Popen(['sleep', '300'])
    open({str(pidfile)!r}, 'w').write(str(child.pid))
    time.sleep(300)
    """
    monkeypatch.setattr(convert, "SOFFICE", str(fake_soffice(tmp_path, body)))
    monkeypatch.setattr(convert, "TIMEOUT_SECONDS", 1.5)
    err = _cli_refuses(tmp_path, capsys, "卡死.doc", word_doc(), "转换超时", within=6)
    assert "1.5 秒" in err
    pid = int(pidfile.read_text())
    time.sleep(0.2)
    assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()


def test_a_slow_converter_within_its_timeout_converts(tmp_path, monkeypatch):
    monkeypatch.setattr(convert, "SOFFICE", str(fake_soffice(tmp_path, "time.sleep(0.5)")))
    monkeypatch.setattr(convert, "TIMEOUT_SECONDS", 5)
    path = tmp_path / "慢.doc"
    path.write_bytes(word_doc())
    assert import_package(path).package.fiscal_year == 2023


def test_the_converter_runs_under_the_memory_limit(tmp_path, monkeypatch):
    body = "x = bytearray(700 * 1024 * 1024); x[-1] = 1\n"
    monkeypatch.setattr(convert, "SOFFICE", str(fake_soffice(tmp_path, body)))
    monkeypatch.setattr(convert, "MEMORY_BYTES", 400 * 1024 * 1024)
    with pytest.raises(InputError, match="无法转换"):
        legacy_document(word_doc(), "贪吃.doc")
    monkeypatch.setattr(convert, "MEMORY_BYTES", 1024 * 1024 * 1024)
    assert legacy_document(word_doc(), "贪吃.doc").source == "贪吃.doc"


def test_an_input_over_the_conversion_cap_is_refused_before_starting(tmp_path, monkeypatch, capsys):
    data = word_doc()
    monkeypatch.setattr(convert, "MAX_INPUT_BYTES", len(data) - 1)
    monkeypatch.setattr(convert, "SOFFICE", "/nonexistent/soffice")  # the cap answers before the converter is looked for
    _cli_refuses(tmp_path, capsys, "大.doc", data, "转换上限")
    monkeypatch.setattr(convert, "MAX_INPUT_BYTES", len(data))
    _cli_refuses(tmp_path, capsys, "大.doc", data, "未安装 LibreOffice")  # past the cap: it would start


def test_the_converter_gets_a_fresh_profile_with_macros_off_a_clean_env_and_no_network(tmp_path, monkeypatch):
    record = tmp_path / "record.json"
    body = f"""
    prof = [a for a in args if a.startswith('-env:UserInstallation=file://')][0].split('file://', 1)[1]
    xcu = open(os.path.join(prof, 'user', 'registrymodifications.xcu')).read()
    try:
        nets = [n for _, n in socket.if_nameindex()]
    except OSError:
        nets = []
    json.dump({{'profile': prof, 'xcu': xcu, 'env': dict(os.environ), 'nets': nets, 'args': args,
               'limits': open('/proc/self/limits').read()}}, open({str(record)!r}, 'w'))
    """
    monkeypatch.setattr(convert, "SOFFICE", str(fake_soffice(tmp_path, body)))
    monkeypatch.setenv("http_proxy", "http://proxy.invalid:3128")
    monkeypatch.setenv("JIXIAO_SECRET", "x")
    profiles = []
    for _ in range(2):
        legacy_document(word_doc(), "记录.doc")
        seen = json.loads(record.read_text())
        profiles.append(seen["profile"])
    assert profiles[0] != profiles[1] and not any(Path(p).exists() for p in profiles)  # fresh, then deleted
    assert '"MacroSecurityLevel" oor:op="fuse"><value>3' in seen["xcu"]
    assert '"DisableMacrosExecution" oor:op="fuse"><value>true' in seen["xcu"]
    assert not {k for k in seen["env"] if "proxy" in k.lower() or k.startswith("JIXIAO")}
    assert seen["env"]["HOME"].startswith(str(Path(seen["profile"]).parent))
    assert "--headless" in seen["args"]
    limits = {line[:25].strip(): line[25:].split()[0] for line in seen["limits"].splitlines()[1:]}
    assert limits["Max address space"] == str(convert.MEMORY_BYTES)
    assert limits["Max file size"] == str(convert.MAX_OUTPUT_BYTES)
    assert limits["Max cpu time"] == str(convert.CPU_SECONDS)
    if convert._network_prefix():  # a private network namespace: nothing but loopback
        assert seen["nets"] == ["lo"]


def test_a_converter_that_writes_nothing_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(convert, "SOFFICE", str(fake_soffice(tmp_path, "inputs = []")))
    _cli_refuses(tmp_path, capsys, "坏.doc", word_doc(), "无法转换")


def test_a_converted_file_still_passes_the_docx_checks(tmp_path, monkeypatch, capsys):
    src = zipfile.ZipFile(io.BytesIO(_good_docx()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for n in src.namelist():
            out.writestr(n, b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'
                         if n == "word/document.xml" else src.read(n))
    monkeypatch.setattr(convert, "SOFFICE", str(fake_soffice(tmp_path, "", payload=buf.getvalue())))
    _cli_refuses(tmp_path, capsys, "转出实体.doc", word_doc(), "DOCTYPE")
    monkeypatch.setattr(convert, "SOFFICE", str(fake_soffice(tmp_path, "", payload=b"not a zip at all")))
    _cli_refuses(tmp_path, capsys, "转出垃圾.doc", word_doc(), "转换后不是 .docx 文件")


def test_a_batch_with_a_hanging_doc_still_imports_the_good_docx(tmp_path, monkeypatch, seed_docx):
    from jixiao.web.bureau.sources import folder_entries, iter_packages

    monkeypatch.setattr(convert, "SOFFICE", str(fake_soffice(tmp_path, "time.sleep(300)")))
    monkeypatch.setattr(convert, "TIMEOUT_SECONDS", 1)
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "a-卡死.doc").write_bytes(word_doc())
    (batch / "b-好的.docx").write_bytes(seed_docx["official"])
    started = time.monotonic()
    out = [(e.name, p is not None, reason) for e, p, reason in iter_packages(folder_entries(batch))]
    assert time.monotonic() - started < 10
    assert out[0][0] == "a-卡死.doc" and not out[0][1] and "转换超时" in out[0][2] and "a-卡死.doc" in out[0][2]
    assert out[1][:2] == ("b-好的.docx", True)


def test_the_batch_notes_how_an_old_file_was_read(tmp_path, monkeypatch, seed_docx):
    from jixiao.web.bureau.sources import folder_entries, iter_packages

    monkeypatch.setattr(convert, "SOFFICE", str(fake_soffice(tmp_path, "", payload=seed_docx["official"])))
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "旧.doc").write_bytes(word_doc())
    (entry, package, reason), = iter_packages(folder_entries(batch))
    assert package is not None and reason is None
    assert entry.note.startswith("由旧格式 .doc 经 LibreOffice 转换为 .docx 后读取（转换用时 ") and "秒）" in entry.note


def test_old_suffixes_are_registered_everywhere():
    from jixiao.io import IMPORTERS, READERS
    from jixiao.io.docx_reader.bundle import PART_SUFFIXES

    for suffix in (".doc", ".xls", ".wps", ".et"):
        assert suffix in READERS and suffix in IMPORTERS and suffix in PART_SUFFIXES
    assert os.environ.get("JIXIAO_SOFFICE") is None or convert.SOFFICE == os.environ["JIXIAO_SOFFICE"]


def _mulblank_xls(records: int) -> bytes:
    """A workbook whose one sheet declares ``records`` runs of 256 blank cells (520 bytes each)."""
    run = struct.pack("<HHH", 0, 0, 255) + bytes(2 * 256)
    sheet = struct.pack("<HH", 0x0809, 16) + bytes(16) + (struct.pack("<HH", 0x00BE, len(run)) + run) * records
    return cfb({"Workbook": biff(boundsheet("Sheet1", 0)) + sheet})


def test_an_xls_declaring_too_many_cells_is_refused_before_xlrd(tmp_path, capsys, monkeypatch, no_converter):
    from jixiao.io.legacy import ole

    _cli_refuses(tmp_path, capsys, "百万单元格.xls", _mulblank_xls(4000), "单元格超过 1,000,000 个", within=1)
    monkeypatch.setattr(ole, "MAX_XLS_CELLS", 256 * 10)
    assert ole.inspect(_mulblank_xls(10), "t.xls").kind == "excel"
    with pytest.raises(InputError, match="单元格超过"):
        ole.inspect(_mulblank_xls(11), "t.xls")


def test_an_xls_that_xlrd_cannot_read_goes_to_the_converter(tmp_path, monkeypatch):
    from jixiao.render import render_package

    pkg = Package.model_validate_json(SEED_JSON.read_text(encoding="utf-8"))
    xlsx = render_package(pkg, tmp_path / "r", ["xlsx"]).files[0]
    monkeypatch.setattr(convert, "SOFFICE", str(fake_soffice(tmp_path, "", payload=xlsx.read_bytes())))
    path = tmp_path / "WPS表格.et"
    path.write_bytes(excel_xls(boundsheet("Sheet1", 0)))  # a sheet xlrd cannot find
    result = import_package(path)
    assert result.package.unit_name == pkg.unit_name
    assert result.issues[0].message.startswith("由旧格式 .et 经 LibreOffice 转换为 .xlsx 后读取")


def test_a_converter_that_gives_back_an_old_file_does_not_loop(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(convert, "SOFFICE", str(fake_soffice(tmp_path, "", payload=word_doc())))
    _cli_refuses(tmp_path, capsys, "回环.doc", word_doc(), "转换后不是 .docx 文件")


def test_the_watchdog_kills_the_converter_even_when_nobody_waits_for_it(tmp_path, monkeypatch):
    import subprocess

    script = fake_soffice(tmp_path, "time.sleep(300)")
    monkeypatch.setattr(convert, "WATCHDOG_GRACE", 0.5)
    started = time.monotonic()
    proc = subprocess.run(convert.fenced([str(script), "--convert-to", "docx", "--outdir", str(tmp_path)], 0.5),
                          capture_output=True, timeout=20, start_new_session=True)
    assert proc.returncode != 0 and time.monotonic() - started < 5
