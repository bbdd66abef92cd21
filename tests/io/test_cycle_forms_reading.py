"""The cycle's tables read from files units made themselves (docs/cycle-reading.md): the 绩效目标申报表
(项目 and 整体) and the 绩效目标执行监控表, drawn by code in many layouts (iofix_cycle), written with
python-docx / openpyxl, come back as the package they were drawn from, on their own form, with
every added text named and nothing else said."""

from __future__ import annotations

import json
import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from iofix_cycle import CycleLayout, cycle_case, cycle_package, draw_cycle, expected_cycle
from iofix_forms import C, Tab, docx_bytes, xlsx_bytes

from jixiao.io import import_package
from jixiao.io.docx_reader import import_docx_bytes
from jixiao.io.docx_reader.cells import tick
from jixiao.io.docx_reader.recognise import forcing
from jixiao.io.docx_reader.vocab import months_in
from jixiao.io.xlsx_io import import_xlsx_bytes
from jixiao.model import Package

LAYOUTS = int(os.environ.get("JIXIAO_LAYOUTS", "300")) // 3
TARGETS, MONITORING = "targets-national", "monitoring-national"


def _check(result, pkg: Package, injected: list[str]) -> None:
    messages = [i.describe() for i in result.issues]
    assert result.package == pkg, messages
    for text in injected:
        assert any(text in m for m in messages), (text, messages)
    unexplained = [m for m in messages if not any(t in m for t in injected)]
    assert not unexplained, unexplained


@settings(max_examples=LAYOUTS, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32))
def test_word_tables_of_the_cycle_lose_nothing(seed):
    pkg, blocks, injected, _ = cycle_case(seed)
    _check(import_docx_bytes(docx_bytes(blocks), "t.docx"), pkg, injected)


@settings(max_examples=max(LAYOUTS // 3, 20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32))
def test_excel_tables_of_the_cycle_lose_nothing(seed):
    pkg, blocks, injected, _ = cycle_case(seed)
    _check(import_xlsx_bytes(xlsx_bytes(blocks), "t.xlsx"), pkg, injected)


# ------------------------------------------------------------------ one case each


def _case(form: str, part: str, seed: int = 1, year: int = 2024, **layout):
    rnd = random.Random(seed)
    pkg = cycle_package(rnd, form, part, year)
    lay = CycleLayout(**{"signature": False, **layout})
    blocks = draw_cycle(pkg, lay, rnd)
    return expected_cycle(pkg, lay), blocks, lay


def _read(blocks, kind: str = "docx"):
    if kind == "xlsx":
        return import_xlsx_bytes(xlsx_bytes(blocks), "t.xlsx")
    return import_docx_bytes(docx_bytes(blocks), "t.docx")


def _messages(result) -> list[str]:
    return [i.describe() for i in result.issues]


def _table(blocks) -> Tab:
    return next(b for b in blocks if isinstance(b, Tab) and len(b.rows) > 3)


def _cell(blocks, text: str) -> C:
    return next(c for b in blocks if isinstance(b, Tab) for row in b.rows for c in row if c.text == text)


@pytest.mark.parametrize(("form", "part"), [(TARGETS, "project"), (TARGETS, "overall"), (MONITORING, "project"),
                                            (MONITORING, "overall")])
@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_each_table_is_recognised_and_read_whole(form, part, kind):
    pkg, blocks, _ = _case(form, part)
    result = _read(blocks, kind)
    assert result.package.form == form
    assert (result.package.overall is None) == (part == "project")
    assert result.package == pkg, _messages(result)
    assert _messages(result) == []


def test_the_target_project_table_fields():
    pkg, blocks, _ = _case(TARGETS, "project", seed=3)
    got = _read(blocks).package.projects[0]
    want = pkg.projects[0]
    assert (got.project_type, got.project_period) == (want.project_type, want.project_period)
    assert got.funds.mid_term_budget == want.funds.mid_term_budget and got.funds.initial_budget == want.funds.initial_budget
    assert got.other_funds.mid_term_budget == want.other_funds.mid_term_budget
    assert got.goals.mid_term.startswith("1.三年内") and got.goals.expected == "完成年度建设任务。"
    ind = got.indicators[0].children[0].indicators[0]
    assert ind.target == want.indicators[0].children[0].indicators[0].target
    assert ind.mid_term_target == want.indicators[0].children[0].indicators[0].mid_term_target


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_the_official_paired_funds_layout(kind):
    pkg, blocks, _ = _case(TARGETS, "project", seed=22, paired_funds=True)
    assert any(c.text == "中期资金总额：" for row in _table(blocks).rows for c in row)
    result = _read(blocks, kind)
    assert result.package == pkg and _messages(result) == []


def test_a_paired_funds_value_that_is_no_number_is_named():
    pkg, blocks, _ = _case(TARGETS, "project", seed=23, paired_funds=True)
    _cell(blocks, f"{pkg.projects[0].other_funds.initial_budget}").text = "另行安排"
    result = _read(blocks)
    assert result.package.projects[0].other_funds.initial_budget is None
    assert any("“其他资金”行“年度资金”列" in m and "另行安排" in m for m in _messages(result))


def test_header_pair_aliases():
    pkg, blocks, _ = _case(TARGETS, "project", seed=4)
    _cell(blocks, "项目属性").text = "项目类型"
    _cell(blocks, "项目期").text = "实施期限"
    assert _read(blocks).package == pkg


@pytest.mark.parametrize("mid_first", [True, False])
def test_mid_term_and_year_values_as_two_columns_in_either_order(mid_first):
    pkg, blocks, _ = _case(TARGETS, "project", seed=5, mid_first=mid_first)
    assert _read(blocks).package == pkg


@pytest.mark.parametrize("caption_row", [True, False])
@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_two_indicator_blocks_give_one_tree_with_both_values(caption_row, kind):
    pkg, blocks, _ = _case(TARGETS, "project", seed=6, two_blocks=True, block_caption_row=caption_row)
    assert any(c.text == "中期绩效指标" for row in _table(blocks).rows for c in row)
    result = _read(blocks, kind)
    assert result.package == pkg and _messages(result) == []


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@pytest.mark.parametrize("repeat_level", [True, False])
def test_mid_term_and_year_trees_side_by_side_as_88_prints_them(kind, repeat_level):
    pkg, blocks, _ = _case(TARGETS, "project", seed=26, side_by_side=True, repeat_level=repeat_level)
    header = next(r for r in _table(blocks).rows if any(c.text == "一级指标" for c in r))
    assert [c.text for c in header].count("指标值") == 2
    result = _read(blocks, kind)
    assert result.package == pkg and _messages(result) == []


def test_side_by_side_names_that_differ_are_kept_and_named():
    pkg, blocks, _ = _case(TARGETS, "project", seed=27, side_by_side=True)
    first = pkg.projects[0].indicators[0].children[0].indicators[0].name
    row = next(r for r in _table(blocks).rows if any(c.text == first for c in r))
    next(c for c in row if c.text == first).text = "中期另列事项"  # the left (中期) half
    result = _read(blocks)
    names = [i.name for l1 in result.package.projects[0].indicators for l2 in l1.children for i in l2.indicators]
    assert "中期另列事项" in names and first in names
    assert any("中期指标“中期另列事项”" in m for m in _messages(result))


def test_a_mid_term_indicator_the_year_block_lacks_is_kept_and_named():
    pkg, blocks, _ = _case(TARGETS, "project", seed=7, two_blocks=True)
    first = pkg.projects[0].indicators[0].children[0].indicators[0].name
    cells = [c for b in blocks if isinstance(b, Tab) for row in b.rows for c in row if c.text == first]
    assert len(cells) == 2  # once in each block
    cells[0].text = "中期独有事项"
    result = _read(blocks)
    names = [i.name for l1 in result.package.projects[0].indicators for l2 in l1.children for i in l2.indicators]
    assert "中期独有事项" in names and first in names
    assert any("中期指标“中期独有事项”" in m and "已单列" in m for m in _messages(result))


def test_the_overall_target_table_tasks_total_and_goal():
    pkg, blocks, _ = _case(TARGETS, "overall", seed=8)
    got = _read(blocks).package.overall
    assert got.tasks == pkg.overall.tasks and got.tasks_total == pkg.overall.tasks_total
    assert got.goals.expected == "保障部门运转，完成年度重点工作。"


@pytest.mark.parametrize("split", [True, False])
def test_the_tasks_header_on_one_or_two_rows(split):
    pkg, blocks, _ = _case(TARGETS, "overall", seed=9, tasks_split=split)
    result = _read(blocks)
    assert result.package == pkg and _messages(result) == []


def test_a_task_amount_that_is_no_number_is_named_with_its_task_and_column():
    pkg, blocks, _ = _case(TARGETS, "overall", seed=10)
    task = pkg.overall.tasks[0]
    _cell(blocks, f"{task.total}").text = "待定"
    result = _read(blocks)
    assert result.package.overall.tasks[0].total is None
    assert any(f"任务“{task.name}”的“总额”" in m and "待定" in m for m in _messages(result))


@pytest.mark.parametrize("mark", ["✓", "√", "☑", "■", "是", "1", "✔", "Ｖ"])
def test_tick_marks(mark):
    assert tick(mark) == (True, None)


@pytest.mark.parametrize("mark", ["", " ", "□", "☐", "否", "—", "0"])
def test_unticked_marks(mark):
    assert tick(mark) == (False, None)


def test_a_mark_that_is_no_tick_is_named_with_its_indicator_and_column():
    pkg, blocks, _ = _case(MONITORING, "project", seed=11)
    ind = pkg.projects[0].indicators[0].children[0].indicators[0]
    tab = _table(blocks)
    row = next(r for r in tab.rows if any(c.text == ind.name for c in r))
    header = next(r for r in tab.rows if any(c.text == "制度保障" for c in r))
    at = sum(c.span for c in header[: next(i for i, c in enumerate(header) if c.text == "制度保障")])
    col = 0
    for cell in row:
        if col == at:
            cell.text = "待核实"
        col += cell.span
    result = _read(blocks)
    got = result.package.projects[0].indicators[0].children[0].indicators[0]
    assert "制度保障" not in got.causes
    assert any(f"指标“{ind.name}”的“制度保障”栏" in m and "待核实" in m for m in _messages(result))


@pytest.mark.parametrize("group", [True, False])
def test_ticks_under_their_group_caption_or_alone(group):
    pkg, blocks, _ = _case(MONITORING, "overall", seed=12, tick_group=group)
    assert any(i.causes for l1 in pkg.overall.indicators for l2 in l1.children for i in l2.indicators)
    result = _read(blocks)
    assert result.package == pkg and _messages(result) == []


@pytest.mark.parametrize("months", [6, 8, 9])
@pytest.mark.parametrize("dash", ["-", "—", "～"])
def test_other_months_are_read_and_kept_in_a_finding(months, dash):
    pkg, blocks, _ = _case(MONITORING, "project", seed=13, months=months, dash=dash)
    result = _read(blocks)
    # the table keeps its own months, which the checks compare time progress with
    assert [t.period_months for t in result.package.projects] == [months]
    assert result.package == pkg
    (note,) = _messages(result)
    assert f"本表为1-{months}月" in note and "表式为1-7月" in note and f"时间进度按1-{months}月计算" in note


def test_the_forms_own_months_say_nothing():
    pkg, blocks, _ = _case(MONITORING, "project", seed=14, months=7, dash="—")
    result = _read(blocks)
    assert result.package == pkg and _messages(result) == []
    assert result.package.projects[0].period_months is None


def test_two_month_spans_in_one_table_are_named():
    pkg, blocks, _ = _case(MONITORING, "project", seed=15, months=7)
    _cell(blocks, "1-7月实际完成值").text = "1-6月实际完成值"
    result = _read(blocks)
    assert result.package == pkg and result.package.projects[0].period_months is None  # which one is unclear
    assert any("不同的期间" in m and "1-6月" in m and "1-7月" in m for m in _messages(result))


@pytest.mark.parametrize(("text", "months"), [("1-7月执行数", 7), ("1—6月", 6), ("1～8月执行率", 8), ("1至7月", 7),
                                              ("1月-9月", 9), ("一至十月", 10), ("全年预计执行数", None)])
def test_months_in(text, months):
    assert months_in(text) == months


def test_columns_in_another_order_and_spaced_labels():
    pkg, blocks, _ = _case(MONITORING, "project", seed=16, remark_first=True, spaced=True)
    result = _read(blocks)
    assert result.package == pkg and _messages(result) == []


def test_an_unknown_row_is_named_with_its_table_and_row():
    pkg, blocks, lay = _case(MONITORING, "project", seed=17, inject_row="附加核对信息123456")
    result = _read(blocks)
    assert result.package == pkg
    notes = [m for m in _messages(result) if "附加核对信息123456" in m]
    assert notes and "项目支出绩效目标执行监控表" in notes[0] and "第" in notes[0] and "行" in notes[0]


def test_a_table_no_form_knows_is_said_in_chinese():
    blocks = ["项目支出绩效目标申报表", "（2024年度）", Tab([[C("甲"), C("乙")], [C("丙"), C("丁")]], 2)]
    result = _read(blocks)
    messages = _messages(result)
    assert messages and all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in messages)
    assert any("甲" in m for m in messages)


# ------------------------------------------------------------------ which form, --form, the CLI


def test_form_forces_the_reading(tmp_path):
    pkg, blocks, _ = _case(TARGETS, "project", seed=18)
    path = tmp_path / "t.docx"
    path.write_bytes(docx_bytes(blocks))
    assert import_package(path).package == pkg
    forced = import_package(path, form="national")
    assert forced.package.form == "national" and forced.issues  # not its form: its columns go unread, said so
    with forcing(TARGETS):
        assert import_package(path).package == pkg


@pytest.mark.parametrize(("form", "part"), [(TARGETS, "project"), (MONITORING, "overall")])
def test_cli_import_picks_the_form(tmp_path, capsys, form, part):
    from jixiao.cli import main

    pkg, blocks, _ = _case(form, part, seed=19)
    src = tmp_path / "x.docx"
    src.write_bytes(docx_bytes(blocks))
    out = tmp_path / "x.json"
    assert main(["import", str(src), "-o", str(out)]) == 0
    assert Package.model_validate(json.loads(out.read_text(encoding="utf-8"))) == pkg
    assert main(["import", str(src), "--form", form, "-o", str(out), "--strict"]) == 0
    assert Package.model_validate(json.loads(out.read_text(encoding="utf-8"))) == pkg


# ------------------------------------------------------------------ old formats


@pytest.mark.office
def test_doc_and_xls_read_like_their_docx_and_xlsx(tmp_path):
    from jixiao.io.legacy.convert import convert_many

    # a Word document ends with a paragraph (LibreOffice drops a table that is the last thing in it)
    pkg_t, blocks_t, _ = _case(TARGETS, "project", seed=20, two_blocks=True, signature=True)
    pkg_m, blocks_m, _ = _case(MONITORING, "project", seed=21, signature=True)
    (doc,) = convert_many([(docx_bytes(blocks_t), ".docx")], "doc", timeout=180)
    (xls,) = convert_many([(xlsx_bytes(blocks_m), ".xlsx")], "xls", timeout=180)
    (tmp_path / "t.doc").write_bytes(doc.data)
    (tmp_path / "m.xls").write_bytes(xls.data)
    assert import_package(tmp_path / "t.doc").package == pkg_t
    assert import_package(tmp_path / "m.xls").package == pkg_m


def test_a_file_with_no_table_of_the_form_is_refused_in_chinese(tmp_path, capsys):
    from jixiao.cli import main
    from jixiao.errors import InputError

    path = tmp_path / "x.docx"
    path.write_bytes(docx_bytes(["2024年度绩效目标执行监控表填报说明", "请于8月10日前报送。"]))
    with pytest.raises(InputError, match="没有找到部门（单位）整体支出绩效目标执行监控表或项目支出绩效目标执行监控表.*用 --form 指定表式"):
        import_package(path, form=MONITORING)
    assert main(["import", str(path), "--form", MONITORING]) == 2
    assert "没有找到" in capsys.readouterr().err


def test_a_folder_of_one_target_table_per_file_is_one_package(tmp_path):
    from jixiao.io import packages_in

    overall, blocks, _ = _case(TARGETS, "overall", seed=24)
    (tmp_path / "整体.docx").write_bytes(docx_bytes(blocks))
    projects = []
    for i in range(2):
        pkg, blocks, _ = _case(TARGETS, "project", seed=25 + i)
        projects.append(pkg.projects[0])
        (tmp_path / f"项目{i}.xlsx").write_bytes(xlsx_bytes(blocks))
    (group,) = packages_in(tmp_path)
    got = group.read().package
    assert got.form == TARGETS and got.overall == overall.overall
    assert sorted(p.project_name for p in got.projects) == sorted(p.project_name for p in projects)


@pytest.mark.parametrize(("form", "part"), [(TARGETS, "project"), (TARGETS, "overall"), (MONITORING, "project"),
                                            (MONITORING, "overall")])
def test_a_table_without_its_title_is_recognised_by_its_labels(form, part):
    pkg, blocks, _ = _case(form, part, seed=28)
    assert blocks[0] == (pkg.overall or pkg.projects[0]).title
    result = _read(blocks[1:])  # the year line stays: （2024年度）
    assert result.package.form == form
    assert (result.package.overall is None) == (part == "project")
    got = result.package.overall or result.package.projects[0]
    want = pkg.overall or pkg.projects[0]
    assert got.indicators == want.indicators and got.goals == want.goals


def test_a_first_indicator_named_like_a_column_is_an_indicator_not_a_header_row():
    pkg, blocks, _ = _case(MONITORING, "project", seed=29, tick_group=False)
    ind = pkg.projects[0].indicators[0].children[0].indicators[0]
    _cell(blocks, ind.name).text = "其他"  # the first data row, right under the header; '其他' heads a tick column
    pkg.projects[0].indicators[0].children[0].indicators[0].name = "其他"
    result = _read(blocks)
    assert result.package == pkg and _messages(result) == []


# ------------------------------------------------------------------ money unit, year


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@pytest.mark.parametrize(("form", "part"), [(TARGETS, "project"), (TARGETS, "overall"), (MONITORING, "project")])
def test_a_table_in_yuan_is_read_as_wan_yuan_and_says_so(form, part, kind):
    pkg, blocks, _ = _case(form, part, seed=31, yuan=True)
    result = _read(blocks, kind)
    assert result.package == pkg
    assert [m for m in _messages(result) if "以元为单位" in m and "÷10000" in m], _messages(result)


def test_only_the_caption_says_yuan():
    """No '单位：元' line, only the money caption ('项目资金（元）')."""
    pkg, blocks, _ = _case(MONITORING, "project", seed=32, yuan=True)
    blocks.remove("单位：元")
    result = _read(blocks)
    assert result.package == pkg and any("项目资金（元）" in m for m in _messages(result))


def test_both_units_stated_are_read_as_wan_yuan_and_named():
    pkg, blocks, _ = _case(MONITORING, "project", seed=33)  # written in 万元
    blocks[blocks.index("单位：万元")] = "单位：元"  # … under a line that says 元
    result = _read(blocks)
    assert result.package == pkg
    assert any("既写“单位：元”又写“项目资金（万元）”" in m for m in _messages(result))


def test_an_indicator_measured_in_yuan_is_no_money_caption():
    pkg, blocks, _ = _case(TARGETS, "project", seed=34)
    name = pkg.projects[0].indicators[0].children[0].indicators[0].name
    _cell(blocks, name).text = "人均培训成本（元）"
    pkg.projects[0].indicators[0].children[0].indicators[0].name = "人均培训成本（元）"
    result = _read(blocks)
    assert result.package == pkg and _messages(result) == []


@pytest.mark.parametrize("line", ["（2024年度1-7月）", "(2024年1—7月)", "2024年度1至7月", "（2024年度1-6月）"])
def test_a_year_line_that_names_the_months(line):
    pkg, blocks, _ = _case(MONITORING, "project", seed=35, year_line=line)
    result = _read(blocks)
    assert result.package.fiscal_year == 2024 and result.package.projects[0].funds == pkg.projects[0].funds


def test_a_file_without_a_year_is_refused_unless_one_is_given(tmp_path, capsys):
    from jixiao.cli import main

    pkg, blocks, _ = _case(MONITORING, "project", seed=36)
    title = pkg.projects[0].title
    blocks = [b for b in blocks if not (isinstance(b, str) and ("年度" in b or b == title))]
    src, out = tmp_path / "x.docx", tmp_path / "x.json"
    src.write_bytes(docx_bytes(blocks))
    assert main(["import", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "没有找到年度" in err and "--year" in err and "Traceback" not in err
    assert main(["import", str(src), "--year", "2024", "-o", str(out)]) == 0
    assert "按指定的2024年度读入" in capsys.readouterr().err
    got = Package.model_validate(json.loads(out.read_text(encoding="utf-8")))
    assert got.fiscal_year == 2024 and got.projects[0].funds == pkg.projects[0].funds
    with pytest.raises(SystemExit) as bad:  # argparse's own exit, with the Chinese line
        main(["import", str(src), "--year", "24", "-o", str(out)])
    assert bad.value.code == 2 and "年度“24”无效" in capsys.readouterr().err
    # a file that states its year keeps it
    src.write_bytes(docx_bytes(_case(MONITORING, "project", seed=36, year=2023)[1]))
    assert main(["import", str(src), "--year", "2024", "-o", str(out)]) == 0
    assert Package.model_validate(json.loads(out.read_text(encoding="utf-8"))).fiscal_year == 2023


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_value_caption_over_its_periods_and_a_note_under_the_table(kind):
    """'指标值' spanning '中期 | 年度' on the row below (the periods alone would head the funds'
    中期 | 年度 columns): the two rows are one header; a '注：' line under the table is its note."""
    rows = [
        [C("项目名称", 2), C("背街小巷环境整治项目", 4)],
        [C("主管部门及代码", 2), C("某县城市管理局", 2), C("实施单位"), C("某县市政设施维护所")],
        [C("项目资金（万元）"), C("", 2), C("中期资金总额", 2), C("年度资金总额")],
        [C(up=True), C("资金总额", 2), C("86.5", 2), C("86.5")],
        [C("绩效指标"), C("一级指标"), C("二级指标"), C("三级指标"), C("指标值", 2)],
        [C(up=True), C(up=True), C(up=True), C(up=True), C("中期"), C("年度")],
        [C(up=True), C("产出指标"), C("数量指标"), C("整治背街小巷数量"), C("≥126条"), C("≥100条")],
        [C(up=True), C(up=True), C("质量指标"), C("路面破损修复率"), C("≥90%"), C("≥95%")],
    ]
    blocks = ["项目支出绩效目标申报表", "（2024年度）", Tab(rows, 6), "注：本项目中期目标按三年累计。"]
    result = _read(blocks, kind)
    assert _messages(result) == []
    p = result.package.projects[0]
    got = [(i.name, i.mid_term_target.raw, i.target.raw) for l1 in p.indicators for l2 in l1.children
           for i in l2.indicators]
    assert got == [("整治背街小巷数量", "≥126条", "≥100条"), ("路面破损修复率", "≥90%", "≥95%")]
    assert p.note == "本项目中期目标按三年累计。"


@pytest.mark.parametrize("extra", ["财务负责人：刘芳", "手机：13912345678", "单位（盖章）：某县城市管理局"])
def test_a_signature_label_the_form_does_not_print_is_named_not_swallowed(extra):
    pkg, blocks, _ = _case(TARGETS, "overall", seed=37)
    blocks.append(f"单位负责人：王建国    {extra}    填报人：陈晨")
    result = _read(blocks)
    sig = result.package.overall.signature
    assert (sig.unit_head, sig.filled_by) == ("王建国", "陈晨")
    assert any("签字栏" in m and f"未导入：“{extra}”" in m for m in _messages(result)), _messages(result)


@pytest.mark.parametrize("value", ["一一：", "王建国 见附件：", "王建国"])
def test_a_signature_value_that_only_looks_like_a_label_stays_the_value(value):
    """Only a label a signature line names people, numbers or dates by ends a value ('财务负责人：'):
    the render round trip found '一一：' cut off and named as a label."""
    pkg, blocks, _ = _case(TARGETS, "overall", seed=38)
    blocks.append(f"单位负责人：{value}    填报人：陈晨")
    result = _read(blocks)
    assert result.package.overall.signature.unit_head == value
    assert not [m for m in _messages(result) if "签字栏" in m]
