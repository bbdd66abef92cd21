"""Login with lockout, logout, password change; the 系统管理员's accounts page and the
安全管理员's lockout page. Neither administrator sees packages or the audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, password_validation, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from ..audit.log import client_ip, record
from ..packages.access import deny, require_role
from . import lockout, twofactor
from .forms import LoginForm, UserCreateForm
from .models import Role, User


@sensitive_post_parameters("password")
def login_view(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        until = lockout.locked_until(username)
        if until is not None:
            with transaction.atomic():
                record(request, "login_locked", username=username, detail={"until": until.isoformat()})
            error = f"该账户因多次登录失败已被锁定，请于{timezone.localtime(until):%H:%M}后再试，或联系安全管理员解锁。"
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                with transaction.atomic():
                    left = lockout.record_failure(username, client_ip(request))
                    record(request, "login_failed", username=username, detail={"attempts_left": left})
                    if left == 0:
                        record(request, "account_locked", username=username,
                               detail={"seconds": settings.LOGIN_LOCK_SECONDS})
                if left == 0:
                    error = f"用户名或密码错误。失败次数过多，账户已锁定{settings.LOGIN_LOCK_SECONDS // 60}分钟。"
                else:
                    error = f"用户名或密码错误（再失败{left}次将锁定账户）。"
            else:
                nxt = request.POST.get("next") or request.GET.get("next") or ""
                second = twofactor.after_password(request, user, nxt)
                if second is not None:  # the code (or enrolment) before the session is logged in
                    return second
                with transaction.atomic():
                    login(request, user)
                    lockout.clear(username)
                    record(request, "login", user=user)
                if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()}, request.is_secure()):
                    return redirect(nxt)
                return redirect(settings.LOGIN_REDIRECT_URL)
    # The page asked for is kept through a failed attempt (the form posts it back).
    nxt = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "accounts/login.html", {"form": form, "error": error, "next": nxt},
                  status=401 if error else 200)


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        with transaction.atomic():
            record(request, "logout")
    logout(request)
    messages.info(request, "已退出登录。")
    return redirect(settings.LOGOUT_REDIRECT_URL)


@sensitive_post_parameters()
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    forced = request.user.must_change_password
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.user.must_change_password = False
            user = form.save()
            record(request, "password_changed", obj=user, detail={"forced": True} if forced else None)
        update_session_auth_hash(request, user)
        messages.success(request, "密码已修改。")
        return redirect("packages:home")
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced})


def users(request):
    """系统管理员: create and deactivate accounts."""
    require_role(request, Role.SYSADMIN)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        scope = {"unit": d["unit"]} if d["role"] in (Role.CLERK, Role.UNIT_HEAD) else {}
        if d["role"] == Role.REVIEWER:
            scope = {"bureau": d["bureau"]}
        with transaction.atomic():
            # The administrator chose the password: the user replaces it at the first login.
            user = User(username=d["username"], full_name=d["full_name"], role=d["role"],
                        must_change_password=True, **scope)
            user.set_password(d["password"])
            user.full_clean()
            user.save()
            record(request, "user_created", obj=user, detail={"username": user.username, "role": user.role})
        messages.success(request, f"已创建用户“{user.username}”（{user.role_label}）。")
        return redirect("accounts:users")
    people = User.objects.select_related("unit", "bureau").order_by("role", "username")
    return render(request, "accounts/users.html", {"form": form, "people": people})


@require_POST
def deactivate(request, user_id: int):
    require_role(request, Role.SYSADMIN)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        deny(request, f"没有用户#{user_id}", status=404)
    if user.pk == request.user.pk:
        messages.error(request, "不能停用自己的账户。")
        return redirect("accounts:users")
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        record(request, "user_deactivated", obj=user, detail={"username": user.username})
    messages.success(request, f"已停用用户“{user.username}”。")
    return redirect("accounts:users")


@require_POST
@sensitive_post_parameters("password")
def reset_password(request, user_id: int):
    """系统管理员: give a user a temporary password, which they must change at their next login."""
    require_role(request, Role.SYSADMIN)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        deny(request, f"没有用户#{user_id}", status=404)
    password = request.POST.get("password", "")
    if user.pk == request.user.pk:
        messages.error(request, "不能在此重置自己的密码，请用“修改密码”。")
        return redirect("accounts:users")
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        messages.error(request, f"未重置“{user.username}”的密码：" + "；".join(exc.messages))
        return redirect("accounts:users")
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        record(request, "password_reset", obj=user, detail={"username": user.username})
    messages.success(request, f"已重置“{user.username}”的密码；该用户下次登录后须先修改密码。")
    return redirect("accounts:users")


def security(request):
    """安全管理员: locked accounts and the security settings in force."""
    require_role(request, Role.SECADMIN)
    return render(request, "accounts/security.html", {
        "locked": lockout.locked_usernames(),
        "policy": {
            "max_failures": settings.LOGIN_MAX_FAILURES,
            "window_min": settings.LOGIN_FAILURE_WINDOW // 60,
            "lock_min": settings.LOGIN_LOCK_SECONDS // 60,
            "idle_min": settings.SESSION_IDLE_SECONDS // 60,
            "max_upload_mb": settings.JIXIAO_MAX_UPLOAD_BYTES // 1024 // 1024,
            "require_2fa": settings.JIXIAO_REQUIRE_2FA,
        },
        "enrolled": twofactor.enrolled_usernames(),
    })


@require_POST
def unlock(request):
    require_role(request, Role.SECADMIN)
    username = request.POST.get("username", "").strip()
    with transaction.atomic():
        n = lockout.clear(username)
        record(request, "user_unlocked", detail={"username": username, "cleared": n})
    messages.success(request, f"已解除“{username}”的登录锁定。")
    return redirect("accounts:security")
