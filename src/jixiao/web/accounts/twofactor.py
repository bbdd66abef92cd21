"""Two-factor login with a TOTP authenticator app (django-otp's TOTP plugin).

After a right password, a user with a confirmed device is asked for its 6-digit code before the
session is logged in; a user whose role requires a second factor (the three administrators and
the bureau's reviewers, when JIXIAO_REQUIRE_2FA is on) and has none is sent to enrolment first
(the secret as a QR code and as text, confirmed by a first code). Until then the session holds
only the pending user's id, for PENDING_SECONDS. Wrong codes count toward the login lockout and
are audited; unit users may turn the second factor on (and off) on their own page; the 安全管理员
resets a user's device.
"""

from __future__ import annotations

import re
import time
from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..audit.log import client_ip, record
from ..packages.access import deny, require_role
from . import lockout
from .models import Role, User

PENDING = "jixiao_2fa_pending"
PENDING_SECONDS = 5 * 60
REQUIRED_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR, Role.REVIEWER})
TOKEN = re.compile(r"^\d{6}$")


def required(user) -> bool:
    """Whether this user's role must log in with a second factor."""
    return bool(settings.JIXIAO_REQUIRE_2FA) and user.role in REQUIRED_ROLES


def device_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def _unconfirmed(user) -> TOTPDevice:
    """The device being enrolled: one per user, kept until confirmed so the QR code stays the same."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it by hand: base32, in groups of four."""
    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code (drawn here: no external service sees the key)."""
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = img.to_string(encoding="unicode")
    return mark_safe(svg[svg.find("<svg"):])  # noqa: S308 -- our own drawing of our own URL


def after_password(request, user, nxt: str):
    """Called when the password was right. None: no second factor, log in now; otherwise the
    redirect to the code or the enrolment page (the session is not logged in yet)."""
    if device_of(user) is None and not required(user):
        return None
    request.session.cycle_key()
    request.session[PENDING] = {"user": user.pk, "next": nxt, "at": int(time.time())}
    return redirect("accounts:otp_verify" if device_of(user) else "accounts:otp_enrol")


def _pending(request):
    p = request.session.get(PENDING)
    if not p:
        return None
    if time.time() - p.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    return User.objects.filter(pk=p.get("user"), is_active=True).first()


def _no_pending(request):
    messages.info(request, "请先输入用户名和密码（验证码页面超过5分钟未完成需重新登录）。")
    return redirect(settings.LOGIN_URL)


def _check(request, user, device: TOTPDevice, token: str, stage: str) -> str | None:
    """None when the code is right; else the Chinese reason, the failure counted and audited."""
    until = lockout.locked_until(user.username)
    if until is not None:
        with transaction.atomic():
            record(request, "login_locked", username=user.username, detail={"until": until.isoformat(), "stage": stage})
        request.session.pop(PENDING, None)
        return f"该账户因多次登录失败已被锁定，请于{timezone.localtime(until):%H:%M}后再试，或联系安全管理员解锁。"
    token = token.replace(" ", "")
    if TOKEN.match(token) and device.verify_token(token):
        return None
    with transaction.atomic():
        left = lockout.record_failure(user.username, client_ip(request))
        record(request, "otp_failed", user=user if request.user.is_authenticated else None, username=user.username,
               detail={"attempts_left": left, "stage": stage})
        if left == 0:
            record(request, "account_locked", username=user.username, detail={"seconds": settings.LOGIN_LOCK_SECONDS})
    if left == 0:
        request.session.pop(PENDING, None)
        return f"验证码错误。失败次数过多，账户已锁定{settings.LOGIN_LOCK_SECONDS // 60}分钟。"
    return f"验证码错误或已过期，请输入身份验证器当前显示的6位数字（再失败{left}次将锁定账户）。"


def _finish(request, user, device: TOTPDevice, *, enrolled: bool):
    nxt = request.session.pop(PENDING, {}).get("next") or ""
    with transaction.atomic():
        if enrolled:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            record(request, "otp_enrolled", obj=user, user=user, detail={"username": user.username, "at_login": True})
        login(request, user)
        otp_login(request, device)
        lockout.clear(user.username)
        record(request, "login", user=user, detail={"second_factor": "totp"})
    if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()}, request.is_secure()):
        return redirect(nxt)
    return redirect(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("token")
def otp_verify(request):
    """Second step of the login: the 6-digit code of the user's authenticator."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    user = _pending(request)
    if user is None:
        return _no_pending(request)
    device = device_of(user)
    if device is None:
        return redirect("accounts:otp_enrol")
    error = None
    if request.method == "POST":
        error = _check(request, user, device, request.POST.get("token", ""), "login")
        if error is None:
            return _finish(request, user, device, enrolled=False)
        if PENDING not in request.session:  # locked: back to the start
            return render(request, "accounts/login.html", {"error": error, "next": ""}, status=401)
    return render(request, "accounts/otp_verify.html", {"pending": user, "error": error},
                  status=401 if error else 200)


@sensitive_post_parameters("token")
def otp_enrol(request):
    """Enrolment required before anything else: the secret as QR and text, confirmed by a code."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    user = _pending(request)
    if user is None:
        return _no_pending(request)
    if device_of(user) is not None:
        return redirect("accounts:otp_verify")
    device = _unconfirmed(user)
    error = None
    if request.method == "POST":
        error = _check(request, user, device, request.POST.get("token", ""), "enrol")
        if error is None:
            return _finish(request, user, device, enrolled=True)
        if PENDING not in request.session:
            return render(request, "accounts/login.html", {"error": error, "next": ""}, status=401)
    return render(request, "accounts/otp_enrol.html", {
        "pending": user, "error": error, "qr": qr_svg(device), "secret": secret_text(device), "at_login": True,
    }, status=401 if error else 200)


@sensitive_post_parameters("token")
def two_factor(request):
    """Any logged-in user: the state of their second factor; turn it on (and off where not required)."""
    user = request.user
    device = device_of(user)
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "enable" and device is None:
            pending = _unconfirmed(user)
            error = _check(request, user, pending, request.POST.get("token", ""), "enrol")
            if error is None:
                with transaction.atomic():
                    pending.confirmed = True
                    pending.save(update_fields=["confirmed"])
                    otp_login(request, pending)
                    record(request, "otp_enrolled", obj=user, detail={"username": user.username})
                messages.success(request, "两步验证已开启：以后登录时，输入密码后还须输入身份验证器上的6位验证码。")
                return redirect("accounts:two_factor")
        elif action == "disable" and device is not None:
            if required(user):
                deny(request, "您的角色必须使用两步验证，不能关闭。")
            error = _check(request, user, device, request.POST.get("token", ""), "disable")
            if error is None:
                with transaction.atomic():
                    n, _ = TOTPDevice.objects.filter(user=user).delete()
                    record(request, "otp_disabled", obj=user, detail={"username": user.username, "devices": n})
                messages.success(request, "两步验证已关闭。")
                return redirect("accounts:two_factor")
        else:
            return redirect("accounts:two_factor")
    ctx = {"device": device, "required": required(user), "error": error, "at_login": False}
    if device is None:
        pending = _unconfirmed(user)
        ctx.update(qr=qr_svg(pending), secret=secret_text(pending))
    return render(request, "accounts/two_factor.html", ctx, status=401 if error else 200)


@require_POST
def otp_reset(request):
    """安全管理员: remove a user's authenticator (lost phone); they enrol again at their next login."""
    require_role(request, Role.SECADMIN)
    username = request.POST.get("username", "").strip()
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        messages.error(request, f"没有用户“{username}”。")
        return redirect("accounts:security")
    with transaction.atomic():
        n, _ = TOTPDevice.objects.filter(user=user).delete()
        record(request, "otp_reset", obj=user, detail={"username": user.username, "devices": n})
    if n:
        then = "下次登录时须重新绑定身份验证器" if required(user) else "下次登录时只需输入密码"
        messages.success(request, f"已重置“{user.username}”的两步验证设备，{then}。")
    else:
        messages.info(request, f"“{user.username}”没有绑定两步验证设备，无需重置。")
    return redirect("accounts:security")


def enrolled_usernames() -> list[str]:
    return sorted(TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True).distinct())
