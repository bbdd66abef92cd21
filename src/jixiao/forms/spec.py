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


class EvaluationSpec(_Spec):
    funds_columns: list[Column]
    funds_total: Column
    income_rows: list[Column]
    spending_rows: list[Column]
    project_fund_rows: list[Column]
    indicator_columns: list[Column]
    level1: list[Level1Spec]


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
    attachments: dict[str, str]
    titles: dict[str, str]
    basic: dict[str, str]
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
    parts: dict[Literal["basic", "overall", "project", "report"], PartSpec]
    limits: Limits
    basic: BasicSpec
    evaluation: EvaluationSpec
    report: ReportSpec
    derived: DerivedSpec = DerivedSpec()
    captions: CaptionSpec
    caption_aliases: dict[str, dict[str, list[str]]] = {}
    reader: ReaderSpec

    @model_validator(mode="after")
    def _every_part_and_title(self) -> FormSpec:
        missing = {"basic", "overall", "project", "report"} - set(self.parts)
        if missing:
            raise ValueError(f"parts 缺少：{'、'.join(sorted(missing))}")
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
