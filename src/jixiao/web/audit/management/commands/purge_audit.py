"""`jixiao manage purge_audit --before YYYY-MM-DD`: delete audit rows written before DATE, which
must lie at least JIXIAO_AUDIT_RETENTION_DAYS (default and minimum 180) days back. An anchor row
keeps the rest of the chain verifiable."""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ...purge import PurgeRefused, purge_before


class Command(BaseCommand):
    help = "清理早于指定日期的审计记录（不得晚于保存期限，默认180天之前）"

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="清理此日期（YYYY-MM-DD，本地时间0点）之前的记录")

    def handle(self, *args, before, **options):
        try:
            day = date.fromisoformat(before)
        except ValueError as exc:
            raise CommandError(f"日期“{before}”无效，应为 YYYY-MM-DD") from exc
        cutoff = timezone.make_aware(datetime.combine(day, time.min))
        try:
            n, anchor = purge_before(cutoff)
        except PurgeRefused as exc:
            raise CommandError(str(exc)) from exc
        if n == 0:
            self.stdout.write(f"{day}之前没有审计记录，未清理任何记录。")
        else:
            self.stdout.write(f"已清理{day}之前的审计记录{n}条；清理记录（序号{anchor.seq}）保存了最后一条被清理记录的哈希值，"
                              "其余记录的哈希链仍可校验。")
