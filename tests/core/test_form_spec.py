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
        (lambda d: next(c for c in d["evaluation"]["indicator_columns"] if c["field"] == "actual").update(field="remark"),
         "indicator_columns 缺少：actual"),
        (lambda d: d["evaluation"]["indicator_columns"][-1].update(option="经费保障"), "不是勾选栏，不能有 option"),
        (lambda d: d["evaluation"]["project_fund_rows"][0].update(field="nothing"), "不是表中的栏目：nothing"),
        (lambda d: d["derived"]["rates"][0].update(part="elsewhere"), "derived.rates.0.part"),
    ],
)
def test_a_definition_that_does_not_fit_is_refused_naming_where(edit, where):
    message = _broken(edit)
    assert message.startswith("表式定义“x”有误：") and where in message, message


def _broken_cycle(name, edit):
    data = copy.deepcopy(load_form(name))
    edit(data)
    with pytest.raises(ValidationError) as info:
        FormSpec.model_validate(data)
    return describe(info.value, "x")


@pytest.mark.parametrize(
    ("name", "edit", "where"),
    [
        # a target form needs its 年度指标值; a monitoring form its 全年预计完成值 too
        ("targets-national", lambda d: [c.update(field="weight") for c in d["evaluation"]["indicator_columns"]
                                        if c["field"] == "target"], "indicator_columns 缺少：target"),
        ("monitoring-national", lambda d: [c.update(field="remark") for c in d["evaluation"]["indicator_columns"]
                                           if c["field"] == "forecast"], "indicator_columns 缺少：forecast"),
        ("monitoring-national", lambda d: d["evaluation"]["indicator_columns"][6].pop("option"), "须有 option（勾选栏）"),
        ("targets-national", lambda d: d["evaluation"].pop("tasks"), "没有 evaluation.tasks"),
        # the 整体 table's 指标值 takes two grid columns: one makes its row short of the grid
        ("targets-national", lambda d: d["evaluation"]["indicator_columns"][5].update(span=1), "与整体表之不符"),
        ("targets-national", lambda d: d["evaluation"]["goals_columns"][0].update(span=4), "与项目表之不符"),
        ("targets-national", lambda d: d["evaluation"]["layout"]["part_blocks"].update(overall=["tasks", "goals"]),
         "layout.blocks 缺少：header、indicators"),
        ("targets-national", lambda d: d.update(stage="audit"), "stage"),
    ],
)
def test_a_cycle_form_that_does_not_fit_is_refused(name, edit, where):
    message = _broken_cycle(name, edit)
    assert where in message, message


def test_the_cycle_forms_fit_their_spec():
    targets, monitoring = load_spec("targets-national"), load_spec("monitoring-national")
    assert (targets.stage, monitoring.stage, load_spec().stage) == ("targets", "monitoring", "evaluation")
    assert targets.evaluation.layout.blocks_of("overall") == ["header", "tasks", "goals", "indicators"]
    assert [c.option for c in monitoring.evaluation.indicator_columns if c.field == "causes"] == [
        "经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"]


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


def test_every_field_a_form_may_name_is_a_model_field():
    from jixiao.forms import spec as s
    from jixiao.model import Goals, Indicator, Task

    assert set(s.FUNDS_COLUMN_FIELDS) <= set(FundsRow.model_fields)
    assert set(s.INDICATOR_COLUMN_FIELDS) - {"level1", "level2"} <= set(Indicator.model_fields)
    assert set(s.GOALS_FIELDS) <= set(Goals.model_fields)
    assert set(s.HEADER_FIELDS) <= set(ProjectTable.model_fields)
    assert set(s.TASK_FIELDS) <= set(Task.model_fields)
    assert set(s.FUND_ROW_FIELDS) <= set(ProjectTable.model_fields) & set(OverallTable.model_fields)
