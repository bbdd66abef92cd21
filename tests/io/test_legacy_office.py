"""Old formats made by a real LibreOffice: our rendered .docx/.xlsx (and the seed's Word file) are
converted to .doc/.xls in two converter runs, then imported back; they must give the same package
as the originals. The .wps/.et WPS saves are the same bytes under those names.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from iofix_layouts import build
from iofix_seed import SEED_JSON, seed_blocks

from jixiao.cli import main
from jixiao.io import import_package
from jixiao.io.legacy.convert import convert_many
from jixiao.model import Package
from jixiao.render import render_package

pytestmark = pytest.mark.office

HYPERLINK = '=HYPERLINK("http://evil.example/x","点击查看")'
DDE = "=cmd|' /C calc'!A0"


def _injected(pkg: Package) -> Package:
    pkg = pkg.model_copy(deep=True)
    pkg.overall.indicators[0].children[0].indicators[0].name = HYPERLINK
    pkg.overall.indicators[0].children[0].indicators[0].deviation_reason = DDE
    return pkg


@pytest.fixture(scope="session")
def old_files(tmp_path_factory) -> dict[str, Path]:
    """name -> path: the originals ('full.docx', 'basic.docx', ..., 'book.xlsx', 'seed.docx',
    'inject.xlsx') and their old-format twins ('full.doc', ..., 'book.xls', 'inject.xls')."""
    work = tmp_path_factory.mktemp("legacy")
    pkg = Package.model_validate_json(SEED_JSON.read_text(encoding="utf-8"))
    rendered = render_package(pkg, work / "r", ["docx", "xlsx"]).files
    injected = render_package(_injected(pkg), work / "i", ["xlsx"]).files
    names = {"全套": "full", "基础数据表": "basic", "整体支出": "overall", "项目支出": "project", "自评报告": "report"}
    files: dict[str, Path] = {}
    for f in rendered:
        key = "book" if f.suffix == ".xlsx" else next(v for k, v in names.items() if k in f.stem)
        files[f"{key}{f.suffix}"] = f
    files["inject.xlsx"] = injected[0]
    seed_docx = work / "seed.docx"
    seed_docx.write_bytes(build(seed_blocks(), "official"))
    files["seed.docx"] = seed_docx
    words = [k for k in files if k.endswith(".docx")]
    books = ["book.xlsx", "inject.xlsx"]
    # two converter runs in all: LibreOffice start-up is the cost
    for keys, target in ((words, "doc"), (books, "xls")):
        for key, done in zip(keys, convert_many([(files[k].read_bytes(), ".docx" if target == "doc" else ".xlsx")
                                                  for k in keys], target, timeout=180), strict=True):
            path = work / f"{key.rsplit('.', 1)[0]}.{target}"
            path.write_bytes(done.data)
            files[path.name] = path
    return files


def _same(a, b):
    assert a.package.model_dump() == b.package.model_dump()


def test_a_doc_gives_the_package_its_docx_gives(old_files):
    old = import_package(old_files["full.doc"])
    assert old_files["full.doc"].read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    _same(old, import_package(old_files["full.docx"]))
    note = old.issues[0]
    assert note.where == "文件格式" and note.message.startswith("由旧格式 .doc 经 LibreOffice 转换为 .docx 后读取（转换用时 ")


def test_the_seed_word_file_as_doc_gives_the_same_package(old_files):
    _same(import_package(old_files["seed.doc"]), import_package(old_files["seed.docx"]))


def test_an_xls_gives_the_package_its_xlsx_gives(old_files, tmp_path):
    old = import_package(old_files["book.xls"])
    _same(old, import_package(old_files["book.xlsx"]))
    assert old.issues[0].message.startswith("由旧格式 .xls（Excel 97-2003 二进制格式）直接读取")
    et = tmp_path / "WPS表格.et"  # WPS Spreadsheets saves BIFF8 under .et
    et.write_bytes(old_files["book.xls"].read_bytes())
    _same(import_package(et), old)


def test_a_wps_file_is_read_as_the_word_file_it_is(old_files, tmp_path):
    wps = tmp_path / "WPS文字.wps"
    wps.write_bytes(old_files["report.doc"].read_bytes())
    old = import_package(wps)
    _same(old, import_package(old_files["report.docx"]))
    assert old.issues[0].message.startswith("由旧格式 .wps 经 LibreOffice 转换")


def test_a_zip_of_parts_mixes_old_and_new_files(old_files, tmp_path):
    bundle = tmp_path / "材料.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr("01-基础数据表.doc", old_files["basic.doc"].read_bytes())
        zf.writestr("02-整体.xls", old_files["book.xls"].read_bytes())  # the workbook holds 基础/整体/项目 too
        zf.writestr("04-自评报告.docx", old_files["report.docx"].read_bytes())
    result = import_package(bundle)
    full = import_package(old_files["full.docx"]).package
    assert result.package.basic == full.basic and result.package.report == full.report
    assert result.package.overall == full.overall
    assert sum(i.where == "文件格式" for i in result.issues) == 2


def test_formula_text_from_an_xls_stays_text_in_our_excel_output(old_files, tmp_path, capsys):
    old = import_package(old_files["inject.xls"]).package
    indicator = old.overall.indicators[0].children[0].indicators[0]
    assert (indicator.name, indicator.deviation_reason) == (HYPERLINK, DDE)
    src = tmp_path / "p.json"
    src.write_text(old.model_dump_json(), encoding="utf-8")
    assert main(["render", str(src), "--out", str(tmp_path / "out"), "--format", "xlsx"]) == 0
    book = openpyxl.load_workbook(next((tmp_path / "out").glob("*.xlsx")))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value in (HYPERLINK, DDE)]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)
    raw = zipfile.ZipFile(io.BytesIO((next((tmp_path / "out").glob("*.xlsx"))).read_bytes()))
    assert not any(b"<f>" in raw.read(n) or b"<f " in raw.read(n) for n in raw.namelist() if "worksheets/" in n)
