"""record(): one audit row. Call it inside the transaction of the change it records."""

from __future__ import annotations

from typing import Any

from .models import ACTIONS, AuditEvent


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
    return AuditEvent.objects.create(
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
