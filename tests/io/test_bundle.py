"""A package as several files: a .zip or a folder of Word/Excel part files."""

from __future__ import annotations

import io
import zipfile

from iofix_layouts import build
from iofix_seed import seed_blocks, split_blocks

from jixiao.io import import_package, load_package
from jixiao.io.xlsx_io import write_template


def _parts() -> dict[str, bytes]:
    return {f"{n}-{kind}.docx": build(blocks, "official") for n, (kind, blocks) in enumerate(split_blocks(seed_blocks()).items(), 1)}


def test_it_imports_a_zip_of_part_files(tmp_path, seed_pkg):
    parts = _parts()
    assert len(parts) == 4  # basic, overall, one project, report
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(f"材料/{name}", data)
        zf.writestr("__MACOSX/._x.docx", b"junk")
        zf.writestr("材料/说明.txt", "随附说明".encode())
    path = tmp_path / "package.zip"
    path.write_bytes(buf.getvalue())
    result = import_package(path)
    assert result.package == seed_pkg
    assert [i.message for i in result.issues] == ["不是 Word（.docx/.doc/.wps）或 Excel（.xlsx/.xls/.et）文件，未导入"]
    assert result.issues[0].source == "package.zip" and result.issues[0].where == "材料/说明.txt"
    assert load_package(path) == seed_pkg


def test_it_imports_a_folder_of_part_files(tmp_path, seed_pkg):
    for name, data in _parts().items():
        (tmp_path / name).write_bytes(data)
    result = import_package(tmp_path)
    assert result.package == seed_pkg and result.issues == []


def test_a_part_found_twice_is_a_finding_and_the_first_is_kept(tmp_path, seed_pkg):
    parts = _parts()
    first = next(iter(parts.items()))
    (tmp_path / "9-again.docx").write_bytes(first[1])
    for name, data in parts.items():
        (tmp_path / name).write_bytes(data)
    result = import_package(tmp_path)
    assert result.package == seed_pkg
    assert [(i.source, i.message) for i in result.issues] == [("9-again.docx", "基础数据表出现了不止一份，只导入第一份")]


def test_word_and_excel_parts_mix(tmp_path, example_packages):
    pkg = next(p for p in example_packages.values() if len(p.projects) > 1)
    # the tables as an Excel workbook, the report as a Word file
    tables = pkg.model_copy(update={"report": None})
    (tmp_path / "1-tables.xlsx").write_bytes(write_template(pkg.fiscal_year, tables))
    from iofix_seed import package_blocks

    report_only = pkg.model_copy(update={"basic": None, "overall": None, "projects": []})
    (tmp_path / "2-report.docx").write_bytes(build(package_blocks(report_only)))
    result = import_package(tmp_path)
    assert result.package == pkg, [i.describe() for i in result.issues]


def test_an_unzipped_word_file_reads_as_one(tmp_path, seed_docx, seed_pkg):
    with zipfile.ZipFile(io.BytesIO(seed_docx["official"])) as zf:
        zf.extractall(tmp_path)
    assert import_package(tmp_path).package == seed_pkg
