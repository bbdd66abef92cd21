"""Rows of tests/web/test_it_authorizes_every_url.py for evidence, rectification and the use of
results: only the unit's own people and the reviewers of its bureau; every other unit's user and
the other bureau's reviewer 404, administrators 403 or 404 (objects they must not know of)."""

from __future__ import annotations

from jixiao.web.packages.models import State

OK = "ok"
ROLES = ["clerk", "head", "clerk_b", "head_b", "reviewer", "other_reviewer", "sysadmin", "secadmin", "auditor"]
EVIDENCE_PUBLIC = "public_evidence:"  # URL names anonymous visitors may open


def _expect(default, **roles):
    out = dict.fromkeys(ROLES, default)
    out.update(roles)
    return out


def _evidence(w):
    from evidence.evidenceworld import first_choice, pdf_bytes

    from jixiao.web.evidence.actions import do_upload_evidence
    from jixiao.web.evidence.files import check_evidence
    from jixiao.web.evidence.models import Evidence

    ev = Evidence.objects.filter(package=w.package, removed_at__isnull=True).first()
    if ev is None:
        ev = do_upload_evidence(package_id=w.package.pk, actor=w.clerk, choice=first_choice(w.package),
                                checked=check_evidence("证明.pdf", pdf_bytes(), max_pixels=10**6))
    return ev


def _item(w):
    from jixiao.web.bureau.models import Review
    from jixiao.web.evidence.models import RectificationItem

    item = RectificationItem.objects.filter(package=w.package).first()
    if item is None:
        if not Review.objects.filter(package=w.package).exists():
            Review.objects.create(package=w.package, revision_number=w.package.head_number, reviewer=w.reviewer,
                                  decision="accept")
        item = RectificationItem.objects.create(package=w.package, unit=w.unit_a, year=2023, problem="指标不够细化",
                                                created_by=w.reviewer)
    return item


def _closed_item(w):
    from jixiao.web.evidence.models import RectState

    item = _item(w)
    type(item).objects.filter(pk=item.pk).update(state=RectState.CLOSED)
    return item


def _published_evidence(w):
    from bureau.authz_cases import _publication

    from jixiao.web.evidence.models import PublishedEvidence

    pub, ev = _publication(w), _evidence(w)
    PublishedEvidence.objects.get_or_create(publication=pub, evidence=ev)
    return [pub.pk, ev.pk]


C = lambda w: [w.campaign.pk]  # noqa: E731
P = lambda w: [w.package.pk]  # noqa: E731
E = lambda w: [_evidence(w).pk]  # noqa: E731
R = lambda w: [_item(w).pk]  # noqa: E731

BUREAU = _expect(403, reviewer=OK, other_reviewer=404)
SEEN_BY_UNIT_AND_BUREAU = _expect(404, clerk=OK, head=OK, reviewer=OK)
UNIT_AND_REVIEWERS = _expect(403, clerk=OK, head=OK, clerk_b=OK, head_b=OK, reviewer=OK, other_reviewer=OK)
ITEM_BUREAU_ACTION = _expect(404, clerk=403, head=403, reviewer=OK)


def _pdf_upload():
    import io

    from evidence.evidenceworld import pdf_bytes

    f = io.BytesIO(pdf_bytes())
    f.name = "证明.pdf"
    return f


def _choice(w):
    from evidence.evidenceworld import first_choice

    return first_choice(w.package).value


EVIDENCE_CASES = {
    "evidence:upload": [
        ("post", P, lambda w: {"indicator": _choice(w), "file": _pdf_upload()}, State.DRAFT,
         _expect(404, clerk=OK, head=403)),
        # Submitted: the clerk may no longer attach; the reviewer sees the package but may not either.
        ("post", P, lambda w: {"indicator": _choice(w), "file": _pdf_upload()}, State.SUBMITTED,
         _expect(404, clerk=403, head=403, reviewer=403)),
    ],
    "evidence:download": [
        ("get", E, None, State.DRAFT, _expect(404, clerk=OK, head=OK)),
        ("get", E, None, State.SUBMITTED, SEEN_BY_UNIT_AND_BUREAU),
    ],
    "evidence:remove": [
        ("post", E, None, State.DRAFT, _expect(404, clerk=OK, head=403)),
        ("post", E, None, State.SUBMITTED, _expect(404, clerk=403, head=403, reviewer=403)),
    ],
    "evidence:policy": [("post", C, lambda w: {"required": "群众满意度", "publish_evidence": "on"}, None, BUREAU)],
    "evidence:rectification_new": [
        ("post", P, lambda w: {"problem": "目标值未量化", "due": "2024-06-30"}, State.ACCEPTED, BUREAU),
    ],
    "evidence:rectifications": [("get", lambda w: [], None, None, UNIT_AND_REVIEWERS)],
    "evidence:rectification": [("get", R, None, State.ACCEPTED, SEEN_BY_UNIT_AND_BUREAU)],
    "evidence:respond": [
        ("post", R, lambda w: {"measures": "细化指标", "progress": "已完成"}, State.ACCEPTED,
         _expect(404, clerk=OK, head=403, reviewer=403)),
    ],
    "evidence:close": [("post", R, lambda w: {"note": "已整改"}, State.ACCEPTED, ITEM_BUREAU_ACTION)],
    "evidence:reopen": [("post", lambda w: [_closed_item(w).pk], lambda w: {"reason": "未落实"}, State.ACCEPTED,
                         ITEM_BUREAU_ACTION)],
    "evidence:budget": [("post", P, lambda w: {"action": "cut", "percent": "10"}, State.ACCEPTED, BUREAU)],
    "evidence:results_xlsx": [("get", C, None, None, BUREAU)],
    "public_evidence:file": [("get", _published_evidence, None, None, _expect(OK))],
}
