"""One rule for folders: which files of a folder make one package.

``jixiao import DIR``, ``jixiao check DIR`` and ``import_package(DIR)`` all read a folder
through ``packages_in``. The rule (README, docs/import.md):

- A folder holding ``word/document.xml`` is an unzipped Word file: one package.
- Each ``.json`` and each ``.zip`` (and any other whole-package file a reader takes) is a
  package of its own.
- Word and Excel files (``.docx``/``.xlsx``) of one folder are grouped by the unit they
  name: the 预算单位名称 of their 基础数据表 or 整体支出绩效自评表. Names that differ only
  in spacing or full/half width, or of which one contains the other, are one unit. A file
  without such a name (a 自评报告 alone, a 项目支出 table) joins the unit its report title
  or file name names; when the folder names only one unit it joins that one; when it
  names none, all of them are one package.
- On a form whose tables stand alone (``Package.form`` set: the national tables, a province's
  one-table-per-project form), every table names its unit — 部门（单位）名称, else 实施单位, else
  主管部门, without the budget code ('305-') — and the files group by that name.
- Each sub-folder is read by the same rule on its own: files in different folders never
  make one package.
- Temporary and hidden files (``~$…``, ``.…``, ``__MACOSX``, ``Thumbs.db``) are skipped;
  other files (``.txt``, ``.pdf``, macro files) are import findings of the folder's first
  package, never a package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..forms import load_form
from . import InputError, import_package, supported_suffixes
from .issues import ImportIssue, ImportResult

PART_SUFFIXES = (".docx", ".xlsx", ".doc", ".xls", ".wps", ".et")  # old formats are read by jixiao.io.legacy
MACRO_SUFFIXES = (".docm", ".xlsm", ".dotm", ".xltm")
MAX_FILES = 2000  # files looked at below one folder given on the command line
MAX_PARTS = 200  # part files of one package
_SKIP = re.compile(r"^(__MACOSX|\..*|~\$.*|Thumbs\.db|desktop\.ini)$", re.I)


@dataclass
class Group:
    """The files of one package found in a folder, and how to read them as one."""

    root: Path  # the folder given by the user: names are shown relative to it
    folder: Path
    files: list[Path]
    unit: str | None = None  # the unit the files name, when known before reading
    extra: list[ImportIssue] = field(default_factory=list)
    unpacked: bool = False  # an unzipped .docx
    _result: ImportResult | None = None  # a lone part file was read while grouping: kept
    _error: InputError | None = None

    def shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix() or path.name
        except ValueError:
            return path.name

    @property
    def where(self) -> str:
        """The files, as a report names them: 'a.docx', '材料/a.docx、材料/b.xlsx', '材料/'."""
        if self.unpacked:
            return self.shown(self.folder) + "/"
        return "、".join(self.shown(f) for f in self.files)

    @property
    def label(self) -> str:
        """The package as a report names it: its unit, else its files."""
        return self.unit or self.where

    def read(self) -> ImportResult:
        if self._error is not None:
            raise self._error
        if self._result is not None:
            result = self._result
        elif self.unpacked:
            from .docx_reader.bundle import import_documents, unpacked_document

            result = import_documents([unpacked_document(self.folder)])
        elif len(self.files) == 1 and self.files[0].suffix.lower() not in PART_SUFFIXES:
            result = import_package(self.files[0])
        else:
            result = _read_parts(self.files, [self.shown(f) for f in self.files])
        return ImportResult(result.package, self.extra + list(result.issues))


def packages_in(root: Path) -> list[Group]:
    """The packages of a folder by the rule above, in a stable order; InputError when there are none."""
    root = Path(root)
    if not root.is_dir():
        raise InputError(f"不是目录：{root}")
    groups: list[Group] = []
    budget = [MAX_FILES]
    _scan(root, root, groups, budget)
    if not groups:
        raise InputError(f"目录 {root} 中没有绩效自评材料文件（.docx/.doc/.wps、.xlsx/.xls/.et、.json 或 .zip）")
    return groups


def _natural(name: str) -> list:
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", name.lower())]


def _scan(root: Path, folder: Path, groups: list[Group], budget: list[int]) -> None:
    if (folder / "word" / "document.xml").is_file():
        groups.append(Group(root, folder, [], unpacked=True))
        return
    try:
        children = sorted(folder.iterdir(), key=lambda p: _natural(p.name))
    except OSError as exc:
        raise InputError(f"无法读取目录：{folder}（{exc.strerror or exc}）") from exc
    known = supported_suffixes()
    whole, parts, subfolders, others = [], [], [], []
    for child in children:
        if _SKIP.match(child.name) or child.is_symlink():
            continue
        if child.is_dir():
            subfolders.append(child)
            continue
        budget[0] -= 1
        if budget[0] < 0:
            raise InputError(f"目录 {root} 中的文件超过 {MAX_FILES} 个，已拒绝；请分批审核或导入")
        suffix = child.suffix.lower()
        if suffix in PART_SUFFIXES:
            parts.append(child)
        elif suffix in known and suffix not in MACRO_SUFFIXES:
            whole.append(child)
        else:
            others.append(child)
    mine = [Group(root, folder, [f]) for f in whole] + _group_parts(root, folder, parts)
    mine.sort(key=lambda g: _natural(g.files[0].name) if g.files else [])
    if mine:
        first = mine[0]
        for f in others:
            why = ("含宏，出于安全原因未导入" if f.suffix.lower() in MACRO_SUFFIXES
                   else "不是 Word（.docx/.doc/.wps）、Excel（.xlsx/.xls/.et）或 JSON 材料文件，未导入")
            first.extra.append(ImportIssue(first.shown(f), why))
    groups.extend(mine)
    for sub in subfolders:
        _scan(root, sub, groups, budget)


# ------------------------------------------------------------------ grouping part files


@dataclass
class _Part:
    path: Path
    result: ImportResult | None
    error: InputError | None
    strong: str | None  # the name in a 基础数据表 / 整体支出绩效自评表
    weak: str | None  # the name from a report title or a project table


def _key(name: str | None) -> str:
    from ..model.values import fold

    return re.sub(r"[\s\u3000]+", "", fold(name or ""))


def _same_unit(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (a == b or a in b or b in a)


# What else a part's file name says besides its unit: pieces of part names, the usual words of a
# file name ('盖章版', '定稿'), the English part keys, numbering and punctuation.
_FILE_WORDS = (r"自评表|整体支出|项目支出|绩效|自评|报告|附件|附表|年度|材料|全套|盖章版?|扫描件?|定稿|修改稿?|"
               r"basic|overall|project|report|part|final|v\d*|[\d\W_]")


@cache
def _part_words() -> re.Pattern[str]:
    """The words of file names that name a part (the form's part names and title patterns, longest
    first), then the other words of _FILE_WORDS."""
    form = load_form()
    names = {p["name"] for p in form["parts"].values()}
    names |= {t for p in form["parts"].values() for t in p.get("title_patterns", [])}
    parts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(f"{parts}|{_FILE_WORDS}", re.I)


def _identity(stem: str) -> str:
    """What is left of a file name without part names, numbering and punctuation: the unit's mark."""
    return _part_words().sub("", _key(stem))


def _read_one(path: Path, shown: str) -> _Part:
    try:
        result = _read_parts([path], [shown])
    except InputError as exc:
        return _Part(path, None, exc, None, None)
    except Exception as exc:  # a reader bug on one hostile file: that file's line, not the whole folder
        return _Part(path, None, InputError(f"{shown}：文件内容无法识别（{type(exc).__name__}）"), None, None)
    pkg = result.package
    strong = (pkg.basic.unit_name if pkg.basic else None) or (pkg.overall.unit_name if pkg.overall else None)
    if pkg.form is not None:
        # a form whose tables stand alone (one file per project): each table names its unit
        # (实施单位, else 主管部门; the budget code taken off), and files group by it
        strong = pkg.unit_name or None
    strong = strong if strong and strong.strip() not in ("", "/") else None
    return _Part(path, result, None, strong, None if strong else (pkg.unit_name or None))


def _group_parts(root: Path, folder: Path, files: list[Path]) -> list[Group]:
    if not files:
        return []
    shown = Group(root, folder, []).shown
    parts = [_read_one(f, shown(f)) for f in files]
    # Units named by a table, merged when one name contains the other.
    units: list[tuple[str, str, list[_Part]]] = []  # (key, name as first written, parts)
    nameless: list[_Part] = []
    for part in parts:
        if part.strong is None:
            nameless.append(part)
            continue
        key = _key(part.strong)
        hit = next((u for u in units if _same_unit(u[0], key)), None)
        if hit is None:
            units.append((key, part.strong, [part]))
        else:
            hit[2].append(part)
    loners: list[_Part] = []
    for part in nameless:
        if part.error is not None:
            loners.append(part)  # unreadable: its own line in the report
            continue
        if len(units) == 1:
            units[0][2].append(part)
            continue
        weak, stem = _key(part.weak), _key(part.path.stem)
        hits = [u for u in units if _same_unit(u[0], weak)] or [u for u in units if u[0] and u[0] in stem]
        if not hits:  # file names alike but for the part they hold: '督查中心-附件2' beside '督查中心-附件1'
            mine = _identity(part.path.stem)
            hits = [u for u in units if mine and any(_same_unit(_identity(p.path.stem), mine) for p in u[2])]
        if len(hits) == 1:
            hits[0][2].append(part)
        else:  # no unit, or several that fit: a package of its own, named by its own title
            loners.append(part)
    groups: list[Group] = []
    if not units and len([p for p in loners if p.error is None]) > 1:
        # No file names its unit: the folder is one unit's parts.
        readable = [p for p in loners if p.error is None]
        groups.append(_group(root, folder, readable, readable[0].weak))
        loners = [p for p in loners if p.error is not None]
    for _, name, members in units:
        groups.append(_group(root, folder, members, name))
    for part in loners:
        groups.append(_group(root, folder, [part], part.strong or part.weak))
    return groups


def _group(root: Path, folder: Path, members: list[_Part], unit: str | None) -> Group:
    members = sorted(members, key=lambda p: _natural(p.path.name))
    if len(members) > MAX_PARTS:
        raise InputError(f"{folder} 中同一单位的文件超过 {MAX_PARTS} 个，已拒绝")
    group = Group(root, folder, [p.path for p in members], unit=unit)
    if len(members) == 1:
        group._result, group._error = members[0].result, members[0].error
    return group


def _read_parts(files: list[Path], shown: list[str]) -> ImportResult:
    from pydantic import ValidationError

    from . import describe_validation_error
    from .docx_reader.bundle import document_of, import_documents
    from .safe import read_upload

    docs = [document_of(read_upload(f), name) for f, name in zip(files, shown, strict=True)]
    try:
        return import_documents(docs)
    except ValidationError as exc:  # a value the model refuses that a reader let through
        raise InputError(describe_validation_error(exc, "、".join(shown))) from exc
