"""Retention: audit rows are kept at least settings.JIXIAO_AUDIT_RETENTION_DAYS (180 by default and
at the least) days; older ones may be purged, leaving an anchor row in the chain."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .log import record
from .models import AuditEvent
from .triggers import AUDIT_FLOOR_DAYS


class PurgeRefused(Exception):
    pass


def retention_days() -> int:
    return max(int(getattr(settings, "JIXIAO_AUDIT_RETENTION_DAYS", AUDIT_FLOOR_DAYS)), AUDIT_FLOOR_DAYS)


def earliest_allowed_cutoff(now: datetime | None = None) -> datetime:
    """The latest cutoff a purge may use: now minus the retention period."""
    return (now or timezone.now()) - timedelta(days=retention_days())


def purge_before(cutoff: datetime) -> tuple[int, AuditEvent | None]:
    """Delete rows with `at` < cutoff (through the last such row in seq order) and append an anchor
    row with the seq and hash of the last purged row, in one transaction."""
    days = retention_days()
    limit = earliest_allowed_cutoff()
    if cutoff > limit:
        raise PurgeRefused(
            f"拒绝清理：审计记录须至少保存{days}天，清理日期不得晚于"
            f"{timezone.localtime(limit):%Y-%m-%d %H:%M}（{days}天前）。")
    try:
        return _purge(cutoff, days)
    except DatabaseError as exc:
        # PostgreSQL's trigger refuses rows younger than 180 days (e.g. a clock set back between writes).
        raise PurgeRefused(f"清理未完成，没有删除任何记录：数据库拒绝删除（{str(exc).splitlines()[0]}）。") from exc


def _purge(cutoff: datetime, days: int) -> tuple[int, AuditEvent | None]:
    with transaction.atomic():
        last = AuditEvent.objects.filter(at__lt=cutoff).order_by("-seq").first()
        if last is None:
            return 0, None
        # Rows are purged by seq (the chain's order): everything up to the last old row.
        table = AuditEvent._meta.db_table
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute("SET LOCAL jixiao.audit_purge = 'on'")
            cur.execute(f"DELETE FROM {table} WHERE seq <= %s", [last.seq])
            n = cur.rowcount
            if connection.vendor == "postgresql":
                cur.execute("SET LOCAL jixiao.audit_purge = 'off'")
        anchor = record(None, "audit_purged", username="(命令行)", detail={
            "before": cutoff.isoformat(), "purged": n, "through_seq": last.seq, "through_hash": last.hash,
            "retention_days": days})
    return n, anchor
