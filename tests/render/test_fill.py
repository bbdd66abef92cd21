"""--fill-computed: blank computed cells get what the checker asks for; nothing else changes."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render_helpers import one, paragraphs

from jixiao.api import check_package
from jixiao.model import AmountRow, FundsRow
from jixiao.render import render_package
from jixiao.render.fill import fill_computed
from support.examples import clean, seed

FILLABLE = {"rate.blank", "basic.subtotal_blank", "score.total_blank"}


def _expected_by_path(pkg) -> dict[str, str]:
    return {f.location.path: f.expected for f in check_package(pkg).findings if f.rule in FILLABLE}


def test_it_fills_what_the_checker_asks_for_and_the_checker_is_then_satisfied():
    pkg = clean()
    pkg.basic.staffing.control_rate = None
    pkg.basic.sangong = AmountRow()
    pkg.basic.vehicle = AmountRow()
    pkg.overall.funds.execution_rate = None
    pkg.overall.total_self_score = None
    asked = _expected_by_path(pkg)
    assert {"basic.staffing.control_rate", "basic.sangong.final", "overall.funds.execution_rate",
            "overall.total_self_score"} <= set(asked)
    filled_pkg, filled = fill_computed(pkg)
    by_path = {f.path: f.value for f in filled}
    for path, expected in asked.items():
        assert by_path[path] == expected, path
    assert not _expected_by_path(filled_pkg)
    assert filled_pkg.basic.vehicle.final == clean().basic.vehicle.final
    # The original package is left alone.
    assert pkg.basic.sangong == AmountRow()


def test_it_never_overwrites_a_written_value_even_a_wrong_one():
    pkg = seed()
    pkg.basic.staffing.control_rate = Decimal("50")
    filled_pkg, filled = fill_computed(pkg)
    assert filled_pkg.basic.staffing.control_rate == Decimal("50")
    assert {f.path for f in filled} == {"basic.vehicle.budget", "basic.vehicle.final"}
    # '/' is an answer, not a blank.
    assert filled_pkg.projects[0].funds.execution_rate == "/"


def test_it_fills_a_project_total_from_its_three_rows():
    pkg = clean()
    project = pkg.projects[0]
    project.funds.executed = None
    project.current_appropriation = FundsRow(executed=Decimal("100.00"))
    project.other_funds = FundsRow(executed=Decimal("26.40"))
    filled_pkg, filled = fill_computed(pkg)
    assert filled_pkg.projects[0].funds.executed == Decimal("126.40")
    assert any(f.where == "项目支出绩效自评表（业务工作经费）“年度资金总额”行“全年执行数”列" for f in filled)


def test_by_default_the_documents_show_the_blank(tmp_path):
    pkg = clean()
    pkg.basic.staffing.control_rate = None
    plain = render_package(pkg, tmp_path / "plain", ["docx"])
    filled = render_package(pkg, tmp_path / "filled", ["docx"], fill_computed=True)
    assert plain.filled == [] and [f.path for f in filled.filled] == ["basic.staffing.control_rate"]
    from docx import Document

    def rate(result):
        table = Document(str(one(result, ".docx", "基础数据表"))).tables[0]
        return table.rows[2].cells[5].text

    assert rate(plain) == "" and rate(filled) == "95.24%"
    assert paragraphs(one(filled, ".docx", "基础数据表"))[0] == "附件1"


cents = st.integers(0, 10**7).map(lambda c: Decimal(c) / 100)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["sangong", "vehicle", "project_spending", "district_special"]), unique=True),
       st.sampled_from(["prev_final", "budget", "final"]), st.booleans(), st.booleans(), st.integers(1, 500),
       st.integers(0, 600))
def test_after_filling_no_blank_computed_cell_is_left(blank_rows, column, blank_rate, blank_total, est, act):
    pkg = clean()
    for row in blank_rows:
        setattr(getattr(pkg.basic, row), column, None)
    pkg.basic.staffing.establishment, pkg.basic.staffing.actual = est, act
    if blank_rate:
        pkg.basic.staffing.control_rate = None
        pkg.overall.funds.execution_rate = None
    if blank_total:
        pkg.overall.total_self_score = None
        pkg.projects[1].total_self_score = None
    filled_pkg, filled = fill_computed(pkg)
    assert not _expected_by_path(filled_pkg)
    assert len({f.path for f in filled}) == len(filled)
