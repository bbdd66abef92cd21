"""Who is calling: a bearer token that acts as its user, with the same checks as a login.

A token of an account that is disabled, locked by failed logins, or waiting for its forced
password change does not work, so an administrator's action on the person reaches their
tokens at once. Session cookies are not accepted: the API is for other systems, and a call
authenticated by a cookie could be forged from another site (no CSRF token here)."""

from __future__ import annotations

from django.conf import settings
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from ..accounts.lockout import is_locked
from ..packages.access import deny
from . import tokens
from .errors import ApiError


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = tokens.find(token.strip())
        if found is None:
            raise ApiError(401, "invalid_token", "API令牌无效、已吊销或格式不正确。")
        user = found.user
        if not user.is_active:
            raise ApiError(401, "account_disabled", "该令牌所属的账户已停用，令牌不再有效。")
        if is_locked(user.username):
            raise ApiError(401, "account_locked", "该令牌所属的账户因多次登录失败被锁定，锁定期间令牌不可用。")
        if user.must_change_password:
            raise ApiError(403, "password_change_required", "该令牌所属的账户须先在网页上修改密码，之后令牌方可使用。")
        request.user = user  # the authorisation helpers of the web read request.user
        request.api_token = found
        tokens.touch(found)
        return found


def require_write(request) -> None:
    """A read-only token may read and check, never change anything (logged like any refusal)."""
    if not request.auth.can_write:
        deny(request, "只读令牌不能执行修改操作，请使用读写令牌。")


class TokenRateThrottle(SimpleRateThrottle):
    """At most JIXIAO_API_RATE calls (e.g. "120/min") per token; read at each call so that a
    changed setting applies without a restart of the throttle objects."""

    scope = "api-token"

    def __init__(self):
        super().__init__(settings.JIXIAO_API_RATE)

    def allow_request(self, request) -> bool:
        self.rate = settings.JIXIAO_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        token = getattr(request, "auth", None)
        if token is None:
            return None  # not authenticated: refused before any work anyway
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
