"""Rows of tests/web/test_it_authorizes_every_url.py for the bureau's URLs: reviewers of the
campaign's bureau get through, another bureau's reviewer gets 404, every other role 403;
the public pages answer everyone, logged in or not."""

from __future__ import annotations

from jixiao.web.packages.models import State

OK = "ok"
ROLES = ["clerk", "head", "clerk_b", "head_b", "reviewer", "other_reviewer", "sysadmin", "secadmin", "auditor"]
PUBLIC = "public:"  # URL names anonymous visitors may open


def _expect(default, **roles):
    out = dict.fromkeys(ROLES, default)
    out.update(roles)
    return out


BUREAU = _expect(403, reviewer=OK, other_reviewer=404)
BUREAU_NO_OBJECT = _expect(403, reviewer=OK, other_reviewer=OK)  # pages without an object of one bureau
EVERYONE = _expect(OK)


def _job(w):
    from jixiao.web.bureau.models import ImportJob

    return ImportJob.objects.get_or_create(campaign=w.campaign, created_by=w.reviewer, source_name="a.zip")[0]


def _publication(w):
    from jixiao.web.bureau.models import Publication

    pub = Publication.objects.filter(package=w.package).first()
    if pub is None:
        pub = Publication.objects.create(
            package=w.package, campaign=w.campaign, unit=w.unit_a, number=1, revision_number=w.package.head_number,
            published_by=w.reviewer, unit_name=w.unit_a.name, fiscal_year=2023, document=w.package.head.document,
            html="<p>表</p>", csv="部分,单元格,路径,内容\n", pdf=b"%PDF-1.4",
        )
    return pub


def _upload_not_zip():
    import io

    f = io.BytesIO(b"not a zip")
    f.name = "packages.txt"
    return f


C = lambda w: [w.campaign.pk]  # noqa: E731
P = lambda w: [w.package.pk]  # noqa: E731

BUREAU_CASES = {
    "bureau:campaigns": [("get", lambda w: [], None, None, BUREAU_NO_OBJECT)],
    "bureau:campaign_new": [("get", lambda w: [], None, None, BUREAU_NO_OBJECT)],
    "bureau:progress": [("get", C, None, None, BUREAU)],
    "bureau:campaign_edit": [("post", C, lambda w: {"deadline": "2024-05-31", "is_open": "on"}, None, BUREAU)],
    "bureau:units": [("post", C, lambda w: {"unit": [w.unit_b.pk]}, None, BUREAU)],
    "bureau:prefill": [("post", C, None, None, BUREAU)],
    "bureau:reminders": [("get", C, None, None, BUREAU)],
    "bureau:summary": [("get", C, None, None, BUREAU)],
    "bureau:import": [("get", C, None, None, BUREAU),
                      ("post", C, lambda w: {"file": _upload_not_zip()}, None, BUREAU)],
    "bureau:job": [("get", lambda w: [_job(w).pk], None, None, BUREAU)],
    "bureau:job_progress": [("get", lambda w: [_job(w).pk], None, None, BUREAU)],
    "bureau:job_cancel": [("post", lambda w: [_job(w).pk], None, None, BUREAU)],
    "bureau:job_retry": [("post", lambda w: [_job(w).pk], None, None, BUREAU)],
    "bureau:queue": [("get", C, None, None, BUREAU)],
    # A draft is the unit's business: not even the bureau's reviewer may open its review page.
    "bureau:review": [("get", P, None, State.SUBMITTED, BUREAU),
                      ("get", P, None, State.DRAFT, _expect(403, reviewer=404, other_reviewer=404))],
    "bureau:decide": [("post", P, lambda w: {"decision": "return", "comment": "请补充"}, State.SUBMITTED, BUREAU)],
    "bureau:publish": [("post", P, None, State.ACCEPTED, BUREAU)],
    "bureau:publish_all": [("post", C, None, None, BUREAU)],
    "bureau:dashboard": [("get", C, None, None, BUREAU)],
    "bureau:monitoring": [("get", C, None, None, BUREAU)],
    # Allowing an adjustment of approved targets (the world's package is a self-evaluation: refused with a message).
    "bureau:adjust_targets": [("post", P, lambda w: {"reason": "项目调整"}, State.SUBMITTED, BUREAU)],
    "bureau:chart_xlsx": [("get", lambda w: [w.campaign.pk, "grades"], None, None, BUREAU)],
    "public:index": [("get", lambda w: [], None, None, EVERYONE)],
    "public:campaign": [("get", lambda w: [_publication(w).campaign_id], None, None, EVERYONE)],
    "public:unit": [("get", lambda w: [_publication(w).campaign_id, w.unit_a.pk], None, None, EVERYONE)],
    "public:publication": [("get", lambda w: [_publication(w).pk], None, None, EVERYONE)],
    "public:download": [("get", lambda w: [_publication(w).pk, "csv"], None, None, EVERYONE)],
}
