"""Session limits: a session unused for SESSION_IDLE_SECONDS is ended, and every session ends
SESSION_COOKIE_AGE after its login however active it is (an absolute cap: the idle check's own
session writes must not extend it, so the login time is kept in the session and compared)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

_KEY = "jixiao_last_seen"
_LOGIN = "jixiao_login_at"


@receiver(user_logged_in)
def _remember_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[_LOGIN] = int(time.time())


def _end(request, reason: str, message: str, detail: dict):
    from ..audit.log import record

    record(request, reason, detail=detail, user=request.user)
    logout(request)
    messages.info(request, message)
    login_url = reverse(settings.LOGIN_URL)
    if getattr(request, "htmx", False):
        # An HTMX request would swap the login page into a table cell; redirect the page.
        resp = HttpResponse(status=204)
        resp["HX-Redirect"] = login_url
        return resp
    return redirect(f"{login_url}?next={request.path}")


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(_LOGIN)
            if started is None:  # a session from before the cap was kept: it starts counting now
                request.session[_LOGIN] = started = now
            if now - started > settings.SESSION_COOKIE_AGE:
                hours = settings.SESSION_COOKIE_AGE / 3600
                return _end(request, "session_expired", f"登录已满{hours:g}小时，会话已结束，请重新登录。",
                            {"session_seconds": now - started})
            last = request.session.get(_KEY)
            if last is not None and now - last > settings.SESSION_IDLE_SECONDS:
                return _end(request, "session_timeout", "长时间未操作，会话已超时，请重新登录。",
                            {"idle_seconds": now - last})
            # Write at most once a minute, so most requests do not touch the session table.
            if last is None or now - last >= 60:
                request.session[_KEY] = now
        return self.get_response(request)


FORCED_MESSAGE = "您的密码是管理员设置的初始密码或重置后的密码，须先修改为只有您知道的新密码，才能继续使用系统。"


class ForcedPasswordChangeMiddleware:
    """A user whose password an administrator set (a new account, a reset) can do nothing but
    change it (or log out): every other URL redirects to the password change page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = (reverse("accounts:password_change"), reverse("accounts:logout"))
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                messages.warning(request, FORCED_MESSAGE)
                target = reverse("accounts:password_change")
                if request.headers.get("HX-Request") == "true":  # runs before HtmxMiddleware
                    resp = HttpResponse(status=204)
                    resp["HX-Redirect"] = target
                    return resp
                return redirect(target)
        return self.get_response(request)
