"""The audit log as a hash chain (等保 2.0 三级: audit records protected against change).

Every AuditEvent stores `seq` (1, 2, 3 … with no gaps), `prev_hash` (the hash of row seq-1) and
`hash` = SHA-256 of its own canonical content, prev_hash included. Changing a row's content,
deleting a row or inserting one therefore breaks the chain at that row, which `verify()` finds.

Writers are linear: `record()` advances and reads the one-row AuditChainHead in one
`UPDATE … RETURNING`, which holds the row's lock until the transaction ends on PostgreSQL (on
SQLite every transaction already takes the database's write lock at BEGIN IMMEDIATE), so two
writers never chain onto the same predecessor; `seq` is
unique as well, so a fork could not even be stored.

A purge (`purge_audit`) deletes the oldest rows and appends an anchor row (action
`audit_purged`) holding the seq and hash of the last purged row, so the remaining chain still
verifies from its first row."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

GENESIS = ""  # prev_hash of the first row ever written


def canonical(event: Any) -> bytes:
    """The bytes hashed for one row: every stored field but the hash itself, sorted JSON."""
    at = event.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    content = {
        "seq": event.seq,
        "at": at,
        "actor": event.actor_id,
        "username": event.username,
        "role": event.role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "ip": str(event.ip) if event.ip else None,
        "path": event.path,
        "detail": event.detail,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def digest(event: Any) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()


@dataclass
class Break:
    seq: int | None
    id: int | None
    at: Any
    kind: str  # changed | missing | inserted
    message: str


@dataclass
class Report:
    rows: int
    breaks: list[Break]
    head_seq: int

    @property
    def intact(self) -> bool:
        return not self.breaks


def _when(at) -> str:
    from django.utils import timezone

    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S") if at else "—"


def verify(batch: int = 2000) -> Report:
    """Walk the whole chain in seq order; every place where it breaks, in Chinese."""
    from .models import AuditChainHead, AuditEvent

    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    anchors = {}
    for d in AuditEvent.objects.filter(action="audit_purged").values_list("detail", flat=True):
        if isinstance(d, dict) and isinstance(d.get("through_seq"), int):
            anchors[d["through_seq"]] = d.get("through_hash", "")
    breaks: list[Break] = []
    prev = None  # (seq, hash) of the row before
    count = 0
    last_seq = 0
    qs = AuditEvent.objects.order_by("seq")
    while True:
        chunk = list(qs.filter(seq__gt=last_seq)[:batch])
        if not chunk:
            break
        for e in chunk:
            count += 1
            last_seq = e.seq
            where = f"记录 id={e.id}（序号{e.seq}，时间{_when(e.at)}）"
            if digest(e) != e.hash:
                breaks.append(Break(e.seq, e.id, e.at, "changed", f"{where}：内容被改动（与其哈希值不符）"))
            if prev is None:
                expected_prev = GENESIS if e.seq == 1 else anchors.get(e.seq - 1)
                if e.seq != 1 and expected_prev is None:
                    breaks.append(Break(e.seq, e.id, e.at, "missing",
                                        f"{where}：之前的序号1至{e.seq - 1}的记录缺失（被删除，且没有清理记录）"))
                elif e.prev_hash != expected_prev:
                    breaks.append(Break(e.seq, e.id, e.at, "inserted",
                                        f"{where}：与链首不衔接（插入或伪造的记录）"))
            else:
                pseq, phash = prev
                if e.seq > pseq + 1:
                    gap = f"序号{pseq + 1}" if e.seq == pseq + 2 else f"序号{pseq + 1}至{e.seq - 1}"
                    breaks.append(Break(e.seq, e.id, e.at, "missing", f"{where}之前：{gap}的记录缺失（被删除）"))
                elif e.prev_hash != phash:
                    breaks.append(Break(e.seq, e.id, e.at, "inserted",
                                        f"{where}：与上一条记录（序号{pseq}）不衔接（插入、替换或上一条被改动）"))
            if e.seq > head_seq:
                breaks.append(Break(e.seq, e.id, e.at, "inserted",
                                    f"{where}：位于链头（序号{head_seq}）之后，不是由系统写入的（插入的记录）"))
            prev = (e.seq, e.hash)
    if prev is not None and prev[0] < head_seq:
        gap = f"序号{prev[0] + 1}" if head_seq == prev[0] + 1 else f"序号{prev[0] + 1}至{head_seq}"
        breaks.append(Break(prev[0] + 1, None, None, "missing", f"最后的记录缺失：{gap}的记录被删除"))
    elif prev is not None and prev[0] == head_seq and prev[1] != head_hash:
        breaks.append(Break(prev[0], None, None, "changed", f"序号{prev[0]}的记录与链头记录的哈希值不符（被替换）"))
    elif prev is None and head_seq:
        breaks.append(Break(None, None, None, "missing", f"审计记录全部缺失（链头序号为{head_seq}）"))
    return Report(rows=count, breaks=breaks, head_seq=head_seq)


def summary(report: Report) -> str:
    if report.intact:
        return f"审计日志完整：全部{report.rows}条记录的哈希链校验通过。"
    first = report.breaks[0]
    return f"审计日志校验未通过：共{report.rows}条记录，发现{len(report.breaks)}处断裂，第一处在{first.message}。"
