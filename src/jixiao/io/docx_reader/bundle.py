"""A package as several files: a folder or a .zip of Word/Excel files, one or more parts each.

Each file is opened under the same limits as a single upload (a zip inside a zip gets
no extra room: entries are read with the upload cap), its parts are found by title and
content, and the parts are put together; a part found twice is a finding, not an error.
A folder holding ``word/document.xml`` is an unpacked Word file and is read as one.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import InputError
from ..issues import ImportIssue, ImportResult
from ..safe import MAX_ENTRY_BYTES, MAX_FILE_BYTES, open_zip, parse_xml, read_upload, refuse_wrong_kind
from .blocks import Document
from .ooxml import walk
from .parts import assemble, doc_year, read_blocks
from .recognise import given_year

MAX_FILES = 200
PART_SUFFIXES = (".docx", ".xlsx", ".doc", ".xls", ".wps", ".et")  # old formats: jixiao.io.legacy
MACRO_SUFFIXES = (".docm", ".xlsm", ".dotm", ".xltm")
NOT_A_PART = "不是 Word（.docx/.doc/.wps）或 Excel（.xlsx/.xls/.et）文件，未导入"
_SKIP = re.compile(r"(^|/)(__MACOSX|\.[^/]*|~\$[^/]*|Thumbs\.db|desktop\.ini)(/|$)", re.I)


def document_of(data: bytes, name: str) -> Document:
    """The blocks of one .docx or .xlsx (or old-format file) given as bytes."""
    if name.lower().endswith((".doc", ".xls", ".wps", ".et")):
        from ..legacy import legacy_document

        return legacy_document(data, name)
    if name.lower().endswith(".xlsx"):
        from ..xlsx_io import xlsx_document

        return xlsx_document(data, name)
    from . import docx_document

    return docx_document(data, name)


def import_documents(docs: list[Document], extra: list[ImportIssue] | None = None) -> ImportResult:
    """One package from documents that each hold some of its parts."""
    years = [y for y in (doc_year(d) for d in docs) if y]
    given = given_year()
    if not years and given is None:
        names = "、".join(d.source for d in docs if d.source) or "文件"
        raise InputError(f"{names} 中没有找到年度（标题应含“XXXX年度”，或在标题下另起一行写“（XXXX年度）”）；"
                         "命令行可用 --year 指定年度")
    if not years:
        extra = [*(extra or []), ImportIssue("年度", f"文件中没有写年度，按指定的{given}年度读入")]
    year = years[0] if years else given
    form, form_issues = _form_of(docs)
    founds = [read_blocks(d, year, form) for d in docs]
    package, issues = assemble(founds, [d.source if len(docs) > 1 else "" for d in docs], form)
    issues = form_issues + issues
    for d, y in zip(docs, (doc_year(d) for d in docs), strict=True):
        if y and y != year:
            issues.append(ImportIssue("年度", f"该文件的年度为{y}年，与其他部分的{year}年不一致", d.source))
    opened = [i for d in docs for i in d.issues]
    return ImportResult(package, (extra or []) + opened + issues)


def _form_of(docs: list[Document]) -> tuple[str, list[ImportIssue]]:
    """The one form the documents of a package are read on: the one most of them are recognised as."""
    from collections import Counter

    from ...forms import load_form
    from .recognise import recognise

    recs = [recognise(d) for d in docs]
    form = Counter(r.form for r in recs).most_common(1)[0][0]
    issues = [ImportIssue("表式", r.doubt, d.source if len(docs) > 1 else None) for d, r in zip(docs, recs, strict=True)
              if r.doubt]
    for d, r in zip(docs, recs, strict=True):
        if r.form != form:
            name = load_form(r.form).get("name") or r.form
            issues.append(ImportIssue("表式", f"该文件像是“{name}”，与其他文件的表式不同，按“{load_form(form).get('name') or form}”读入",
                                      d.source))
    return form, issues


def _natural(name: str) -> list:
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", name.lower())]


def import_zip(path: Path) -> ImportResult:
    data = read_upload(path)
    refuse_wrong_kind(data, str(path), "zip")
    arc = open_zip(data, str(path))
    if arc.has("[Content_Types].xml"):
        raise InputError(f"{path} 的扩展名是 .zip，但内容是一份 Office 文件；请改回 .docx 或 .xlsx 后再导入")
    docs: list[Document] = []
    issues: list[ImportIssue] = []
    for entry in sorted(arc.names(), key=_natural):
        if entry.endswith("/") or _SKIP.search(entry):
            continue
        low = entry.lower()
        if low.endswith(MACRO_SUFFIXES):
            raise InputError(f"{path} 中的 {entry} 含宏，出于安全原因不予导入")
        if not low.endswith(PART_SUFFIXES):
            issues.append(ImportIssue(entry, NOT_A_PART, path.name))
            continue
        if len(docs) >= MAX_FILES:
            raise InputError(f"{path} 中的文件超过 {MAX_FILES} 个，已拒绝")
        docs.append(document_of(arc.read(entry, MAX_FILE_BYTES), f"{path.name}:{entry}"))
    if not docs:
        raise InputError(f"{path} 中没有 Word（.docx）或 Excel（.xlsx）文件")
    return import_documents(docs, issues)


def import_dir(path: Path) -> ImportResult:
    """A folder as ONE package, by the folder rule of ``jixiao.io.folders``; a folder holding
    several units' packages is an InputError that names them."""
    from ..folders import packages_in

    groups = packages_in(path)
    if len(groups) > 1:
        names = "、".join(_unit_of(g) for g in groups[:4]) + (f"等{len(groups)}份" if len(groups) > 4 else "")
        raise InputError(
            f"目录 {path} 中有{len(groups)}份材料（{names}），不是一份材料；请用 jixiao import 目录 -o 输出目录/ "
            "每份写一个 JSON，或用 jixiao check 目录 逐份审核"
        )
    return groups[0].read()


def _unit_of(group) -> str:
    """How the refusal names a package: its unit (a JSON is read for it), else its files."""
    if group.unit:
        return group.unit
    try:
        return group.read().package.unit_name or group.where
    except Exception:  # an unreadable file is named by its name
        return group.where


def unpacked_document(path: Path) -> Document:
    return _unpacked(path)


def _unpacked(path: Path) -> Document:
    """An unzipped .docx: the same limits on the one part we read, and no links out of the folder."""
    target = path / "word" / "document.xml"
    if target.is_symlink():
        raise InputError(f"{target} 是符号链接，已拒绝")
    size = target.stat().st_size
    if size > MAX_ENTRY_BYTES:
        raise InputError(f"{target} 过大（{size // 1048576} MB），已拒绝")
    return walk(parse_xml(target.read_bytes(), str(target)), path.name)


def read_zip(path: Path):
    return import_zip(path).package


def read_dir(path: Path):
    return import_dir(path).package
