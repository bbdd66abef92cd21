"""Looking inside an OLE2 compound file (Word/Excel 97-2003, WPS) before any converter sees it.

An old binary Office file is a little file system (the "compound file binary" format):
storages and streams found through a directory and a sector allocation table. Before the
bytes go to LibreOffice or xlrd we read that structure with ``olefile`` and refuse:

- a structure that does not hold together (a truncated file, sectors past the end, a
  stream whose sector chain is shorter than its declared size);
- a stream declaring more bytes than the file holds, or more than ``MAX_STREAM_BYTES``;
- encryption: an ``EncryptedPackage`` stream (a password-protected .docx/.xlsx), Word's
  FIB ``fEncrypted`` flag, Excel's ``FILEPASS`` record;
- macros: a ``Macros``/``_VBA_PROJECT_CUR``/``_VBA_PROJECT``/``VBA`` storage, and Excel 4.0
  macro sheets or VBA module sheets declared by a ``BOUNDSHEET`` record.

What is left is classified by its streams: ``WordDocument`` is Word (a .doc, or the .wps
WPS Writer saves), ``Workbook``/``Book`` is an Excel BIFF workbook (.xls, or the .et WPS
Spreadsheets saves), ``CONTENTS`` is Microsoft Works (.wps).
"""

from __future__ import annotations

import io
import logging
import struct
from dataclasses import dataclass

from .. import InputError

MAX_STREAM_BYTES = 64 * 1024 * 1024  # one stream, declared (the same cap as one part of a .docx)
MAX_STREAMS = 2000  # directory entries; a .doc with many pictures has a few dozen
MAX_XLS_CELLS = 1_000_000  # cells a workbook declares (a filled package has a few thousand)
MACRO_STORAGES = {"macros", "_vba_project_cur", "_vba_project", "vba"}
ENCRYPTION_STREAMS = {"encryptedpackage", "encryptioninfo"}

WORD_IDENT = 0xA5EC
WORD_ENCRYPTED = 0x0100  # FIB base, flags word at offset 0x0A: fEncrypted
XL_BOF, XL_EOF, XL_FILEPASS, XL_BOUNDSHEET = 0x0809, 0x000A, 0x002F, 0x0085
XL_SHEET_KINDS = {0x01: "Excel 4.0 宏表", 0x06: "VBA 模块表"}


@dataclass(frozen=True)
class OleInfo:
    kind: str  # 'word', 'excel', 'works'
    streams: tuple[str, ...]  # '/'-joined paths


def inspect(data: bytes, name: str) -> OleInfo:
    """The kind of an OLE2 file after the checks above; InputError (one Chinese line) otherwise."""
    import olefile

    logging.getLogger("olefile").setLevel(logging.CRITICAL)
    if len(data) < 1536:  # header + at least one FAT and one directory sector
        raise InputError(f"{name} 是不完整的旧版 Office 文件（只有 {len(data)} 字节），已拒绝；{advice(name)}")
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
        entries = ole.listdir(streams=True, storages=True)
    except Exception as exc:  # olefile raises OSError, struct.error, IndexError... on a broken structure
        raise InputError(f"{name} 是已损坏或不完整的旧版 Office 文件（{_short(exc)}），已拒绝；{advice(name)}") from exc
    try:
        if len(entries) > MAX_STREAMS:
            raise InputError(f"{name} 含有 {len(entries)} 个内部数据流，超过上限 {MAX_STREAMS}，已拒绝")
        parts = {p.lower() for e in entries for p in e}
        if parts & ENCRYPTION_STREAMS:
            raise InputError(f"{name} 设有打开密码（已加密），无法读取；请去除密码后再导入")
        if parts & MACRO_STORAGES:
            raise InputError(f"{name} 含有宏（VBA），出于安全原因不予导入；请另存为不含宏的 .docx/.xlsx 后再导入")
        total = 0
        streams = []
        for path in entries:
            if ole.get_type(path) != olefile.STGTY_STREAM:
                continue
            size = ole.get_size(path)
            where = "/".join(path)
            if size > len(data):
                raise InputError(
                    f"{name} 中的数据流“{where[:40]}”声明有 {size:,} 字节，超过文件本身的 {len(data):,} 字节"
                    "（文件被截断或结构伪造），已拒绝"
                )
            if size > MAX_STREAM_BYTES:
                raise InputError(
                    f"{name} 中的数据流“{where[:40]}”达 {size / 1048576:.0f} MB，超过上限 "
                    f"{MAX_STREAM_BYTES // 1048576} MB，已拒绝"
                )
            total += size
            streams.append(path)
        if total > len(data):
            raise InputError(f"{name} 的内部数据流合计超过文件本身的大小（结构伪造），已拒绝")
        contents = {}
        for path in streams:  # reading each stream walks its sector chain: a truncated file fails here
            where = "/".join(path)
            try:
                body = ole.openstream(path).read()
            except Exception as exc:
                raise InputError(
                    f"{name} 已损坏或被截断：数据流“{where[:40]}”不完整（{_short(exc)}），已拒绝；{advice(name)}"
                ) from exc
            if len(body) != ole.get_size(path):
                raise InputError(f"{name} 已损坏或被截断：数据流“{where[:40]}”不完整，已拒绝；{advice(name)}")
            contents[where.lower()] = body
    finally:
        ole.close()
    if "worddocument" in contents:
        _check_word(contents["worddocument"], name)
        kind = "word"
    elif "workbook" in contents or "book" in contents:
        _check_excel(contents.get("workbook") or contents["book"], name)
        kind = "excel"
    elif "contents" in contents or "matn" in contents:
        kind = "works"
    else:
        what = "PowerPoint 演示文稿" if "powerpoint document" in contents else "其他类型的 OLE 复合文件"
        raise InputError(f"{name} 是{what}，不是 Word 或 Excel 文件")
    return OleInfo(kind, tuple(sorted(contents)))


def advice(name: str) -> str:
    """What a unit can do about a damaged old file: save it again in the new format."""
    new = ".xlsx" if name.lower().endswith((".xls", ".et", ".xlsx")) else ".docx"
    return f"请在 Office/WPS 中重新打开并另存为 {new} 后再导入"


def _check_word(stream: bytes, name: str) -> None:
    if len(stream) < 0x20:
        raise InputError(f"{name} 的 Word 文档头不完整，已拒绝")
    ident, flags = struct.unpack_from("<H", stream, 0)[0], struct.unpack_from("<H", stream, 0x0A)[0]
    if ident != WORD_IDENT:
        raise InputError(f"{name} 的 Word 文档头无效（不是 Word 97-2003 文档），已拒绝")
    if flags & WORD_ENCRYPTED:
        raise InputError(f"{name} 设有打开密码（已加密），无法读取；请去除密码后再导入")


# BIFF cell records: one cell each, or (MULRK, MULBLANK) a run of cells in one record.
_ONE_CELL = {0x0203, 0x0204, 0x00FD, 0x027E, 0x0201, 0x0205, 0x0006, 0x00D6}
_RUNS = {0x00BD: 6, 0x00BE: 2}  # bytes per cell after the 6 bytes of row, first and last column


def _check_excel(stream: bytes, name: str) -> None:
    """Walk the records: FILEPASS and macro sheets in the workbook globals, and the cells all
    sheets declare (xlrd keeps every one in memory, a run record of 520 bytes declares 256)."""
    pos, first, globals_done, cells = 0, True, False, 0
    unpack = struct.unpack_from
    while pos + 4 <= len(stream):
        rtype, length = unpack("<HH", stream, pos)
        if first and rtype not in (XL_BOF, 0x0409, 0x0209, 0x0009):
            raise InputError(f"{name} 的 Excel 工作簿头无效（不是 Excel 97-2003 工作簿），已拒绝")
        first = False
        if not globals_done:
            body = stream[pos + 4 : pos + 4 + length]
            if rtype == XL_FILEPASS:
                raise InputError(f"{name} 设有打开密码（已加密），无法读取；请去除密码后再导入")
            if rtype == XL_BOUNDSHEET and len(body) >= 6 and body[5] in XL_SHEET_KINDS:
                raise InputError(
                    f"{name} 含有{XL_SHEET_KINDS[body[5]]}（宏），出于安全原因不予导入；请另存为 .xlsx 后再导入"
                )
            globals_done = rtype == XL_EOF
        elif rtype in _ONE_CELL:
            cells += 1
        elif rtype in _RUNS:
            cells += max(length - 6, 0) // _RUNS[rtype]
        if cells > MAX_XLS_CELLS:
            raise InputError(f"{name} 的单元格超过 {MAX_XLS_CELLS:,} 个，远超一套自评材料，已拒绝")
        pos += 4 + length


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:80]
