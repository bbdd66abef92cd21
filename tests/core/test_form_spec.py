"""The form definition is typed (jixiao.forms.spec.FormSpec): what does not fit is refused when the
form is loaded, naming where; and every field the definition names is a field of the package model."""

from __future__ import annotations

import copy

import pytest
from pydantic import ValidationError

from jixiao.forms import load_form, load_spec
from jixiao.forms.spec import FormSpec, describe
from jixiao.model import Package
from jixiao.model.package import (
    BasicDataTable,
    FundsRow,
    IncomeSplit,
    OverallTable,
    ProjectTable,
    SpendingSplit,
)


def _broken(edit):
    data = copy.deepcopy(load_form())
    edit(data)
    with pytest.raises(ValidationError) as info:
        FormSpec.model_validate(data)
    return describe(info.value, "x")


def test_the_form_fits_its_spec():
    spec = load_spec()
    assert spec.id == "hunan-2023" and spec.parts["basic"].name == "基础数据表"
    assert [r.field for r in spec.basic.amount_rows][:2] == ["sangong", "vehicle"]


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda d: d["basic"]["amount_rows"][0].update(sum_of=["vehicle", "nosuch"]), "引用了表中没有的行：nosuch"),
        (lambda d: d["basic"]["amount_rows"][0].update(colour="red"), "basic.amount_rows.0.colour"),
        (lambda d: d["reader"]["label_match"].update(min_similarity=1.5), "reader.label_match.min_similarity"),
        (lambda d: d["limits"].update(max_abs_amount="many"), "limits.max_abs_amount"),
        (lambda d: d["evaluation"]["level1"][0]["children"][0].update(kind="sideways"), "evaluation.level1.0.children.0.kind"),
        (lambda d: d["parts"].pop("report"), "parts 中没有“report”，但“report”段与之不符"),
        (lambda d: d.pop("report"), "parts 中有“report”，但“report”段与之不符"),
        (lambda d: d["parts"].clear(), "parts 为空"),
        (lambda d: d["evaluation"]["indicator_columns"].pop(0), "indicator_columns 缺少：level1"),
        (lambda d: d["evaluation"]["project_fund_rows"][0].update(field="nothing"), "不是表中的栏目：nothing"),
        (lambda d: d["derived"]["rates"][0].update(part="elsewhere"), "derived.rates.0.part"),
    ],
)
def test_a_definition_that_does_not_fit_is_refused_naming_where(edit, where):
    message = _broken(edit)
    assert message.startswith("表式定义“x”有误：") and where in message, message


def test_every_field_the_form_names_is_a_model_field():
    spec = load_spec()
    basic = set(BasicDataTable.model_fields)
    for row in spec.basic.amount_rows:
        assert row.field in basic and (row.items is None or row.items in basic)
    staffing = set(BasicDataTable.model_fields["staffing"].annotation.model_fields)
    assert {c.field for c in spec.basic.staffing_columns} <= staffing
    building = set(BasicDataTable.model_fields["buildings"].annotation.__args__[0].model_fields)
    assert {c.field for c in spec.basic.building_columns} <= building
    assert {c.field for c in spec.evaluation.funds_columns} <= set(FundsRow.model_fields)
    assert {c.field for c in spec.evaluation.income_rows} <= set(IncomeSplit.model_fields)
    assert {c.field for c in spec.evaluation.spending_rows} <= set(SpendingSplit.model_fields)
    assert {c.field for c in spec.evaluation.project_fund_rows} <= set(ProjectTable.model_fields)
    assert spec.evaluation.funds_total.field in OverallTable.model_fields
    assert {s.field for s in spec.captions.signature} <= set(
        OverallTable.model_fields["signature"].annotation.model_fields)
    assert {"basic", "overall", "projects", "report"} <= set(Package.model_fields)
