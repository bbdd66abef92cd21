"""Zip entry names come out as their authors wrote them, whatever archiver made the zip.

The zips are written here byte for byte as each archiver writes them: Linux ``zip`` (UTF-8
names, no flag), Windows archivers on Chinese systems (GBK names, no flag), flagged UTF-8,
and Info-ZIP's Unicode Path extra field (0x7075) over a legacy name.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from iofix_layouts import build
from iofix_seed import seed_blocks, split_blocks

from jixiao.io import InputError, import_package
from jixiao.io.safe import entry_name, open_zip
from jixiao.web.bureau.sources import zip_entries


class _RawName(zipfile.ZipInfo):
    """An entry whose header name is given as bytes, with or without the UTF-8 flag."""

    raw_name = b""
    utf8 = False

    def _encodeFilenameFlags(self):  # noqa: N802 (zipfile's name)
        flags = (self.flag_bits | 0x800) if self.utf8 else (self.flag_bits & ~0x800)
        return self.raw_name, flags


def _unicode_extra(raw: bytes, name: str) -> bytes:
    body = struct.pack("<BI", 1, zlib.crc32(raw)) + name.encode("utf-8")
    return struct.pack("<HH", 0x7075, len(body)) + body


def encode(name: str, style: str) -> tuple[bytes, bool, bytes]:
    """(header bytes, UTF-8 flag, extra field) of ``name`` as archiver ``style`` writes it."""
    if style == "utf8-noflag":
        return name.encode("utf-8"), False, b""
    if style == "gbk-noflag":
        return name.encode("gbk"), False, b""
    if style == "utf8-flag":
        return name.encode("utf-8"), True, b""
    if style == "unicode-extra":  # a legacy (GBK) header name plus the Info-ZIP field
        raw = name.encode("gbk", errors="replace")
        return raw, False, _unicode_extra(raw, name)
    raise ValueError(style)


def zip_with(entries: list[tuple[str, str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, (name, style, data) in enumerate(entries):
            raw, utf8, extra = encode(name, style)
            info = _RawName(f"entry{n}")
            info.raw_name, info.utf8, info.extra = raw, utf8, extra
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


STYLES = ["utf8-noflag", "gbk-noflag", "utf8-flag", "unicode-extra"]


@pytest.mark.parametrize("style", STYLES)
def test_each_archivers_names_come_out_right(style):
    name = "岳阳楼区城管局/2023年度整体支出绩效自评材料.docx"
    arc = open_zip(zip_with([(name, style, b"x")]), "批量.zip")
    assert arc.names() == [name]
    assert arc.read(name) == b"x"


def test_cp437_names_stay_cp437_when_nothing_else_fits():
    raw = "café.docx".encode("cp437")  # b'caf\x82.docx': neither UTF-8 nor GB18030
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = _RawName("e")
        info.raw_name = raw
        zf.writestr(info, b"y")
    assert open_zip(buf.getvalue(), "x.zip").names() == ["café.docx"]


def test_a_stale_unicode_path_field_is_ignored():
    raw = "新名称.docx".encode("gbk")
    info = zipfile.ZipInfo("x")
    info.orig_filename = raw.decode("cp437")
    info.flag_bits = 0
    info.extra = _unicode_extra("旧名称.docx".encode("gbk"), "旧名称.docx")
    assert entry_name(info) == "新名称.docx"


def test_a_gbk_name_with_a_backslash_trail_byte_is_not_refused():
    # Before decoding, such a name looked like it held a backslash (a path separator).
    candidates = [c for c in "丢乗亍佫侤俓偽傡兞冡刓剕劆匼厎吶呄" if c.encode("gbk")[-1:] == b"\\"]
    assert candidates
    name = f"{candidates[0]}局.docx"
    arc = open_zip(zip_with([(name, "gbk-noflag", b"x")]), "x.zip")
    assert arc.names() == [name]


def test_hostile_names_are_still_refused_after_decoding():
    for bad in ["../逃逸.docx", "/绝对/路径.docx", "目录\\反斜杠.docx"]:
        with pytest.raises(InputError, match="不安全的条目路径"):
            open_zip(zip_with([(bad, "utf8-noflag", b"x")]), "x.zip")


def test_two_raw_names_that_decode_alike_are_duplicates():
    name = "财政局.docx"
    with pytest.raises(InputError, match="重复的条目"):
        open_zip(zip_with([(name, "gbk-noflag", b"x"), (name, "utf8-flag", b"y")]), "x.zip")


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
NAMES = st.lists(st.one_of(CJK, st.sampled_from(list("年度材料自评表0123456789-_（）() 、"))), min_size=1, max_size=24).map(
    lambda chars: "".join(chars).strip() or "材料"
)


def _strict_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(NAMES, min_size=1, max_size=5, unique=True), styles=st.lists(st.sampled_from(STYLES), min_size=5,
                                                                                    max_size=5))
def test_any_chinese_name_in_any_style_round_trips(names, styles):
    entries = []
    for name, style in zip(names, styles, strict=False):
        try:
            raw = name.encode("gbk")
        except UnicodeEncodeError:
            assume(style in ("utf8-noflag", "utf8-flag"))
            raw = b""
        if style == "gbk-noflag":
            # Bytes that are valid UTF-8 as well are read as UTF-8 (the rule's first choice): rare.
            assume(not _strict_utf8(raw))
        entries.append((f"{name}.docx", style, name.encode("utf-8")))
    assume(len({n.lower() for n, _, _ in entries}) == len(entries))
    arc = open_zip(zip_with(entries), "批量.zip")
    assert sorted(arc.names()) == sorted(n for n, _, _ in entries)
    for n, _, content in entries:
        assert arc.read(n) == content


def test_the_batch_report_lists_linux_and_windows_names_alike(tmp_path):
    names = {"芙蓉区社区卫生服务中心.json": "utf8-noflag", "岳阳楼区城管局.json": "gbk-noflag",
             "天心区教育局.json": "utf8-flag", "雨花区文旅局.json": "unicode-extra"}
    path = tmp_path / "批量.zip"
    path.write_bytes(zip_with([(n, s, b"{}") for n, s in names.items()]))
    assert sorted(e.name for e in zip_entries(path)) == sorted(names)


def test_the_bundle_reader_names_its_parts_by_their_decoded_names(tmp_path, seed_pkg):
    parts = {f"{n}-{kind}.docx": build(blocks, "official")
             for n, (kind, blocks) in enumerate(split_blocks(seed_blocks()).items(), 1)}
    entries = [(f"材料/{name}", style, data) for (name, data), style in zip(parts.items(), STYLES, strict=False)]
    entries.append(("材料/说明文件.txt", "gbk-noflag", "随附说明".encode()))
    path = tmp_path / "package.zip"
    path.write_bytes(zip_with(entries))
    result = import_package(path)
    assert result.package == seed_pkg
    assert [i.where for i in result.issues] == ["材料/说明文件.txt"]
