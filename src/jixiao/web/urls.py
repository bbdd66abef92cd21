"""URL map. Every pattern here is walked by tests/web/test_it_authorizes_every_url.py with every role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import include, path, register_converter

from .accounts import twofactor
from .accounts import views as accounts
from .api import views as api_tokens
from .api.main import api
from .audit import views as audit
from .bureau import urls as bureau_urls
from .evidence import urls as evidence_urls
from .packages import history_views as history
from .packages import sheet_views as sheets
from .packages import views as packages


class SheetKey:
    regex = r"basic|overall|report|project-\d{1,3}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SheetKey, "sheet")
L = login_required

accounts_patterns = (
    [
        path("login/", accounts.login_view, name="login"),
        path("logout/", accounts.logout_view, name="logout"),
        path("password/", L(accounts.password_change), name="password_change"),
        path("manage/users/", L(accounts.users), name="users"),
        path("manage/users/<int:user_id>/deactivate/", L(accounts.deactivate), name="deactivate"),
        path("manage/users/<int:user_id>/reset-password/", L(accounts.reset_password), name="reset_password"),
        path("security/", L(accounts.security), name="security"),
        path("security/unlock/", L(accounts.unlock), name="unlock"),
        path("login/code/", twofactor.otp_verify, name="otp_verify"),
        path("login/enrol/", twofactor.otp_enrol, name="otp_enrol"),
        path("two-factor/", L(twofactor.two_factor), name="two_factor"),
        path("security/otp-reset/", L(twofactor.otp_reset), name="otp_reset"),
        path("tokens/", L(api_tokens.tokens), name="api_tokens"),
        path("tokens/<int:token_id>/revoke/", L(api_tokens.revoke), name="api_token_revoke"),
    ],
    "accounts",
)

packages_patterns = (
    [
        path("", L(packages.home), name="home"),
        path("campaigns/<int:campaign_id>/start/", L(packages.start), name="start"),
        path("p/<int:package_id>/", L(packages.overview), name="overview"),
        path("p/<int:package_id>/sheet/<sheet:key>/", L(sheets.sheet), name="sheet"),
        path("p/<int:package_id>/sheet/<sheet:key>/recompute/", L(sheets.recompute), name="recompute"),
        path("p/<int:package_id>/merge/", L(sheets.merge_save), name="merge"),
        path("p/<int:package_id>/projects/add/", L(sheets.add_project), name="add_project"),
        path("p/<int:package_id>/projects/<int:index>/delete/", L(sheets.delete_project), name="delete_project"),
        path("p/<int:package_id>/findings/", L(packages.findings), name="findings"),
        path("p/<int:package_id>/history/", L(history.history), name="history"),
        path("p/<int:package_id>/compare/", L(history.compare), name="compare"),
        path("p/<int:package_id>/revisions/<int:number>/restore/", L(history.restore), name="restore"),
        path("p/<int:package_id>/import/", L(packages.import_file), name="import"),
        path("p/<int:package_id>/download/<slug:fmt>/", L(packages.download), name="download"),
        path("p/<int:package_id>/prepare/", L(packages.prepare), name="prepare"),
        path("p/<int:package_id>/unprepare/", L(packages.unprepare), name="unprepare"),
        path("p/<int:package_id>/submit/", L(packages.submit), name="submit"),
        path("p/<int:package_id>/return/", L(packages.return_), name="return"),
        path("p/<int:package_id>/accept/", L(packages.accept), name="accept"),
    ],
    "packages",
)

urlpatterns = [
    path("", include(packages_patterns)),
    path("accounts/", include(accounts_patterns)),
    path("audit/", include(([path("", L(audit.log), name="log")], "audit"))),
    path("bureau/", include(bureau_urls.bureau_patterns)),
    path("public/", include(bureau_urls.public_patterns)),
    path("evidence/", include(evidence_urls.patterns)),  # 佐证材料, 整改, 结果应用
    path("public/evidence/", include(evidence_urls.public_patterns)),
    path("api/v1/", api.urls),  # the JSON API (its own authorisation walk: tests/web/test_api_authorization.py)
]

handler400 = "jixiao.web.errors.bad_request"
handler403 = "jixiao.web.errors.forbidden"
handler404 = "jixiao.web.errors.not_found"
handler500 = "jixiao.web.errors.server_error"
