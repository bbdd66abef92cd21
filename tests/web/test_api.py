"""The API's behaviour beyond who may call what (test_api_authorization.py): tokens (scope,
revocation, a disabled or locked account), the rate limit on both sides of it, the version
check (409) and the idempotent retry of an upload, files through the web's upload guard, and
errors as JSON {"code", "message"} everywhere under /api/."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from apiworld import ApiClient, token_for
from django.core.cache import cache
from django.test import Client
from webworld import client_for, seed_document

from jixiao.web.api.models import ApiToken
from jixiao.web.audit.models import AuditEvent
from jixiao.web.packages.models import Package, Revision


@pytest.fixture(autouse=True)
def _fresh_rate_counts(settings):
    settings.JIXIAO_API_RATE = "10000/min"
    cache.clear()


def _chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def _upload(world, client, base, **extra):
    return client.post(f"/api/v1/packages/{world.package.pk}/revisions",
                       {"base_revision": base, "document": world.package.head.document, **extra})


# ------------------------------------------------------------------ tokens


def test_a_token_is_stored_only_as_a_digest(world):
    from jixiao.web.api.tokens import issue

    token, text = issue(user=world.clerk, name="预算系统", scope="read")
    row = ApiToken.objects.get(pk=token.pk)
    assert text not in (row.digest, row.prefix) and text.startswith(f"jx_{row.prefix}_") and len(row.digest) == 64
    assert row.last_used_at is None
    assert ApiClient(text).get("/api/v1/me").json()["username"] == "clerk-a"
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None  # the page shows it
    assert ApiClient(text[:-1] + ("A" if text[-1] != "A" else "B")).get("/api/v1/me").status_code == 401


def test_the_user_creates_and_revokes_tokens_on_the_web(world):
    web = client_for(world.clerk)
    page = web.post("/accounts/tokens/", {"name": "预算一体化系统", "scope": "write"})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    text = page.context["created"]
    assert text in page.content.decode()
    assert ApiClient(text).get("/api/v1/me").json()["token_scope"] == "write"
    token = ApiToken.objects.get(user=world.clerk)
    assert text not in web.get("/accounts/tokens/").content.decode()  # shown once only
    # Another user cannot revoke it (404, logged), the owner can; then it stops working.
    assert client_for(world.clerk2).post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiClient(text).get("/api/v1/me").status_code == 200
    web.post(f"/accounts/tokens/{token.pk}/revoke/")
    resp = ApiClient(text).get("/api/v1/me")
    assert resp.status_code == 401 and resp.json()["code"] == "invalid_token"
    actions = list(AuditEvent.objects.filter(action__startswith="api_token").values_list("action", flat=True))
    assert sorted(actions) == ["api_token_created", "api_token_revoked"]


def test_a_token_needs_a_name_and_a_known_scope(world):
    web = client_for(world.clerk)
    web.post("/accounts/tokens/", {"name": " ", "scope": "write"})
    web.post("/accounts/tokens/", {"name": "x", "scope": "admin"})
    assert not ApiToken.objects.filter(user=world.clerk).exists()


def test_a_read_only_token_reads_and_checks_but_changes_nothing(world):
    ro = ApiClient(token_for(world.clerk, "read"))
    assert ro.get(f"/api/v1/packages/{world.package.pk}").status_code == 200
    assert ro.post("/api/v1/check", seed_document()).status_code == 200
    before = Revision.objects.count()
    resp = _upload(world, ro, 2)
    assert resp.status_code == 403 and _chinese(resp.json()["message"])
    assert ro.post(f"/api/v1/packages/{world.package.pk}/transitions/prepare", {}).status_code == 403
    assert Revision.objects.count() == before
    assert AuditEvent.objects.filter(action="permission_denied", username="clerk-a").count() == 2
    assert _upload(world, ApiClient(token_for(world.clerk, "write")), 2).status_code == 201


def test_a_disabled_locked_or_forced_account_stops_its_tokens(world, settings):
    from jixiao.web.accounts.lockout import record_failure

    text = token_for(world.clerk)
    assert ApiClient(text).get("/api/v1/me").status_code == 200
    for _ in range(settings.LOGIN_MAX_FAILURES):
        record_failure("clerk-a", None)
    resp = ApiClient(text).get("/api/v1/me")
    assert resp.status_code == 401 and resp.json()["code"] == "account_locked"
    from jixiao.web.accounts.lockout import clear

    clear("clerk-a")
    assert ApiClient(text).get("/api/v1/me").status_code == 200
    type(world.clerk).objects.filter(pk=world.clerk.pk).update(must_change_password=True)
    assert ApiClient(text).get("/api/v1/me").json()["code"] == "password_change_required"
    type(world.clerk).objects.filter(pk=world.clerk.pk).update(must_change_password=False, is_active=False)
    resp = ApiClient(text).get("/api/v1/me")
    assert resp.status_code == 401 and resp.json()["code"] == "account_disabled"


def test_a_session_cookie_is_no_way_in(world):
    web = client_for(world.clerk)  # logged in on the web
    resp = web.post(f"/api/v1/packages/{world.package.pk}/revisions",
                    json.dumps({"base_revision": 2, "document": world.package.head.document}),
                    content_type="application/json")
    assert resp.status_code == 401
    assert web.get("/api/v1/packages").status_code == 401


# ------------------------------------------------------------------ rate limit


def test_the_rate_limit_counts_per_token_on_both_sides(world, settings):
    settings.JIXIAO_API_RATE = "3/min"
    mine, other = ApiClient(token_for(world.clerk)), ApiClient(token_for(world.clerk))
    assert [mine.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 200]  # at the limit: served
    resp = mine.get("/api/v1/me")  # one over
    assert resp.status_code == 429 and resp.json()["code"] == "rate_limited" and _chinese(resp.json()["message"])
    assert int(resp["Retry-After"]) >= 1
    assert other.get("/api/v1/me").status_code == 200  # another token has its own count


# ------------------------------------------------------------------ uploads: version check, retries


def test_a_stale_upload_is_refused_with_the_current_revision(world):
    api = ApiClient(token_for(world.clerk))
    assert _upload(world, api, 2).status_code == 201  # now revision 3
    resp = _upload(world, api, 2)
    assert resp.status_code == 409
    body = resp.json()
    assert body["code"] == "stale_revision" and body["current_revision"] == 3 and "第3版" in body["message"]
    assert Package.objects.get(pk=world.package.pk).head_number == 3
    assert AuditEvent.objects.filter(action="save_conflict").count() == 1


def test_a_retried_upload_is_saved_once(world):
    api = ApiClient(token_for(world.clerk))
    first = _upload(world, api, 2, save_key="retry-0001")
    again = _upload(world, api, 2, save_key="retry-0001")  # the answer to the first was lost
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["number"] == again.json()["number"] == 3
    assert again.json()["repeated"] is True and first.json()["repeated"] is False
    assert Revision.objects.filter(package=world.package).count() == 3
    saved = AuditEvent.objects.filter(action="save").latest("id")
    assert saved.detail["revision"] == 3 and saved.detail["via"] == "api" and saved.path.startswith("/api/v1/")
    # Another user's key is not theirs to replay.
    other = _upload(world, ApiClient(token_for(world.clerk2)), 3, save_key="retry-0001")
    assert other.status_code == 409


def test_an_upload_of_another_year_is_refused(world):
    doc = dict(world.package.head.document, fiscal_year=2022)
    resp = ApiClient(token_for(world.clerk)).post(f"/api/v1/packages/{world.package.pk}/revisions",
                                                  {"base_revision": 2, "document": doc})
    assert resp.status_code == 422 and resp.json()["code"] == "wrong_year"


def test_a_file_revision_keeps_the_parts_the_file_lacks(world):
    doc = seed_document()
    report = world.package.head.document["report"]
    doc.pop("report", None)
    f = io.BytesIO(json.dumps(doc, ensure_ascii=False).encode())
    f.name = "基础表.json"
    resp = ApiClient(token_for(world.clerk)).post(f"/api/v1/packages/{world.package.pk}/revisions/file",
                                                  files={"file": f}, data={"base_revision": "2"})
    assert resp.status_code == 201, resp.content
    head = Package.objects.get(pk=world.package.pk).head
    assert head.source == "import" and head.note == "导入 基础表.json" and head.document["report"] == report


# ------------------------------------------------------------------ files: the web's guard


def _zip_bomb() -> io.BytesIO:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<a/>")
        z.writestr("word/document.xml", b"\0" * (40 * 1024 * 1024))
    buf.seek(0)
    buf.name = "炸弹.docx"
    return buf


@pytest.mark.parametrize("name,content,words", [
    ("材料.docx", b"not a zip at all", "不是"),
    ("材料.exe", b"MZ", "不支持的文件类型"),
    ("材料.docm", b"PK\x03\x04", "不支持的文件类型"),
])
def test_a_bad_file_is_refused_in_chinese(world, name, content, words):
    f = io.BytesIO(content)
    f.name = name
    resp = ApiClient(token_for(world.clerk)).post("/api/v1/check/file", files={"file": f})
    assert resp.status_code == 422 and resp.json()["code"] == "unreadable_file", resp.content
    assert words in resp.json()["message"] and "/tmp" not in resp.json()["message"]


def test_a_zip_bomb_is_refused_before_it_is_read(world):
    resp = ApiClient(token_for(world.clerk)).post("/api/v1/check/file", files={"file": _zip_bomb()})
    assert resp.status_code == 422 and "压缩比" in resp.json()["message"]


def test_an_oversized_file_is_refused(world, settings):
    settings.JIXIAO_MAX_UPLOAD_BYTES = 1024
    f = io.BytesIO(json.dumps(seed_document(), ensure_ascii=False).encode())
    f.name = "seed.json"
    resp = ApiClient(token_for(world.clerk)).post("/api/v1/check/file", files={"file": f})
    assert resp.status_code == 422 and "文件过大" in resp.json()["message"]


def test_a_word_file_is_checked_like_the_cli(world, tmp_path):
    from jixiao.api import check_package
    from jixiao.io import load_package
    from jixiao.render import render_package

    pkg = load_package(str(__import__("webworld").SEED))
    docx = next(f for f in render_package(pkg, tmp_path, formats=("docx",)).files if "全套" in f.name)
    with docx.open("rb") as fh:
        resp = ApiClient(token_for(world.clerk)).post("/api/v1/check/file", files={"file": fh})
    assert resp.status_code == 200
    expected = check_package(load_package(docx)).to_dict()["summary"]
    assert resp.json()["summary"] == expected


def test_render_gives_the_document(world):
    resp = ApiClient(token_for(world.clerk)).post("/api/v1/render", seed_document(), query="format=xlsx")
    assert resp.status_code == 200 and resp.content[:2] == b"PK"
    assert "filename*=UTF-8''2023-" in resp["Content-Disposition"]


# ------------------------------------------------------------------ errors as JSON


@pytest.mark.parametrize("call,status,code", [
    (lambda c: c.get("/api/v1/no-such-thing"), 404, "not_found"),
    (lambda c: c.client.delete("/api/v1/me", headers=c.headers), 405, "method_not_allowed"),
    (lambda c: c.get("/api/v1/packages/999999"), 404, "not_found"),
    (lambda c: c.get("/api/v1/packages/0"), 422, "invalid_request"),
    (lambda c: c.get("/api/v1/packages", state="lost"), 422, "invalid_request"),
    (lambda c: c.post("/api/v1/check", {"unit_name": "x"}), 422, "invalid_request"),
    (lambda c: c.post("/api/v1/check", seed_document(), query="pack=../../etc/passwd"), 422, "invalid_request"),
    (lambda c: c.post("/api/v1/check", seed_document(), query="pack=no-such-pack"), 422, "unknown_pack"),
    (lambda c: c.client.post("/api/v1/check", "{not json", content_type="application/json", headers=c.headers),
     400, "bad_request"),
])
def test_errors_are_json_with_a_code_and_a_chinese_message(world, call, status, code):
    resp = call(ApiClient(token_for(world.clerk)))
    assert resp.status_code == status, resp.content
    assert resp["Content-Type"].startswith("application/json")
    body = resp.json()
    assert body["code"] == code and _chinese(body["message"]), body


def test_a_refused_document_gives_its_reasons_in_chinese(world):
    """pydantic's own type errors ('Field required', 'Input should be a valid integer') are said in
    Chinese in the message and in each error's reason, the field named."""
    resp = ApiClient(token_for(world.clerk)).post("/api/v1/check", {"unit_name": ["某单位"], "fiscal_year": "二〇二三"})
    assert resp.status_code == 422, resp.content
    body = resp.json()
    reasons = {e["field"].rsplit(".", 1)[-1]: e["reason"] for e in body["errors"]}
    assert reasons.get("fiscal_year") == "应为整数" and reasons.get("unit_name") == "应为文字", body
    assert not any(w in json.dumps(body, ensure_ascii=False) for w in ("Input should", "Field required", "a valid"))


def test_an_object_where_a_cell_belongs_is_a_422_not_a_500(world):
    """Found by schemathesis: a JSON object where an indicator cell's text belongs is refused on its cell (a 422 naming it)."""
    doc = seed_document()
    doc["projects"][0]["indicators"][0]["children"][0]["indicators"] = [{"name": "数量", "actual": {"raw": {}}}]
    for path in ("/api/v1/check", "/api/v1/score", "/api/v1/render"):
        resp = ApiClient(token_for(world.clerk)).post(path, doc)
        assert resp.status_code == 422 and resp.json()["code"] == "invalid_request", (path, resp.content[:200])
        assert "actual" in resp.json()["message"] and "指标值应为文字" in resp.json()["message"]


def test_a_package_without_any_table_is_not_rendered(world):
    doc = {"schema_version": "1", "unit_name": "某单位", "fiscal_year": 2023}
    resp = ApiClient(token_for(world.clerk)).post("/api/v1/render", doc)
    assert resp.status_code == 422 and resp.json()["code"] == "invalid_input" and "无可出具" in resp.json()["message"]


def test_an_unexpected_error_is_a_json_500(world, monkeypatch):
    from jixiao.web.api import routes_packages

    monkeypatch.setattr(routes_packages, "revision_meta", lambda rev: 1 / 0)
    client = ApiClient(token_for(world.clerk))
    client.client.raise_request_exception = False
    resp = client.get(f"/api/v1/packages/{world.package.pk}")
    assert resp.status_code == 500 and resp.json()["code"] == "server_error" and _chinese(resp.json()["message"])


def test_the_web_pages_keep_their_html_errors(world):
    resp = Client().get("/no-such-page/")
    assert resp.status_code == 404 and resp["Content-Type"].startswith("text/html")
