"""The bureau's URLs (reviewers, login required) and the public pages (no login)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required as L
from django.urls import path

from . import views_campaigns as campaigns
from . import views_dashboard as dashboards
from . import views_jobs as jobs
from . import views_monitoring as monitoring
from . import views_public as public
from . import views_review as review

bureau_patterns = (
    [
        path("", L(campaigns.campaigns), name="campaigns"),
        path("new/", L(campaigns.campaign_new), name="campaign_new"),
        path("c/<int:campaign_id>/", L(campaigns.progress_page), name="progress"),
        path("c/<int:campaign_id>/edit/", L(campaigns.campaign_edit), name="campaign_edit"),
        path("c/<int:campaign_id>/units/", L(campaigns.campaign_units), name="units"),
        path("c/<int:campaign_id>/prefill/", L(campaigns.prefill), name="prefill"),
        path("c/<int:campaign_id>/reminders.xlsx", L(campaigns.reminders), name="reminders"),
        path("c/<int:campaign_id>/summary.xlsx", L(campaigns.summary), name="summary"),
        path("c/<int:campaign_id>/import/", L(jobs.import_page), name="import"),
        path("jobs/<int:job_id>/", L(jobs.job_page), name="job"),
        path("jobs/<int:job_id>/progress/", L(jobs.job_progress), name="job_progress"),
        path("jobs/<int:job_id>/cancel/", L(jobs.job_cancel), name="job_cancel"),
        path("jobs/<int:job_id>/retry/", L(jobs.job_retry), name="job_retry"),
        path("c/<int:campaign_id>/review/", L(review.queue), name="queue"),
        path("p/<int:package_id>/review/", L(review.review_page), name="review"),
        path("p/<int:package_id>/decide/", L(review.decide), name="decide"),
        path("p/<int:package_id>/publish/", L(review.publish), name="publish"),
        path("c/<int:campaign_id>/publish-all/", L(review.publish_all), name="publish_all"),
        path("c/<int:campaign_id>/dashboard/", L(dashboards.dashboard_page), name="dashboard"),
        path("c/<int:campaign_id>/monitoring/", L(monitoring.monitoring_page), name="monitoring"),
        path("p/<int:package_id>/adjust-targets/", L(review.adjust_targets), name="adjust_targets"),
        path("c/<int:campaign_id>/dashboard/<slug:chart>.xlsx", L(dashboards.chart_xlsx), name="chart_xlsx"),
    ],
    "bureau",
)

public_patterns = (
    [
        path("", public.index, name="index"),
        path("c/<int:campaign_id>/", public.campaign, name="campaign"),
        path("c/<int:campaign_id>/u/<int:unit_id>/", public.unit, name="unit"),
        path("p/<int:pub_id>/", public.publication, name="publication"),
        path("p/<int:pub_id>/file.<slug:fmt>", public.download, name="download"),
    ],
    "public",
)
