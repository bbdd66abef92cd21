"""The API's request and response shapes (the OpenAPI document is generated from them)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, model_validator

from jixiao.model import Package
from jixiao.rules import Finding


class PackageDocument(Package):
    """The package model as it is (its JSON schema is the document's), read so that content the
    model's validators cannot even inspect (an object where a cell's text belongs) is a 422 with
    a Chinese reason rather than a server error."""

    model_config = ConfigDict(title="Package")

    @model_validator(mode="wrap")
    @classmethod
    def _unreadable_is_invalid(cls, data, handler):
        try:
            return handler(data)
        except (TypeError, AttributeError, KeyError, IndexError) as exc:
            raise ValueError("材料内容无法识别：某个单元格的值不是文字或数字") from exc


class Error(Schema):
    code: str = Field(description="稳定的英文错误代码，例如 not_found、stale_revision、rate_limited")
    message: str = Field(description="中文说明")


class InvalidError(Error):
    errors: list[dict[str, Any]] = Field(default_factory=list, description="逐项说明哪些字段无效（字段路径与原因）")


class Conflict(Error):
    current_revision: int | None = Field(None, description="stale_revision 时：材料当前的版本号，请据此合并后重新上传")


class Me(Schema):
    username: str
    name: str
    role: str
    role_label: str
    unit: str | None
    bureau: str | None
    token_name: str
    token_scope: Literal["read", "write"]


class Summary(Schema):
    error: int
    warning: int
    info: int


class CheckOut(Schema):
    unit_name: str
    fiscal_year: int
    rule_pack: str
    summary: Summary
    findings: list[Finding]
    scores: list[dict[str, Any]] = Field(description="每张表的自评分与按规则核定的得分，逐项列出")
    import_issues: list[str] = Field(default_factory=list, description="读取文件时未能放入表格或推断读入的内容")


class ScoresOut(Schema):
    unit_name: str
    fiscal_year: int
    rule_pack: str
    scores: list[dict[str, Any]]
    import_issues: list[str] = Field(default_factory=list)


class CampaignOut(Schema):
    id: int
    year: int
    title: str
    rule_pack: str
    form: str
    targets_form: str | None = Field(None, description="同时收集的绩效目标申报表的表式（不收集为 null）")
    monitoring_form: str | None = Field(None, description="同时收集的绩效目标执行监控表的表式（不收集为 null）")
    deadline: date | None
    is_open: bool


class Figures(Schema):
    errors: int
    warnings: int
    infos: int
    unexplained_errors: int
    self_total: Decimal | None
    computed_total: Decimal | None
    self_grade: str
    computed_grade: str


class PackageOut(Schema):
    id: int
    campaign_id: int
    year: int
    unit: str
    stage: Literal["targets", "monitoring", "evaluation"] = Field(
        description="全年绩效管理的环节：targets 绩效目标申报、monitoring 绩效运行监控、evaluation 绩效自评")
    stage_label: str
    form: str = Field(description="材料所用的表式")
    state: str
    state_label: str
    head_revision: int
    submitted_revision: int | None
    updated_at: datetime
    figures: Figures | None


class RevisionMeta(Schema):
    number: int
    base_number: int | None
    author: str
    created_at: datetime
    source: str
    source_label: str
    note: str
    figures: Figures


class PackageDetail(PackageOut):
    revision: RevisionMeta
    document: dict[str, Any] = Field(description="材料内容（结构见 Package）")
    explanations: dict[str, str] = Field(description="错误说明，按发现的标识")


class FindingOut(Schema):
    key: str = Field(description="发现的稳定标识（规则、单元格、行、列），错误说明以它为键")
    finding: Finding
    explanation: str | None


class FindingsOut(Schema):
    revision: int
    summary: Summary
    unexplained_errors: int
    findings: list[FindingOut]


class ScoresOfPackage(Schema):
    revision: int
    scores: list[dict[str, Any]]


class TransitionOut(Schema):
    from_state: str
    to_state: str
    to_label: str
    actor: str
    at: datetime
    revision: int | None
    comment: str


class HistoryOut(Schema):
    revisions: list[RevisionMeta]
    transitions: list[TransitionOut]


class RevisionIn(Schema):
    base_revision: int = Field(ge=0, le=1_000_000, description="您的修改所基于的版本号（读取材料时的 head_revision）")
    document: PackageDocument
    save_key: str | None = Field(default=None, pattern=r"^[0-9A-Za-z_-]{8,64}$",
                                 description="幂等标识：同一次上传重试时使用同一个值，不会重复保存")
    note: str = Field(default="", max_length=300)


class RevisionOut(Schema):
    number: int
    repeated: bool = Field(description="true：这是一次重试，此前已存为该版本，未重复保存")
    figures: Figures
    import_issues: list[str] = Field(default_factory=list)


Action = Literal["prepare", "unprepare", "submit", "return", "accept"]


class AllowedOut(Schema):
    state: str
    state_label: str
    actions: list[Action]


class TransitionIn(Schema):
    comment: str = Field(default="", max_length=2000)
    base_revision: int | None = Field(default=None, ge=0, le=1_000_000,
                                      description="提交（submit）时：您看到的版本号；材料已更新则拒绝")


class StateOut(Schema):
    id: int
    state: str
    state_label: str
    head_revision: int


class TrendOut(Schema):
    item: str
    year: int
    units: int
    prev: Decimal | None
    final: Decimal | None
    change: Decimal | None


class FindingCount(Schema):
    rule: str
    severity: str
    title: str
    units: int
    total: int


class UnitFigures(Schema):
    package_id: int
    unit: str
    state: str
    revision: int
    execution_rate: Decimal | None
    self_total: Decimal | None
    computed_total: Decimal | None
    self_grade: str
    computed_grade: str
    errors: int
    warnings: int


class CampaignFigures(Schema):
    campaign: CampaignOut
    units: int = Field(description="计入统计的单位数（已提交、已审核通过、已退回的所提交版本）")
    grades: list[str]
    grade_counts: dict[str, dict[str, int]] = Field(description="computed / self → 等级 → 单位数")
    execution_bands: list[tuple[str, int]]
    trends: list[TrendOut]
    history: list[dict[str, Any]]
    findings: list[FindingCount]
    rows: list[UnitFigures]
