"""Idle session timeout: a session unused for SESSION_IDLE_SECONDS is ended."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

_KEY = "jixiao_last_seen"


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(_KEY)
            if last is not None and now - last > settings.SESSION_IDLE_SECONDS:
                from ..audit.log import record

                record(request, "session_timeout", detail={"idle_seconds": now - last}, user=request.user)
                logout(request)
                messages.info(request, "长时间未操作，会话已超时，请重新登录。")
                login_url = reverse(settings.LOGIN_URL)
                if getattr(request, "htmx", False):
                    # An HTMX request would swap the login page into a table cell; redirect the page.
                    resp = HttpResponse(status=204)
                    resp["HX-Redirect"] = login_url
                    return resp
                return redirect(f"{login_url}?next={request.path}")
            # Write at most once a minute, so most requests do not touch the session table.
            if last is None or now - last >= 60:
                request.session[_KEY] = now
        return self.get_response(request)
