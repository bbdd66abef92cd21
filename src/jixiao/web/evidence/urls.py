"""Evidence, rectification and use-of-results URLs (login required), and the public file of a
publication (no login). Walked by tests/web/test_it_authorizes_every_url.py (tests/web/evidence/authz_cases.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required as L
from django.urls import path

from . import views, views_rect, views_results

patterns = (
    [
        path("p/<int:package_id>/upload/", L(views.upload), name="upload"),
        path("f/<int:evidence_id>/", L(views.download), name="download"),
        path("f/<int:evidence_id>/remove/", L(views.remove), name="remove"),
        path("c/<int:campaign_id>/policy/", L(views.policy), name="policy"),
        path("p/<int:package_id>/rectification/new/", L(views_rect.create), name="rectification_new"),
        path("rectification/", L(views_rect.item_list), name="rectifications"),
        path("rectification/<int:item_id>/", L(views_rect.item_page), name="rectification"),
        path("rectification/<int:item_id>/respond/", L(views_rect.respond), name="respond"),
        path("rectification/<int:item_id>/close/", L(views_rect.close), name="close"),
        path("rectification/<int:item_id>/reopen/", L(views_rect.reopen), name="reopen"),
        path("p/<int:package_id>/budget/", L(views_results.decide_budget), name="budget"),
        path("c/<int:campaign_id>/results.xlsx", L(views_results.results_xlsx), name="results_xlsx"),
    ],
    "evidence",
)

public_patterns = (
    [path("p/<int:pub_id>/f/<int:evidence_id>/", views.public_file, name="file")],
    "public_evidence",
)
