"""Error pages in Chinese (also with DEBUG off)."""

from __future__ import annotations

import logging

from django.shortcuts import render


class OneLineRefusals(logging.Filter):
    """A refusal (403) is expected and already has its audit row: log one line, no traceback.

    Django's request logger attaches the PermissionDenied exception to its warning, which the
    console handler would print as a full traceback for every refused URL."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True


def forbidden(request, exception=None):
    return render(request, "403.html", {"reason": str(exception) if exception else ""}, status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    return render(request, "403.html", {"reason": "页面已过期或请求来源无效（CSRF），请刷新页面后重试。"}, status=403)
