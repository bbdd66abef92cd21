"""Error pages in Chinese (also with DEBUG off)."""

from __future__ import annotations

import logging

from django.shortcuts import render


class OneLineRefusals(logging.Filter):
    """A refusal (403) or a refused request (400, e.g. an oversized post) is expected and already has its audit row: log one line, no traceback.

    Django's request logger attaches the PermissionDenied exception to its warning, which the
    console handler would print as a full traceback for every refused URL."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in (400, 403):
            record.exc_info = None
            record.exc_text = None
        return True


def bad_request(request, exception=None):
    from django.conf import settings
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent

    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024
        reason = f"提交的表单内容过大（上限约{limit:.0f} MB），未能处理。请减少一次提交的内容后重试；导入文件请使用“导入文件”。"
    elif isinstance(exception, TooManyFieldsSent):
        reason = "提交的表单字段过多，未能处理。请分几次保存。"
    else:
        reason = "请求无效，未能处理。请返回上一页重试。"
    return render(request, "400.html", {"reason": reason}, status=400)


def forbidden(request, exception=None):
    return render(request, "403.html", {"reason": str(exception) if exception else ""}, status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    return render(request, "403.html", {"reason": "页面已过期或请求来源无效（CSRF），请刷新页面后重试。"}, status=403)


class MethodNotAllowedPage:
    """A POST-only URL opened in the address bar (a bookmark, a pasted link) answers 405 with an
    empty body, which the browser shows as its own (English) error page: say it in Chinese."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = render(request, "405.html", status=405)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response
