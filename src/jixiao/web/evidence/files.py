"""What an evidence upload is, decided by its content through the same guard as every upload
(jixiao.io.safe): PDF, PNG/JPEG images, Word (.docx) and Excel (.xlsx) only.

The bytes decide the kind; a name whose extension says something else is refused, as is
anything else (old .doc/.xls, text, executables). Office files pass ``open_ooxml`` (zip
structure, declared sizes and compression ratio, no macros) and then every entry is actually
decompressed under its cap, so a zip whose headers lie about its sizes is caught too. Images are
decoded by Pillow under a pixel cap (a decompression bomb is refused). PDFs must be whole and carry
no JavaScript, launch actions or embedded files. Every refusal is one Chinese sentence naming the
file as uploaded (no Django here; the limits come from the caller)."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import PurePath

from jixiao.io import MAX_TOTAL_BYTES, ZIP_MAGIC, InputError, main_part, open_ooxml, sniff

from ..uploads import UploadRefused

# The extensions a unit may upload and the kind each promises.
EXTENSIONS = {".pdf": "pdf", ".png": "png", ".jpg": "jpg", ".jpeg": "jpg", ".docx": "docx", ".xlsx": "xlsx"}
MACRO_EXTENSIONS = {".docm", ".xlsm", ".dotm", ".xltm", ".xlam"}
KIND_NAMES = {"pdf": "PDF 文件", "png": "PNG 图片", "jpg": "JPEG 图片", "docx": "Word 文档（.docx）",
              "xlsx": "Excel 工作簿（.xlsx）"}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
# Active content of a PDF: scripts, launching programs, files carried inside.
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|EmbeddedFiles)(?![A-Za-z])")
ALLOWED_TEXT = "PDF、PNG、JPG、Word（.docx）、Excel（.xlsx）"


@dataclass(frozen=True)
class CheckedFile:
    name: str  # as uploaded, cleaned for display
    kind: str  # EvidenceKind value
    data: bytes
    sha256: str


def display_name(name: str) -> str:
    """The uploaded name as shown and offered on download: its last path part, no control characters."""
    base = PurePath((name or "").replace("\\", "/")).name
    base = re.sub(r"[\x00-\x1f\x7f\"]", "", base).strip() or "佐证材料"
    if len(base) > 150:
        stem, dot, ext = base.rpartition(".")
        base = (stem[:140] + dot + ext) if dot and len(ext) <= 8 else base[:150]
    return base


def read_capped(chunks, size: int | None, max_bytes: int, name: str) -> bytes:
    """The upload's bytes, refused as soon as they pass the limit (the declared size may lie)."""
    limit_mb = f"{max_bytes / 1048576:g}"
    if size is not None and size > max_bytes:
        raise UploadRefused(f"“{name}”过大（{size / 1048576:.1f} MB），佐证材料每个文件不超过{limit_mb} MB。")
    parts, got = [], 0
    for chunk in chunks:
        got += len(chunk)
        if got > max_bytes:
            raise UploadRefused(f"“{name}”过大，佐证材料每个文件不超过{limit_mb} MB。")
        parts.append(chunk)
    return b"".join(parts)


def content_kind(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(PNG_MAGIC):
        return "png"
    if data.startswith(JPEG_MAGIC):
        return "jpg"
    if data[:4] in ZIP_MAGIC:
        return "zip"
    return None


def check_evidence(name: str, data: bytes, *, max_pixels: int) -> CheckedFile:
    shown = display_name(name)
    suffix = PurePath(shown).suffix.lower()
    if suffix in MACRO_EXTENSIONS:
        raise UploadRefused(f"“{shown}”是含宏的 Office 文件（{suffix}），出于安全原因不予上传；"
                            "请另存为不含宏的 .docx 或 .xlsx 后再上传。")
    if suffix not in EXTENSIONS:
        raise UploadRefused(f"不支持的文件类型“{suffix or shown}”，佐证材料只接受{ALLOWED_TEXT}。")
    if not data:
        raise UploadRefused(f"“{shown}”是空文件。")
    expected = EXTENSIONS[suffix]
    found = content_kind(data)
    try:
        if found == "zip" and expected in ("docx", "xlsx"):
            _check_ooxml(data, f"“{shown}”", expected)
        elif found != expected:
            raise UploadRefused(f"“{shown}”的扩展名表示{KIND_NAMES[expected]}，但内容是{_what(data, found)}，"
                                "未上传。")
        elif found == "pdf":
            _check_pdf(data, shown)
        else:
            _check_image(data, shown, found, max_pixels)
    except InputError as exc:
        raise UploadRefused(_for_upload(str(exc))) from exc
    return CheckedFile(name=shown, kind=expected, data=data, sha256=hashlib.sha256(data).hexdigest())


def _what(data: bytes, found: str | None) -> str:
    if found in KIND_NAMES:
        return KIND_NAMES[found]
    if found == "zip":
        return "ZIP 压缩包"
    sniffed = sniff(data)
    if sniffed == "ole":
        return "旧版 Office 文件（.doc/.xls）或加密文件"
    return {"text": "文本文件"}.get(sniffed, "无法识别的二进制文件")


def _for_upload(text: str) -> str:
    """The guard's sentences speak of importing; evidence is uploaded."""
    return text.replace("不予导入", "不予上传").replace("再导入", "再上传").rstrip("。") + "。"


def _check_ooxml(data: bytes, name: str, expect: str) -> None:
    arc = open_ooxml(data, name, expect)
    total = 0
    for entry in arc.names():
        if entry.endswith("/"):
            continue
        total += len(arc.read(entry))  # decompressed under its declared size: a lying header is refused
        if total > MAX_TOTAL_BYTES:
            raise InputError(f"{name} 解压后超过上限 {MAX_TOTAL_BYTES // 1048576} MB，疑似压缩炸弹，已拒绝")
    arc.xml(main_part(arc, expect))  # the main part is XML without DOCTYPE or entities


def _check_pdf(data: bytes, name: str) -> None:
    if b"%%EOF" not in data[-2048:]:
        raise UploadRefused(f"“{name}”不是完整的 PDF 文件（缺少文件结尾），可能已损坏或未下载完整。")
    active = _PDF_ACTIVE.search(data)
    if active:
        what = {b"Launch": "启动外部程序的动作", b"EmbeddedFile": "嵌入的文件",
                b"EmbeddedFiles": "嵌入的文件"}.get(active.group(1), "脚本（JavaScript）")
        raise UploadRefused(f"“{name}”含有{what}，出于安全原因不予上传；请打印为普通 PDF 后再上传。")


def _check_image(data: bytes, name: str, kind: str, max_pixels: int) -> None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            if width * height > max_pixels:
                raise UploadRefused(f"“{name}”的尺寸为{width}×{height}像素，超过上限{max_pixels}像素，"
                                    "疑似解压炸弹，未上传；请缩小后再上传。")
            if (img.format or "").upper() != {"png": "PNG", "jpg": "JPEG"}[kind]:
                raise UploadRefused(f"“{name}”不是有效的{KIND_NAMES[kind]}。")
            img.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()  # decodes every pixel: a truncated or corrupt image fails here
    except UploadRefused:
        raise
    except Image.DecompressionBombError as exc:
        raise UploadRefused(f"“{name}”的像素数超过上限，疑似解压炸弹，未上传；请缩小后再上传。") from exc
    except Exception as exc:  # Pillow's errors (and its bomb warning turned error) are English
        raise UploadRefused(f"“{name}”不是有效的{KIND_NAMES[kind]}（图片已损坏或无法解码），未上传。") from exc
