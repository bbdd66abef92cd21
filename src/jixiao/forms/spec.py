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
    # A tick column (监控表's 偏差原因: 经费保障, 制度保障 …): the cell is ticked ('√') when the row's
    # list ``field`` holds this option, blank when not. Only for list fields (``causes``).
    option: str | None = None
    group: str | None = None  # a caption printed over consecutive columns of one group (偏差原因分析)
    # A choice column (监控表's 完成目标可能性): the values the form offers; the web draws a
    # drop-down, the Excel template a list check. The cell holds one of them, as text.
    choices: list[str] = []
    # The table kinds that print the column (a target form's 中期指标值 is on the 项目 table only);
    # None: every table of the form. A field may appear twice, once per kind, with its own span.
    parts: list[Literal["overall", "project"]] | None = None


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
FUNDS_COLUMN_FIELDS = ("initial_budget", "full_year_budget", "executed", "weight", "execution_rate", "self_score", "reason",
                       "mid_term_budget", "forecast")
INDICATOR_COLUMN_FIELDS = ("level1", "level2", "name", "nature", "target", "unit", "actual", "weight", "self_score",
                           "deviation_reason", "mid_term_target", "forecast", "causes", "likelihood", "remark")
TICK_FIELDS = ("causes",)  # indicator fields that are lists, drawn as one tick column per option
TEXT_ROW_FIELDS = ("summary", "conclusion", "problems", "improvements")
GOALS_FIELDS = ("mid_term", "expected", "actual")
HEADER_FIELDS = ("project_type", "project_period")
TASK_FIELDS = ("name", "content", "total", "fiscal", "other")

Stage = Literal["targets", "monitoring", "evaluation"]
# The indicator columns a form of each step of the cycle must print (docs/cycle.md).
STAGE_INDICATOR_FIELDS: dict[str, set[str]] = {
    "targets": {"level1", "level2", "name", "target"},
    "monitoring": {"level1", "level2", "name", "target", "actual", "forecast"},
    "evaluation": {"level1", "level2", "name", "target", "actual", "weight", "self_score"},
}


class TextRow(Column):
    """A free-text row of an evaluation table (项目实施内容及过程概述, 评价结论 …)."""

    where: Literal["goals", "end"] = "end"  # in the goals block, or under the total row


Block = Literal["header", "goals", "funds", "indicators", "total", "text", "tasks"]
TablePart = Literal["overall", "project"]


class LayoutSpec(_Spec):
    """How an evaluation table is drawn (jixiao.forms.grid): its grid columns, the spans of the
    captions and the order of its blocks. Funds and indicator columns take their own ``span``."""

    widths: list[float] = Field(min_length=2)  # millimetres, one per grid column
    landscape: bool = True
    section_span: int = Field(default=1, ge=1)  # the section captions down the left (资金 / 目标 / 指标)
    header_label_span: int = Field(default=3, ge=1)  # 项目名称 / 主管部门 captions of the header block
    header_pair: tuple[int, int] = (3, 1)  # the span of 主管部门's value, and of 实施单位's caption after it
    funds_label_span: int = Field(default=2, ge=1)  # the funds rows' label (年度资金总额 …)
    split_spans: tuple[int, int, int, int] = (3, 1, 3, 2)  # 按收入/支出性质分: label, amount, label, amount
    # 预期目标 and 实际完成情况; the goals block's own label column before them (when the block is
    # headed by another caption, `goals_section`, and the goals caption labels its rows).
    goals_spans: tuple[int, int] | None = None
    goals_label_span: int = Field(default=0, ge=0)
    goals_section: str = "goals"  # the caption key of the goals block's section column
    text_label_span: int = Field(default=3, ge=1)  # the label of a text row under the total
    blocks: list[Block] = ["header", "funds", "goals", "indicators", "total", "text"]
    printed_rows: dict[TablePart, int] = {}  # rows a printed table has under each 二级指标 ('……' last)
    # A table kind that draws other blocks than ``blocks`` (an 整体 target table: 年度主要任务, no funds).
    part_blocks: dict[TablePart, list[Block]] = {}

    def blocks_of(self, part: str) -> list[str]:
        return list(self.part_blocks.get(part, self.blocks))

    @model_validator(mode="after")
    def _blocks_once(self) -> LayoutSpec:
        for blocks in [self.blocks, *self.part_blocks.values()]:
            if len(set(blocks)) != len(blocks):
                raise ValueError("layout.blocks 中有重复的块")
            missing = {"header", "indicators"} - set(blocks)
            if missing:
                raise ValueError(f"layout.blocks 缺少：{'、'.join(sorted(missing))}")
        return self


def columns_of(columns: list[Column], part: str) -> list[Column]:
    """The columns the table kind ``part`` ('overall' / 'project') prints, in order."""
    return [c for c in columns if c.parts is None or part in c.parts]


class TasksSpec(_Spec):
    """年度主要任务 of an 整体 target table: one row per task, then the 金额合计 row."""

    columns: list[Column]  # fields of jixiao.model.Task: name, content, total, fiscal, other
    total_label: str = "金额合计"
    total_aliases: list[str] = []


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
    # The goals block's columns, in order (a target form: 中期目标 beside 年度目标); without them,
    # 预期目标 (``expected``) beside 实际完成情况 (``actual``) under the captions goals_expected/actual.
    goals_columns: list[Column] = []
    # Caption/value pairs a 项目 table's header prints after 主管部门 · 实施单位 (项目属性 · 项目期).
    project_header: list[Column] = []
    tasks: TasksSpec | None = None  # 年度主要任务 (an 整体 target table)
    layout: LayoutSpec | None = None  # how the tables are drawn; without it, drawn from the columns

    @model_validator(mode="after")
    def _known_fields(self) -> EvaluationSpec:
        checks = [
            ("funds_columns", self.funds_columns, FUNDS_COLUMN_FIELDS),
            ("project_fund_rows", self.project_fund_rows, FUND_ROW_FIELDS),
            ("overall_fund_rows", self.overall_fund_rows, FUND_ROW_FIELDS),
            ("indicator_columns", self.indicator_columns, INDICATOR_COLUMN_FIELDS),
            ("text_rows", self.text_rows, TEXT_ROW_FIELDS),
            ("goals_columns", self.goals_columns, GOALS_FIELDS),
            ("project_header", self.project_header, HEADER_FIELDS),
            ("tasks.columns", self.tasks.columns if self.tasks else [], TASK_FIELDS),
        ]
        for name, cols, known in checks:
            unknown = [c.field for c in cols if c.field not in known]
            if unknown:
                raise ValueError(f"evaluation.{name} 中的 field 不是表中的栏目：{'、'.join(unknown)}")
        for c in self.indicator_columns:
            if (c.option is None) != (c.field not in TICK_FIELDS):
                raise ValueError(f"evaluation.indicator_columns：“{c.label}”"
                                 + ("须有 option（勾选栏）" if c.option is None else "不是勾选栏，不能有 option"))
        return self

    @model_validator(mode="after")
    def _layout_fits(self) -> EvaluationSpec:
        """Every row of the layout fills the grid exactly, for each table kind: a span that does not
        add up is refused here."""
        lay = self.layout
        if lay is None:
            return self
        n = len(lay.widths)
        for part in ("overall", "project"):
            blocks = lay.blocks_of(part)
            rows = {"indicator_columns": lay.section_span + sum(c.span for c in columns_of(self.indicator_columns, part))}
            if "funds" in blocks:
                rows["funds_columns"] = lay.section_span + lay.funds_label_span + sum(
                    c.span for c in columns_of(self.funds_columns, part))
            if "goals" in blocks and self.goals_columns:
                rows["goals_columns"] = lay.section_span + lay.goals_label_span + sum(
                    c.span for c in columns_of(self.goals_columns, part))
            elif "goals" in blocks and lay.goals_spans is not None:
                rows["goals_spans"] = lay.section_span + lay.goals_label_span + sum(lay.goals_spans)
            if "tasks" in blocks and part == "overall":
                if self.tasks is None:
                    raise ValueError("layout 有“tasks”块，但没有 evaluation.tasks")
                rows["tasks.columns"] = lay.section_span + sum(c.span for c in self.tasks.columns)
            if part == "overall" and (self.income_rows or self.spending_rows):
                rows["split_spans"] = lay.section_span + sum(lay.split_spans)
            wrong = [f"{k}（{v}列）" for k, v in rows.items() if v != n]
            if wrong:
                raise ValueError(f"layout.widths 有{n}列，与{'整体' if part == 'overall' else '项目'}表之不符：{'、'.join(wrong)}")
            if [c.field for c in columns_of(self.indicator_columns, part)[:2]] != ["level1", "level2"]:
                raise ValueError("layout：indicator_columns 须以 level1、level2 开头（两级指标向下合并）")
        if lay.header_label_span + sum(lay.header_pair) >= n or lay.text_label_span >= n:
            raise ValueError("layout 的表头或文字行标签跨列过多，值单元格无处可放")
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


class RecognitionSpec(_Spec):
    """What tells a file on this form from a file on another form with the same title."""

    # Header or row labels only this form prints ('自评得分', '指标性质'): each one found counts for it.
    labels: list[str] = []


class ReaderSpec(_Spec):
    rate_fraction_max: Decimal = Field(gt=0)
    generic_headers: list[str] = []
    label_match: LabelMatch
    recognition: RecognitionSpec = RecognitionSpec()
    # Text the form itself prints inside a value cell (hints, numbered notes); read as form text,
    # never as what the unit wrote. Compared without spaces and punctuation.
    form_text: list[str] = []


class FormSpec(_Spec):
    id: str
    name: str | None = None  # how people call the form ('全国通用项目支出绩效自评表')
    # The step of the yearly cycle the form belongs to (docs/cycle.md): 绩效目标申报 (targets),
    # 绩效监控 (monitoring) or 绩效自评 (evaluation, the default).
    stage: Stage = "evaluation"
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
        for part in ("overall", "project"):
            if part not in self.parts:
                continue
            printed = {c.field for c in columns_of(self.evaluation.indicator_columns, part)}
            missing = STAGE_INDICATOR_FIELDS[self.stage] - printed
            if missing:
                raise ValueError(f"evaluation.indicator_columns 缺少：{'、'.join(sorted(missing))}")
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
