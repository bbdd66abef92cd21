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


# ------------------------------------------------------------------ storage failures


def storage_reason(exc: BaseException) -> str:
    """Why the database would not take a write, in Chinese, from the driver's message."""
    text = str(exc).lower()
    if "disk is full" in text or "no space left" in text or "could not extend file" in text or "disk full" in text:
        return "服务器磁盘已满"
    if "readonly" in text or "read-only" in text or "read only" in text:
        return "数据库当前为只读"
    if "disk i/o" in text or "i/o error" in text:
        return "服务器读写磁盘出错"
    if "locked" in text or "busy" in text:
        return "数据库正忙（其他保存尚未完成）"
    if "connect" in text or "connection" in text or "server closed" in text or "terminating" in text:
        return "无法连接数据库"
    return "数据库出现故障"


def not_saved_message(exc: BaseException, what: str = "本次修改") -> str:
    return (f"保存未成功：{storage_reason(exc)}。{what}没有存入系统；您输入的内容仍在本页上，"
            "请不要关闭页面，待问题排除后再点“保存”。如持续出现，请联系系统管理员。")


def storage_failure_page(request, exc: BaseException):
    logging.getLogger("jixiao.web").error("storage failure on %s %s: %s", request.method, request.path, exc)
    session = getattr(request, "session", None)
    if session is not None:
        session.modified = False  # saving it would fail the same way
    what = "登录" if request.path.startswith("/accounts/login") else "本次操作"
    return render(request, "503.html", {"reason": storage_reason(exc), "what": what}, status=503)


class StorageFailurePage:
    """A database that will not take a write (disk full, read-only, unreachable) in a view — a
    login, a transition — answers with a Chinese 503 page that says nothing was stored and why,
    never the generic 500. Views that can keep the typed values on the page (the sheets) catch it
    themselves first (see ``not_saved_message``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import DatabaseError

        if isinstance(exception, DatabaseError):
            return storage_failure_page(request, exception)
        return None


class StorageSafeSessionMiddleware:
    """Django's session middleware, but a session that cannot be saved (the same storage failure)
    does not turn a page into a 500: a page that only read is shown as it is; a request that
    meant to change something gets the 503 page."""

    def __init__(self, get_response):
        from django.contrib.sessions.middleware import SessionMiddleware

        self.inner = SessionMiddleware(get_response)

    def __call__(self, request):
        self.inner.process_request(request)
        response = self.inner.get_response(request)
        from django.db import DatabaseError

        try:
            return self.inner.process_response(request, response)
        except DatabaseError as exc:
            if request.method in ("GET", "HEAD"):
                logging.getLogger("jixiao.web").warning("session not saved on %s: %s", request.path, exc)
                return response
            return storage_failure_page(request, exc)


class ContentSecurityPolicy:
    """A Content-Security-Policy on every page: scripts only from our own static files (no inline
    script, no eval), nothing framed, forms posted only here. JIXIAO_CSP replaces the policy."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.policy = settings.JIXIAO_CSP

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
