"""Uploaded files as the web app shows them to people (no Django here).

One upload limit for the whole web app, the readers' messages cleaned for the page (the file
named as the user knows it, never the server's path; no English library text). (A JSON whose
``schema_version`` is the number 1 is version "1" in the core reader itself, jixiao.io.json_io.)"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SCHEMA_VERSION = "1"  # jixiao.model.SCHEMA_VERSION (a test keeps them equal; no pydantic import here)
# The one upload limit of the web app (JIXIAO_MAX_UPLOAD_BYTES overrides it): a single package
# file uploaded by a unit, a unit list, or one file inside a bureau's batch zip.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

_ENGLISH_ASIDE = re.compile(r"（[A-Za-z][^（）\u3400-\u9fff]*\s[^（）\u3400-\u9fff]*）")


def tidy_reason(text: str, shown: str, *paths: str | Path) -> str:
    """A reader's message for the page: each of ``paths`` (longest first, full paths before bare
    names) becomes ``shown``; English asides of libraries, e.g. “（File is not a zip file）”, go."""
    for p in sorted({str(p) for p in paths if str(p)}, key=len, reverse=True):
        text = text.replace(p, shown)
    text = _ENGLISH_ASIDE.sub("", text)
    return text


class UploadRefused(Exception):
    """An uploaded package file that cannot be read; the message is one Chinese sentence for the page."""


@dataclass
class UploadedPackage:
    package: object  # jixiao.model.Package
    issues: list  # jixiao.io.ImportIssue: what the reader could not place or guessed
    described: list[str]  # each issue in one line, the file named as uploaded


def read_uploaded_package(name: str, size: int, chunks, max_bytes: int = MAX_UPLOAD_BYTES,
                          year: int | None = None) -> UploadedPackage:
    """The package in an uploaded file and what its reader could not place,
    read exactly as the web's import reads it: size and kind checked first, the bytes written to
    a file of our own naming in a private temporary folder (the uploaded name is shown, never
    used as a path), then ``jixiao.io.import_package`` with its hostile-file guard (jixiao.io.safe).
    ``chunks`` yields the bytes; ``year``: the year of a file that states none (the campaign's, when
    it is imported into a package). Import findings name the file as uploaded."""
    import tempfile

    from jixiao.io import READERS, InputError, import_package

    suffixes = sorted(s for s in READERS if s.startswith("."))
    if size > max_bytes:
        raise UploadRefused(f"文件过大（{size / 1024 / 1024:.1f} MB），上限为{max_bytes // 1024 // 1024} MB。")
    suffix = Path(name).suffix.lower()
    if suffix not in READERS or suffix == "/":
        raise UploadRefused(f"不支持的文件类型“{suffix or name}”（支持：{'、'.join(suffixes)}）。")
    with tempfile.TemporaryDirectory(prefix="jixiao-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        written = 0
        with path.open("wb") as fh:
            for chunk in chunks:
                written += len(chunk)
                if written > max_bytes:  # the declared size was wrong
                    raise UploadRefused(f"文件过大，上限为{max_bytes // 1024 // 1024} MB。")
                fh.write(chunk)
        try:
            imported = import_package(path, year=year)
        except InputError as exc:
            raise UploadRefused(tidy_reason(str(exc), name, path, path.name)) from exc
        except Exception as exc:  # a reader bug must not become a 500
            raise UploadRefused(f"无法读取“{name}”：文件内容无法识别。") from exc
        described = [i.describe().replace(str(path), name) for i in imported.issues]
    return UploadedPackage(imported.package, list(imported.issues), described)
