"""Opening untrusted Word/Excel/zip uploads under limits, before any parser sees them.

Everything a unit or a bureau uploads is hostile until proven otherwise. The rules:
the file is what its name says (magic bytes, content types, no macros); the zip
structure is sound (entry count, path names, no encryption, only stored/deflate);
declared and actual uncompressed sizes and the compression ratio stay within caps;
entries are read with a byte cap; XML carrying a DOCTYPE is refused outright (OOXML
never needs one, and it is the door for entity expansion and external entities), and
what is left is parsed by lxml with entity resolution and network access off.

Every refusal is an ``InputError`` with one Chinese line naming the file.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree

from . import InputError

MAX_FILE_BYTES = 50 * 1024 * 1024  # the upload itself
MAX_ENTRIES = 2000  # a Word file with many pictures has a few hundred
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # one part, uncompressed
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all parts, uncompressed, as declared
MAX_RATIO = 200  # uncompressed / compressed; text XML stays well under 100
RATIO_FLOOR = 1024 * 1024  # tiny entries may compress absurdly well without harm
MAX_NAME_CHARS = 512
CHUNK = 256 * 1024

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Main-part content types of the OOXML kinds we accept, and of their macro twins.
MAIN_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
MACRO_TYPES = (
    "application/vnd.ms-word.document.macroenabled.main+xml",
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml",
    "application/vnd.ms-excel.sheet.macroenabled.main+xml",
    "application/vnd.ms-excel.template.macroenabled.main+xml",
    "application/vnd.ms-office.vbaproject",
)
KIND_ZH = {"docx": "Word 文档（.docx）", "xlsx": "Excel 工作簿（.xlsx）", "zip": "ZIP 压缩包"}

_BAD_NAME = re.compile(r"[\x00-\x1f\\]|^/|^[A-Za-z]:|(^|/)\.\.(/|$)")
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def read_upload(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a file, refusing empty and oversized ones before reading them."""
    try:
        size = path.stat().st_size
        if size == 0:
            raise InputError(f"文件为空：{path}")
        if size > max_bytes:
            raise InputError(f"文件过大（{size / 1048576:.1f} MB，上限 {max_bytes // 1048576} MB）：{path}")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"无法读取文件：{path}（{exc.strerror or exc}）") from exc
    if len(data) > max_bytes:  # grew while we looked
        raise InputError(f"文件过大（上限 {max_bytes // 1048576} MB）：{path}")
    return data


def sniff(data: bytes) -> str:
    """What the bytes are, whatever the name says: 'zip', 'ole', 'pdf', 'text' or 'binary'."""
    head = data[:8]
    if head[:4] in ZIP_MAGIC:
        return "zip"
    if head == OLE_MAGIC:
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.lstrip().startswith((b"{", b"<")) or head.startswith(b"\xef\xbb\xbf") or _looks_like_text(data[:4096]):
        return "text"
    return "binary"


def _looks_like_text(sample: bytes) -> bool:
    """Plain text (UTF-8 or GB18030, no control characters but line breaks and tabs)."""
    if not sample:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            if encoding == "utf-8":  # a multi-byte character cut at the sample's end
                try:
                    text = sample[:-3].decode(encoding)
                except UnicodeDecodeError:
                    continue
            else:
                continue
        return not any(ord(ch) < 32 and ch not in "\r\n\t\f" for ch in text)
    return False


def refuse_wrong_kind(data: bytes, name: str, expect: str) -> None:
    """A one-line reason when the bytes are not a zip container of the expected kind."""
    kind = sniff(data)
    if kind == "zip":
        return
    want = KIND_ZH[expect]
    if kind == "ole":
        raise InputError(
            f"{name} 是旧版 Office 文件（.doc/.xls）或加密文件，不是 {want}；请在 Office 中另存为 {want} 后再导入"
        )
    what = {"pdf": "PDF 文件", "text": "文本文件"}.get(kind, "无法识别的二进制文件")
    raise InputError(f"{name} 的内容是{what}，不是 {want}")


def _eocd_entry_count(data: bytes) -> int | None:
    """Entries declared by the end-of-central-directory record, read before zipfile parses anything."""
    tail = data[-(65536 + 22):]
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or pos + 22 > len(tail):
        return None
    count = struct.unpack("<H", tail[pos + 10 : pos + 12])[0]
    if count == 0xFFFF:  # ZIP64: the real count is elsewhere; let zipfile find it, then check
        return None
    return count


UTF8_FLAG = 0x800  # general purpose bit 11: the name is UTF-8
UNICODE_PATH_EXTRA = 0x7075  # Info-ZIP Unicode Path extra field


def entry_name(info: zipfile.ZipInfo) -> str:
    """The name of a zip entry as its author wrote it, whatever archiver made the zip.

    Flagged (bit 11) names are UTF-8. An Info-ZIP Unicode Path extra field (0x7075) whose
    CRC matches the header name gives the name in UTF-8. Otherwise the raw bytes (which
    zipfile decoded as CP437) are tried as strict UTF-8 (Linux ``zip``, macOS), then as
    GB18030 (Windows archivers on Chinese systems: GBK), then kept as CP437. NFC-normalised.
    """
    name = info.orig_filename
    if not info.flag_bits & UTF8_FLAG:
        name = _unicode_path(info) or _decode_raw(name)
    return unicodedata.normalize("NFC", name)


def _unicode_path(info: zipfile.ZipInfo) -> str | None:
    extra, pos = info.extra or b"", 0
    while pos + 4 <= len(extra):
        tag, size = struct.unpack("<HH", extra[pos : pos + 4])
        body = extra[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if tag != UNICODE_PATH_EXTRA or len(body) < 5 or body[0] != 1:
            continue
        try:
            raw = info.orig_filename.encode("cp437")
        except UnicodeEncodeError:
            return None
        if struct.unpack("<I", body[1:5])[0] != zlib.crc32(raw):
            return None  # the header name was changed after the field was written: it is stale
        try:
            return body[5:].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def _decode_raw(name: str) -> str:
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:  # not what zipfile's CP437 decoding produces: leave it
        return name
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


@dataclass
class SafeZip:
    """A zip archive whose structure passed the checks; entries are read with a cap.

    ``infos`` is keyed by the entries' decoded names (``entry_name``): every caller lists
    and reads entries by the names people see."""

    zf: zipfile.ZipFile
    name: str  # how messages name the file
    infos: dict[str, zipfile.ZipInfo]
    _types: dict[str, str] | None = None

    def has(self, entry: str) -> bool:
        return entry in self.infos

    def names(self) -> list[str]:
        return list(self.infos)

    def read(self, entry: str, cap: int = MAX_ENTRY_BYTES) -> bytes:
        info = self.infos.get(entry)
        if info is None:
            raise InputError(f"{self.name} 缺少 {entry}，文件不完整")
        limit = min(cap, info.file_size)
        try:
            with self.zf.open(info) as fh:
                chunks, got = [], 0
                while True:
                    chunk = fh.read(CHUNK)
                    if not chunk:
                        break
                    got += len(chunk)
                    if got > limit:
                        raise InputError(f"{self.name} 中的 {entry} 解压后超过上限，已拒绝")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise InputError(f"{self.name} 已损坏：{entry} 无法解压（数据不完整或校验不符）") from exc
        if got != info.file_size:
            raise InputError(f"{self.name} 已损坏：{entry} 解压后大小与声明不符")
        return b"".join(chunks)

    def xml(self, entry: str, cap: int = MAX_ENTRY_BYTES) -> etree._Element:
        return parse_xml(self.read(entry, cap), f"{self.name} 中的 {entry}")

    def content_types(self) -> dict[str, str]:
        """Part name (without the leading '/') -> content type, overrides over defaults by extension."""
        if self._types is not None:
            return self._types
        root = self.xml("[Content_Types].xml")
        defaults = {
            el.get("Extension", "").lower(): el.get("ContentType", "").lower() for el in root.iter(_CT_NS + "Default")
        }
        types = {}
        for entry in self.infos:
            ext = entry.rsplit(".", 1)[-1].lower() if "." in entry else ""
            if ext in defaults:
                types[entry] = defaults[ext]
        for el in root.iter(_CT_NS + "Override"):
            types[el.get("PartName", "").lstrip("/")] = el.get("ContentType", "").lower()
        self._types = types
        return types


def open_zip(data: bytes, name: str) -> SafeZip:
    """Check the zip structure and declared sizes; nothing is decompressed yet."""
    count = _eocd_entry_count(data)
    if count is not None and count > MAX_ENTRIES:
        raise InputError(f"{name} 含有 {count} 个压缩条目，超过上限 {MAX_ENTRIES}，已拒绝")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, struct.error) as exc:
        # The library's English reason stays in the exception chain (logs), not in the user's line.
        raise InputError(f"{name} 已损坏或不完整，无法作为 ZIP 结构打开") from exc
    if len(infos) > MAX_ENTRIES:
        raise InputError(f"{name} 含有 {len(infos)} 个压缩条目，超过上限 {MAX_ENTRIES}，已拒绝")
    seen: dict[str, zipfile.ZipInfo] = {}
    named: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        entry = entry_name(info)
        if len(entry) > MAX_NAME_CHARS or _BAD_NAME.search(entry) or PurePosixPath(entry).is_absolute():
            raise InputError(f"{name} 含有不安全的条目路径“{entry[:60]}”，已拒绝")
        key = entry.lower()
        if key in seen:
            raise InputError(f"{name} 含有重复的条目“{entry[:60]}”，已拒绝")
        if info.flag_bits & 0x1:
            raise InputError(f"{name} 含有加密条目，无法读取；请去除密码后再导入")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise InputError(f"{name} 使用了不支持的压缩方式，已拒绝")
        if info.file_size > MAX_ENTRY_BYTES:
            raise InputError(
                f"{name} 中的 {entry[:60]} 解压后达 {info.file_size / 1048576:.0f} MB，超过上限 "
                f"{MAX_ENTRY_BYTES // 1048576} MB，已拒绝"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(
                f"{name} 中的 {entry[:60]} 压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍），"
                f"疑似压缩炸弹，已拒绝"
            )
        total += info.file_size
        seen[key] = info
        named[entry] = info
    if total > MAX_TOTAL_BYTES:
        raise InputError(f"{name} 解压后共 {total / 1048576:.0f} MB，超过上限 {MAX_TOTAL_BYTES // 1048576} MB，已拒绝")
    return SafeZip(zf=zf, name=name, infos=named)


def open_ooxml(data: bytes, name: str, expect: str) -> SafeZip:
    """A .docx or .xlsx container: right magic, sound zip, right main part, no macros."""
    refuse_wrong_kind(data, name, expect)
    arc = open_zip(data, name)
    if not arc.has("[Content_Types].xml"):
        raise InputError(f"{name} 是 ZIP 压缩包，但不是{KIND_ZH[expect]}（缺少 [Content_Types].xml）")
    types = arc.content_types()
    values = set(types.values())
    lowered = {e.lower() for e in arc.infos}
    if values & set(MACRO_TYPES) or any(e.endswith("vbaproject.bin") for e in lowered):
        raise InputError(f"{name} 含有宏（VBA），出于安全原因不予导入；请另存为不含宏的{KIND_ZH[expect]}")
    if MAIN_TYPES[expect] not in values:
        other = next((k for k, t in MAIN_TYPES.items() if t in values), None)
        what = KIND_ZH[other] if other else "其他类型的 Office 文件"
        raise InputError(f"{name} 的扩展名表示{KIND_ZH[expect]}，但内容是{what}")
    return arc


def main_part(arc: SafeZip, expect: str) -> str:
    """The entry holding the main document ('word/document.xml', 'xl/workbook.xml')."""
    for entry, ctype in arc.content_types().items():
        if ctype == MAIN_TYPES[expect] and arc.has(entry):
            return entry
    raise InputError(f"{arc.name} 缺少主文档部分，文件不完整")


# ------------------------------------------------------------------ XML


def refuse_doctype(data: bytes, source: str) -> None:
    """OOXML never carries a DOCTYPE; one is the entry to entity bombs and XXE."""
    text = data
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:2] in (b"<\x00", b"\x00<"):
        try:
            text = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{source} 编码无效，已拒绝") from exc
    if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
        raise InputError(f"{source} 含有 DOCTYPE/实体声明（OOXML 不需要，可能是实体炸弹或外部实体攻击），已拒绝")


def parse_xml(data: bytes, source: str) -> etree._Element:
    refuse_doctype(data, source)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = f"第{exc.lineno}行附近" if getattr(exc, "lineno", None) else "内容"
        raise InputError(f"{source} 不是有效的 XML（{line}有语法错误）") from exc
    if root.getroottree().docinfo.doctype:  # belt and braces: the byte check above should have caught it
        raise InputError(f"{source} 含有 DOCTYPE，已拒绝")
    return root

