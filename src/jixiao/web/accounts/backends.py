"""Authentication that refuses a locked user name before even looking at the password."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .lockout import is_locked


class LockoutBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and is_locked(username):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
