"""The files of a batch: the entries of an uploaded zip, or the files of a folder (CLI).

No Django here. The outer zip goes through the same structural checks as any Word file
(jixiao.io.safe: entry count, unsafe paths, encryption, declared sizes, compression
ratio) before a single entry is read; each entry is then read with a byte cap and handed
to jixiao.io.load_package like any single upload, so each package meets its own checks.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from jixiao.io import InputError, import_package
from jixiao.model import Package

from ..uploads import MAX_UPLOAD_BYTES, tidy_reason

log = logging.getLogger(__name__)

MAX_BATCH_BYTES = 200 * 1024 * 1024
MAX_FILE_BYTES = MAX_UPLOAD_BYTES  # one package file inside the batch: the limit of a single upload
# Left behind by archivers and editors; never a package, never worth a line in the report.
NOISE_PARTS = ("__MACOSX",)
NOISE_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass
class Entry:
    name: str  # as shown to people: the path inside the zip or below the folder
    read: Callable[[], bytes]
    note: str = ""  # how an old-format file was read (and the conversion time), for the report

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()

    @property
    def stem(self) -> str:
        return PurePosixPath(self.name).stem


def _noise(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return any(p in NOISE_PARTS or p.startswith(".") for p in parts) or parts[-1] in NOISE_NAMES


def zip_entries(path: Path) -> list[Entry]:
    from jixiao.io import open_zip, read_upload, refuse_wrong_kind

    data = read_upload(path, MAX_BATCH_BYTES)
    refuse_wrong_kind(data, path.name, "zip")
    arc = open_zip(data, path.name)
    out = []
    for shown, info in arc.infos.items():  # keyed by decoded names (jixiao.io.safe.entry_name)
        if info.is_dir() or shown.endswith("/"):
            continue
        if _noise(shown):
            continue
        out.append(Entry(shown, lambda shown=shown: arc.read(shown, MAX_FILE_BYTES)))
    out.sort(key=lambda e: e.name)
    return out


def folder_entries(path: Path) -> list[Entry]:
    out = []
    for f in sorted(path.rglob("*")):
        if not f.is_file() or f.is_symlink():
            continue
        rel = f.relative_to(path).as_posix()
        if _noise(rel):
            continue
        out.append(Entry(rel, lambda f=f: _read_file(f)))
    return out


def _read_file(path: Path) -> bytes:
    from jixiao.io import read_upload

    return read_upload(path, MAX_FILE_BYTES)


def batch_entries(path: Path) -> list[Entry]:
    """Entries of a .zip file or a folder; InputError (one Chinese line) when neither is usable."""
    if not path.exists():
        raise InputError(f"找不到文件或文件夹：{path}")
    if path.is_dir():
        entries = folder_entries(path)
        if not entries:
            raise InputError(f"文件夹“{path.name}”中没有任何文件")
        return entries
    if path.suffix.lower() != ".zip":
        raise InputError(f"批量导入需要 .zip 压缩包或文件夹，而“{path.name}”是{path.suffix or '无扩展名'}文件")
    entries = zip_entries(path)
    if not entries:
        raise InputError(f"{path.name} 是空的压缩包，其中没有任何文件")
    return entries


def read_package(entry: Entry) -> Package:
    """The package in one entry, through the readers of jixiao.io; InputError names the entry."""
    from jixiao.io import READERS

    if entry.name.rsplit("/", 1)[-1].startswith("~$"):
        raise InputError(f"{entry.name} 是 Office 打开文档时留下的临时文件，不是材料")
    if entry.suffix not in READERS or entry.suffix == "/":
        known = "、".join(sorted(s for s in READERS if s.startswith(".")))
        raise InputError(f"{entry.name}：不支持的文件类型“{entry.suffix or '无扩展名'}”（支持：{known}）")
    data = entry.read()
    with tempfile.TemporaryDirectory(prefix="jixiao-batch-") as tmp:
        # The reader gets a file of our naming; the entry's name is only ever shown.
        local = Path(tmp) / f"package{entry.suffix}"
        local.write_bytes(data)
        try:
            result = import_package(local)  # old formats (.doc/.xls/.wps/.et) are read too: jixiao.io.legacy
        except InputError as exc:
            raise InputError(tidy_reason(str(exc), entry.name, local, local.name)) from exc
    from jixiao.io import conversion_note

    entry.note = conversion_note(result.issues)
    return result.package


def iter_packages(entries: list[Entry]) -> Iterator[tuple[Entry, Package | None, str | None]]:
    """(entry, package, None) or (entry, None, one-line reason) for each entry."""
    for entry in entries:
        try:
            yield entry, read_package(entry), None
        except InputError as exc:
            yield entry, None, str(exc)
        except Exception:  # a reader bug on one hostile file must not stop the other hundreds
            log.exception("batch entry %s could not be read", entry.name)
            yield entry, None, f"{entry.name}：文件内容无法识别，未导入"
