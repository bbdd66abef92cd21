"""Errors of the API as JSON: {"code": a stable English code, "message": one Chinese sentence},
with the HTTP status that says what happened. The same body for Django's own 404/405/500 under
/api/ (ApiJsonErrors), so a client never has to parse an HTML page."""

from __future__ import annotations

import logging

from django.http import JsonResponse

API_PREFIX = "/api/"

# Status -> (code, message) for answers that carry no reason of their own.
GENERIC = {
    400: ("bad_request", "请求无效，未能处理。"),
    401: ("unauthorized", "缺少或无效的API令牌：请在请求头中提供 Authorization: Bearer <令牌>。"),
    403: ("forbidden", "无权执行此操作。"),
    404: ("not_found", "没有找到所请求的资源。"),
    405: ("method_not_allowed", "此地址不支持该请求方法。"),
    409: ("conflict", "请求与资源的当前状态冲突。"),
    413: ("too_large", "请求内容过大。"),
    422: ("invalid_request", "请求内容无效。"),
    429: ("rate_limited", "请求过于频繁，请稍后再试。"),
    500: ("server_error", "服务器内部错误，请求未能完成；请稍后重试，如持续出现请联系系统管理员。"),
    503: ("unavailable", "服务暂时不可用：数据库未能写入，本次操作没有生效。"),
}


class ApiError(Exception):
    """A refusal with its status, stable code and Chinese message (and any extra fields)."""

    def __init__(self, status: int, code: str, message: str, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def body(code: str, message: str, **extra) -> dict:
    return {"code": code, "message": message, **extra}


def error_response(status: int, code: str | None = None, message: str | None = None, **extra) -> JsonResponse:
    default_code, default_message = GENERIC.get(status, GENERIC[500] if status >= 500 else GENERIC[400])
    return JsonResponse(body(code or default_code, message or default_message, **extra), status=status,
                        json_dumps_params={"ensure_ascii": False})


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class ApiJsonErrors:
    """Under /api/: an error answer that is not JSON (Django's 404 page for an unknown address,
    the 405 page, a 400 for an oversized body, the 500 page, the 503 storage page) becomes the
    API's JSON error with the same status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400 or _is_json(response):
            return response
        new = error_response(response.status_code)
        if response.has_header("Allow"):
            new["Allow"] = response["Allow"]
        if response.has_header("Retry-After"):
            new["Retry-After"] = response["Retry-After"]
        return new


def log_unexpected(request, exc: BaseException) -> None:
    logging.getLogger("jixiao.web").exception("API error on %s %s", request.method, request.path, exc_info=exc)

