"""Passwords (等保 2.0 三级): an account an administrator created or whose password they reset
must change it before doing anything else; none of the last 5 passwords may be reused."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from webworld import PASSWORD, client_for

from jixiao.web.accounts.models import PasswordHistory, Role, User
from jixiao.web.audit.models import AuditEvent

NEW = [f"Neue-Pass-{i}-2024x" for i in range(8)]


def _change(c: Client, old: str, new: str):
    return c.post(reverse("accounts:password_change"),
                  {"old_password": old, "new_password1": new, "new_password2": new})


def _login(c: Client, username: str, password: str):
    return c.post(reverse("accounts:login"), {"username": username, "password": password})


def _created_by_the_sysadmin(world, name="newclerk", password="Initial-Pass-2024x") -> User:
    admin = client_for(world.sysadmin)
    resp = admin.post(reverse("accounts:users"), {"username": name, "full_name": "新填表人", "role": Role.CLERK,
                                                  "unit": world.unit_a.pk, "password": password})
    assert resp.status_code == 302, resp.content.decode()
    return User.objects.get(username=name)


def _assert_forced(c: Client, world):
    change = reverse("accounts:password_change")
    for url in (reverse("packages:home"), reverse("packages:sheet", args=[world.package.pk, "basic"]),
                reverse("audit:log"), reverse("accounts:users")):
        resp = c.get(url)
        assert resp.status_code == 302 and resp["Location"] == change, (url, resp.status_code)
    resp = c.post(reverse("packages:sheet", args=[world.package.pk, "basic"]), {"base_revision": "2"})
    assert resp.status_code == 302 and resp["Location"] == change
    resp = c.get(reverse("packages:home"), HTTP_HX_REQUEST="true")
    assert resp.status_code == 204 and resp["HX-Redirect"] == change
    page = c.get(change)
    assert page.status_code == 200
    html = page.content.decode()
    assert "须先修改为只有您知道的新密码" in html and "首次登录或管理员重置密码后" in html


def test_a_new_account_must_change_its_password_at_first_login(world):
    user = _created_by_the_sysadmin(world)
    assert user.must_change_password
    c = Client()
    resp = _login(c, "newclerk", "Initial-Pass-2024x")
    assert resp.status_code == 302
    _assert_forced(c, world)
    assert _change(c, "Initial-Pass-2024x", NEW[0]).status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert c.get(reverse("packages:home")).status_code == 200
    event = AuditEvent.objects.filter(action="password_changed", object_id=str(user.pk)).get()
    assert event.detail == {"forced": True}


def test_logout_stays_possible_while_forced(world):
    _created_by_the_sysadmin(world)
    c = Client()
    _login(c, "newclerk", "Initial-Pass-2024x")
    resp = c.post(reverse("accounts:logout"))
    assert resp.status_code == 302 and resp["Location"] == reverse("accounts:login")


def test_an_administrators_reset_forces_a_change(world):
    admin = client_for(world.sysadmin)
    resp = admin.post(reverse("accounts:reset_password", args=[world.clerk.pk]), {"password": "Reset-Pass-2024x"})
    assert resp.status_code == 302
    world.clerk.refresh_from_db()
    assert world.clerk.must_change_password and world.clerk.check_password("Reset-Pass-2024x")
    assert AuditEvent.objects.filter(action="password_reset", object_id=str(world.clerk.pk)).count() == 1
    c = Client()
    _login(c, "clerk-a", "Reset-Pass-2024x")
    _assert_forced(c, world)
    # The temporary password itself is not a new password.
    resp = _change(c, "Reset-Pass-2024x", "Reset-Pass-2024x")
    assert resp.status_code == 200 and "不能使用最近5次用过的密码" in resp.content.decode()
    assert _change(c, "Reset-Pass-2024x", NEW[0]).status_code == 302
    assert c.get(reverse("packages:home")).status_code == 200


def test_a_reset_is_refused_for_a_weak_password_and_for_anyone_but_the_sysadmin(world):
    admin = client_for(world.sysadmin)
    resp = admin.post(reverse("accounts:reset_password", args=[world.clerk.pk]), {"password": "short"}, follow=True)
    assert "未重置“clerk-a”的密码" in resp.content.decode() and "密码太短" in resp.content.decode()
    world.clerk.refresh_from_db()
    assert not world.clerk.must_change_password
    resp = client_for(world.secadmin).post(reverse("accounts:reset_password", args=[world.clerk.pk]),
                                           {"password": "Reset-Pass-2024x"})
    assert resp.status_code == 403


def test_users_created_directly_and_the_demo_users_are_not_forced(world):
    # The demo (jixiao.web.demo) and the test world create users in code with a known password:
    # they are not forced, so the documented demo password keeps working.
    assert not world.clerk.must_change_password
    assert client_for(world.clerk).get(reverse("packages:home")).status_code == 200


def test_the_demo_users_can_work_with_the_documented_password(db):
    from jixiao.web.demo import DEMO_PASSWORD, load_demo

    logins = load_demo()
    name = logins[0][0]
    c = Client()
    assert _login(c, name, DEMO_PASSWORD).status_code == 302
    assert c.get(reverse("packages:home"), follow=True).redirect_chain[-1:] != [
        (reverse("accounts:password_change"), 302)]
    assert not User.objects.filter(must_change_password=True).exists()


def test_adduser_from_the_console_forces_a_change(db, monkeypatch):
    monkeypatch.setenv("JIXIAO_NEW_PASSWORD", "Console-Pass-2024x")
    call_command("adduser", "xitong", role="sysadmin")
    assert User.objects.get(username="xitong").must_change_password


def test_the_last_five_passwords_cannot_be_reused_and_the_sixth_can(world):
    c = client_for(world.clerk)
    current = PASSWORD
    for new in NEW[:5]:
        assert _change(c, current, new).status_code == 302
        current = new
    # History now: NEW[4] (current), NEW[3], NEW[2], NEW[1], NEW[0]; PASSWORD is the sixth back.
    for reused in NEW[:5]:
        resp = _change(c, current, reused)
        html = resp.content.decode()
        assert resp.status_code == 200 and "不能使用最近5次用过的密码（含当前密码）" in html, reused
    assert _change(c, current, PASSWORD).status_code == 302  # sixth back: allowed again
    assert PasswordHistory.objects.filter(user=world.clerk).count() == 5


@pytest.mark.parametrize("back, allowed", [(4, False), (5, True)])
def test_the_history_boundary(world, back, allowed):
    """After `back` further changes, the first password is reused: refused within the last 5."""
    c = client_for(world.clerk)
    current = PASSWORD
    for new in NEW[:back]:
        assert _change(c, current, new).status_code == 302
        current = new
    assert (_change(c, current, PASSWORD).status_code == 302) is allowed


def test_history_keeps_hashes_only(world):
    c = client_for(world.clerk)
    assert _change(c, PASSWORD, NEW[0]).status_code == 302
    stored = list(PasswordHistory.objects.filter(user=world.clerk).values_list("password", flat=True))
    assert stored and all(NEW[0] not in h and PASSWORD not in h for h in stored)
