"""Reading filled Word packages (.docx): one file with everything, or the parts in several files.

``import_docx`` returns the package and the import findings; ``read_docx`` (the READERS
entry) returns the package alone. The walk is our own (see ooxml.py); the bytes are
opened through ``jixiao.io.safe`` first, so hostile files end in an InputError.
"""

from __future__ import annotations

from pathlib import Path

from .. import InputError
from ..issues import ImportResult
from ..safe import OLE_MAGIC, main_part, open_ooxml, read_upload
from .blocks import Document
from .ooxml import walk

__all__ = ["docx_document", "import_docx", "import_docx_bytes", "read_docx"]


def docx_document(data: bytes, name: str) -> Document:
    """The blocks of a .docx given as bytes, after the safety checks."""
    if data[:8] == OLE_MAGIC:  # an old binary file named .docx: read it as what it is
        from ..legacy import legacy_document

        return legacy_document(data, name)
    arc = open_ooxml(data, name, "docx")
    root = arc.xml(main_part(arc, "docx"))
    doc = walk(root, name)
    if doc.numbered and arc.has("word/numbering.xml"):
        _number_paragraphs(doc, arc)
    return doc


def _number_paragraphs(doc: Document, arc) -> None:
    from .blocks import Para
    from .numbering import Ref, prefixes

    refs = [Ref(*item) for item in doc.numbered]
    styles = arc.xml("word/styles.xml") if any(r.style for r in refs) and arc.has("word/styles.xml") else None
    for index, prefix in prefixes(refs, arc.xml("word/numbering.xml"), styles).items():
        block = doc.blocks[index]
        if isinstance(block, Para):
            block.text = (prefix + block.text).strip()


def import_docx_bytes(data: bytes, name: str) -> ImportResult:
    from .bundle import import_documents

    return import_documents([docx_document(data, name)])


def import_docx(path: Path) -> ImportResult:
    if path.suffix.lower() in (".docm", ".dotm"):
        raise InputError(f"{path.name} 是含宏的 Word 文件，出于安全原因不予导入；请另存为 .docx")
    return import_docx_bytes(read_upload(path), str(path))


def read_docx(path: Path):
    return import_docx(path).package

