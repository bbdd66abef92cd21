"""PDF output (our HTML through WeasyPrint): embedded CJK fonts, page sizes, findings page."""

from __future__ import annotations

import re
import subprocess

import pytest
from render_helpers import one

from jixiao.render.html_writer import grid_html, render_html
from jixiao.render.layout import Cell, Grid, Part
from jixiao.render.tables import build_parts
from support.examples import seed


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60).stdout


@pytest.fixture(scope="module")
def seed_pdf(seed_render):
    return one(seed_render, ".pdf")


def test_it_embeds_the_cjk_fonts(seed_pdf):
    rows = [line.split() for line in _run("pdffonts", str(seed_pdf)).splitlines()[2:]]
    cjk = [r for r in rows if "CJK" in r[0] or "WenQuanYi" in r[0]]
    assert cjk, rows
    # Columns: name type... encoding emb sub uni object ID; 'emb' must say yes for every font.
    assert all(r[-5] == "yes" for r in rows), rows


def test_it_prints_portrait_tables_then_landscape_evaluation_tables(seed_pdf):
    info = _run("pdfinfo", "-f", "1", "-l", "40", str(seed_pdf))
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    orient = ["P" if float(w) < float(h) else "L" for w, h in sizes]
    text = "".join(orient)
    assert re.fullmatch(r"P+L+P+", text), text  # 基础数据表, 整体 + 项目, 报告 (+ findings)
    assert all(abs(min(float(w), float(h)) - 595.3) < 1 for w, h in sizes)  # A4


def test_it_shows_the_package_text_and_the_findings_page(seed_pdf):
    text = _run("pdftotext", "-layout", str(seed_pdf), "-")
    for expected in ("2023年度预算单位整体支出绩效评价基础数据表", "岳阳市岳阳楼区城市管理督查考评中心", "1146.79",
                     "93.33%", "单位负责人签字", "十、 其他需要说明的情况", "审核结果与评分"):
        assert expected in text.replace("\u3000", " "), expected
    findings = text.split("审核结果与评分")[-1]
    assert "错误" in findings and "核定等级" in findings
    assert "公务用车购置和维护经费" in findings  # a finding names the row


def test_it_escapes_package_text_in_html():
    grid = Grid([10.0], [[Cell("<script>alert(1)</script>", 0)]])
    html = grid_html(grid)
    assert "<script>" not in html and "&lt;script&gt;" in html
    page = render_html([Part(key="basic", name="x", label="x", title="<b>t</b>", grid=grid)], title="<t>", css="")
    assert "<b>t</b>" not in page


def test_it_refuses_a_malformed_grid():
    grid = Grid([10.0, 10.0], [[Cell("a", 0, colspan=2), Cell("b", 1)]])
    with pytest.raises(ValueError, match="overlap"):
        grid_html(grid)


def test_the_html_has_every_part_in_order():
    html = render_html(build_parts(seed()), title="t", css="")
    order = [html.index(s) for s in ('class="part basic"', 'class="part landscape overall"',
                                     'class="part landscape project"', 'class="part report"')]
    assert order == sorted(order)


# ------------------------------------------------------------------ printing as the forms print


def _pages(pdf) -> list[str]:
    return _run("pdftotext", "-layout", str(pdf), "-").split("\f")[:-1]


def test_every_page_is_numbered_and_long_tables_repeat_their_header(seed_pdf):
    pages = _pages(seed_pdf)
    for n, page in enumerate(pages, start=1):
        assert re.search(rf"第 {n} 页\s+共 {len(pages)} 页", page), n
    # The 整体支出绩效自评表 runs over several pages: each page it continues on starts with the
    # indicator header (一级指标 … 偏差原因分析及改进措施), WeasyPrint repeating the table's <thead>.
    start = next(i for i, p in enumerate(pages) if "附件2" in p)
    end = next(i for i, p in enumerate(pages) if "附件3" in p)
    assert end - start >= 2
    for page in pages[start + 1: end]:
        head = page.strip().splitlines()[0]
        assert "一级指标" in head and "三级指标" in head and "偏差原因分析及改进措施" in head, head


def test_the_html_puts_the_header_rows_in_thead_and_blank_rows_get_writing_height():
    parts = build_parts(seed())
    html = render_html(parts, title="t")
    assert "table.form thead { display: table-header-group; }" in html
    assert re.search(r"table\.form tr\.blank td \{ height: [7-9]mm; \}", html)
    overall = grid_html(parts[1].grid)
    head = re.search(r"<thead>(.*?)</thead>", overall).group(1)
    assert "一级指标" in head and "偏差原因分析及改进措施" in head and head.count("<tr") == 1
    # 绩效指标 (merged down beside the indicators) cannot span from <thead> into <tbody>: the body carries it.
    assert "绩效指标" not in head and re.search(r'<tbody><tr><td class="header center open-top" rowspan="\d+">绩效指标', overall)
    basic = grid_html(parts[0].grid)
    assert "2023年决算数" in re.search(r"<thead>(.*?)</thead>", basic).group(1)
    # the empty 楼堂馆所 row of the seed
    assert re.search(r'投资概算控制率</td></tr><tr class="blank">', basic)


def test_the_web_shows_each_table_whole():
    # The published pages scroll: one table per part, no repeated header rows.
    from jixiao.render.html_writer import part_html

    html = part_html(build_parts(seed())[1])
    assert html.count("<table") == 1 and "<thead>" not in html
