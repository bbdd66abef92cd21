"""Evidence (佐证材料), rectification (整改) and the use of results (结果应用): the last steps of the
yearly cycle, kept beside the unit and bureau models (never inside them).

- Evidence / EvidenceChunk: a file a unit attached to one indicator of its package, its bytes in
  the database in 1 MB pieces (like the bureau's batch uploads), so every web node serves it and a
  backup of the database holds it. Removing one only marks it removed: a publication that
  included it keeps pointing at it.
- EvidencePolicy: per campaign, the 三级指标 the bureau requires evidence for and whether a
  publication includes the evidence. PublishedEvidence: the files a publication included.
- RectificationItem / RectificationEvent: a confirmed problem of a review, its due date, the unit's
  response and the bureau closing (or reopening) it; each step an append-only event.
- BudgetDecision: what the bureau decided for a unit's next budget after the review.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..accounts.models import Unit
from ..audit.models import AppendOnlyModel
from ..bureau.models import Publication
from ..packages.models import Campaign, Package


class EvidenceKind(models.TextChoices):
    PDF = "pdf", "PDF 文件"
    PNG = "png", "PNG 图片"
    JPEG = "jpg", "JPEG 图片"
    DOCX = "docx", "Word 文档"
    XLSX = "xlsx", "Excel 工作簿"


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class Evidence(models.Model):
    """One file attached to one indicator (jixiao.cycle.indicator_key: table key, folded name)."""

    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="evidence")
    table_key = models.CharField(max_length=200)  # 'overall' or the project's folded name
    indicator_key = models.CharField(max_length=300)  # the folded 三级指标 name
    table_label = models.CharField("表", max_length=300)
    indicator_label = models.CharField("三级指标", max_length=300)
    name = models.CharField("文件名", max_length=200)
    kind = models.CharField(max_length=8, choices=EvidenceKind.choices)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True, db_index=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["table_label", "indicator_label", "uploaded_at", "id"]
        indexes = [models.Index(fields=["package", "removed_at"], name="evidence_package_live")]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return EvidenceKind(self.kind).label

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    @property
    def size_text(self) -> str:
        return f"{self.size / 1048576:.1f} MB" if self.size >= 1048576 else f"{max(1, round(self.size / 1024))} KB"


class EvidenceChunk(models.Model):
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="chunks")
    seq = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["evidence", "seq"], name="evidence_chunk_unique")]


class EvidencePolicy(models.Model):
    """The bureau's settings of one campaign for evidence."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="evidence_policy")
    # 三级指标 names, one per line as the bureau typed them (matched folded, jixiao.cycle.project_key).
    required = models.TextField("须附佐证材料的三级指标", blank=True)
    publish_evidence = models.BooleanField("公开时附佐证材料", default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def required_names(self) -> tuple[str, ...]:
        seen, out = set(), []
        for line in self.required.splitlines():
            name = line.strip()
            if name and name not in seen:
                seen.add(name)
                out.append(name)
        return tuple(out)


class PublishedEvidence(AppendOnlyModel):
    """A file a publication included (frozen with it: a later removal does not take it away)."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="evidence_files")
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["publication", "evidence"], name="published_evidence_once")]


class RectState(models.TextChoices):
    OPEN = "open", "待整改"
    RESPONDED = "responded", "已反馈"
    CLOSED = "closed", "已销号"


class RectificationItem(models.Model):
    """A confirmed problem of a review to be rectified (整改事项)."""

    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="rectifications")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="rectifications")
    year = models.PositiveIntegerField("年度", db_index=True)  # the fiscal year whose review found it
    problem = models.TextField("问题")
    finding_key = models.CharField(max_length=500, blank=True)  # checking.finding_key of the finding it came from
    due = models.DateField("整改期限", null=True, blank=True)
    measures = models.TextField("整改措施", blank=True)
    progress = models.TextField("整改情况", blank=True)
    state = models.CharField(max_length=12, choices=RectState.choices, default=RectState.OPEN, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "整改事项"
        verbose_name_plural = "整改事项"
        ordering = ["-year", "due", "id"]

    def __str__(self) -> str:
        return f"{self.year}年度整改事项#{self.pk}"

    @property
    def state_label(self) -> str:
        return RectState(self.state).label

    @property
    def is_closed(self) -> bool:
        return self.state == RectState.CLOSED

    @property
    def response(self) -> str:
        return joined_response(self.measures, self.progress)


def joined_response(measures: str, progress: str) -> str:
    """A rectification item's response as the checks read it: its measures, then its progress."""
    return "\n".join(t for t in (measures.strip(), progress.strip()) if t)


class RectificationEvent(AppendOnlyModel):
    """One step of an item: created, responded, closed, reopened — who, when, what was said."""

    item = models.ForeignKey(RectificationItem, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=12)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def action_label(self) -> str:
        return EVENT_LABELS.get(self.action, self.action)


EVENT_LABELS = {"created": "列为整改事项", "responded": "单位反馈整改情况", "closed": "财政局销号",
                "reopened": "财政局重新打开"}


class BudgetAction(models.TextChoices):
    CUT = "cut", "压减"
    KEEP = "keep", "保持"
    RAISE = "raise", "增加"


class BudgetDecision(models.Model):
    """The bureau's decision for a unit's next budget from this review (结果应用); one per package,
    changed in place (each change is an audit row)."""

    package = models.OneToOneField(Package, on_delete=models.PROTECT, related_name="budget_decision")
    action = models.CharField("预算安排", max_length=8, choices=BudgetAction.choices)
    amount = models.DecimalField("调整金额（万元）", max_digits=14, decimal_places=2, null=True, blank=True)
    percent = models.DecimalField("调整比例（%）", max_digits=7, decimal_places=2, null=True, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    @property
    def action_label(self) -> str:
        return BudgetAction(self.action).label
