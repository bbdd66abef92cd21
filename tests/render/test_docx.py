"""Word output: faithful grids, merges, fonts, page set-up, the combined file, the template."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt
from hypothesis import HealthCheck, given, settings
from lxml import etree
from render_helpers import document_xml, docx_grid, docx_tables, layout_cells, layout_tables, one, paragraphs
from render_strategies import packages

from jixiao.io import InputError
from jixiao.render import render_package
from jixiao.render.docx_writer import STYLES, template_path, write_docx
from jixiao.render.tables import build_parts
from support.examples import clean, seed

ROOT = Path(__file__).resolve().parents[2]


def test_it_writes_one_file_per_part_and_a_combined_file(clean_render):
    names = sorted(f.name for f in clean_render.files if f.suffix == ".docx")
    assert len(names) == 8
    assert names[0].endswith("-01-基础数据表.docx")
    assert any(n.endswith("-03-项目支出绩效自评表（业务工作经费）.docx") for n in names)
    assert names[-1].endswith("-全套.docx")


@pytest.mark.parametrize("make", [seed, clean], ids=["seed", "clean"])
def test_it_writes_every_table_cell_for_cell_with_its_merges(make, tmp_path):
    parts = build_parts(make())
    for part in parts:
        if part.grid is None:
            continue
        path = write_docx([part], tmp_path / "part.docx")
        assert docx_grid(path) == layout_cells(part), part.label


def test_it_merges_with_gridspan_and_vmerge_only():
    xml = document_xml(one_file(seed(), "整体支出绩效自评表"))
    assert 'w:gridSpan w:val="7"' in xml  # 总分 across the first seven columns
    assert 'w:vMerge w:val="restart"' in xml and "<w:vMerge/>" in xml
    assert "hMerge" not in xml


def one_file(pkg, label: str) -> Path:
    import tempfile

    out = Path(tempfile.mkdtemp())
    part = next(p for p in build_parts(pkg) if p.label == label)
    return write_docx([part], out / "x.docx")


def test_it_prints_title_notes_and_signature_line_as_paragraphs(seed_render):
    paras = paragraphs(one(seed_render, ".docx", "基础数据表"))
    assert paras[:2] == ["附件1", "2023年度预算单位整体支出绩效评价基础数据表"]
    assert paras[2].startswith("说明：“项目支出”需要填报")
    assert re.fullmatch(r"单位负责人签字：\u3000+ +填表人：刘莉 +联系电话：0730-8915881 +填报日期：2024-05-26", paras[3])


def test_it_prints_the_report_with_headings_and_one_paragraph_per_line(seed_render):
    doc = Document(str(one(seed_render, ".docx", "自评报告")))
    styled = [(p.style.name, p.text) for p in doc.paragraphs]
    assert styled[0] == ("JX 报告标题", "2023 年度岳阳市岳阳楼区城市管理督查考评中心单位整体支出绩效自评报告")
    assert ("JX 报告一级标题", "二、 一般公共预算支出情况") in styled
    assert ("JX 报告二级标题", "（一）职能职责") in styled
    assert ("JX 报告正文", "我单位2023年度无政府性基金预算。") in styled
    first, second = seed().report.sections[:2]
    texts = [t for _, t in styled]
    start, end = texts.index(first.heading), texts.index(second.heading)
    assert "\n".join(texts[start + 1: end]) == first.body


def test_it_lays_out_a4_with_landscape_evaluation_tables(clean_render):
    doc = Document(str(one(clean_render, ".docx", "全套")))
    sizes = [(round(s.page_width.mm), round(s.page_height.mm)) for s in doc.sections]
    assert sizes == [(210, 297)] + [(297, 210)] * 5 + [(210, 297)]
    # Each part starts its own section on a new page.
    assert all(s.start_type == 2 for s in doc.sections[1:])  # WD_SECTION.NEW_PAGE


def test_it_sets_east_asian_fonts_in_every_style_it_uses(seed_render):
    doc = Document(str(one(seed_render, ".docx", "全套")))
    for name in STYLES.values():
        style = doc.styles[name]
        if name == STYLES["table"]:
            continue
        fonts = style.element.rPr.rFonts
        assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") in (
            "仿宋", "宋体", "黑体", "楷体"), name
    with zipfile.ZipFile(one(seed_render, ".docx", "全套")) as z:
        styles = z.read("word/styles.xml").decode()
        fonts = z.read("word/fontTable.xml").decode()
    assert 'w:eastAsia="zh-CN"' in styles
    assert "eastAsiaTheme" not in styles.split("<w:latentStyles")[0]
    assert 'w:name="仿宋"><w:altName w:val="Noto Serif CJK SC"/>' in fonts


def test_it_right_aligns_numbers_and_keeps_blank_cells_empty(tmp_path):
    doc = Document(str(one_file(seed(), "基础数据表")))
    row = next(r for table in doc.tables for r in table.rows if r.cells[0].text == "三公经费")
    prev, budget = row.cells[1], row.cells[3]
    assert prev.text == "" and budget.text == "6.00"
    assert budget.paragraphs[0].style.name == "JX 表格数字"
    assert doc.styles["JX 表格数字"].paragraph_format.alignment == 2  # RIGHT


def test_it_takes_styles_from_a_restyled_template(tmp_path):
    template = Document(str(template_path()))
    template.styles["JX 表格数字"].font.size = Pt(8)
    template.styles["JX 表格数字"].element.rPr.rFonts.set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "楷体")
    custom = tmp_path / "bureau.docx"
    template.save(str(custom))
    result = render_package(seed(), tmp_path / "out", ["docx"], template=custom)
    doc = Document(str(one(result, ".docx", "全套")))
    assert doc.styles["JX 表格数字"].font.size == Pt(8)


def test_it_refuses_a_template_without_its_styles(tmp_path):
    plain = tmp_path / "plain.docx"
    Document().save(str(plain))
    with pytest.raises(InputError, match="Word模板缺少样式"):
        render_package(seed(), tmp_path / "out", ["docx"], template=plain)
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="无法打开Word模板"):
        render_package(seed(), tmp_path / "out", ["docx"], template=broken)


def test_the_template_script_rebuilds_the_template_the_writer_needs(tmp_path):
    code = (
        "import sys; sys.path.insert(0, 'scripts'); import build_docx_template as b; "
        "a = b.build(); assert a == b.build(), 'not reproducible'; sys.stdout.buffer.write(a)"
    )
    blob = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=True, timeout=60).stdout
    rebuilt = tmp_path / "rebuilt.docx"
    rebuilt.write_bytes(blob)
    names = {s.name for s in Document(str(rebuilt)).styles}
    assert set(STYLES.values()) <= names
    # The checked-in template is what the script makes now (rebuild it after editing the script).
    def ours(path):
        doc = Document(str(path))
        return {s.name: etree.tostring(s.element, method="c14n") for s in doc.styles if s.name.startswith("JX")}

    assert ours(rebuilt) == ours(template_path())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(packages())
def test_it_writes_any_package_cell_for_cell(tmp_path, pkg):
    parts = build_parts(pkg)
    if not parts:
        return
    path = write_docx(parts, tmp_path / "any.docx")
    tables = docx_tables(path)
    assert tables == [t for p in parts if p.grid is not None for t in layout_tables(p)]
    Document(str(path))  # python-docx opens it again


# ------------------------------------------------------------------ printing as the forms print


def _rows_of(path: Path):
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return w, [list(tbl.iter(f"{w}tr")) for tbl in root.iter(f"{w}tbl")]


def _row_text(w: str, tr) -> str:
    return "|".join("".join(t.text or "" for t in tc.iter(f"{w}t")) for tc in tr.findall(f"{w}tc"))


@pytest.mark.parametrize(("label", "header"), [("整体支出绩效自评表", "一级指标"), ("基础数据表", "2023年决算数")])
def test_the_header_rows_repeat_on_each_page_in_word(label, header):
    w, tables = _rows_of(one_file(seed(), label))
    repeated = [(n, r) for n, rows in enumerate(tables) for r, tr in enumerate(rows) if tr.find(f"{w}trPr/{w}tblHeader") is not None]
    # Word repeats only the top rows of a table: the header opens a table of its own.
    assert [(n, r) for n, r in repeated] == [(1, 0)]
    assert header in _row_text(w, tables[1][0])


def test_the_word_files_number_their_pages_in_the_footer(seed_render):
    for path in [one(seed_render, ".docx", "全套"), one(seed_render, ".docx", "基础数据表")]:
        with zipfile.ZipFile(path) as z:
            footers = [z.read(n).decode() for n in z.namelist() if re.fullmatch(r"word/footer\d*\.xml", n)]
            document = z.read("word/document.xml").decode()
        (footer,) = footers
        assert "PAGE" in footer and "NUMPAGES" in footer and "第 " in footer and '<w:jc w:val="center"/>' in footer
        # one footer reference, on the first section: later sections (other orientations) take it on
        assert document.count("w:footerReference") == 1


def test_blank_rows_keep_writing_height_in_word():
    w, tables = _rows_of(one_file(seed(), "基础数据表"))
    rows = [tr for rows in tables for tr in rows]
    label = next(i for i, tr in enumerate(rows) if "楼堂馆所控制情况" in _row_text(w, tr))
    empty = rows[label + 1]  # the seed has no 楼堂馆所 project: one empty row to fill in
    assert set(_row_text(w, empty)) <= {"|"}
    height = empty.find(f"{w}trPr/{w}trHeight")
    assert height is not None and height.get(f"{w}hRule") == "atLeast" and int(height.get(f"{w}val")) >= 390  # ≥ 7 mm
    assert all(tr.find(f"{w}trPr/{w}trHeight") is None for tr in rows[:label + 1])


def test_the_printed_project_table_has_the_forms_dots_rows_in_word():
    w, tables = _rows_of(one_file(seed(), "项目支出绩效自评表（第1张）"))
    texts = [_row_text(w, tr) for rows in tables for tr in rows]
    # 4 二级指标 of 产出, 4 of 效益, 1 of 满意度 in the seed's blank 附件3: each with its '……' row
    assert sum("……" in t for t in texts) == 9
    assert any(t.split("|")[3] == "……" for t in texts if t.count("|") >= 8)
