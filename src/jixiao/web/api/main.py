"""The NinjaAPI object: routes, authentication, throttling, the error handlers and the docs page."""

from __future__ import annotations

import math

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import DocsBase
from ninja.renderers import JSONRenderer

from jixiao.errors import validation_reason
from jixiao.io import InputError
from jixiao.rules import PackError

from ..errors import storage_reason
from ..packages.actions import ActionError, InvalidDocument, NotAllowed, StaleRevision, SubmitRefused
from ..uploads import UploadRefused
from .auth import TokenAuth, TokenRateThrottle
from .errors import GENERIC, ApiError, error_response, log_unexpected

DESCRIPTION = """预算单位整体支出绩效自评系统的接口：检查、评分、出具文书；读取和上传材料；流转；财政局统计。

认证：在网页“API令牌”页创建令牌，请求头带 `Authorization: Bearer <令牌>`。令牌以其所属用户的权限行事；
只读令牌不能执行修改操作。错误以 JSON 返回：`{"code": 稳定的英文代码, "message": 中文说明}`。
详见 docs/api.md。"""


class DocsPage(DocsBase):
    """Swagger UI from the files Django Ninja ships (served by us, no CDN). The page has no
    inline script: its settings are a JSON data block that a static script reads, so the
    site's Content-Security-Policy applies unchanged."""

    def render_page(self, request, api, **kwargs):
        settings = {"url": self.get_openapi_url(api, kwargs), "layout": "BaseLayout", "deepLinking": True,
                    "persistAuthorization": False}
        return render(request, "api/docs.html", {"api": api, "swagger_settings": settings})


class ReadableJSON(JSONRenderer):
    """Chinese as characters, not \\u escapes (the answers are read by people too)."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ReadableJSON(),
    title="绩效自评 API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=[TokenRateThrottle()],
    docs=DocsPage(),
    docs_url="/docs/",
    openapi_url="/openapi.json",
)


def _respond(request, status: int, code: str | None = None, message: str | None = None, **extra):
    return error_response(status, code, message, **extra)


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return _respond(request, exc.status, exc.code, exc.message, **exc.extra)


@api.exception_handler(Http404)
def _not_found(request, exc):
    text = str(exc)
    return _respond(request, 404, "not_found", text if _is_chinese(text) else None)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    text = str(exc)
    return _respond(request, 403, "forbidden", text if _is_chinese(text) else None)


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc: NinjaValidationError):
    errors = [_clean_error(e) for e in exc.errors[:50]]
    first = errors[0] if errors else None
    where = f"：{first['field']} {first['reason']}" if first else ""
    more = f"（另有{len(exc.errors) - 1}处）" if len(exc.errors) > 1 else ""
    return _respond(request, 422, "invalid_request", f"请求内容无效{where}{more}", errors=errors)


@api.exception_handler(Throttled)
def _throttled(request, exc: Throttled):
    wait = getattr(exc, "wait", None)
    when = f"请约{math.ceil(wait)}秒后再试" if wait else "请稍后再试"
    return _respond(request, 429, "rate_limited", f"此令牌的请求过于频繁，已超过限额；{when}。")


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return _respond(request, 401, "unauthorized")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    code, message = GENERIC.get(exc.status_code, GENERIC[400])
    return _respond(request, exc.status_code, code, message)


@api.exception_handler(StaleRevision)
def _stale(request, exc: StaleRevision):
    return _respond(request, 409, "stale_revision", str(exc), current_revision=exc.current.number)


@api.exception_handler(SubmitRefused)
def _submit_refused(request, exc):
    return _respond(request, 409, "submit_refused", str(exc))


@api.exception_handler(InvalidDocument)
def _invalid_document(request, exc: InvalidDocument):
    errors = [{"field": k, "reason": v} for k, v in list(exc.evaluation.input_errors.items())[:50]]
    return _respond(request, 422, "invalid_document", str(exc), errors=errors)


@api.exception_handler(NotAllowed)
def _not_allowed(request, exc):
    # The role may act on the package (checked first, 403 otherwise); its state does not allow it now.
    return _respond(request, 409, "state_conflict", str(exc))


@api.exception_handler(ActionError)
def _action_error(request, exc):
    return _respond(request, 422, "action_refused", str(exc))


@api.exception_handler(UploadRefused)
def _unreadable(request, exc):
    return _respond(request, 422, "unreadable_file", str(exc))


@api.exception_handler(InputError)
def _input_error(request, exc):
    return _respond(request, 422, "invalid_input", str(exc))


@api.exception_handler(PackError)
def _unknown_pack(request, exc):
    return _respond(request, 422, "unknown_pack", str(exc))


@api.exception_handler(DatabaseError)
def _storage(request, exc):
    log_unexpected(request, exc)
    return _respond(request, 503, "storage_failure", f"{storage_reason(exc)}，本次操作没有生效。请稍后重试。")


@api.exception_handler(Exception)
def _unexpected(request, exc):
    log_unexpected(request, exc)
    return _respond(request, 500)


def _is_chinese(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def _clean_error(err: dict) -> dict:
    """A pydantic/ninja error as the client reads it: the field's path and the reason in Chinese
    (the model's own messages are; pydantic's type errors are said again, jixiao.errors)."""
    loc = [str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path", "form", "file")]
    reason = validation_reason(err)
    return {"field": ".".join(loc) or "（请求）", "reason": reason, "type": str(err.get("type", ""))}


from . import routes_bureau, routes_check, routes_packages  # noqa: E402  (they add their routes to api)

api.add_router("", routes_check.router)
api.add_router("", routes_packages.router)
api.add_router("", routes_bureau.router)
