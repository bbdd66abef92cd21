"""record(): one audit row. Call it inside the transaction of the change it records."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models.sql import InsertQuery
from django.utils import timezone

from .chain import digest
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
        _append(event)
    return event


def _append(event: AuditEvent) -> None:
    """Link ``event`` to the chain and insert it, in statements written out, not built by the ORM:
    every save writes one, and building the three statements cost the ORM more CPU than the
    database took to run them.

    The first statement takes the chain head's row (locked until the transaction ends: the next
    writer waits for it; after a wait it reads the row as the writer before left it) and advances
    seq. On PostgreSQL the second inserts the row and stores its hash in the head in one round
    trip: every writer of the database waits for the head's row lock, held from the first
    statement to the COMMIT, and each round trip inside it is one more wait for all of them
    (docs/operations.md, 50 savers on PostgreSQL). SQLite has no INSERT inside WITH, so there it
    takes two; its transaction holds the database's write lock already: nobody else is writing."""
    head = connection.ops.quote_name(AuditChainHead._meta.db_table)
    advance = f"UPDATE {head} SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash"
    with connection.cursor() as cursor:
        cursor.execute(advance)
        row = cursor.fetchone()
        if row is None:  # a database without its head row yet
            AuditChainHead.objects.get_or_create(pk=1)
            cursor.execute(advance)
            row = cursor.fetchone()
        event.seq, event.prev_hash = row
        event.at = timezone.now()
        event.hash = digest(event)
        insert, params = _insert_sql(event)
        if connection.vendor == "postgresql":
            cursor.execute(f"WITH e AS ({insert}) UPDATE {head} SET hash = %s WHERE id = 1 RETURNING (SELECT id FROM e)",
                           [*params, event.hash])
            event.pk = cursor.fetchone()[0]
        else:
            cursor.execute(insert, params)
            event.pk = cursor.fetchone()[0]
            cursor.execute(f"UPDATE {head} SET hash = %s WHERE id = 1", [event.hash])
    event._state.adding = False
    event._state.db = connection.alias


def _insert_sql(event: AuditEvent) -> tuple[str, tuple]:
    """The INSERT … RETURNING id Django would send for ``event`` (its field preparation included)."""
    meta = AuditEvent._meta
    query = InsertQuery(AuditEvent)
    query.insert_values([f for f in meta.local_concrete_fields if not f.primary_key], [event])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [meta.pk]
    [(sql, params)] = compiler.as_sql()
    return sql, tuple(params)
