"""Reading and writing packages. ``load_package`` picks a reader by what the path is.

Readers register by file suffix so the Word/Excel/zip readers slot in without the
CLI knowing them; each is imported only when a file of its kind is opened.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError, validation_reason  # the readers' error: one Chinese line for the user
from ..model import Package

# suffix -> "module:function" taking a Path and returning a Package
READERS: dict[str, str] = {
    ".json": "jixiao.io.json_io:read_json",
    ".docx": "jixiao.io.docx_reader:read_docx",
    ".xlsx": "jixiao.io.xlsx_io:read_xlsx",
    ".zip": "jixiao.io.docx_reader.bundle:read_zip",
    "/": "jixiao.io.docx_reader.bundle:read_dir",  # a folder of part files (or an unzipped .docx)
    # old formats (Word/Excel 97-2003, WPS): decided by content, see jixiao.io.legacy
    **{s: "jixiao.io.legacy:read_legacy" for s in (".doc", ".xls", ".wps", ".et")},
}

# Kinds refused outright, with the reason (not listed as supported anywhere).
REFUSED: dict[str, str] = {
    suffix: "含宏的 Office 文件，出于安全原因不予导入；请另存为不含宏的 .docx/.xlsx 后再导入"
    for suffix in (".docm", ".xlsm", ".dotm", ".xltm")
}

# The same kinds returning an ImportResult: the package and the import findings (what a
# reader could not place). ``import_package`` falls back to READERS with no findings.
IMPORTERS: dict[str, str] = {
    ".docx": "jixiao.io.docx_reader:import_docx",
    ".xlsx": "jixiao.io.xlsx_io:import_xlsx",
    ".zip": "jixiao.io.docx_reader.bundle:import_zip",
    "/": "jixiao.io.docx_reader.bundle:import_dir",
    **{s: "jixiao.io.legacy:import_legacy" for s in (".doc", ".xls", ".wps", ".et")},
}

MAX_JSON_BYTES = 20 * 1024 * 1024


def supported_suffixes() -> set[str]:
    return set(READERS)


def load_package(path: str | Path) -> Package:
    path = Path(path)
    if not path.exists():
        raise InputError(f"找不到文件：{path}")
    key = "/" if path.is_dir() else path.suffix.lower()
    if key in REFUSED:
        raise InputError(f"{path} 是{REFUSED[key]}")
    target = READERS.get(key)
    if target is None:
        known = "、".join(sorted(s for s in READERS if s != "/"))
        raise InputError(f"不支持的文件类型“{path.suffix or path.name}”（支持：{known}）：{path}")
    module, func = target.split(":")
    return _guarded(getattr(importlib.import_module(module), func), path)


def _guarded(reader, path: Path):
    """A value the model refuses (NaN, a number beyond the form's limits) that a reader let through
    is one Chinese line about the file, never a traceback."""
    try:
        return reader(path)
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc, str(path))) from exc


def describe_validation_error(exc: ValidationError, source: str) -> str:
    """One Chinese line naming the first bad field of a package."""
    err = exc.errors()[0]
    where = ".".join(str(x) for x in err["loc"]) or "（根）"
    more = f"（另有{len(exc.errors()) - 1}处错误）" if len(exc.errors()) > 1 else ""
    return f"{source}：字段 {where} 无效：{validation_reason(err)}{more}"


def import_package(path: str | Path, form: str | None = None, year: int | None = None):
    """The package at ``path`` and its import findings (``jixiao.io.issues.ImportResult``).

    ``form``: read Word/Excel files on this form definition instead of recognising theirs.
    ``year``: the year of Word/Excel files that state none (with a finding saying so)."""
    if form or year:
        from .docx_reader.recognise import forcing, giving_year

        with forcing(form), giving_year(year):
            return import_package(path)
    from .issues import ImportResult

    path = Path(path)
    key = "/" if path.is_dir() else path.suffix.lower()
    target = IMPORTERS.get(key)
    if target is None or not path.exists():
        return ImportResult(load_package(path), [])
    module, func = target.split(":")
    return _guarded(getattr(importlib.import_module(module), func), path)


# The public API of jixiao.io beyond the readers above, for the CLI and the web app. Each is
# loaded from its module when first asked for, so importing jixiao.io stays light.
_LAZY = {
    "ImportIssue": ("issues", "ImportIssue"), "ImportResult": ("issues", "ImportResult"),
    "dump_json": ("json_io", "dump_json"), "parse_json": ("json_io", "parse_json"),
    "packages_in": ("folders", "packages_in"), "write_template": ("xlsx_io", "write_template"),
    "read_upload": ("safe", "read_upload"), "open_zip": ("safe", "open_zip"), "open_ooxml": ("safe", "open_ooxml"),
    "refuse_wrong_kind": ("safe", "refuse_wrong_kind"), "conversion_note": ("legacy", "conversion_note"),
    # the safe opener's pieces another upload (佐证材料) checks its own files with
    "sniff": ("safe", "sniff"), "main_part": ("safe", "main_part"),
    "ZIP_MAGIC": ("safe", "ZIP_MAGIC"), "MAX_TOTAL_BYTES": ("safe", "MAX_TOTAL_BYTES"),
    "LEGACY_WHERE": ("legacy", "WHERE"),  # the ``where`` of the import finding an old-format file gets
    "forcing": ("docx_reader.recognise", "forcing"),  # read every Word/Excel file on one form (``--form``)
    "giving_year": ("docx_reader.recognise", "giving_year"),  # the year of files that state none (``--year``)
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attr = _LAZY[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), attr)


__all__ = ["IMPORTERS", "READERS", "REFUSED", "InputError", "describe_validation_error", "import_package",
           "load_package", "supported_suffixes", *_LAZY]
