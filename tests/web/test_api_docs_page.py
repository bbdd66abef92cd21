"""The API's docs page in Debian's Chromium under the site's Content-Security-Policy: Swagger UI
from our own static files (nothing fetched from elsewhere), no inline script, no CSP
violation, and the operations of the OpenAPI document listed."""

from __future__ import annotations

import pytest
from test_browser_story import browser  # noqa: F401  (the module's Chromium fixture)

pytestmark = pytest.mark.browser


def test_the_docs_page_draws_under_the_sites_policy(live_server, browser):  # noqa: F811
    page = browser.new_page()
    problems, requests = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    resp = page.goto(f"{live_server.url}/api/v1/docs/")
    policy = resp.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    page.wait_for_selector(".swagger-ui .info .title", timeout=20000)
    assert "绩效自评 API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector("[data-path=\"/api/v1/packages/{package_id}/revisions\"]", timeout=20000)
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    assert not problems, problems
    assert requests and all(u.startswith(live_server.url) or u.startswith("data:") for u in requests), requests
    html = page.content()
    assert "<script>" not in resp.text() and "application/json" in resp.text()
    assert html
    page.close()
