"""Test helpers: read a layout back into model values, and walk a .docx table grid.

Neither is a reader of real files (that is jixiao.io's job): ``values_from_parts`` uses the
model path each layout cell carries, and ``docx_tables`` only undoes our own gridSpan/vMerge,
so together they prove the documents lose nothing the package says.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from jixiao.render.layout import Part

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

INT_FIELDS = {"establishment", "actual"}
RATE_FIELDS = {"control_rate", "area_control_rate", "investment_control_rate", "execution_rate"}
TEXT_FIELDS = {"name", "label", "unit_name", "project_name", "department", "implementing_unit", "frugality_measures",
               "expected", "deviation_reason", "target", "nature", "unit", "reason", "summary", "conclusion", "problems",
               "improvements"}


def _parse(field: str, path: str, text: str) -> Any:
    if text == "":
        return None
    indicator_value = ".indicators." in path and field in ("target", "actual")
    if ".goals." in path or field in TEXT_FIELDS or indicator_value:
        return text
    if text == "/":
        return "/"
    if field in RATE_FIELDS:
        assert text.endswith("%"), (path, text)
        return Decimal(text[:-1])
    if field in INT_FIELDS and ".staffing." in path:
        return int(text)
    return Decimal(text)


def _put(root: dict, keys: list[str], value: Any) -> None:
    node: Any = root
    for key, nxt in zip(keys, keys[1:], strict=False):
        if isinstance(node, list):
            i = int(key)
            while len(node) <= i:
                node.append({})
            node = node[i]
            continue
        node = node.setdefault(key, [] if nxt.isdigit() else {})
    last = keys[-1]
    if isinstance(node, list):
        while len(node) <= int(last):
            node.append(None)
        node[int(last)] = value
    else:
        node[last] = value


def values_from_parts(parts: list[Part]) -> dict[str, Any]:
    """Every value the grids show, as a nested dict keyed like the model ('basic', 'overall', 'projects')."""
    root: dict[str, Any] = {}
    for part in parts:
        if part.grid is None:
            continue
        for row in part.grid.rows:
            for cell in row:
                if cell.path:
                    keys = cell.path.split(".")
                    _put(root, keys, _parse(keys[-1], cell.path, cell.text))
    return root


def one(result, suffix: str, contains: str = "") -> Path:
    """The one file of a RenderResult with this suffix whose name contains ``contains``."""
    hits = [f for f in result.files if f.suffix == suffix and contains in f.name]
    assert len(hits) == 1, (suffix, contains, result.files)
    return hits[0]


def docx_tables(path: Path) -> list[list[tuple[int, int, int, int, str]]]:
    """Each table as (row, col, colspan, rowspan, text) per logical cell, merges undone."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    tables = []
    for tbl in root.iter(f"{W}tbl"):
        cells: list[list[Any]] = []
        open_by_col: dict[int, list[Any]] = {}
        for r, tr in enumerate(tbl.findall(f"{W}tr")):
            col = 0
            for tc in tr.findall(f"{W}tc"):
                pr = tc.find(f"{W}tcPr")
                span_el = pr.find(f"{W}gridSpan") if pr is not None else None
                span = int(span_el.get(f"{W}val")) if span_el is not None else 1
                vm = pr.find(f"{W}vMerge") if pr is not None else None
                text = "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.findall(f"{W}p"))
                if vm is not None and vm.get(f"{W}val") != "restart":
                    open_by_col[col][3] += 1
                else:
                    cell = [r, col, span, 1, text]
                    cells.append(cell)
                    if vm is not None:
                        open_by_col[col] = cell
                col += span
        tables.append([tuple(c) for c in cells])
    return tables


def docx_grid(path: Path) -> list[tuple[int, int, int, int, str]]:
    """The one table grid of a one-part file: a table printed as two (the second one opening with
    the header rows Word repeats on each page) is joined back, its rows numbered on."""
    out: list[tuple[int, int, int, int, str]] = []
    offset = 0
    for table in docx_tables(path):
        out += [(r + offset, c, span, rowspan, text) for r, c, span, rowspan, text in table]
        offset = max(r for r, *_ in out) + 1
    return out


def layout_cells(part: Part) -> list[tuple[int, int, int, int, str]]:
    assert part.grid is not None
    return [(r, c.col, c.colspan, c.rowspan, c.text) for r, row in enumerate(part.grid.rows) for c in row]


def layout_tables(part: Part) -> list[list[tuple[int, int, int, int, str]]]:
    """``layout_cells`` as the printed tables: rows from the repeated header on are a table of their own."""
    assert part.grid is not None
    return [[(r - start, c, span, rowspan, text) for r, c, span, rowspan, text in layout_cells(part) if start <= r < end]
            for start, end, _ in part.grid.split()]


def document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def paragraphs(path: Path) -> list[str]:
    """Body paragraphs outside tables, in order."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    body = root.find(f"{W}body")
    out = []
    for p in body.findall(f"{W}p"):
        prev, nxt = p.getprevious(), p.getnext()
        if prev is not None and nxt is not None and prev.tag == nxt.tag == f"{W}tbl":
            continue  # the hairline between a table and its continuation
        out.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    return out


def office_pdfs_of(files: dict[tuple[str, str], Path], work: Path, profile: Path, timeout: int):
    """Every file of ``files`` ((name, suffix) → path) converted to PDF by LibreOffice in one run;
    returns ((name, suffix) → PDF path, the finished process).

    The files are copied under short ASCII names first (the PDFs are named after them). A private
    profile keeps the run independent of any user's LibreOffice settings and of other test
    sessions; the timeout turns a hung office suite into a failure, not a hang."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) is not installed: run `make system-deps` (scripts/system-deps.sh)")
    sources = {}
    for (name, suffix), src in files.items():
        sources[(name, suffix)] = dst = work / f"{name}-{suffix[1:]}{suffix}"
        shutil.copy(src, dst)
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(work / "pdf"), *map(str, sources.values())],
        capture_output=True, text=True, timeout=timeout, check=False,
    )
    return {key: work / "pdf" / (src.stem + ".pdf") for key, src in sources.items()}, proc
