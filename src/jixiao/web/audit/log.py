"""record(): one audit row. Call it inside the transaction of the change it records."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
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
        # The chain head, locked until the transaction ends: the next writer waits for it.
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
    return event
