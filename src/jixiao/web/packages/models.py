"""Campaigns, packages and their append-only revisions.

A package's content is the core model's JSON (jixiao.model.Package) in each revision; no
table per form row. A few figures are copied out of each revision into indexed columns
so that lists and the bureau's dashboards never parse documents.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..accounts.models import Bureau, Unit
from ..audit.models import AppendOnlyModel


class Campaign(models.Model):
    """A bureau's call for one fiscal year's self-evaluations (the bureau side grows in issue 7)."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="campaigns")
    year = models.PositiveIntegerField("年度")
    title = models.CharField("名称", max_length=200)
    rule_pack = models.CharField("规则包", max_length=100, default="hunan-2023")
    form = models.CharField("表样", max_length=100, default="hunan-2023")
    deadline = models.DateField("截止日期", null=True, blank=True)
    # The forms of the yearly cycle this campaign also collects (docs/cycle-web.md); blank: that
    # step is not collected. ``form`` / ``rule_pack`` above are the self-evaluation's.
    targets_form = models.CharField("绩效目标申报表样", max_length=100, null=True, blank=True)
    monitoring_form = models.CharField("绩效监控表样", max_length=100, null=True, blank=True)
    units = models.ManyToManyField(Unit, related_name="campaigns", blank=True)
    is_open = models.BooleanField("开放填报", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "填报任务"
        verbose_name_plural = "填报任务"
        constraints = [models.UniqueConstraint(fields=["bureau", "year"], name="one_campaign_per_bureau_year")]

    def __str__(self) -> str:
        return self.title

    def form_of(self, stage: str) -> str | None:
        """The form the campaign collects for ``stage`` of the cycle, None when it does not collect it."""
        return {Stage.TARGETS: self.targets_form, Stage.MONITORING: self.monitoring_form}.get(stage, self.form) or None

    def rule_pack_of(self, stage: str) -> str:
        """The pack a ``stage`` package is checked by: the campaign's own for the self-evaluation,
        else the pack shipped with that step's form (jixiao.pack.pack_for)."""
        if stage == Stage.EVALUATION:
            return self.rule_pack
        from jixiao.pack import pack_for

        return pack_for(self.form_of(stage)).id

    @property
    def stages(self) -> list[str]:
        """The steps of the cycle this campaign collects, in the year's order."""
        return [s for s in Stage.values if self.form_of(s)]


class Stage(models.TextChoices):
    """The step of the yearly cycle a package belongs to (jixiao.cycle.STAGES)."""

    TARGETS = "targets", "绩效目标申报"
    MONITORING = "monitoring", "绩效运行监控"
    EVALUATION = "evaluation", "绩效自评"


class State(models.TextChoices):
    DRAFT = "draft", "填报中"
    PREPARED = "prepared", "待负责人提交"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回修改"
    ACCEPTED = "accepted", "审核通过"


# The unit may change the content only in these states.
EDITABLE_STATES = frozenset({State.DRAFT, State.PREPARED, State.RETURNED})
# The bureau sees a package once it has been submitted at least once.
BUREAU_VISIBLE_STATES = frozenset({State.SUBMITTED, State.RETURNED, State.ACCEPTED})


class Package(models.Model):
    """One unit's package in one campaign. Mutable only in its state and head pointer."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="packages")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="packages")
    stage = models.CharField("环节", max_length=20, choices=Stage.choices, default=Stage.EVALUATION, db_index=True)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    head_number = models.PositiveIntegerField("当前版本号", default=0)
    head = models.ForeignKey("Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_number = models.PositiveIntegerField("提交的版本号", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "绩效自评材料"
        verbose_name_plural = "绩效自评材料"
        constraints = [models.UniqueConstraint(fields=["campaign", "unit", "stage"],
                                               name="one_package_per_unit_campaign_stage")]

    def __str__(self) -> str:
        if self.stage != Stage.EVALUATION:
            return f"{self.campaign.year}年度 {self.unit.name} {self.stage_label}"
        return f"{self.campaign.year}年度 {self.unit.name}"

    @property
    def form(self) -> str:
        """The form this package is on: its campaign's form for its step of the cycle."""
        return self.campaign.form_of(self.stage) or self.campaign.form

    @property
    def rule_pack(self) -> str:
        return self.campaign.rule_pack_of(self.stage)

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label

    @property
    def editable_state(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def state_label(self) -> str:
        return State(self.state).label


class Revision(AppendOnlyModel):
    """One saved version: the whole document, who saved it from what, and figures copied out."""

    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField("版本号")
    base_number = models.PositiveIntegerField("基于版本", null=True, blank=True)
    document = models.JSONField("材料内容")
    # Written explanations of error-level findings, keyed by finding key (see checking.finding_key).
    explanations = models.JSONField("错误说明", default=dict, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    source = models.CharField("来源", max_length=20)  # web, import, restore, merge, demo, explain, create
    note = models.CharField("说明", max_length=300, blank=True)
    # The idempotency key of the save that wrote this revision (one per rendered form): a retried
    # save finds its revision by it instead of being refused as stale. Nullable so that adding it
    # is a plain ALTER TABLE (SQLite keeps the append-only trigger); indexed by the constraint.
    save_key = models.CharField("保存标识", max_length=64, null=True, blank=True)
    # Copied out of the document and its check, for lists and dashboards.
    unit_name = models.CharField(max_length=200, blank=True, db_index=True)
    fiscal_year = models.PositiveIntegerField(null=True, db_index=True)
    basic_project_final = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    funds_executed = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    self_total = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    computed_total = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    self_grade = models.CharField(max_length=4, blank=True)
    computed_grade = models.CharField(max_length=4, blank=True, db_index=True)
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    infos = models.PositiveIntegerField(default=0)
    unexplained_errors = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "版本"
        verbose_name_plural = "版本"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["package", "number"], name="revision_number_unique"),
            models.UniqueConstraint(fields=["package", "save_key"], condition=models.Q(save_key__isnull=False),
                                    name="revision_save_key_unique"),
        ]

    def __str__(self) -> str:
        return f"第{self.number}版"

    @property
    def source_label(self) -> str:
        return SOURCES.get(self.source, self.source)

    @property
    def source_text(self) -> str:
        """How the revision came about, said once: “演示数据”, “导入 材料.docx”, “恢复第2版”, or the
        source with its note (“网页填报：…”) when the note adds something."""
        label, note = self.source_label, (self.note or "").strip()
        if not note or note == label:
            return label
        if note[:2] == label[:2] or note.startswith(NOTE_SAYS_ALL):
            return note
        return f"{label}：{note}"


# Notes that already say how the revision came about (written by the actions that make them).
NOTE_SAYS_ALL = ("导入", "恢复", "合并", "按", "财政局")

SOURCES = {
    "create": "新建",
    "web": "网页填报",
    "import": "导入文件",
    "restore": "恢复历史版本",
    "merge": "合并保存",
    "explain": "填写错误说明",
    "demo": "演示数据",
}


class Transition(AppendOnlyModel):
    """A state change of a package: who, when, which revision, why."""

    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=State.choices)
    to_state = models.CharField(max_length=20, choices=State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    revision_number = models.PositiveIntegerField(null=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    @property
    def to_label(self) -> str:
        return State(self.to_state).label

    @property
    def from_label(self) -> str:
        return State(self.from_state).label


class TargetApproval(AppendOnlyModel):
    """One approved version of a unit's targets (绩效目标批复): the document as approved, frozen.
    Version 1 is the first approval; each later version is an approved adjustment (调整) and
    names it. Append-only: an approval is never changed, a new version supersedes it."""

    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="target_approvals")
    version = models.PositiveIntegerField("批复版本")
    revision_number = models.PositiveIntegerField("材料版本号")
    document = models.JSONField("批复的绩效目标")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField("批复意见", blank=True)
    adjustment = models.OneToOneField("TargetAdjustment", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="approval")

    class Meta:
        verbose_name = "绩效目标批复"
        verbose_name_plural = "绩效目标批复"
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["package", "version"], name="target_approval_version_unique")]

    def __str__(self) -> str:
        return f"第{self.version}版批复"


class TargetAdjustment(AppendOnlyModel):
    """The bureau's leave to adjust approved targets (绩效目标调整), with its reason: it opens the
    frozen targets for the unit; the adjusted targets count once approved as the next version."""

    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="target_adjustments")
    from_version = models.PositiveIntegerField("调整前批复版本")
    reason = models.TextField("调整理由")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "绩效目标调整"
        verbose_name_plural = "绩效目标调整"
        ordering = ["-at", "-id"]
