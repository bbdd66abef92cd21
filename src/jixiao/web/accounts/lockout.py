"""Login lockout: too many failures for one user name within a window lock it for a while."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import LoginFailure


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)


def recent_failures(username: str) -> int:
    return LoginFailure.objects.filter(username__iexact=username, at__gte=_window_start()).count()


def locked_until(username: str):
    """When the lock on this name ends, or None when it is not locked."""
    failures = list(
        LoginFailure.objects.filter(username__iexact=username, at__gte=_window_start())
        .order_by("-at")
        .values_list("at", flat=True)[: settings.LOGIN_MAX_FAILURES]
    )
    if len(failures) < settings.LOGIN_MAX_FAILURES:
        return None
    until = failures[0] + timedelta(seconds=settings.LOGIN_LOCK_SECONDS)
    return until if until > timezone.now() else None


def is_locked(username: str) -> bool:
    return locked_until(username) is not None


def record_failure(username: str, ip: str | None) -> int:
    """Store one failure; return how many attempts are left before the lock."""
    LoginFailure.objects.create(username=username[:150], ip=ip)
    return max(settings.LOGIN_MAX_FAILURES - recent_failures(username), 0)


def clear(username: str) -> int:
    deleted, _ = LoginFailure.objects.filter(username__iexact=username).delete()
    return deleted


def locked_usernames() -> list[tuple[str, object]]:
    names = (
        LoginFailure.objects.filter(at__gte=_window_start()).values_list("username", flat=True).distinct()
    )
    out = []
    for name in sorted({n.lower() for n in names}):
        until = locked_until(name)
        if until:
            out.append((name, until))
    return out
