"""Every URL pattern × every role: who gets through (200, or a redirect after a POST action),
who gets 403 (a visible object, an action the role may not do) and who 404 (an object the
user must not even know of). A new URL without a row here fails the first test."""

from __future__ import annotations

import io
import json

import pytest
from bureau.authz_cases import BUREAU_CASES, PUBLIC
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from evidence.authz_cases import EVIDENCE_CASES, EVIDENCE_PUBLIC
from webworld import client_for

from jixiao.web.packages.models import Package, State

ROLES = ["clerk", "head", "clerk_b", "head_b", "reviewer", "other_reviewer", "sysadmin", "secadmin", "auditor"]
OK = "ok"  # 200, or a redirect (POST actions answer with one)


def expect(default, **roles):
    out = dict.fromkeys(ROLES, default)
    out.update(roles)
    return out


def _names(patterns, ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _names(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{ns}{p.name}"


UNIT_A = expect(404, clerk=OK, head=OK)
CLERK_ONLY = expect(404, clerk=OK, head=403)
HEAD_ONLY = expect(404, clerk=403, head=OK)
REVIEW = expect(404, clerk=403, head=403, reviewer=OK)


def _json_upload(world):
    doc = json.loads(json.dumps(world.package.head.document))
    f = io.BytesIO(json.dumps(doc, ensure_ascii=False).encode())
    f.name = "seed.json"
    return f


def _clerk_token(world) -> int:
    from jixiao.web.api.models import ApiToken
    from jixiao.web.api.tokens import issue

    token = ApiToken.objects.filter(user=world.clerk).first()
    return token.pk if token else issue(user=world.clerk, name="系统", scope="read")[0].pk


# name -> list of (method, url args, data builder, package state, expected by role)
CASES = {
    "accounts:login": [("get", lambda w: [], None, None, expect(OK))],
    "accounts:logout": [("post", lambda w: [], None, None, expect(OK))],
    "accounts:password_change": [("get", lambda w: [], None, None, expect(OK))],
    "accounts:users": [("get", lambda w: [], None, None, expect(403, sysadmin=OK))],
    "accounts:deactivate": [("post", lambda w: [w.clerk_b.pk], None, None, expect(403, sysadmin=OK))],
    "accounts:reset_password": [("post", lambda w: [w.clerk_b.pk], lambda w: {"password": "Reset-Pass-2024x"}, None,
                                 expect(403, sysadmin=OK))],
    "accounts:security": [("get", lambda w: [], None, None, expect(403, secadmin=OK))],
    "accounts:unlock": [("post", lambda w: [], lambda w: {"username": "x"}, None, expect(403, secadmin=OK))],
    # The second step of a login: a logged-in user is sent on, anyone else back to the password.
    "accounts:otp_verify": [("get", lambda w: [], None, None, expect(OK))],
    "accounts:otp_enrol": [("get", lambda w: [], None, None, expect(OK))],
    "accounts:two_factor": [("get", lambda w: [], None, None, expect(OK))],
    "accounts:otp_reset": [("post", lambda w: [], lambda w: {"username": "x"}, None, expect(403, secadmin=OK))],
    # Each user's own API tokens (a token of another user is 404, see test_api_tokens.py).
    "accounts:api_tokens": [("get", lambda w: [], None, None, expect(OK)),
                            ("post", lambda w: [], lambda w: {"name": "系统", "scope": "read"}, None, expect(OK))],
    "accounts:api_token_revoke": [("post", lambda w: [_clerk_token(w)], None, None, expect(404, clerk=OK))],
    "audit:log": [("get", lambda w: [], None, None, expect(403, auditor=OK))],
    "packages:home": [("get", lambda w: [], None, None, expect(OK))],  # administrators: redirect to their page
    "packages:start": [("post", lambda w: [w.campaign.pk], None, None, expect(403, clerk=OK, clerk_b=OK))],
    "packages:overview": [
        ("get", lambda w: [w.package.pk], None, State.DRAFT, UNIT_A),
        ("get", lambda w: [w.package.pk], None, State.SUBMITTED, expect(404, clerk=OK, head=OK, reviewer=OK)),
    ],
    "packages:sheet": [
        ("get", lambda w: [w.package.pk, "overall"], None, State.DRAFT, UNIT_A),
        ("get", lambda w: [w.package.pk, "basic"], None, State.SUBMITTED, expect(404, clerk=OK, head=OK, reviewer=OK)),
        ("post", lambda w: [w.package.pk, "basic"], lambda w: {"base_revision": "2", "basic.note": "改"},
         State.DRAFT, CLERK_ONLY),
        # Submitted: nobody edits, not even the clerk.
        ("post", lambda w: [w.package.pk, "basic"], lambda w: {"base_revision": "2", "basic.note": "改"},
         State.SUBMITTED, expect(404, clerk=403, head=403, reviewer=403)),
    ],
    "packages:recompute": [
        ("post", lambda w: [w.package.pk, "basic"], lambda w: {"base_revision": "2"}, State.DRAFT, CLERK_ONLY),
    ],
    "packages:merge": [
        ("post", lambda w: [w.package.pk],
         lambda w: {"base_revision": "2", "mine": json.dumps(w.package.head.document)}, State.DRAFT, CLERK_ONLY),
    ],
    "packages:add_project": [
        ("post", lambda w: [w.package.pk], lambda w: {"base_revision": "2"}, State.DRAFT, CLERK_ONLY),
    ],
    "packages:delete_project": [
        ("post", lambda w: [w.package.pk, 0], lambda w: {"base_revision": "2"}, State.DRAFT, CLERK_ONLY),
    ],
    "packages:findings": [
        ("get", lambda w: [w.package.pk], None, State.DRAFT, UNIT_A),
        ("post", lambda w: [w.package.pk], lambda w: {"base_revision": "2"}, State.DRAFT, CLERK_ONLY),
    ],
    "packages:history": [("get", lambda w: [w.package.pk], None, State.DRAFT, UNIT_A)],
    "packages:compare": [("get", lambda w: [w.package.pk], None, State.DRAFT, UNIT_A)],
    "packages:restore": [
        ("post", lambda w: [w.package.pk, 1], lambda w: {"base_revision": "2"}, State.DRAFT, CLERK_ONLY),
    ],
    "packages:import": [
        ("post", lambda w: [w.package.pk], lambda w: {"base_revision": "2", "file": _json_upload(w)}, State.DRAFT,
         CLERK_ONLY),
    ],
    "packages:download": [
        ("get", lambda w: [w.package.pk, "json"], None, State.DRAFT, UNIT_A),
        ("get", lambda w: [w.package.pk, "json"], None, State.ACCEPTED, expect(404, clerk=OK, head=OK, reviewer=OK)),
    ],
    "packages:prepare": [("post", lambda w: [w.package.pk], None, State.DRAFT, CLERK_ONLY)],
    "packages:unprepare": [("post", lambda w: [w.package.pk], None, State.PREPARED, HEAD_ONLY)],
    "packages:submit": [("post", lambda w: [w.package.pk], None, State.PREPARED, HEAD_ONLY)],
    "packages:return": [("post", lambda w: [w.package.pk], lambda w: {"comment": "请补充"}, State.SUBMITTED, REVIEW)],
    "packages:accept": [("post", lambda w: [w.package.pk], None, State.SUBMITTED, REVIEW)],
}
CASES.update(BUREAU_CASES)  # the bureau's URLs (tests/web/bureau/authz_cases.py)
CASES.update(EVIDENCE_CASES)  # evidence, rectification, use of results (tests/web/evidence/authz_cases.py)


API = "api:"  # the JSON API's operations: walked with tokens by tests/web/test_api_authorization.py


def test_it_has_a_row_for_every_url_pattern():
    names = {n for n in _names(get_resolver().url_patterns) if not n.startswith(API)}
    assert names == set(CASES), f"missing: {names - set(CASES)}; stale: {set(CASES) - names}"


def _status_ok(status: int) -> bool:
    return status in (200, 302)


@pytest.mark.parametrize("name", sorted(CASES))
def test_it_answers_each_role_as_expected(world, name):
    for method, args, data, state, expected in CASES[name]:
        url = reverse(name, args=args(world))
        # Anonymous: the login page, never the content.
        anon = getattr(Client(), method)(url, data(world) if data else {})
        if name != "accounts:login" and name != "accounts:logout" and not name.startswith((PUBLIC, EVIDENCE_PUBLIC)):
            assert anon.status_code == 302 and "/accounts/login/" in anon["Location"], (name, anon.status_code)
        for role, want in expected.items():
            with transaction.atomic():
                if state is not None:
                    Package.objects.filter(pk=world.package.pk).update(state=state)
                resp = getattr(client_for(world.users()[role]), method)(url, data(world) if data else {})
                got = resp.status_code
                transaction.set_rollback(True)
            if want == OK:
                assert _status_ok(got), f"{name} {method} state={state} as {role}: {got}"
            else:
                assert got == want, f"{name} {method} state={state} as {role}: expected {want}, got {got}"


POST_ONLY = [n for n, cases in CASES.items() if all(c[0] == "post" for c in cases)]


@pytest.mark.parametrize("name", POST_ONLY)
def test_it_never_changes_state_on_get(world, name):
    from jixiao.web.packages.models import Revision, Transition

    args = CASES[name][0][1](world)
    before = (Revision.objects.count(), Transition.objects.count(), Package.objects.get(pk=world.package.pk).state)
    resp = client_for(world.clerk).get(reverse(name, args=args))
    assert resp.status_code in (405, 403, 404)
    after = (Revision.objects.count(), Transition.objects.count(), Package.objects.get(pk=world.package.pk).state)
    assert before == after


def test_it_logs_every_refusal(world):
    from jixiao.web.audit.models import AuditEvent

    client_for(world.clerk_b).get(reverse("packages:overview", args=[world.package.pk]))
    client_for(world.head).post(reverse("packages:sheet", args=[world.package.pk, "basic"]), {"base_revision": "2"})
    client_for(world.sysadmin).get(reverse("audit:log"))
    refusals = list(AuditEvent.objects.filter(action="permission_denied").order_by("id"))
    assert [e.username for e in refusals] == ["clerk-b", "head-a", "sysadmin"]
    assert [e.detail["status"] for e in refusals] == [404, 403, 403]


def test_it_hides_other_units_from_lists(world):
    resp = client_for(world.clerk_b).get(reverse("packages:home"))
    assert world.unit_a.name not in resp.content.decode()
    resp = client_for(world.reviewer).get(reverse("packages:home"))
    assert world.unit_a.name not in resp.content.decode()  # a draft is the unit's own business
    Package.objects.filter(pk=world.package.pk).update(state=State.SUBMITTED)
    assert world.unit_a.name in client_for(world.reviewer).get(reverse("packages:home")).content.decode()
    assert world.unit_a.name not in client_for(world.other_reviewer).get(reverse("packages:home")).content.decode()
