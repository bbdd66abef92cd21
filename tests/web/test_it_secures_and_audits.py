"""Audit log (every login, refusal, save, submission and download; append-only; auditor only)
and the security basics: lockout, idle timeout, password rules, CSRF, upload limits, deploy check."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from webworld import PASSWORD, client_for

from jixiao.web.audit.models import AppendOnlyError, AuditEvent


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_it_audits_logins_failed_and_successful(world):
    c = Client()
    assert _login(c, "clerk-a", "wrong-password").status_code == 401
    assert _login(c, "nobody", "wrong-password").status_code == 401
    assert _login(c, "clerk-a", PASSWORD).status_code == 302
    events = list(AuditEvent.objects.order_by("id").values_list("action", "username"))
    assert events[-3:] == [("login_failed", "clerk-a"), ("login_failed", "nobody"), ("login", "clerk-a")]


def test_it_locks_an_account_after_repeated_failures(world, settings):
    settings.LOGIN_MAX_FAILURES = 3
    c = Client()
    for _ in range(3):
        resp = _login(c, "clerk-a", "wrong-password")
    assert "已锁定" in resp.content.decode()
    resp = _login(c, "clerk-a", PASSWORD)  # the right password does not help while locked
    assert resp.status_code == 401 and "已被锁定" in resp.content.decode()
    assert AuditEvent.objects.filter(action="account_locked", username="clerk-a").count() == 1
    assert AuditEvent.objects.filter(action="login_locked", username="clerk-a").count() == 1
    # The 安全管理员 sees and lifts the lock.
    sec = client_for(world.secadmin)
    assert "clerk-a" in sec.get(reverse("accounts:security")).content.decode()
    sec.post(reverse("accounts:unlock"), {"username": "clerk-a"})
    assert _login(Client(), "clerk-a", PASSWORD).status_code == 302


def test_it_ends_idle_sessions(world, settings):
    c = client_for(world.clerk)
    assert c.get(reverse("packages:home")).status_code == 200
    session = c.session
    session["jixiao_last_seen"] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    resp = c.get(reverse("packages:home"))
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]
    assert AuditEvent.objects.filter(action="session_timeout", username="clerk-a").exists()
    assert c.get(reverse("packages:home")).status_code == 302  # really logged out


@pytest.mark.parametrize(("age", "ended"), [(-5, False), (5, True)])
def test_it_ends_every_session_at_its_absolute_cap_however_active(world, settings, age, ended):
    """The cap counts from login: an active user (last seen just now) is logged out at the cap, not before."""
    c = client_for(world.clerk)
    assert c.get(reverse("packages:home")).status_code == 200
    session = c.session
    session["jixiao_login_at"] = int(time.time()) - settings.SESSION_COOKIE_AGE - age
    session["jixiao_last_seen"] = int(time.time())
    session.save()
    resp = c.get(reverse("packages:home"))
    assert (resp.status_code == 302) is ended
    assert AuditEvent.objects.filter(action="session_expired", username="clerk-a").exists() is ended
    if ended:
        assert "/accounts/login/" in resp["Location"]
        assert c.get(reverse("packages:home")).status_code == 302  # really logged out


def test_a_real_login_starts_the_cap(world):
    c = Client()
    _login(c, "clerk-a", PASSWORD)
    assert abs(c.session["jixiao_login_at"] - time.time()) < 5


@pytest.mark.parametrize("password, ok", [
    ("short1A!", False), ("alllowercaseletters", False), ("1234567890123", False), ("clerk-a-2023", False),
    ("Yueyang-Lou-2024", True),
])
def test_it_enforces_password_rules(world, password, ok):
    c = client_for(world.clerk)
    resp = c.post(reverse("accounts:password_change"),
                  {"old_password": PASSWORD, "new_password1": password, "new_password2": password})
    assert (resp.status_code == 302) is ok


def test_it_requires_csrf_tokens(world):
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.clerk)
    url = reverse("packages:sheet", args=[world.package.pk, "basic"])
    resp = c.post(url, {"base_revision": "2", "basic.note": "x"})
    assert resp.status_code == 403 and "CSRF" in resp.content.decode()
    world.package.refresh_from_db()
    assert world.package.head_number == 2


def test_it_audits_saves_submissions_and_downloads(world):
    c = client_for(world.clerk)
    c.post(reverse("packages:sheet", args=[world.package.pk, "basic"]), {"base_revision": "2", "basic.note": "x"})
    c.get(reverse("packages:download", args=[world.package.pk, "json"]))
    c.post(reverse("packages:prepare", args=[world.package.pk]))
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"save", "download", "submit_refused"} <= actions
    save = AuditEvent.objects.get(action="save", detail__revision=3)
    assert save.username == "clerk-a" and save.object_id == str(world.package.pk)


def test_it_lets_only_the_auditor_read_the_log(world):
    client_for(world.clerk).get(reverse("packages:home"))
    for role in ("clerk", "head", "reviewer", "sysadmin", "secadmin"):
        assert client_for(world.users()[role]).get(reverse("audit:log")).status_code == 403
    resp = client_for(world.auditor).get(reverse("audit:log"))
    assert resp.status_code == 200 and "越权访问被拒" in resp.content.decode()


def test_it_keeps_audit_rows_append_only(world):
    event = AuditEvent.objects.first()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_it_refuses_oversized_and_unknown_uploads(world, settings):
    settings.JIXIAO_MAX_UPLOAD_BYTES = 1000
    c = client_for(world.clerk)
    big = io.BytesIO(b"{" + b" " * 2000 + b"}")
    big.name = "big.json"
    resp = c.post(reverse("packages:import", args=[world.package.pk]), {"file": big, "base_revision": "2"})
    assert "文件过大" in " ".join(str(m) for m in resp.wsgi_request._messages)
    exe = io.BytesIO(b"MZ")
    exe.name = "virus.exe"
    resp = c.post(reverse("packages:import", args=[world.package.pk]), {"file": exe, "base_revision": "2"})
    assert "不支持的文件类型" in " ".join(str(m) for m in resp.wsgi_request._messages)
    world.package.refresh_from_db()
    assert world.package.head_number == 2
    assert AuditEvent.objects.filter(action="import_failed").count() == 2


def test_it_passes_the_deploy_check_with_production_settings(tmp_path):
    env = {
        **os.environ, "JIXIAO_PRODUCTION": "1", "JIXIAO_SECRET_KEY": "k" * 20 + "-production-secret-0123456789-abcdefghij",
        "JIXIAO_ALLOWED_HOSTS": "jixiao.example.gov.cn", "JIXIAO_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "jixiao.web.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    out = subprocess.run(
        [sys.executable, "-m", "jixiao.web.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_it_refuses_to_start_production_without_a_secret(tmp_path):
    env = {**os.environ, "JIXIAO_PRODUCTION": "1", "JIXIAO_DATA_DIR": str(tmp_path)}
    env.pop("JIXIAO_SECRET_KEY", None)
    out = subprocess.run([sys.executable, "-m", "jixiao.cli", "manage", "check"], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 2 and "JIXIAO_SECRET_KEY" in out.stderr
    assert "Traceback" not in out.stderr


@override_settings(DEBUG=False)
def test_it_answers_errors_in_chinese(world):
    resp = client_for(world.clerk_b).get(reverse("packages:overview", args=[world.package.pk]))
    assert resp.status_code == 404 and "页面不存在" in resp.content.decode()


def _console_output(fn) -> str:
    """What the server's console handler (settings.LOGGING) writes while fn runs."""
    import logging

    from jixiao.web.errors import OneLineRefusals

    root = logging.getLogger()
    console = next(h for h in root.handlers if any(isinstance(f, OneLineRefusals) for f in h.filters))
    # A handler like the console one (same filters and format), writing where the test can read it.
    out = io.StringIO()
    probe = logging.StreamHandler(out)
    probe.filters = list(console.filters)
    probe.setFormatter(console.formatter)
    root.addHandler(probe)
    try:
        fn()
    finally:
        root.removeHandler(probe)
    return out.getvalue()


def test_it_logs_a_refusal_as_one_line_without_a_traceback(world):
    def refused():
        for _ in range(3):
            assert client_for(world.clerk).get(reverse("audit:log")).status_code == 403

    text = _console_output(refused)
    assert "Traceback" not in text and "PermissionDenied" not in text
    assert text.count("Forbidden") == 3 and len(text.strip().splitlines()) == 3
    assert AuditEvent.objects.filter(action="permission_denied").count() >= 3


@override_settings(DEBUG=False, DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_it_answers_an_oversized_form_post_in_chinese(world):
    c = client_for(world.clerk)
    resp = None

    def post():
        nonlocal resp
        resp = c.post(reverse("packages:sheet", args=[world.package.pk, "basic"]), {"basic.text": "长" * 2000})

    text = _console_output(post)
    html = resp.content.decode()
    assert resp.status_code == 400 and "提交的表单内容过大" in html and "Bad Request" not in html
    assert "Traceback" not in text


@pytest.mark.parametrize("accept_language", ["", "en-US,en;q=0.9"])
def test_it_explains_password_rules_in_chinese(world, accept_language):
    c = client_for(world.clerk)
    resp = c.post(reverse("accounts:password_change"),
                  {"old_password": PASSWORD, "new_password1": "short1A!", "new_password2": "short1A!"},
                  HTTP_ACCEPT_LANGUAGE=accept_language)
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "too short" not in html and "This password" not in html
    assert "密码" in html and "10" in html


@override_settings(DEBUG=False)
def test_a_post_only_url_opened_in_the_address_bar_explains_itself_in_chinese(world):
    resp = client_for(world.clerk).get(reverse("packages:prepare", args=[world.package.pk]))
    assert resp.status_code == 405 and "POST" in resp["Allow"]
    assert "不能在地址栏中直接打开" in resp.content.decode()


def test_every_page_carries_a_content_security_policy_without_inline_script(world):
    resp = client_for(world.clerk).get(reverse("packages:home"))
    policy = resp["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_no_template_holds_an_inline_script_or_handler():
    import re
    from pathlib import Path

    import jixiao.web

    root = Path(jixiao.web.__file__).parent / "templates"
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag, (path.name, tag)  # json_script tags are type=application/json, not run
        assert not re.search(r"\son[a-z]+\s*=", text), path.name


def test_every_page_title_is_plain_text(world):
    """A page's <title> holds text only (a misplaced block once put the 2FA section in the title)."""
    import re

    for user, name in ((world.secadmin, "accounts:security"), (world.clerk, "packages:home")):
        page = client_for(user).get(reverse(name)).content.decode()
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
        assert "<" not in title and len(title) < 80, title
