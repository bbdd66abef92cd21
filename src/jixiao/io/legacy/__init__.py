"""Old formats units still send: Word/Excel 97-2003 (.doc/.xls) and WPS (.wps/.et).

The bytes decide, not the name: an OLE2 compound file (magic D0CF11E0A1B11AE1) is an old
binary file whatever it is called, and a zip called .doc or .xls is read as the .docx or
.xlsx it is. An OLE2 file is inspected first (``ole.inspect``: structure, declared sizes,
encryption, macros), then

- Excel BIFF (.xls, .et) is read natively with xlrd through the .xlsx sheet walker (``xls``);
- Word (.doc, .wps) is converted to .docx by LibreOffice in a fenced subprocess
  (``convert``) and read by the Word reader; so is an .et that is not BIFF.

Either way the result is a ``blocks.Document`` for the same part and row parsers, with an
import finding saying how the file was read (and, for a conversion, how long it took).
"""

from __future__ import annotations

from pathlib import Path

from .. import InputError
from ..docx_reader.blocks import Document
from ..issues import ImportIssue, ImportResult
from ..safe import open_zip, read_upload, sniff

OLD_SUFFIXES = (".doc", ".xls", ".wps", ".et")
KIND_ZH = {".doc": "Word 97-2003 文档", ".wps": "WPS 文字文档", ".xls": "Excel 97-2003 工作簿", ".et": "WPS 表格文档"}
WHERE = "文件格式"  # the ``where`` of the finding every old file gets
NOTE_PREFIX = "由旧格式"

__all__ = ["OLD_SUFFIXES", "conversion_note", "import_legacy", "legacy_document", "read_legacy"]


def _suffix(name: str) -> str:
    low = name.lower()
    return next((s for s in OLD_SUFFIXES if low.endswith(s)), "")


def legacy_document(data: bytes, name: str) -> Document:
    """The blocks of an old-format file (or of an OOXML file carrying an old name) given as bytes."""
    kind = sniff(data)
    if kind == "zip":
        return _renamed_ooxml(data, name)
    if kind != "ole":
        what = {"pdf": "PDF 文件", "text": "文本文件"}.get(kind, "无法识别的二进制文件")
        raise InputError(f"{name} 的内容是{what}，不是 Word/Excel 97-2003 或 WPS 文件")
    from .ole import inspect

    info = inspect(data, name)
    suffix = _suffix(name)
    if info.kind == "excel":
        from .xls import XlsUnreadable, xls_document

        shown = suffix if suffix in (".xls", ".et") else ".xls"
        try:
            doc = xls_document(data, name)
        except XlsUnreadable:  # a BIFF dialect xlrd does not know (some .et): LibreOffice may
            return _converted(data, name, ".xls", shown, "xlsx")
        doc.issues.insert(0, ImportIssue(
            WHERE, f"{NOTE_PREFIX} {shown}（Excel 97-2003 二进制格式）直接读取，未经转换；请核对导入结果", name))
        return doc
    target = "xlsx" if info.kind == "works" and suffix == ".et" else "docx"
    shown = suffix or {"word": ".doc", "works": ".wps"}[info.kind]
    local = ".doc" if info.kind == "word" else shown  # the converter sees a name of ours, matching the content
    return _converted(data, name, local, shown, target)


def _converted(data: bytes, name: str, local: str, shown: str, target: str) -> Document:
    """LibreOffice turns the file into .docx/.xlsx, read by the reader of that format."""
    from .convert import convert

    try:
        done = convert(data, local, target)
    except InputError as exc:
        raise InputError(f"{name}：{exc}") from exc
    if sniff(done.data) != "zip":  # never back round this way: the converter must give OOXML
        raise InputError(f"{name}：旧格式文件转换后不是 .{target} 文件，无法读取")
    if target == "xlsx":
        from ..xlsx_io import xlsx_document

        doc = xlsx_document(done.data, name)
    else:
        from ..docx_reader import docx_document

        doc = docx_document(done.data, name)
    doc.issues.insert(0, ImportIssue(
        WHERE, f"{NOTE_PREFIX} {shown} 经 LibreOffice 转换为 .{target} 后读取（转换用时 {done.seconds:.1f} 秒）；"
        "请核对导入结果", name))
    return doc


def _renamed_ooxml(data: bytes, name: str) -> Document:
    """A .docx/.xlsx given an old name: read as what its content types say it is."""
    from ..safe import MAIN_TYPES

    arc = open_zip(data, name)
    types = set(arc.content_types().values()) if arc.has("[Content_Types].xml") else set()
    if MAIN_TYPES["docx"] in types:
        from ..docx_reader import docx_document

        return docx_document(data, name)
    if MAIN_TYPES["xlsx"] in types:
        from ..xlsx_io import xlsx_document

        return xlsx_document(data, name)
    from ..safe import open_ooxml

    open_ooxml(data, name, "docx")  # refuses macro files with their own reason
    raise InputError(f"{name} 是 ZIP 压缩包，但不是 Word 或 Excel 文件")


def conversion_note(issues) -> str:
    """The sentence on how an old file was read ('' for other files): the batch report shows it."""
    return next((i.message.split("；")[0] for i in issues if i.where == WHERE and i.message.startswith(NOTE_PREFIX)), "")


def import_legacy_bytes(data: bytes, name: str) -> ImportResult:
    from ..docx_reader.bundle import import_documents

    return import_documents([legacy_document(data, name)])


def import_legacy(path: Path) -> ImportResult:
    return import_legacy_bytes(read_upload(path), str(path))


def read_legacy(path: Path):
    return import_legacy(path).package
