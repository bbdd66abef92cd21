"""Issuing, finding and revoking API tokens. A token reads ``jx_<prefix>_<secret>``."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.db import DatabaseError, transaction
from django.utils import timezone

from ..audit.log import record
from .models import ApiToken, Scope

MAX_ACTIVE_PER_USER = 10
_SHAPE = re.compile(r"^jx_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")


class TokenError(Exception):
    """A refused token operation; the message is one Chinese sentence."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def issue(*, user, name: str, scope: str, request=None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token text (shown once, never stored)."""
    name = (name or "").strip()[:100]
    if not name:
        raise TokenError("请填写令牌名称（例如使用它的系统）。")
    if scope not in Scope.values:
        raise TokenError("令牌权限只能是“只读”或“读写”。")
    with transaction.atomic():
        if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_PER_USER:
            raise TokenError(f"每人最多有{MAX_ACTIVE_PER_USER}个有效令牌，请先吊销不用的令牌。")
        prefix = secrets.token_hex(6)
        text = f"jx_{prefix}_{secrets.token_urlsafe(32)}"
        token = ApiToken.objects.create(user=user, name=name, prefix=prefix, digest=_digest(text), scope=scope)
        record(request, "api_token_created", obj=token, user=user,
               detail={"token": token.pk, "name": name, "scope": scope, "prefix": prefix})
    return token, text


def revoke(*, user, token_id: int, request=None) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if token is None:
            raise TokenError("没有找到该令牌。")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record(request, "api_token_revoked", obj=token, user=user,
                   detail={"token": token.pk, "name": token.name, "prefix": token.prefix})
    return token


def find(text: str) -> ApiToken | None:
    """The active token this text is, or None (malformed, unknown, wrong secret, revoked)."""
    m = _SHAPE.match(text or "")
    if m is None:
        return None
    token = ApiToken.objects.select_related("user", "user__unit", "user__bureau").filter(prefix=m.group(1)).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(text)):
        return None
    return token if token.revoked_at is None else None


def touch(token: ApiToken) -> None:
    """Note the last use, at most once a minute (most calls write nothing). Best effort: a
    database busy with other writers must not turn a read into an error."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= 60:
        try:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        except DatabaseError:
            return
        token.last_used_at = now
