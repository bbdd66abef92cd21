"""Absurd and non-finite numbers never crash anything (issue #10).

A cell holding NaN, Infinity or a value beyond the form's limits is refused on its cell with
a Chinese message; whatever the model accepts, however large, tiny or odd, checks, scores,
drafts and renders without raising.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from tests.support.examples import SEED_PATH, seed

from jixiao.api import check_package, scores_dict
from jixiao.cli import main
from jixiao.forms import load_form, value_limits
from jixiao.model import Package
from jixiao.model.package import AmountRow, FundsRow, Staffing
from jixiao.model.values import fmt, money, rounded
from jixiao.render.fill import fill_computed
from jixiao.render.tables import build_parts
from jixiao.report.draft import draft_report

ABSURD = ["NaN", "nan", "Infinity", "-Infinity", "inf", "sNaN", "-sNaN", "1E+30", "1e308", "-1e308",
          "1" * 29, "9" * 400, "1e999999999999", "1E+1000000"]

NUMBER_PATHS = [
    "basic.staffing.establishment", "basic.staffing.actual", "basic.staffing.control_rate",
    "basic.sangong.final", "basic.sangong.budget", "basic.vehicle.final", "basic.project_spending.budget",
    "basic.project_spending.final", "basic.business_funds.final", "basic.public_funds.final",
    "overall.funds.initial_budget", "overall.funds.full_year_budget", "overall.funds.executed",
    "overall.funds.weight", "overall.funds.execution_rate", "overall.funds.self_score",
    "overall.income.general_budget", "overall.spending.basic", "overall.total_weight", "overall.total_self_score",
    "overall.indicators.0.children.0.indicators.0.weight", "overall.indicators.0.children.0.indicators.0.self_score",
    "projects.0.funds.full_year_budget", "projects.0.funds.executed", "projects.0.funds.self_score",
]
TEXT_PATHS = ["overall.indicators.0.children.0.indicators.0.actual", "overall.indicators.0.children.0.indicators.0.target"]


def _set(doc: dict, path: str, value) -> None:
    keys = [int(k) if k.isdigit() else k for k in path.split(".")]
    node = doc
    for k in keys[:-1]:
        node = node[k]
    node[keys[-1]] = value


def _exercise(package: Package) -> None:
    result = check_package(package)
    for finding in result.findings:
        assert finding.message
    json.dumps(result.to_dict(), ensure_ascii=False)
    for table in result.scores:
        scores_dict(table)
    form = load_form()
    filled, _ = fill_computed(package, form)
    build_parts(filled, form)
    draft_report(package)


def test_the_limits_are_data_of_the_form():
    limits = value_limits()
    assert limits.amount == Decimal("1000000000")
    assert limits.score == Decimal("1000")
    assert limits.percent > Decimal("100") and limits.count >= Decimal("1000000")
    assert value_limits("hunan-2023") is value_limits(load_form())
    assert load_form()["limits"]["max_abs_amount"] == "1000000000"


@pytest.mark.parametrize("raw", ABSURD)
def test_absurd_amounts_are_refused_on_their_cell_in_chinese(raw):
    with pytest.raises(ValidationError) as info:
        AmountRow(final=raw)
    msg = info.value.errors()[0]["msg"].removeprefix("Value error, ")
    assert "不是数值" in msg or "超出金额的合理范围" in msg
    assert len(msg) < 120
    assert "{" not in msg


def test_messages_name_what_was_typed():
    with pytest.raises(ValidationError, match="“NaN”不是数值"):
        AmountRow(final="NaN")
    with pytest.raises(ValidationError, match="“NaN”不是数值"):
        AmountRow(final=float("nan"))
    with pytest.raises(ValidationError, match="“Infinity”不是数值"):
        AmountRow(final=float("inf"))
    with pytest.raises(ValidationError, match="超出分值的合理范围"):
        FundsRow(weight="1e308")
    with pytest.raises(ValidationError, match="超出比率的合理范围"):
        FundsRow(execution_rate="1E+30%")
    with pytest.raises(ValidationError, match="超出人数的合理范围"):
        Staffing(actual=10**12)
    with pytest.raises(ValidationError, match="超出金额的合理范围"):
        AmountRow(final=10**5000)


def test_values_within_the_limits_stay_exact():
    assert AmountRow(final="999999999.99").final == Decimal("999999999.99")
    assert AmountRow(final="-1000000000").final == Decimal("-1000000000")
    assert AmountRow(final=0.30000000000000004).final == Decimal("0.3000000000")
    assert AmountRow(final="1e-999999999").final == 0
    assert AmountRow(final="1,146.79").final == Decimal("1146.79")


def test_rounding_never_raises_on_any_size():
    assert money(Decimal("1E+30")) == Decimal("1E+30")
    assert fmt(Decimal("1E+30")) == "1000000000000000000000000000000.00"
    assert str(rounded(Decimal("1E+100"), 2)).endswith(".00")
    assert rounded(Decimal("NaN"), 2).is_nan()


def _rounded_by_definition(value: Decimal, places: int) -> Decimal:
    """What rounded() means, said plainly: 四舍五入 to ``places`` with all the digits it takes;
    NaN, Infinity and numbers past 10^1000 unchanged."""
    if not value.is_finite() or value.adjusted() > 1000:
        return value
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + places + 3)
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@given(st.decimals(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [Decimal("sNaN"), Decimal("1E+1001"), Decimal("-1E+27"), Decimal("123456789012345678901234567.125"),
     Decimal("0.125"), Decimal("-2.345"), Decimal("2.5"), Decimal("0.0000005"), Decimal("-0.00005")]),
    st.integers(min_value=0, max_value=6))
def test_rounding_is_half_up_at_any_size(value, places):
    """money() and rounded() try the plain quantize first and fall back on the slow path only when
    it refuses: the result is the definition's whatever the size (NaN compared as NaN)."""
    expected = _rounded_by_definition(value, places)
    for got in [rounded(value, places), *([money(value)] if places == 2 else [])]:
        if expected.is_nan():
            assert got.is_nan() and got.is_snan() == expected.is_snan()
        else:
            assert got == expected and str(got) == str(expected)


amount_values = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=-10**10, max_value=10**10),
    st.decimals(min_value=Decimal("-1e-20"), max_value=Decimal("1e-20")),
    st.sampled_from(ABSURD + ["0", "-0", "0.0000000001", "1e-30", "999999999.99", "/"]),
    st.integers(min_value=-10**40, max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
)


def _as_json_value(v):
    return str(v) if isinstance(v, Decimal) else v


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.dictionaries(st.sampled_from(NUMBER_PATHS), amount_values, min_size=1, max_size=6),
    texts=st.dictionaries(st.sampled_from(TEXT_PATHS),
                          st.one_of(st.sampled_from(["9" * 400 + "%", "1e308家", "0", "0.0000000000001%", "≥" + "9" * 60]),
                                    st.decimals(allow_nan=True).map(str)), max_size=2),
)
def test_any_value_in_any_number_cell_never_crashes_check_score_render(values, texts):
    doc = seed().model_dump(mode="json")
    for path, v in {**values, **texts}.items():
        _set(doc, path, _as_json_value(v))
    try:
        package = Package.model_validate(doc)
    except ValidationError as exc:
        for err in exc.errors():
            assert "不是数值" in err["msg"] or "超出" in err["msg"] or "整数" in err["msg"], err["msg"]
        return
    _exercise(package)


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "1E+30", "1e308"])
@pytest.mark.parametrize("command", ["check", "score", "draft"])
def test_cli_says_one_chinese_line_and_exits_2(raw, command, tmp_path, capsys):
    doc = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    doc["basic"]["sangong"]["final"] = raw
    src = tmp_path / "x.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    argv = [command, str(src)] + (["-o", str(tmp_path / "d.md")] if command == "draft" else [])
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert "basic.sangong.final" in err and ("不是数值" in err or "超出金额的合理范围" in err)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400", "1" + "0" * 5000])
def test_json_literals_beyond_floats_are_refused_on_their_cell(literal, tmp_path, capsys):
    text = SEED_PATH.read_text(encoding="utf-8")
    doc = json.loads(text)
    doc["overall"]["funds"]["executed"] = "@@"
    src = tmp_path / "x.json"
    src.write_text(json.dumps(doc, ensure_ascii=False).replace('"@@"', literal), encoding="utf-8")
    assert main(["check", str(src)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "overall.funds.executed" in err


def test_render_refuses_absurd_json_in_one_line(tmp_path, capsys):
    doc = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    doc["overall"]["indicators"][0]["children"][0]["indicators"][0]["weight"] = "1e308"
    src = tmp_path / "x.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert main(["render", str(src), "--out", str(tmp_path / "out"), "--format", "xlsx"]) == 2
    err = capsys.readouterr().err.strip()
    assert "超出分值的合理范围" in err and len(err.splitlines()) == 1
    assert not list(Path(tmp_path / "out").glob("*")) if (tmp_path / "out").exists() else True


@pytest.mark.parametrize("value", [1e30, float("inf"), float("-inf"), "NaN", "1E+30", 1e308, "1" * 29, "-Infinity"])
def test_an_excel_cell_with_an_absurd_number_never_crashes(value, tmp_path, capsys):
    import openpyxl

    from jixiao.io import import_package
    from jixiao.io.xlsx_io import write_template

    src = tmp_path / "t.xlsx"
    src.write_bytes(write_template(2023, package=seed()))
    wb = openpyxl.load_workbook(src)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, int | float) and not isinstance(c.value, bool)]
    assert cells
    for cell in cells[:3]:
        cell.value = value
    wb.save(src)
    # The reader refuses the number on its cell (an import finding naming it) and reads the rest.
    result = import_package(src)
    refused = [i for i in result.issues if "未导入" in i.message and ("超出" in i.message or "不是数值" in i.message)]
    written = not (isinstance(value, float) and value in (float("inf"), float("-inf")))  # openpyxl writes no inf
    assert len(refused) == (3 if written else 0), [i.describe() for i in result.issues]
    assert all("工作表" in i.where for i in refused)
    _exercise(result.package)
    for command in ("check", "score"):
        assert main([command, str(src)]) in (0, 1, 2)
        err = capsys.readouterr().err
        assert "Traceback" not in err and "内部错误" not in err


EXTREMES = ["0.0000000001", "-0.0000000001", "999999999.9999999999", "-999999999.9999999999", "0", "1000000000",
            "99999.9999999999", "1.0000000001"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.dictionaries(st.sampled_from(NUMBER_PATHS), st.sampled_from(EXTREMES), min_size=3, max_size=12))
def test_the_extremes_the_limits_allow_never_crash(values):
    doc = seed().model_dump(mode="json")
    limits = value_limits()
    for path, v in values.items():
        number = Decimal(v)
        if path.startswith("basic.staffing.") and path != "basic.staffing.control_rate":
            number = Decimal(abs(int(number)))
        bound = (limits.percent if path.endswith("rate") else
                 limits.count if path.startswith("basic.staffing.") else
                 limits.score if path.endswith(("weight", "self_score")) else limits.amount)
        _set(doc, path, str(max(-bound, min(bound, number))))
    _exercise(Package.model_validate(doc))


def test_a_tiny_budget_with_huge_spending_and_a_long_rate():
    doc = seed().model_dump(mode="json")
    doc["overall"]["funds"].update(full_year_budget="0.0000000001", executed="999999999",
                                   execution_rate="1.0000000001")
    doc["basic"]["staffing"].update(establishment=1, actual=10000000, control_rate="0.0000000001")
    doc["basic"]["sangong"].update(prev_final="0.0000000001", budget="0.0000000001", final="999999999.9999999999")
    _exercise(Package.model_validate(doc))
