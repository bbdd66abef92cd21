"""Each case the issue on reading any unit's files names, on the seed, one at a time.

Every case imports to exactly the seed package, and ``jixiao check`` on the file finds what
it finds on the clean JSON (the seed's real mistakes), apart from the import findings.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from iofix_seed import package_blocks
from iofix_variants import word

from jixiao.io.docx_reader import import_docx_bytes
from jixiao.io.docx_reader.cells import number
from support.examples import SEED_PATH

JIXIAO = str(Path(sys.executable).with_name("jixiao"))


def _rows(blocks, kind):
    return next(b[2] for b in blocks if b[0] == "t" and b[1] == kind)


def _replace_label(blocks, old, new):
    for row in _rows(blocks, "basic"):
        if row[0] == old:
            row[0] = new
            return
    raise AssertionError(old)


def split_indicator_header(blocks):
    for kind in ("overall", "project"):
        rows = _rows(blocks, kind)
        i = next(k for k, r in enumerate(rows) if len(r) == 9 and r[1] == "一级指标")
        top = list(rows[i])
        top[4], top[5] = "年度", "实际"
        bottom = ["^^"] * 9
        bottom[4], bottom[5] = "指标值", "完成值"
        rows[i : i + 1] = [top, bottom]


def split_amount_header(blocks):
    rows = _rows(blocks, "basic")
    i = next(k for k, r in enumerate(rows) if r[0].startswith("经费控制情况"))
    rows[i : i + 1] = [[rows[i][0], "2022年", "2023年", "<<"], ["^^", "决算数", "预算数", "决算数"]]


def income(form):
    def apply(blocks):
        for row in _rows(blocks, "overall"):
            if len(row) == 3 and "一般公共预算：" in row[1]:
                value = row[1].rsplit("：", 1)[1]
                row[1] = form.format(v=value)
                return
        raise AssertionError("no income row")

    return apply


def label(old, new):
    return lambda blocks: _replace_label(blocks, old, new)


def amount_cell(label_text, column, text):
    def apply(blocks):
        for row in _rows(blocks, "basic"):
            if row[0] == label_text:
                row[column] = text
                return
        raise AssertionError(label_text)

    return apply


def staffing_rate(text):
    def apply(blocks):
        rows = _rows(blocks, "basic")
        i = next(k for k, r in enumerate(rows) if r[0].startswith("财政供养"))
        rows[i + 1][3] = text

    return apply


def repeated_captions(blocks):
    from iofix_variants import _repeat_captions

    for kind in ("overall", "project"):
        _repeat_captions(_rows(blocks, kind))


CASES = {
    "section captions written on every row": repeated_captions,
    "indicator header over two rows": split_indicator_header,
    "amount header over two rows": split_amount_header,
    "income 其中：一般公共预算拨款：…万元": income("其中：一般公共预算拨款：{v}万元"),
    "income 其中：财政拨款：…": income("其中：财政拨款：{v}"),
    "income 一般公共预算（…）": income("一般公共预算（{v}）"),
    'label "三公"经费 with ASCII quotes': label("三公经费", '"三公"经费'),
    "label 公务用车运行维护费": label("公车运行维护", "公务用车运行维护费"),
    "label 水电费、差旅费": label("水费、电费、差旅费", "水电费、差旅费"),
    "label with a unit in parentheses": label("公用经费", "公用经费（万元）"),
    "cell ￥11.48": amount_cell("公车运行维护", 3, "￥11.48"),
    "cell 11.48（万元）": amount_cell("公车运行维护", 3, "11.48（万元）"),
    "cell — for nothing": amount_cell("1、公务用车购置和维护经费", 2, "—"),
    "控制率 as a fraction": staffing_rate("0.9333"),
}


@pytest.fixture(scope="module")
def seed_findings(tmp_path_factory):
    out = subprocess.run([JIXIAO, "check", str(SEED_PATH), "--format", "json"], capture_output=True, text=True)
    return _rule_findings(out.stdout)


def _rule_findings(stdout: str) -> list:
    data = json.loads(stdout)
    return sorted(json.dumps({k: f[k] for k in ("rule", "severity", "message")}, ensure_ascii=False) for f in data["findings"])


@pytest.mark.parametrize("case", list(CASES))
def test_each_case_imports_to_the_seed(case, seed_pkg):
    blocks = package_blocks(seed_pkg)
    CASES[case](blocks)
    result = import_docx_bytes(word(blocks), "case.docx")
    assert result.package == seed_pkg, [i.describe() for i in result.issues]
    for issue in result.issues:  # only notes on what was read, never a value left out
        assert "读入" in issue.message or "读作" in issue.message, issue.describe()


@pytest.mark.parametrize("case", ["indicator header over two rows", "income 其中：财政拨款：…", "控制率 as a fraction",
                                  "label 水电费、差旅费"])
def test_check_on_each_case_finds_what_it_finds_on_the_clean_file(case, seed_pkg, seed_findings, tmp_path):
    blocks = package_blocks(seed_pkg)
    CASES[case](blocks)
    path = tmp_path / "case.docx"
    path.write_bytes(word(blocks))
    out = subprocess.run([JIXIAO, "check", str(path), "--format", "json"], capture_output=True, text=True)
    assert out.returncode == 1, out.stderr  # the seed's own errors, no more
    assert _rule_findings(out.stdout) == seed_findings


def test_a_split_header_leaves_no_phantom_group(seed_pkg):
    blocks = package_blocks(seed_pkg)
    split_indicator_header(blocks)
    pkg = import_docx_bytes(word(blocks), "x.docx").package
    assert [l1.label for l1 in pkg.overall.indicators] == [l1.label for l1 in seed_pkg.overall.indicators]
    assert all(ind.target is not None for l1 in pkg.overall.indicators for ind in l1.all_indicators() if ind.name)


def test_an_unknown_column_and_row_are_named(seed_pkg):
    blocks = package_blocks(seed_pkg)
    rows = _rows(blocks, "basic")
    for row in rows:
        if row[0].startswith("经费控制情况"):
            row.append("备注")
        elif len(row) == 4 and row[0] and not row[0].startswith("财政供养"):
            row.append("调剂说明X" if row[0] == "公车运行维护" else "")
    at = next(k for k, r in enumerate(rows) if r[0] == "政府采购金额")
    rows.insert(at, ["另行核算项目", "1.00", "2.00", "3.00", ""])
    result = import_docx_bytes(word(blocks), "x.docx")
    messages = [i.describe() for i in result.issues]
    assert any("调剂说明X" in m and "第" in m for m in messages), messages
    assert any("另行核算项目" in m and "1.00" in m for m in messages), messages
    assert not any(m.endswith("未导入：“备注”") for m in messages), messages  # a header word, not content
    assert result.package == seed_pkg


# ------------------------------------------------------------------ thresholds, each side pinned


def test_fraction_bound_of_a_rate_column():
    assert number("1.5", unit="", percent=True)[0] == Decimal("150")
    assert number("1.51", unit="", percent=True)[0] == Decimal("1.51")  # past the bound: a percent as written
    assert number("0.9333", unit="", percent=True)[0] == Decimal("93.33")
    assert number("0", unit="", percent=True) == (Decimal("0"), None)


@pytest.mark.parametrize(
    ("text", "kind", "read"),
    [("1000000000", "amount", True), ("1000000000.01", "amount", False), ("-1000000000.01", "amount", False),
     ("1000", "score", True), ("1000.01", "score", False), ("1E+30", "amount", False), ("1e308", "score", False),
     ("12345678901234567890123456789", "amount", False), ("NaN", "amount", False), ("Infinity", "amount", False),
     ("-Infinity", "amount", False), ("sNaN", "amount", False)],
)
def test_numbers_beyond_a_budget_are_refused_with_a_reason(text, kind, read):
    unit = {"amount": "万元", "score": "分"}[kind]
    value, problem = number(text, unit=unit)
    if read:
        assert value == Decimal(text) and problem is None
    else:
        assert value is None and "未导入" in problem


@pytest.mark.parametrize(
    ("text", "value", "note"),
    [("￥11.48", "11.48", None), ("¥11.48", "11.48", None), ("11.48（万元）", "11.48", None), ("11.48万元", "11.48", None),
     ("—", None, None), ("－", None, None), ("--", None, None), ("约50", "50", "约数"), ("50左右", "50", "约数"),
     ("11。48", "11.48", "小数点"), ("1,146.79", "1146.79", None), ("人民币11.48", "11.48", None)],
)
def test_values_as_clerks_write_them(text, value, note):
    got, problem = number(text)
    assert got == (Decimal(value) if value else None)
    assert (problem is None) if note is None else (note in problem and "读作" in problem)


# ------------------------------------------------------------------ the label-matching line, each side pinned


def _matcher(monkeypatch, **settings):
    from jixiao.forms import reader_settings
    from jixiao.io.docx_reader import labels

    real = reader_settings()
    patched = {**real, "label_match": {**real["label_match"], **settings}}
    monkeypatch.setattr(labels, "reader_settings", lambda form=None: patched)
    from jixiao.forms import load_form

    return labels.Matcher(load_form()["basic"]["amount_rows"])


def test_a_guess_is_placed_at_the_line_and_not_below_it(monkeypatch):
    score = _matcher(monkeypatch).guess("政府采购金").score
    assert _matcher(monkeypatch, min_similarity=score, min_margin=0).guess("政府采购金").confident
    assert not _matcher(monkeypatch, min_similarity=score + 0.001, min_margin=0).guess("政府采购金").confident


def test_a_guess_needs_its_margin_over_the_next_row(monkeypatch):
    guess = _matcher(monkeypatch, min_margin=0).guess("公务用车运行费")  # near 公车运行维护 and 公务用车购置及运行费
    assert guess.score >= 0.8 and guess.confident
    assert not _matcher(monkeypatch).guess("公务用车运行费").confident


def test_the_configured_line():
    from jixiao.io.docx_reader.vocab import vocab

    m = vocab(2023).basic_match
    assert m.min_similarity == 0.8 and m.min_margin == 0.1  # docs/import.md states these
    assert m.guess("政府采购金").confident  # 0.87
    assert not m.guess("公车维护").confident  # 0.65: named as the guess, not placed


def test_a_guess_below_the_line_names_the_row_it_guessed(seed_pkg):
    blocks = package_blocks(seed_pkg)
    _replace_label(blocks, "公车运行维护", "公车维护")
    result = import_docx_bytes(word(blocks), "x.docx")
    assert any("公车维护" in i.message and "最接近“公车运行维护”" in i.message for i in result.issues)
    assert result.package.basic.vehicle_operation.final is None


def test_two_rows_never_land_on_one_target(seed_pkg):
    blocks = package_blocks(seed_pkg)
    rows = _rows(blocks, "basic")
    _replace_label(blocks, "会议费、培训费", "会议培训")
    at = next(k for k, r in enumerate(rows) if r[0] == "会议培训")
    rows.insert(at + 1, ["会议费及培训费", "1.00", "1.00", "1.00"])
    result = import_docx_bytes(word(blocks), "x.docx")
    messages = [i.message for i in result.issues]
    assert sum("无法确定哪一行是" in m for m in messages) == 2, messages
    assert result.package.basic.meeting_training.final is None


def test_a_header_over_three_rows(seed_pkg):
    blocks = package_blocks(seed_pkg)
    rows = _rows(blocks, "overall")
    i = next(k for k, r in enumerate(rows) if len(r) == 9 and r[1] == "一级指标")
    top = list(rows[i])
    top[4], top[5], top[8] = "年度", "实际", "偏差原因"
    middle = ["^^"] * 9
    middle[4], middle[5], middle[8] = "指标", "完成", "分析及"
    bottom = ["^^"] * 9
    bottom[4], bottom[5], bottom[8] = "值", "值", "改进措施"
    rows[i : i + 1] = [top, middle, bottom]
    result = import_docx_bytes(word(blocks), "three.docx")
    assert result.package == seed_pkg, [i.describe() for i in result.issues]
    assert result.issues == []


def test_a_workbook_whose_title_is_in_a_cell_has_its_year(seed_pkg):
    """A1 holds '2023年度…基础数据表' and the columns say 上年/本年: the year comes from the title cell."""
    import io

    import openpyxl

    from jixiao.io.xlsx_io import import_xlsx_bytes

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "2023年度预算单位整体支出绩效评价基础数据表"
    ws.append(["预算单位名称", seed_pkg.basic.unit_name])
    ws.append(["经费控制情况（万元）", "上年决算数", "本年预算数", "本年决算数"])
    ws.append(["三公经费", 35.2, 6.0, 11.48])
    out = io.BytesIO()
    wb.save(out)
    result = import_xlsx_bytes(out.getvalue(), "x.xlsx")
    assert result.package.fiscal_year == 2023
    assert str(result.package.basic.sangong.final) == "11.48"


@pytest.mark.parametrize("text", ["1E+30", "NaN", "-Infinity", "123456789012345678901234567890"])
def test_an_absurd_amount_is_named_by_its_row_and_column(seed_pkg, text):
    blocks = package_blocks(seed_pkg)
    amount_cell("公车运行维护", 3, text)(blocks)
    result = import_docx_bytes(word(blocks), "x.docx")
    hits = [i.describe() for i in result.issues if text in i.message]
    assert len(hits) == 1 and "“公车运行维护”行“2023年决算数”列" in hits[0] and "未导入" in hits[0], hits
    assert result.package.basic.vehicle_operation.final is None


@pytest.mark.parametrize(("target", "actual", "want_target", "want_actual"), [
    ("95%", "0.95", "95%", "95%"), ("≥95%", "0.97", "≥95%", "97%"), ("0.9", "92%", "90%", "92%"),
    ("95%", "2", "95%", "2"), ("95%", "0.95万", "95%", "0.95万"), ("95", "0.95", "95", "0.95")])
def test_a_fraction_beside_a_percent_in_an_indicator_row(seed_pkg, target, actual, want_target, want_actual):
    blocks = package_blocks(seed_pkg)
    rows = _rows(blocks, "overall")
    row = next(r for r in rows if len(r) == 9 and r[3] and r[4] and r[1] != "一级指标")
    row[4], row[5] = target, actual
    result = import_docx_bytes(word(blocks), "x.docx")
    ind = next(i for l1 in result.package.overall.indicators for i in l1.all_indicators() if i.name == row[3])
    assert (ind.target.raw, ind.actual.raw) == (want_target, want_actual)
    changed = (want_target, want_actual) != (target, actual)
    assert any("小数比例" in i.message for i in result.issues) is changed


def test_a_signature_line_cut_into_cells_is_read(seed_pkg):
    """Spreadsheets hold the signature line in several cells; every field is read, nothing reported."""
    import io

    import openpyxl

    from jixiao.io.xlsx_io import import_xlsx_bytes

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "2023年度预算单位整体支出绩效评价基础数据表"
    ws.append(["预算单位名称", seed_pkg.basic.unit_name])
    ws.append(["经费控制情况（万元）", "2022年决算数", "2023年预算数", "2023年决算数"])
    ws.append(["三公经费", 35.2, 6.0, 11.48])
    ws.append(["单位负责人签字：", "填表人：刘莉", "联系电话：0730-8915881", "填报日期：2024年3月"])
    out = io.BytesIO()
    wb.save(out)
    result = import_xlsx_bytes(out.getvalue(), "x.xlsx")
    sig = result.package.basic.signature
    assert (sig.filled_by, sig.phone, sig.date) == ("刘莉", "0730-8915881", "2024年3月")
    assert not any("未导入" in i.message for i in result.issues), [i.describe() for i in result.issues]
