"""The form definition, typed: ``FormSpec`` is what a form's YAML must be.

``load_form`` parses every definition through it, so a misspelt key, a row that sums a row the
form lacks, a rate over a field that is not there, or a threshold that is not a number is refused
when the form is loaded (one Chinese line), not found later as a wrong sum. New code may read the
typed ``load_spec(name)``; the rest reads the same, validated, data as a dict.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PartSpec(_Spec):
    name: str
    title_patterns: list[str] = Field(min_length=1)


class Limits(_Spec):
    max_abs_amount: Decimal
    max_abs_score: Decimal
    max_abs_percent: Decimal
    max_count: Decimal
    max_places: int = Field(ge=0, le=28)


class Column(_Spec):
    field: str
    label: str
    aliases: list[str] = []
    span: int = Field(default=1, ge=1, le=20)  # grid columns the column takes (layouts that draw it)


class AmountRow(Column):
    sum_of: list[str] | None = None  # the row equals the sum of these rows, per column
    items: str | None = None  # the row is the subtotal of this open "一个专项一行" list
    subset_of: list[str] | None = None  # 其中 rows whose sum may not exceed the row


class BasicSpec(_Spec):
    staffing_columns: list[Column]
    amount_columns: list[Column]
    amount_rows: list[AmountRow]
    building_columns: list[Column]

    @model_validator(mode="after")
    def _tree_is_closed(self) -> BasicSpec:
        fields = [r.field for r in self.amount_rows]
        if len(set(fields)) != len(fields):
            raise ValueError("basic.amount_rows 中有重复的 field")
        for row in self.amount_rows:
            missing = [f for f in (row.sum_of or []) + (row.subset_of or []) if f not in fields]
            if missing:
                raise ValueError(f"basic.amount_rows “{row.field}” 引用了表中没有的行：{'、'.join(missing)}")
        return self


class Level2Spec(_Spec):
    name: str
    kind: Literal["positive", "reverse"]


class Level1Spec(_Spec):
    name: str
    children: list[Level2Spec]


# The 其中 rows a funds block may print under 年度资金总额 (fields of the evaluation tables).
FUND_ROW_FIELDS = ("current_appropriation", "carryover", "other_funds", "fiscal_funds", "special_account_funds", "unit_funds")
FUNDS_COLUMN_FIELDS = ("initial_budget", "full_year_budget", "executed", "weight", "execution_rate", "self_score", "reason")
INDICATOR_COLUMN_FIELDS = ("level1", "level2", "name", "nature", "target", "unit", "actual", "weight", "self_score",
                           "deviation_reason")
TEXT_ROW_FIELDS = ("summary", "conclusion", "problems", "improvements")


class TextRow(Column):
    """A free-text row of an evaluation table (项目实施内容及过程概述, 评价结论 …)."""

    where: Literal["goals", "end"] = "end"  # in the goals block, or under the total row


class EvaluationSpec(_Spec):
    funds_columns: list[Column]
    funds_total: Column
    income_rows: list[Column] = []  # the 整体 table's 按收入性质分 (forms that print it)
    spending_rows: list[Column] = []  # and 按支出性质分
    project_fund_rows: list[Column] = []  # the 其中 rows of a 项目 table's funds block
    overall_fund_rows: list[Column] = []  # the 其中 rows of an 整体 table's funds block (forms that print them)
    indicator_columns: list[Column]
    level1: list[Level1Spec]
    text_rows: list[TextRow] = []

    @model_validator(mode="after")
    def _known_fields(self) -> EvaluationSpec:
        checks = [
            ("funds_columns", self.funds_columns, FUNDS_COLUMN_FIELDS),
            ("project_fund_rows", self.project_fund_rows, FUND_ROW_FIELDS),
            ("overall_fund_rows", self.overall_fund_rows, FUND_ROW_FIELDS),
            ("indicator_columns", self.indicator_columns, INDICATOR_COLUMN_FIELDS),
            ("text_rows", self.text_rows, TEXT_ROW_FIELDS),
        ]
        for name, cols, known in checks:
            unknown = [c.field for c in cols if c.field not in known]
            if unknown:
                raise ValueError(f"evaluation.{name} 中的 field 不是表中的栏目：{'、'.join(unknown)}")
        need = {"level1", "level2", "name", "target", "actual", "weight", "self_score"}
        missing = need - {c.field for c in self.indicator_columns}
        if missing:
            raise ValueError(f"evaluation.indicator_columns 缺少：{'、'.join(sorted(missing))}")
        return self


class SectionSpec(_Spec):
    number: int = Field(ge=1)
    title: str


class FigureSpec(_Spec):
    path: str
    label: str
    aliases: list[str] = []
    kind: Literal["amount", "percent", "count"] = "amount"
    units: list[str] = []
    sections: list[int] = []
    partition: bool = False
    is_list: bool = Field(default=False, alias="list")  # the parts are the project list


class ReportSpec(_Spec):
    sections: list[SectionSpec]
    figures: list[FigureSpec] = []


class RateSpec(_Spec):
    part: Literal["basic", "evaluation"]
    field: str
    numerator: str
    denominator: str
    row: str
    column: str
    formula: str
    each: str | None = None  # a list whose every item has the rate
    row_from: str | None = None  # the item field that names its row


class DerivedSpec(_Spec):
    rates: list[RateSpec] = []


class SignatureSpec(_Spec):
    field: str
    label: str


class CaptionSpec(_Spec):
    level1_weight: str
    attachments: dict[str, str] = {}
    titles: dict[str, str]
    # A line under the title (forms that print the year on its own line: '（{year}年度）').
    title_lines: dict[str, str] = {}
    # A line above the title (a report number the budget system prints: '报表编号：…').
    preamble: dict[str, str] = {}
    basic: dict[str, str] = {}
    evaluation: dict[str, str]
    signature: list[SignatureSpec]


class LabelMatch(_Spec):
    min_similarity: float = Field(gt=0, le=1)
    min_margin: float = Field(ge=0, le=1)
    generic_endings: list[str] = []


class ReaderSpec(_Spec):
    rate_fraction_max: Decimal = Field(gt=0)
    generic_headers: list[str] = []
    label_match: LabelMatch


class FormSpec(_Spec):
    id: str
    name: str | None = None  # how people call the form ('全国通用项目支出绩效自评表')
    parts: dict[Literal["basic", "overall", "project", "report"], PartSpec]
    limits: Limits
    basic: BasicSpec | None = None  # forms without a 基础数据表 leave it out
    evaluation: EvaluationSpec
    report: ReportSpec | None = None  # forms without a narrative report leave it out
    derived: DerivedSpec = DerivedSpec()
    captions: CaptionSpec
    caption_aliases: dict[str, dict[str, list[str]]] = {}
    reader: ReaderSpec

    @model_validator(mode="after")
    def _every_part_and_title(self) -> FormSpec:
        if not self.parts:
            raise ValueError("parts 为空：表式至少要有一张表")
        for key in ("basic", "report"):
            if (key in self.parts) != (getattr(self, key) is not None):
                raise ValueError(f"parts 中{'有' if key in self.parts else '没有'}“{key}”，但“{key}”段与之不符")
        if "basic" in self.parts and not self.captions.basic:
            raise ValueError("captions.basic 缺少")
        untitled = set(self.parts) - set(self.captions.titles)
        if untitled:
            raise ValueError(f"captions.titles 缺少：{'、'.join(sorted(untitled))}")
        return self


def describe(exc: Exception, name: str) -> str:
    """One Chinese line for a definition that does not fit ``FormSpec``."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "（根）"
        more = f"（另有{len(errors()) - 1}处）" if len(errors()) > 1 else ""
        return f"表式定义“{name}”有误：{where}：{first['msg']}{more}"
    return f"表式定义“{name}”有误：{exc}"
