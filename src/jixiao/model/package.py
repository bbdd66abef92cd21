"""The self-evaluation package: one budget unit x one fiscal year.

Field names are English; the Chinese labels of the forms live in ``jixiao.forms``
(the one form definition that readers, writers, the web form and the sum checks share).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..text import WEIGHT_IN_LABEL, clean_label, fold  # noqa: F401  (clean_label: re-exported)
from .values import Amount, Count, IndicatorValue, Percent, Score

SCHEMA_VERSION = "1"


class _Model(BaseModel):
    # defer_build: schemas are built on first use, so importing the core stays cheap.
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)


class Signature(_Model):
    """The line under each table: 单位负责人签字 / 填表人 / 联系电话 / 填报日期."""

    unit_head: str | None = None
    filled_by: str | None = None
    phone: str | None = None
    date: str | None = None  # as written: '2024-05-26', '2024年5月26日'
    # Forms signed by the people responsible for one project rather than the unit's head.
    project_head: str | None = None  # 项目负责人
    finance_head: str | None = None  # 财务负责人


# ------------------------------------------------------------------ 基础数据表


class AmountRow(_Model):
    """A row of 经费控制情况: 上年决算数, 本年预算数, 本年决算数 (万元)."""

    prev_final: Amount = None
    budget: Amount = None
    final: Amount = None


class NamedAmountRow(AmountRow):
    """One row of a '一个专项一行' list."""

    name: str


class Staffing(_Model):
    """财政供养人员情况(人)."""

    establishment: Count = None  # 编制数
    actual: Count = None  # 本年实际在职人数
    control_rate: Percent = None  # 控制率 = 在职 / 编制


class BuildingProject(_Model):
    """楼堂馆所控制情况 (本年完工项目)."""

    name: str | None = None
    approved_area: Amount = None  # 批复规模 m²
    actual_area: Amount = None  # 实际规模 m²
    area_control_rate: Percent = None  # 规模控制率
    budget_investment: Amount = None  # 预算投资 万元
    actual_investment: Amount = None  # 实际投资 万元
    investment_control_rate: Percent = None  # 投资概算控制率


class BasicDataTable(_Model):
    """基础数据表."""

    title: str | None = None
    unit_name: str | None = None
    staffing: Staffing = Field(default_factory=Staffing)
    # 三公经费 = 公务用车购置和维护经费 + 出国经费 + 公务接待
    sangong: AmountRow = Field(default_factory=AmountRow)
    vehicle: AmountRow = Field(default_factory=AmountRow)
    vehicle_purchase: AmountRow = Field(default_factory=AmountRow)
    vehicle_operation: AmountRow = Field(default_factory=AmountRow)
    overseas: AmountRow = Field(default_factory=AmountRow)
    reception: AmountRow = Field(default_factory=AmountRow)
    # 项目支出 = 业务工作经费 + 运行维护经费 + 区级专项资金 + 上级转移支付
    project_spending: AmountRow = Field(default_factory=AmountRow)
    business_funds: AmountRow = Field(default_factory=AmountRow)
    operation_funds: AmountRow = Field(default_factory=AmountRow)
    district_special: AmountRow = Field(default_factory=AmountRow)
    district_special_items: list[NamedAmountRow] = Field(default_factory=list)
    transfer: AmountRow = Field(default_factory=AmountRow)
    transfer_items: list[NamedAmountRow] = Field(default_factory=list)
    # 公用经费 and its 其中 rows (a subset, not a partition)
    public_funds: AmountRow = Field(default_factory=AmountRow)
    office_funds: AmountRow = Field(default_factory=AmountRow)
    utilities_travel: AmountRow = Field(default_factory=AmountRow)
    meeting_training: AmountRow = Field(default_factory=AmountRow)
    procurement: AmountRow = Field(default_factory=AmountRow)
    basic_budget_adjustment: AmountRow = Field(default_factory=AmountRow)
    buildings: list[BuildingProject] = Field(default_factory=list)
    frugality_measures: str | None = None  # 厉行节约保障措施
    note: str | None = None  # 说明
    signature: Signature = Field(default_factory=Signature)


# ------------------------------------------------ 整体 / 项目支出绩效自评表


class FundsRow(_Model):
    """年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 自评得分."""

    initial_budget: Amount = None
    full_year_budget: Amount = None
    executed: Amount = None
    weight: Score = None
    execution_rate: Percent = None
    self_score: Score = None
    reason: str | None = None  # 原因: why the rate is low or the budget was adjusted (forms with the column)
    # The other steps of the yearly cycle (docs/cycle.md): a target form's 中期资金总额 beside the
    # year's (the year's is ``initial_budget``); a monitoring form's 全年预计执行数.
    mid_term_budget: Amount = None
    forecast: Amount = None


class IncomeSplit(_Model):
    """按收入性质分."""

    general_budget: Amount = None  # 一般公共预算
    government_fund: Amount = None  # 政府性基金拨款
    special_account: Amount = None  # 纳入专户管理的非税收入拨款
    other: Amount = None  # 其他资金


class SpendingSplit(_Model):
    """按支出性质分."""

    basic: Amount = None  # 基本支出
    project: Amount = None  # 项目支出


class Goals(_Model):
    """年度总体目标: 预期目标 against 实际完成情况, as written (numbered items in one cell)."""

    expected: str | None = None
    actual: str | None = None
    mid_term: str | None = None  # 中期目标 (target forms; the year's 年度目标 is ``expected``)


class Indicator(_Model):
    """A 三级指标 row."""

    name: str | None = None
    target: IndicatorValue = Field(default_factory=IndicatorValue)  # 年度指标值
    actual: IndicatorValue = Field(default_factory=IndicatorValue)  # 实际完成值
    weight: Score = None  # 分值
    self_score: Score = None  # 自评得分
    deviation_reason: str | None = None  # 偏差原因分析及改进措施 / 未完成原因分析
    # Forms that print the target in three columns: 指标性质 ('=', '≥', '≤', '定性'), 指标值 (the bare
    # figure, in ``target``) and 度量单位 ('%', '万元'). Blank on forms whose 年度指标值 holds all three.
    nature: str | None = None
    unit: str | None = None
    # The other steps of the yearly cycle (docs/cycle.md). A target form's 中期指标值 beside the
    # year's (``target``); a monitoring form's 全年预计完成值 (its 1-7月实际完成值 is ``actual``),
    # the 偏差原因 it ticks (经费保障, 制度保障 … as the form's tick columns name them), the
    # 完成目标可能性 (确定能 / 有可能 / 完全不可能) and its 备注.
    mid_term_target: IndicatorValue = Field(default_factory=IndicatorValue)
    forecast: IndicatorValue = Field(default_factory=IndicatorValue)
    causes: list[str] = Field(default_factory=list)
    likelihood: str | None = None
    remark: str | None = None


_WEIGHT_IN_LABEL = WEIGHT_IN_LABEL


class Level2(_Model):
    """二级指标 (数量指标, 质量指标 …) with its 三级 rows."""

    label: str  # as printed, line breaks included
    indicators: list[Indicator] = Field(default_factory=list)

    @property
    def name(self) -> str:
        return clean_label(self.label)


class Level1(_Model):
    """一级指标 (产出指标, 效益指标, 满意度指标); the label often prints a weight: '产出指标(50 分)'."""

    label: str
    children: list[Level2] = Field(default_factory=list)

    @property
    def name(self) -> str:
        return clean_label(self.label)

    @property
    def printed_weight(self) -> Decimal | None:
        m = _WEIGHT_IN_LABEL.search(fold(self.label))
        return Decimal(m.group(1)) if m else None

    def all_indicators(self) -> list[Indicator]:
        return [ind for child in self.children for ind in child.indicators]


class _EvaluationTable(_Model):
    title: str | None = None
    funds: FundsRow = Field(default_factory=FundsRow)
    # The 其中 rows under 年度资金总额. Which of them a table prints is the form definition's
    # choice (``evaluation.project_fund_rows`` / ``overall_fund_rows``); the others stay blank.
    current_appropriation: FundsRow = Field(default_factory=FundsRow)  # 其中：当年财政拨款
    carryover: FundsRow = Field(default_factory=FundsRow)  # 上年结转资金
    other_funds: FundsRow = Field(default_factory=FundsRow)  # 其他资金
    fiscal_funds: FundsRow = Field(default_factory=FundsRow)  # 财政资金
    special_account_funds: FundsRow = Field(default_factory=FundsRow)  # 财政专户管理资金
    unit_funds: FundsRow = Field(default_factory=FundsRow)  # 单位资金
    goals: Goals = Field(default_factory=Goals)
    summary: str | None = None  # 项目实施内容及过程概述 (forms with a 项目基本情况 block)
    indicators: list[Level1] = Field(default_factory=list)
    total_weight: Score = None  # 总分 row: Σ 分值
    total_self_score: Score = None  # 总分 row: Σ 自评得分
    # The closing text rows some forms print under the total.
    conclusion: str | None = None  # 评价结论
    problems: str | None = None  # 存在问题
    improvements: str | None = None  # 改进措施
    note: str | None = None  # 备注 / 说明 under the table
    signature: Signature = Field(default_factory=Signature)
    # A monitoring table whose figures cover other months than its form prints (a '1-6月' table on
    # a '1-7月' form, as its headers say): the checks compare with that share of the year. None:
    # the months the rule pack names.
    period_months: int | None = Field(default=None, ge=1, le=12)


class Task(_Model):
    """A row of 年度主要任务 (the 整体支出绩效目标申报表): 任务名称, 主要内容 and its 预算金额."""

    name: str | None = None
    content: str | None = None
    total: Amount = None  # 总额
    fiscal: Amount = None  # 财政拨款
    other: Amount = None  # 其他资金


class OverallTable(_EvaluationTable):
    """整体支出绩效自评表 (and the 整体 tables of the cycle's other steps)."""

    unit_name: str | None = None
    income: IncomeSplit = Field(default_factory=IncomeSplit)
    spending: SpendingSplit = Field(default_factory=SpendingSplit)
    tasks: list[Task] = Field(default_factory=list)  # 年度主要任务 (target forms)
    tasks_total: Task = Field(default_factory=Task)  # 金额合计


class ProjectTable(_EvaluationTable):
    """项目支出绩效自评表: one per first-level project."""

    project_name: str | None = None
    department: str | None = None  # 主管部门
    implementing_unit: str | None = None  # 实施单位
    project_type: str | None = None  # 项目属性: 新增 / 延续 (target forms)
    project_period: str | None = None  # 项目期: '3年', '2023-2025年'


# ------------------------------------------------------------------ 自评报告


class ReportSection(_Model):
    number: int = Field(ge=1, le=10)
    heading: str  # as written, numbering included: '二、 一般公共预算支出情况'
    body: str = ""


class Report(_Model):
    """自评报告: a title and its ten numbered sections."""

    title: str | None = None
    sections: list[ReportSection] = Field(default_factory=list)

    def section(self, number: int) -> ReportSection | None:
        return next((s for s in self.sections if s.number == number), None)


class Package(_Model):
    """One unit's self-evaluation package for one fiscal year."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    # The form definition the package is on (``jixiao.forms``: 'hunan-2023', …); None: the default.
    form: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    fiscal_year: int = Field(ge=2000, le=2100)
    unit_name: str
    basic: BasicDataTable | None = None
    overall: OverallTable | None = None
    projects: list[ProjectTable] = Field(default_factory=list)
    report: Report | None = None
