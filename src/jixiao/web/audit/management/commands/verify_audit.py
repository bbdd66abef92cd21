"""`jixiao manage verify_audit`: check the audit log's hash chain; exit 0 when intact, 1 when not."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from ...chain import summary, verify
from ...models import AuditChainHead


class Command(BaseCommand):
    help = "校验审计日志的哈希链（完整时退出码0，断裂时为1并指出断裂位置）"

    def handle(self, *args, **options):
        report = verify()
        if report.intact:
            self.stdout.write(summary(report))
            head = AuditChainHead.objects.filter(pk=1).first()
            if head is not None and head.seq:
                self.stdout.write(f"链头：序号{head.seq}，哈希值{head.hash}")
            return
        self.stdout.write(summary(report))
        for b in report.breaks:
            self.stdout.write(f"  - {b.message}")
        sys.exit(1)
