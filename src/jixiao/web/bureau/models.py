"""The bureau's records, kept beside the unit side's models (never inside them).

- RevisionFigures: the figures of each revision the dashboards need, in one narrow row
  (money as integer cents, so SQL SUM is exact on SQLite too; scores in hundredths), so a
  dashboard never reads the revision table's wide rows with their documents.
- ImportJob / ImportLine: a batch import and its per-file report; JobUploadChunk: the uploaded
  zip, in the database (so every web node and worker sees it) until the job ends.
- Review / ReviewComment: the reviewer's decision, score and per-cell comments.
- Publication: a frozen, dated copy of an accepted package for the public pages.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..accounts.models import Unit
from ..audit.models import AppendOnlyModel
from ..packages.models import Campaign, Package, Revision


class RevisionFigures(models.Model):
    """Dashboard figures of one revision (written once, when the revision is created)."""

    revision = models.OneToOneField(Revision, on_delete=models.CASCADE, primary_key=True, related_name="figures")
    # Copied from the revision, so that the dashboard query joins only narrow rows.
    package = models.ForeignKey(Package, null=True, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(null=True)
    self_centi = models.IntegerField(null=True)  # 自评总分 × 100
    computed_centi = models.IntegerField(null=True)  # 核定总分 × 100
    self_grade = models.CharField(max_length=4, blank=True)
    computed_grade = models.CharField(max_length=4, blank=True)
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    infos = models.PositiveIntegerField(default=0)
    # How often each rule fired: "rule:severity:count" joined by "|" (split in Python, never parsed as JSON).
    rules = models.TextField(blank=True)
    # 整体支出绩效自评表 年度资金总额 (cents) and 执行率 recomputed (percent, 2 places).
    budget_cents = models.BigIntegerField(null=True)
    executed_cents = models.BigIntegerField(null=True)
    execution_rate = models.DecimalField(max_digits=9, decimal_places=2, null=True, db_index=True)
    # 基础数据表 三公经费 and 项目支出: 上年决算数, 本年预算数, 本年决算数 (cents).
    sangong_prev_cents = models.BigIntegerField(null=True)
    sangong_budget_cents = models.BigIntegerField(null=True)
    sangong_final_cents = models.BigIntegerField(null=True)
    project_prev_cents = models.BigIntegerField(null=True)
    project_budget_cents = models.BigIntegerField(null=True)
    project_final_cents = models.BigIntegerField(null=True)
    project_tables = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "版本指标"
        verbose_name_plural = "版本指标"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    CANCELLED = "cancelled", "已取消"
    # Its worker stopped too often (or the database failed): waits for 重试 or 取消, upload kept.
    INTERRUPTED = "interrupted", "已中断"


FINISHED_STATES = (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


class JobKind(models.TextChoices):
    IMPORT = "import", "批量导入"
    PREFILL = "prefill", "按上年材料预填"
    PUBLISH = "publish", "公开审核通过的材料"


class ImportJob(models.Model):
    """One background job of the bureau: a batch import (an uploaded zip, or a folder from the
    CLI), the carry-over of last year's packages, or publishing every accepted package; each
    file or unit gets a line."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="import_jobs")
    kind = models.CharField(max_length=10, choices=JobKind.choices, default=JobKind.IMPORT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    source_name = models.CharField("来源文件", max_length=300)
    # A folder or zip of the command line's own machine (the CLI); blank when the upload is in JobUploadChunk.
    stored_path = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    task_id = models.CharField(max_length=64, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)  # why the whole job failed (the zip itself unreadable)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The claim of the worker running it, renewed while it runs; a claim whose heartbeat is older
    # than JIXIAO_JOB_STALE_SECONDS is taken back and the job queued again (jobs.reclaim_stale_jobs).
    claimed_by = models.CharField(max_length=100, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)  # claims so far (1 = ran once)
    upload_bytes = models.BigIntegerField(default=0)  # size of the stored upload, 0 once deleted

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATES

    @property
    def can_cancel(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.INTERRUPTED)

    @property
    def can_retry(self) -> bool:
        """An interrupted job resumes where it stopped, if its upload (or the CLI's folder) is still there."""
        return self.status == JobStatus.INTERRUPTED and (self.kind != JobKind.IMPORT or self.upload_bytes > 0)

    @property
    def status_label(self) -> str:
        return JobStatus(self.status).label

    @property
    def kind_label(self) -> str:
        return JobKind(self.kind).label


class JobUploadChunk(models.Model):
    """One piece (≤ 1 MB) of a job's uploaded zip. In the database rather than a web node's disk,
    so a worker on another machine reads it; deleted in the transaction that ends the job."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="upload_chunks")
    seq = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["job", "seq"], name="job_upload_chunk_unique")]


class LineStatus(models.TextChoices):
    IMPORTED = "imported", "已导入"
    UNCHANGED = "unchanged", "内容相同"
    PUBLISHED = "published", "已公开"
    UNMATCHED = "unmatched", "单位不匹配"
    UNREADABLE = "unreadable", "无法读取"
    SKIPPED = "skipped", "未导入"


class ImportLine(models.Model):
    """What became of one file of a batch."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    file_name = models.CharField(max_length=300)
    status = models.CharField(max_length=12, choices=LineStatus.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    package = models.ForeignKey(Package, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revision_number = models.PositiveIntegerField(null=True)
    errors = models.PositiveIntegerField(null=True)
    message = models.TextField(blank=True)
    parts = models.CharField(max_length=200, blank=True)  # the parts an imported file wrote, comma-joined

    class Meta:
        ordering = ["position"]
        # A file's line is written once, in the transaction of its revision: a resumed job skips it.
        constraints = [models.UniqueConstraint(fields=["job", "position"], name="import_line_position_unique")]

    @property
    def status_label(self) -> str:
        return LineStatus(self.status).label


class Decision(models.TextChoices):
    RETURN = "return", "退回修改"
    ACCEPT = "accept", "审核通过"


class Review(AppendOnlyModel):
    """A reviewer's decision on one submitted revision, with the review score beside the self-score."""

    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="reviews")
    revision_number = models.PositiveIntegerField()
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(blank=True)
    self_total = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    computed_total = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    review_total = models.DecimalField("审核得分", max_digits=8, decimal_places=2, null=True)
    review_grade = models.CharField(max_length=4, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    @property
    def decision_label(self) -> str:
        return Decision(self.decision).label


class ReviewComment(AppendOnlyModel):
    """A comment on one cell (its document path) of the reviewed revision."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="comments")
    path = models.CharField(max_length=300)
    label = models.CharField(max_length=300)  # the cell named in Chinese, as the unit reads it
    text = models.TextField()

    class Meta:
        ordering = ["id"]


class Publication(AppendOnlyModel):
    """A frozen copy of an accepted package as published; a later change is a new publication."""

    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="publications")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="publications")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="publications")
    number = models.PositiveIntegerField()  # 1, 2, … per package
    revision_number = models.PositiveIntegerField()
    published_at = models.DateTimeField(auto_now_add=True, db_index=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField(max_length=200)
    fiscal_year = models.PositiveIntegerField()
    document = models.JSONField()
    html = models.TextField()  # the official tables as printed, frozen with the data
    csv = models.TextField()
    pdf = models.BinaryField(null=True)
    self_total = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    review_total = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    grade = models.CharField(max_length=4, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["package", "number"], name="publication_number_unique")]
