"""Per case: the national 项目/部门整体 tables and the province's 部门预算项目 table as units print them,
built with python-docx / openpyxl (iofix_forms), read back field by field; which form a file is on;
``--form``; folders of one table per project."""

from __future__ import annotations

import json
import random
from decimal import Decimal

import pytest
from iofix_forms import (
    C,
    Layout,
    Tab,
    docx_bytes,
    draw_national,
    draw_province,
    expected,
    national_package,
    province_project,
    xlsx_bytes,
)

from jixiao.io import import_package
from jixiao.io.docx_reader import import_docx_bytes
from jixiao.io.docx_reader.parts import without_code
from jixiao.io.docx_reader.recognise import forcing, year_line
from jixiao.io.docx_reader.vocab import vocab, without_form_text
from jixiao.io.xlsx_io import import_xlsx_bytes
from jixiao.model import Package
from jixiao.model.values import NA

PROVINCE = "sichuan-2023-project"


def _national(seed=1, *, overall=False, year=2022, **layout):
    lay = Layout(**layout)
    pkg = national_package(random.Random(seed), year, overall=overall)
    blocks = draw_national(pkg.overall or pkg.projects[0], year, lay)
    return expected(pkg, lay, year), blocks


def _province(seed=1, year=2023, unit="某某县某某站", **changes):
    lay = Layout(**{k: v for k, v in changes.items() if hasattr(Layout, k)})
    table = province_project(random.Random(seed), year, unit)
    table = table.model_copy(update={k: v for k, v in changes.items() if not hasattr(Layout, k)})
    pkg = Package(form=PROVINCE, fiscal_year=year, unit_name=unit, projects=[table])
    return pkg, draw_province(table, year, lay)


def _read(blocks, kind="docx"):
    if kind == "xlsx":
        return import_xlsx_bytes(xlsx_bytes(blocks), "t.xlsx")
    return import_docx_bytes(docx_bytes(blocks), "t.docx")


def _messages(result):
    return [i.describe() for i in result.issues]


# ------------------------------------------------------------------ national: title and year


@pytest.mark.parametrize("line", ["（2022年度）", "(2022年度)", "2022年度", "（2022年）"])
@pytest.mark.parametrize("annex", ["", "附件", "附件2"])
def test_the_year_on_its_own_line_under_a_bare_title(line, annex):
    pkg, blocks = _national(year=2022, year_line=line, annex=annex)
    result = _read(blocks)
    assert result.package == pkg, _messages(result)
    assert result.package.fiscal_year == 2022 and result.package.form == "national"
    assert result.issues == []


def test_a_year_line_is_only_a_year():
    assert year_line("（2022年度）") == 2022
    assert year_line("2023年") == 2023
    assert year_line("2022年度工作总结") is None
    assert year_line("（2022年度）绩效自评") is None


def test_the_year_in_the_title_reads_too():
    pkg, blocks = _national(year=2021, year_line="")
    result = _read(blocks)
    assert result.package == pkg and result.package.projects[0].title == "2021年度项目支出绩效自评表"


# ------------------------------------------------------------------ national: funds block


def test_得分_is_the_score_column_not_a_missing_自评得分():
    pkg, blocks = _national()
    got = _read(blocks).package.projects[0]
    want = pkg.projects[0]
    assert got.funds.self_score == want.funds.self_score is not None
    first = got.indicators[0].children[0].indicators[0]
    assert first.self_score == want.indicators[0].children[0].indicators[0].self_score is not None


@pytest.mark.parametrize("label", ["其中：当年财政拨款", "其中：本年财政拨款", "当年财政拨款", "其中:本年财政拨款"])
def test_the_current_appropriation_sub_row_is_kept(label):
    pkg, blocks = _national(seed=4, sub_labels=(label, "上年结转资金", "其他资金"))
    got = _read(blocks).package.projects[0]
    assert got.current_appropriation == pkg.projects[0].current_appropriation
    assert got.current_appropriation.executed is not None


@pytest.mark.parametrize(("blank", "value"), [("—", None), ("", None), ("-", None), ("/", NA)])
def test_sub_rows_score_cells_dash_or_blank(blank, value):
    pkg, blocks = _national(seed=5, sub_blank=blank)
    result = _read(blocks)
    assert result.package == pkg, _messages(result)
    sub = result.package.projects[0].current_appropriation
    assert sub.weight == value and sub.self_score == value


def test_amounts_with_three_or_more_places_read_exactly():
    pkg, blocks = _national(seed=2)
    table = pkg.projects[0]
    row = table.funds.model_copy(update={"initial_budget": Decimal("123.4567"), "executed": Decimal("98.765")})
    table = table.model_copy(update={"funds": row})
    blocks = draw_national(table, 2022, Layout())
    got = _read(blocks).package.projects[0].funds
    assert got.initial_budget == Decimal("123.4567") and str(got.initial_budget) == "123.4567"
    assert got.executed == Decimal("98.765")


@pytest.mark.parametrize("label", ["年度资金总额", "年度资金总额：", "年度资金总额:"])
@pytest.mark.parametrize("caption", ["项目资金（万元）", "预算资金（万元）", "项目资金"])
def test_funds_total_label_and_caption_variants(label, caption):
    pkg, blocks = _national(seed=6, total_label=label, funds_caption=caption)
    result = _read(blocks)
    assert result.package == pkg, _messages(result)


# ------------------------------------------------------------------ national: header and unit


def test_budget_codes_stay_in_the_fields_but_not_in_the_unit_name():
    pkg, blocks = _national(seed=7)
    table = pkg.projects[0].model_copy(update={"department": "305-某某县教育局", "implementing_unit": "305002-某某县某某中心"})
    got = _read(draw_national(table, 2022, Layout())).package
    assert got.projects[0].department == "305-某某县教育局"
    assert got.projects[0].implementing_unit == "305002-某某县某某中心"
    assert got.unit_name == "某某县某某中心"


def test_without_code():
    assert without_code("305-某某县某某局") == "某某县某某局"
    assert without_code("305002 - 某某县某某中心") == "某某县某某中心"
    assert without_code("30-某某局") == "30-某某局"  # two digits are not a budget code
    assert without_code("某某县某某局") == "某某县某某局"
    assert without_code(None) is None


def test_a_whole_department_table_is_the_overall_table_with_its_unit_name():
    pkg, blocks = _national(seed=8, overall=True)
    result = _read(blocks)
    assert result.package == pkg, _messages(result)
    got = result.package
    assert got.overall is not None and got.projects == []
    assert got.overall.unit_name and got.unit_name == "某某县某某中心"
    assert got.overall.current_appropriation.executed is not None  # its own 其中 rows


def test_an_untitled_whole_department_table_is_told_by_its_unit_name_label():
    pkg, blocks = _national(seed=8, overall=True)
    table = next(b for b in blocks if isinstance(b, Tab))
    result = _read(["（2022年度）", table])
    assert result.package.overall is not None and result.package.projects == []


# ------------------------------------------------------------------ national: indicators


def test_numbered_names_other_order_empty_level2_and_the_ways_targets_are_written():
    for seed in range(30):
        pkg, blocks = _national(seed=seed)
        result = _read(blocks)
        assert result.package == pkg, (seed, _messages(result))
    names = [i.name for l1 in pkg.projects[0].indicators for l2 in l1.children for i in l2.indicators]
    assert names


def test_a_numbered_name_keeps_its_number():
    pkg, blocks = _national(seed=1)
    table = pkg.projects[0]
    l1 = table.indicators[0]
    ind = l1.children[0].indicators[0].model_copy(update={"name": "指标1：培训人次"})
    l2 = l1.children[0].model_copy(update={"indicators": [ind, *l1.children[0].indicators[1:]]})
    table = table.model_copy(update={"indicators": [l1.model_copy(update={"children": [l2, *l1.children[1:]]}),
                                                    *table.indicators[1:]]})
    got = _read(draw_national(table, 2022, Layout())).package.projects[0]
    assert got.indicators[0].children[0].indicators[0].name == "指标1：培训人次"


@pytest.mark.parametrize("reason", [True, False])
@pytest.mark.parametrize("header", ["偏差原因分析及改进措施", "偏差原因分析"])
def test_the_deviation_column_present_or_not(reason, header):
    pkg, blocks = _national(seed=9, reason_column=reason, reason_header=header)
    result = _read(blocks)
    assert result.package == pkg, _messages(result)
    assert result.issues == []


def test_the_total_row():
    pkg, blocks = _national(seed=10)
    got = _read(blocks).package.projects[0]
    assert got.total_weight == Decimal(100) and got.total_self_score == pkg.projects[0].total_self_score


@pytest.mark.parametrize("cut", ["before_indicators", "inside_indicators"])
@pytest.mark.parametrize("repeat", [True, False])
def test_a_table_cut_across_pages(cut, repeat):
    pkg, blocks = _national(seed=11, cut=cut, repeat_header=repeat)
    assert sum(isinstance(b, Tab) for b in blocks) == 2
    result = _read(blocks)
    assert result.package == pkg, _messages(result)


def test_unknown_rows_and_columns_are_named():
    for layout in ({"inject_row": "附加核对信息123456"}, {"inject_column": "核对栏654321"}):
        lay = Layout(**layout)
        pkg = national_package(random.Random(3), 2022, overall=False)
        blocks = draw_national(pkg.projects[0], 2022, lay)
        result = _read(blocks)
        assert result.package == expected(pkg, lay, 2022)
        for text in lay.injected:
            assert any(text in m for m in _messages(result)), (text, _messages(result))


# ------------------------------------------------------------------ the province's project table


def test_the_province_table_reads_whole():
    pkg, blocks = _province()
    assert blocks[0].startswith("报表编号")
    result = _read(blocks)
    assert result.package == pkg, _messages(result)
    assert result.issues == []
    got = result.package
    assert got.form == PROVINCE and got.fiscal_year == 2023  # the year from the title
    assert got.basic is None and got.overall is None and got.report is None


def test_the_province_project_name_keeps_its_code():
    pkg, blocks = _province(project_name="51000021T000000123456-2023年某某补助资金项目")
    got = _read(blocks).package.projects[0]
    assert got.project_name == "51000021T000000123456-2023年某某补助资金项目"


def test_the_unit_is_the_implementing_unit_else_the_department():
    pkg, blocks = _province(unit="某某县某某站", department="210-某某县农业农村局")
    got = _read(blocks).package
    assert got.unit_name == "某某县某某站" and got.projects[0].department == "210-某某县农业农村局"
    pkg, blocks = _province(unit="", department="210-某某县农业农村局", implementing_unit=None)
    got = _read(blocks).package
    assert got.unit_name == "某某县农业农村局"


@pytest.mark.parametrize("below", [True, False])
def test_the_project_basics_block(below):
    pkg, blocks = _province(text_below=below)
    got = _read(blocks).package.projects[0]
    assert got.goals.expected == "完成补助发放。"
    assert got.goals.actual == "补助已全部发放到位。"  # the form's hint above it is not the unit's text
    assert got.summary == "项目按计划实施，资金拨付及时。"


@pytest.mark.parametrize("notes", [True, False])
def test_the_forms_notes_in_the_reason_cell_are_not_the_units_reason(notes):
    pkg, blocks = _province(seed=2, notes_in_reason=notes)
    got = _read(blocks).package.projects[0]
    assert got.funds.reason is None
    funds = pkg.projects[0].funds.model_copy(update={"reason": "项目延期，部分资金未支付"})
    pkg, blocks = _province(seed=2, notes_in_reason=notes, funds=funds)
    got = _read(blocks).package.projects[0]
    assert got.funds.reason == "项目延期，部分资金未支付"


def test_form_text_is_taken_out_of_a_cell():
    v = vocab(2023, PROVINCE)
    notes = "1.预算执行率=预算执行数/调整后预算数；预算执行率低于90%的需说明原因（100字以内）。"
    assert without_form_text(notes, v) is None
    assert without_form_text(notes + "\n资金下达较晚", v) == "资金下达较晚"
    assert without_form_text("资金下达较晚", v) == "资金下达较晚"
    assert without_form_text(notes, vocab(2022, "national")) == notes  # a form without notes keeps all


def test_notes_in_one_line_with_a_longer_wording_leave_nothing_behind():
    """Seen in a file written from the description: the three notes in one cell, the last one
    with '…银行贷款等' — the shorter wording inside it must not leave '等' as the unit's reason."""
    v = vocab(2023, "sichuan-2023-project")
    notes = ("1.预算执行率=预算执行数/调整后预算数；预算执行率低于90%的，需说明原因（100字以内）。"
             "2.年中追加或调减预算的，需单独说明原因。3.其他资金包括社会投入资金、银行贷款等。")
    assert without_form_text(notes, v) is None
    assert without_form_text(notes + "\n项目延期验收", v) == "项目延期验收"


def test_the_province_funds_and_sub_rows():
    pkg, blocks = _province(seed=3)
    got = _read(blocks).package.projects[0]
    want = pkg.projects[0]
    assert got.funds == want.funds and got.funds.weight == Decimal(10)
    assert got.fiscal_funds == want.fiscal_funds and got.fiscal_funds.weight == NA == got.fiscal_funds.self_score
    for fld in ("special_account_funds", "unit_funds", "other_funds"):
        assert getattr(got, fld) == getattr(want, fld)


def test_the_province_indicators_total_closing_text_and_signature():
    pkg, blocks = _province(seed=4)
    got = _read(blocks).package.projects[0]
    want = pkg.projects[0]
    assert got.indicators == want.indicators
    ind = got.indicators[0].children[0].indicators[0]
    assert ind.nature in ("=", "≥", "≤", "定性") and ind.unit in ("%", "万元", "次", "人")
    assert got.total_weight == Decimal(100)
    assert (got.conclusion, got.problems, got.improvements) == (want.conclusion, want.problems, want.improvements)
    assert got.signature.project_head == "张三" and got.signature.finance_head == "李四"


@pytest.mark.parametrize("split", [True, False])
def test_the_province_table_in_excel(split):
    pkg, blocks = _province(seed=5, split_header=split)
    result = _read(blocks, "xlsx")
    assert result.package == pkg, _messages(result)


def test_the_national_table_in_excel():
    pkg, blocks = _national(seed=12)
    result = _read(blocks, "xlsx")
    assert result.package == pkg, _messages(result)


# ------------------------------------------------------------------ which form


def test_a_file_on_two_forms_alike_is_said_never_guessed_silently():
    # 自评得分 in the funds block (one form's label), 得分 in the indicators (the other's), no year line
    pkg, blocks = _national(seed=13, year_line="")
    table = next(b for b in blocks if isinstance(b, Tab))
    first = next(cell for row in table.rows for cell in row if cell.text == "得分")
    first.text = "自评得分"
    result = _read(blocks)
    doubts = [m for m in _messages(result) if "无法判断文件用的是哪种表式" in m]
    assert len(doubts) == 1 and "--form" in doubts[0]


def test_form_forces_the_reading(tmp_path):
    pkg, blocks = _national(seed=14)
    path = tmp_path / "t.docx"
    path.write_bytes(docx_bytes(blocks))
    assert import_package(path).package.form == "national"
    forced = import_package(path, form="hunan-2023").package
    assert forced.form is None  # the default form: 得分 is not its column, so the scores stay blank
    assert forced.projects[0].funds.self_score is None
    with forcing("national"):
        assert import_package(path).package == pkg


def test_an_unknown_form_is_refused_in_chinese(tmp_path):
    from jixiao.errors import FormError

    with pytest.raises(FormError, match="找不到表式定义"):
        import_package(tmp_path / "x.docx", form="no-such-form")


# ------------------------------------------------------------------ folders and the CLI


def test_one_table_per_project_files_group_by_their_unit(tmp_path):
    from jixiao.io import packages_in

    for i, unit in enumerate(["某某县某某站", "某某县某某站", "某某县另一中心"]):
        _, blocks = _province(seed=20 + i, unit=unit)
        (tmp_path / f"项目{i}.docx").write_bytes(docx_bytes(blocks))
    groups = packages_in(tmp_path)
    packages = sorted((g.read().package for g in groups), key=lambda p: p.unit_name)
    assert [(p.unit_name, len(p.projects)) for p in packages] == [("某某县另一中心", 1), ("某某县某某站", 2)]
    assert {p.form for p in packages} == {PROVINCE}


def test_tables_with_and_without_the_budget_code_are_one_unit(tmp_path):
    from jixiao.io import packages_in

    pkg, blocks = _national(seed=15, overall=True)
    (tmp_path / "整体.docx").write_bytes(docx_bytes(blocks))
    rnd = random.Random(16)
    project = national_package(rnd, 2022, overall=False).projects[0].model_copy(
        update={"implementing_unit": "305002-某某县某某中心"})
    (tmp_path / "项目1.docx").write_bytes(docx_bytes(draw_national(project, 2022, Layout())))
    groups = packages_in(tmp_path)
    assert len(groups) == 1
    got = groups[0].read().package
    assert got.overall is not None and len(got.projects) == 1


@pytest.mark.parametrize("kind", ["project", "overall", "province"])
def test_cli_import_each_kind(tmp_path, kind, capsys):
    from jixiao.cli import main

    if kind == "province":
        pkg, blocks = _province(seed=30)
    else:
        pkg, blocks = _national(seed=30, overall=kind == "overall")
    src = tmp_path / "x.docx"
    src.write_bytes(docx_bytes(blocks))
    out = tmp_path / "x.json"
    assert main(["import", str(src), "-o", str(out)]) == 0
    assert Package.model_validate(json.loads(out.read_text(encoding="utf-8"))) == pkg
    assert "表式：" in capsys.readouterr().err


def test_cli_form_option(tmp_path, capsys):
    from jixiao.cli import main

    _, blocks = _national(seed=31)
    src = tmp_path / "x.docx"
    src.write_bytes(docx_bytes(blocks))
    out = tmp_path / "x.json"
    assert main(["import", str(src), "--form", PROVINCE, "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["form"] == PROVINCE
    capsys.readouterr()
    assert main(["import", str(src), "--form", "no-such-form", "-o", str(out)]) != 0
    assert "找不到表式定义" in capsys.readouterr().err
    for command in ("check", "score"):
        assert main([command, str(src), "--form", "national"]) in (0, 1)
        assert main([command, str(src), "--form", "no-such-form"]) not in (0, 1)


def test_fixture_cells_are_what_they_say():
    # the fixture builder itself: a merged cell is written once
    data = docx_bytes([Tab([[C("a", 2)], [C(up=True, span=2)]], 2)])
    assert data[:2] == b"PK"
