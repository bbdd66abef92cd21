"""Two-factor login (TOTP): the administrators and the bureau's reviewers must enrol and give a
code when JIXIAO_REQUIRE_2FA is on; unit users are not forced but may turn it on; wrong codes are
refused, audited and count toward the lockout; the 安全管理员 resets a device. The codes are
computed here from the device's key with django-otp's own TOTP."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from webworld import PASSWORD, client_for

from jixiao.web.audit.models import AuditEvent


@pytest.fixture
def required(settings):
    settings.JIXIAO_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own back-off would refuse a right code right after a wrong one


def _code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():06d}"


def _wrong(device: TOTPDevice) -> str:
    right = {_code(device, k) for k in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


def _password(client, user, nxt: str = ""):
    data = {"username": user.username, "password": PASSWORD}
    if nxt:
        data["next"] = nxt
    return client.post(reverse("accounts:login"), data)


def _enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor", "reviewer"])
def test_required_roles_are_sent_to_enrolment_first(world, required, role):
    user = world.users()[role]
    c = Client()
    resp = _password(c, user)
    assert resp.status_code == 302 and resp["Location"] == reverse("accounts:otp_enrol")
    assert not _logged_in(c)
    # Nothing else is reachable before enrolment: the session is not logged in.
    assert c.get(reverse("packages:home"))["Location"].startswith(reverse("accounts:login"))
    page = c.get(reverse("accounts:otp_enrol"))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "绑定身份验证器" in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r"密钥：<code>([A-Z2-7 ]+)</code>", html).group(1).replace(" ", "")
    import base64

    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    resp = c.post(reverse("accounts:otp_enrol"), {"token": _code(device)})
    assert resp.status_code == 302 and _logged_in(c)
    device.refresh_from_db()
    assert device.confirmed
    assert list(AuditEvent.objects.filter(username=user.username).values_list("action", flat=True).order_by("id")) \
        == ["otp_enrolled", "login"]


def test_a_wrong_code_is_refused_counted_and_audited(world, required, settings):
    device = _enrolled(world.reviewer)
    c = Client()
    resp = _password(c, world.reviewer)
    assert resp["Location"] == reverse("accounts:otp_verify") and not _logged_in(c)
    resp = c.post(reverse("accounts:otp_verify"), {"token": _wrong(device)})
    assert resp.status_code == 401 and "验证码错误" in resp.content.decode() and not _logged_in(c)
    ev = AuditEvent.objects.filter(action="otp_failed").get()
    assert ev.username == "reviewer" and ev.detail["attempts_left"] == settings.LOGIN_MAX_FAILURES - 1
    # Enough wrong codes lock the name like wrong passwords do; the right code then does not help.
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        resp = c.post(reverse("accounts:otp_verify"), {"token": _wrong(device)})
    assert "已锁定" in resp.content.decode()
    assert AuditEvent.objects.filter(action="account_locked", username="reviewer").exists()
    c = Client()
    resp = _password(c, world.reviewer)
    assert resp.status_code == 401 and "锁定" in resp.content.decode() and not _logged_in(c)


def test_a_right_code_logs_in_and_goes_on_to_the_page_asked_for(world, required):
    device = _enrolled(world.reviewer)
    c = Client()
    nxt = reverse("bureau:campaigns")
    _password(c, world.reviewer, nxt)
    assert not _logged_in(c)
    resp = c.post(reverse("accounts:otp_verify"), {"token": _code(device)})
    assert resp.status_code == 302 and resp["Location"] == nxt and _logged_in(c)
    login = AuditEvent.objects.filter(action="login", username="reviewer").get()
    assert login.detail == {"second_factor": "totp"}
    # The same code is not accepted twice (django-otp keeps the last time step used).
    c2 = Client()
    _password(c2, world.reviewer)
    assert c2.post(reverse("accounts:otp_verify"), {"token": _code(device)}).status_code == 401


def test_the_code_page_needs_the_password_first(world, required):
    resp = Client().get(reverse("accounts:otp_verify"))
    assert resp.status_code == 302 and resp["Location"] == reverse("accounts:login")


def test_unit_users_are_not_forced_but_may_turn_it_on(world, required):
    c = Client()
    resp = _password(c, world.clerk)
    assert resp.status_code == 302 and _logged_in(c)  # no second step
    page = c.get(reverse("accounts:two_factor"))
    assert page.status_code == 200 and "未开启" in page.content.decode() and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=world.clerk, confirmed=False)
    assert c.post(reverse("accounts:two_factor"), {"action": "enable", "token": _wrong(device)}).status_code == 401
    assert c.post(reverse("accounts:two_factor"), {"action": "enable", "token": _code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="otp_enrolled", username="clerk-a").exists()
    # From now on the clerk's login asks for the code.
    c2 = Client()
    assert _password(c2, world.clerk)["Location"] == reverse("accounts:otp_verify") and not _logged_in(c2)
    # The clerk may turn it off again with a current code; a reviewer may not.
    resp = c.post(reverse("accounts:two_factor"), {"action": "disable", "token": _code(device, 1)})
    assert resp.status_code == 302 and not TOTPDevice.objects.filter(user=world.clerk).exists()
    assert AuditEvent.objects.filter(action="otp_disabled", username="clerk-a").exists()
    rdev = _enrolled(world.reviewer)
    resp = client_for(world.reviewer).post(reverse("accounts:two_factor"), {"action": "disable", "token": _code(rdev)})
    assert resp.status_code == 403 and TOTPDevice.objects.filter(user=world.reviewer).exists()


def test_without_the_requirement_only_enrolled_users_give_a_code(world, settings):
    settings.JIXIAO_REQUIRE_2FA = False
    c = Client()
    assert _password(c, world.reviewer).status_code == 302 and _logged_in(c)  # the demo's way
    _enrolled(world.auditor)
    c = Client()
    assert _password(c, world.auditor)["Location"] == reverse("accounts:otp_verify") and not _logged_in(c)


def test_the_security_admin_resets_a_device(world, required):
    _enrolled(world.reviewer)
    sec = client_for(world.secadmin)
    page = sec.get(reverse("accounts:security")).content.decode()
    assert "reviewer" in page and "重置设备" in page
    resp = sec.post(reverse("accounts:otp_reset"), {"username": "reviewer"})
    assert resp.status_code == 302 and not TOTPDevice.objects.filter(user=world.reviewer).exists()
    ev = AuditEvent.objects.filter(action="otp_reset").get()
    assert ev.username == "secadmin" and ev.detail == {"username": "reviewer", "devices": 1}
    # The reviewer must enrol again at the next login.
    assert _password(Client(), world.reviewer)["Location"] == reverse("accounts:otp_enrol")
    # Nobody else may reset.
    assert client_for(world.sysadmin).post(reverse("accounts:otp_reset"), {"username": "reviewer"}).status_code == 403
