"""Hostile and broken uploads: each ends in exit status 2 with one Chinese line, fast, in bounded memory."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from iofix_docx import document_xml, docx_bytes

from jixiao.cli import main

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + ']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
    "<w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)
XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
    "<w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
)


def _plain_docx() -> bytes:
    return docx_bytes(document_xml(["2023年度预算单位整体支出绩效评价基础数据表"]))


def _replace(data: bytes, name: str, content: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, content if info.filename == name else src.read(info.filename))
        for k, v in (extra or {}).items():
            out.writestr(k, v)
    return buf.getvalue()


def _zip(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for k, v in entries.items():
            zf.writestr(k, v)
    return buf.getvalue()


def _bomb(megabytes: int = 200) -> bytes:
    # zeros deflate about 1000:1: 200 MB of them fit in about 200 kB
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            block = b"\0" * (1 << 20)
            for _ in range(megabytes):
                fh.write(block)
        zf.writestr("[Content_Types].xml", b"<Types/>")
    return buf.getvalue()


def _lying_sizes() -> bytes:
    """An entry that declares 1,000 bytes but inflates to 5 MB: the cap is the declared size."""
    data = _replace(_plain_docx(), "word/document.xml", b"<a>" + b" " * 5_000_000 + b"</a>")
    zf = zipfile.ZipFile(io.BytesIO(data))
    info = zf.getinfo("word/document.xml")
    raw = bytearray(data)
    # local header: uncompressed size at offset 22; central directory: at offset 24 of its record
    struct.pack_into("<I", raw, info.header_offset + 22, 1000)
    cd = raw.find(b"PK\x01\x02")
    while cd >= 0:
        name_len = struct.unpack_from("<H", raw, cd + 28)[0]
        if raw[cd + 46 : cd + 46 + name_len] == b"word/document.xml":
            struct.pack_into("<I", raw, cd + 24, 1000)
            break
        cd = raw.find(b"PK\x01\x02", cd + 4)
    return bytes(raw)


def _many_entries() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for i in range(10_000):
            zf.writestr(f"word/media/{i}.xml", b"")
    return buf.getvalue()


def _encrypted() -> bytes:
    raw = bytearray(_plain_docx())
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):
        pos = raw.find(sig)
        while pos >= 0:
            flag_at = pos + (6 if sig == b"PK\x03\x04" else 8)
            struct.pack_into("<H", raw, flag_at, struct.unpack_from("<H", raw, flag_at)[0] | 1)
            pos = raw.find(sig, pos + 4)
    return bytes(raw)


CASES = {
    "empty.docx": (lambda: b"", "文件为空"),
    "zip-bomb.docx": (_bomb, "超过上限"),
    "ratio-bomb.docx": (lambda: _bomb(20), "压缩比异常"),
    "lying-sizes.docx": (_lying_sizes, "损坏"),
    "billion-laughs.docx": (lambda: _replace(_plain_docx(), "word/document.xml", BILLION_LAUGHS.encode()), "DOCTYPE"),
    "xxe.docx": (lambda: _replace(_plain_docx(), "word/document.xml", XXE.encode()), "DOCTYPE"),
    "xxe-content-types.docx": (
        lambda: _replace(_plain_docx(), "[Content_Types].xml", XXE.replace("w:document", "Types").encode()), "DOCTYPE"),
    "10000-entries.docx": (_many_entries, "10000 个压缩条目"),
    "truncated.docx": (lambda: _plain_docx()[: len(_plain_docx()) // 2], "损坏"),
    "renamed-png.docx": (lambda: b"\x89PNG\r\n\x1a\n" + os.urandom(2000), "无法识别的二进制文件"),
    "renamed-pdf.docx": (lambda: b"%PDF-1.7\n" + os.urandom(2000), "PDF"),
    "old-word.docx": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000), "旧版 Office"),
    "random.xlsx": (lambda: os.urandom(5000), "不是 Excel"),
    "macro.docm": (_plain_docx, "含宏"),
    "macro.xlsm": (lambda: b"PK\x03\x04", "含宏"),
    "vba-inside.docx": (lambda: _replace(_plain_docx(), "", b"", {"word/vbaProject.bin": b"\0" * 100}), "宏"),
    "traversal.zip": (lambda: _zip({"../../etc/evil.docx": b"x"}), "不安全的条目路径"),
    "absolute.zip": (lambda: _zip({"/etc/evil.docx": b"x"}), "不安全的条目路径"),
    "encrypted.docx": (_encrypted, "加密"),
    "excel-named-docx.docx": (lambda: _replace(_plain_docx(), "[Content_Types].xml", _xlsx_types()), "内容是Excel"),
    "docx-named-zip.zip": (_plain_docx, "内容是一份 Office 文件"),
    "no-tables.docx": (_plain_docx, "没有找到"),
}


def _xlsx_types() -> bytes:
    return (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/xl/workbook.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
    )


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, (make, _) in CASES.items():
        (folder / name).write_bytes(make())
    return folder


@pytest.mark.parametrize("name", sorted(CASES))
def test_it_refuses_hostile_input_with_one_chinese_line(name, hostile_dir, capsys):
    tracemalloc.start()
    t0 = time.perf_counter()
    code = main(["import", str(hostile_dir / name)])
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1, err
    assert err.startswith("jixiao: ") and CASES[name][1] in err, err
    assert "Traceback" not in err
    assert elapsed < 2.0, f"{name}: {elapsed:.2f} s"
    assert peak < 80 * 1024 * 1024, f"{name}: peak {peak / 1048576:.0f} MB"


def test_it_exits_2_from_a_real_process(hostile_dir):
    for name in ("billion-laughs.docx", "zip-bomb.docx"):
        proc = subprocess.run(
            [sys.executable, "-m", "jixiao.cli", "check", str(hostile_dir / name)],
            capture_output=True, text=True, timeout=20,
        )
        assert proc.returncode == 2
        assert proc.stderr.count("\n") == 1 and "jixiao: " in proc.stderr


def test_the_xxe_file_content_never_appears(hostile_dir, capsys):
    main(["import", str(hostile_dir / "xxe.docx")])
    out = capsys.readouterr()
    assert "root:" not in out.out + out.err
