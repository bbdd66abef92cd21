"""record(): one audit row. Call it inside the transaction of the change it records."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .chain import canonical_around_holes, digest
from .models import ACTIONS, AuditChainHead, AuditEvent


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy sets it,
    # and the production proxy is expected to pass the real address as REMOTE_ADDR.
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    request,
    action: str,
    *,
    obj: Any = None,
    detail: dict[str, Any] | None = None,
    user: Any = None,
    username: str | None = None,
) -> AuditEvent:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action}")
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    event = AuditEvent(
        actor=user,
        username=(user.username if user is not None else (username or ""))[:150],
        role=getattr(user, "role", "") or "",
        action=action,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        ip=client_ip(request),
        path=(request.path[:500] if request is not None else ""),
        detail=detail or {},
    )
    # The detail as it will read back (JSON), so the hash is of what is stored.
    event.detail = json.loads(json.dumps(event.detail, cls=DjangoJSONEncoder))
    if event.ip:
        event.ip = AuditEvent._meta.get_field("ip").get_prep_value(event.ip)
    # No savepoint of its own: a failed audit write fails the change it records.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            _append_postgresql(event)
        else:
            _append(event)
    return event


def _append(event: AuditEvent) -> None:
    # The chain head, locked until the transaction ends: the next writer waits for it. (On SQLite
    # the transaction already holds the database's write lock: nobody else is writing.)
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    event.seq = head.seq + 1
    event.prev_hash = head.hash
    event.at = timezone.now()
    event.hash = digest(event)
    event.save()
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])


def _append_postgresql(event: AuditEvent) -> None:
    """The same chain in one statement: every writer of the database waits for the head's row lock,
    which is held from the statement that takes it to the COMMIT, so each round trip inside costs
    every waiting writer (docs/operations.md, 50 savers on PostgreSQL). The UPDATE takes the lock
    and computes the row's seq, time and hash from the head as the writer before left it (after a
    wait it reads the new row version), the hash with PostgreSQL's sha256() over the bytes chain.canonical
    gives (the text around them from chain.canonical_around_holes); the INSERT reads them back.
    The hash is computed again here and must agree, or nothing is written."""
    quote = connection.ops.quote_name
    head, events = quote(AuditChainHead._meta.db_table), quote(AuditEvent._meta.db_table)
    fields = [f for f in AuditEvent._meta.local_concrete_fields
              if not f.primary_key and f.attname not in ("at", "seq", "prev_hash", "hash")]
    columns = ", ".join(quote(f.column) for f in fields)
    values = [f.get_db_prep_save(getattr(event, f.attname), connection) for f in fields]
    sql = f"""
        WITH h AS (
            UPDATE {head} SET (seq, prev_hash, at, hash) = (
                SELECT x.seq, x.prev, x.at, encode(sha256(convert_to(
                    %s || to_char(x.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || %s || x.prev
                    || %s || x.seq::text || %s, 'UTF8')), 'hex')
                FROM (SELECT {head}.seq + 1 AS seq, {head}.hash AS prev, GREATEST(%s, {head}.at) AS at) AS x)
            WHERE id = 1
            RETURNING seq, prev_hash, at, hash)
        INSERT INTO {events} ({columns}, at, seq, prev_hash, hash)
        SELECT {", ".join(["%s"] * len(fields))}, h.at, h.seq, h.prev_hash, h.hash FROM h
        RETURNING id, at, seq, prev_hash, hash"""
    # The time is the application's, as on SQLite, but never before the row it follows: it is
    # read before the lock here, and a writer that waited must not stamp its row earlier.
    pieces = canonical_around_holes(event)
    params = [*pieces, timezone.now(), *values]  # in the order of the %s in the text
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:  # a database without its head row yet
            AuditChainHead.objects.get_or_create(pk=1)
            cursor.execute(sql, params)
            row = cursor.fetchone()
    event.pk, event.at, event.seq, event.prev_hash, event.hash = row
    event._state.adding = False
    event._state.db = connection.alias
    if digest(event) != event.hash:
        raise RuntimeError(f"audit row {event.seq}: the database's hash differs from chain.digest")
