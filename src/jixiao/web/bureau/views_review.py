"""Review: the queue of submitted packages, worst first, and the review page of one package."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jixiao.forms import load_form

from ..packages.actions import ActionError
from ..packages.annotate import finding_views
from ..packages.checking import evaluate
from ..packages.cycle_actions import approval_history, approved_targets
from ..packages.cycle_context import cycle_context_for
from ..packages.labels import describe
from ..packages.models import BUREAU_VISIBLE_STATES, Package, Stage, State
from .access import get_campaign, get_package
from .actions import do_review, parse_score
from .figures import from_cents
from .models import Decision

TABS = [(State.SUBMITTED.value, "待审核"), (State.RETURNED.value, "已退回"), (State.ACCEPTED.value, "已通过")]


def queue(request, campaign_id: int):
    campaign = get_campaign(request, campaign_id)
    tab = request.GET.get("tab", State.SUBMITTED)
    if tab not in dict(TABS):
        tab = State.SUBMITTED
    pkgs = (Package.objects.filter(campaign=campaign, state=tab).select_related("unit", "head")
            .annotate(returns=Count("reviews", filter=Q(reviews__decision=Decision.RETURN)),
                      gap=F("head__self_total") - F("head__computed_total")))
    # Worst first: errors the unit did not explain, then all errors, warnings, and a self-score
    # furthest above the computed one. (The gap is only an ordering key, never summed.)
    pkgs = pkgs.order_by(F("head__unexplained_errors").desc(), F("head__errors").desc(), F("head__warnings").desc(),
                         F("gap").desc(nulls_last=True), "unit__name")
    counts = dict(Package.objects.filter(campaign=campaign, state__in=dict(TABS)).values_list("state")
                  .annotate(n=Count("pk")).order_by())
    page = Paginator(pkgs, 100).get_page(request.GET.get("page"))
    for p in page:
        # Shown from the two Decimal columns: SQLite computes the ordering key in floating point.
        h = p.head
        p.gap_shown = (f"{h.self_total - h.computed_total:+.2f}"
                       if h is not None and h.self_total is not None and h.computed_total is not None else "")
    return render(request, "bureau/queue.html", {
        "campaign": campaign, "packages": page, "page": page, "tab": tab,
        "tabs": [(k, label, counts.get(k, 0)) for k, label in TABS],
    })


def reviewed_revision(pkg: Package):
    """What the bureau was given: the head, or for a returned package the revision it submitted."""
    if pkg.state == State.RETURNED and pkg.submitted_number:
        return pkg.revisions.select_related("author").filter(number=pkg.submitted_number).first() or pkg.head
    return pkg.head


def _years(pkg: Package) -> list[dict]:
    """This unit's packages in every campaign of the bureau, newest first, from indexed columns."""
    out = []
    others = (Package.objects.filter(unit=pkg.unit, campaign__bureau_id=pkg.campaign.bureau_id, stage=pkg.stage,
                                     state__in=BUREAU_VISIBLE_STATES)
              .select_related("campaign", "head", "head__figures").order_by("-campaign__year"))
    for p in others:
        rev = reviewed_revision(p)
        fig = getattr(rev, "figures", None)
        last = p.reviews.first()
        out.append({
            "year": p.campaign.year, "pkg": p, "current": p.pk == pkg.pk, "rev": rev,
            "budget": from_cents(fig.budget_cents) if fig else None,
            "executed": from_cents(fig.executed_cents) if fig else None,
            "rate": fig.execution_rate if fig else None,
            "sangong": from_cents(fig.sangong_final_cents) if fig else None,
            "project": from_cents(fig.project_final_cents) if fig else None,
            "review_total": last.review_total if last else None, "review_grade": last.review_grade if last else "",
        })
    return out


def _cell_choices(ev, document, form_name) -> list[tuple[str, str]]:
    """Every data cell of the tables, named as the unit reads it, for a comment on any cell."""
    from .publication import parts_of

    if ev.package is None:
        return []
    out = []
    for part in parts_of(ev.package, form_name):
        for row in part.grid.rows if part.grid else []:
            out += [(c.path, describe(c.path, document, form_name)) for c in row if c.path and not c.header]
    return out


def review_page(request, package_id: int):
    pkg = get_package(request, package_id)
    rev = reviewed_revision(pkg)
    ev = evaluate(rev.document, pkg.rule_pack, cycle=cycle_context_for(pkg))
    views = finding_views(ev, rev.explanations)
    cells: dict[str, dict] = {}
    general = []
    for v in views:
        if v.anchor:
            entry = cells.setdefault(v.anchor, {"path": v.anchor, "label": describe(v.anchor, rev.document,
                                                                                    pkg.form), "views": []})
            entry["views"].append(v)
        else:
            general.append(v)
    reviews = list(pkg.reviews.select_related("reviewer").prefetch_related("comments"))
    return render(request, "bureau/review.html", {
        "pkg": pkg, "rev": rev, "evaluation": ev, "scores": ev.result.scores if ev.result else [],
        "has_basic": "basic" in load_form(pkg.form)["parts"],  # the 三公经费 / 项目支出 columns
        "cells": list(cells.values()), "general": general, "years": _years(pkg), "reviews": reviews,
        "can_decide": pkg.state == State.SUBMITTED, "cell_choices": _cell_choices(ev, rev.document, pkg.form),
        "publications": list(pkg.publications.order_by("-number")),
        "approvals": approval_history(pkg) if pkg.stage == Stage.TARGETS else [],
        "approved_targets": approved_targets(pkg) if pkg.stage != Stage.TARGETS else None,
        # The last reviewed revision other than this one (after an accept, the newest review is of this one).
        "compare_with": next((r.revision_number for r in reviews if r.revision_number != rev.number), None),
        "errors_total": sum(1 for v in views if v.severity == "error"),
        "unexplained": sum(1 for v in views if v.severity == "error" and not v.explanation.strip()),
    })


@require_POST
def decide(request, package_id: int):
    pkg = get_package(request, package_id)
    rev = reviewed_revision(pkg)
    decision = request.POST.get("decision", "")
    ev = evaluate(rev.document, pkg.rule_pack, cycle=cycle_context_for(pkg))
    # Only cells of this document may carry a comment: a finding's cell or a table cell.
    allowed = {v.anchor for v in finding_views(ev, {}) if v.anchor}
    allowed |= {p for p, _ in _cell_choices(ev, rev.document, pkg.form)}
    posted = [(k[len("cell:"):], t) for k, t in request.POST.items() if k.startswith("cell:")]
    posted.append((request.POST.get("extra_path", ""), request.POST.get("extra_text", "")))
    cells = [(path, describe(path, rev.document, pkg.form), text.strip()[:2000])
             for path, text in posted if path in allowed and text.strip()]
    try:
        score = parse_score(request.POST.get("review_total"))
        do_review(package_id=pkg.pk, actor=request.user, decision=decision,
                  comment=request.POST.get("comment", "")[:4000], cells=cells, review_total=score, request=request)
    except ActionError as exc:
        messages.error(request, str(exc))
        return redirect("bureau:review", pkg.pk)
    if decision == Decision.RETURN:
        messages.success(request, f"已退回{pkg.unit.name}修改（{len(cells)}条单元格意见）。")
        return redirect("bureau:queue", pkg.campaign_id)
    if pkg.stage == Stage.TARGETS:
        version = pkg.target_approvals.order_by("-version").values_list("version", flat=True).first()
        messages.success(request, f"{pkg.unit.name}的绩效目标已批复（第{version}版），已冻结。")
    else:
        messages.success(request, f"{pkg.unit.name}的材料已审核通过。")
    return redirect("bureau:review", pkg.pk)


@require_POST
def adjust_targets(request, package_id: int):
    """准予调整: the bureau opens approved targets for an adjustment, with its reason."""
    from ..packages.cycle_actions import do_allow_adjustment

    pkg = get_package(request, package_id)
    try:
        do_allow_adjustment(package_id=pkg.pk, actor=request.user, reason=request.POST.get("reason", "")[:4000],
                            request=request)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已准予{pkg.unit.name}调整绩效目标，调整后的目标经批复后作为新版本生效。")
    return redirect("bureau:review", pkg.pk)


@require_POST
def publish(request, package_id: int):
    from .publication import do_publish

    pkg = get_package(request, package_id)
    try:
        pub = do_publish(package_id=pkg.pk, actor=request.user, request=request)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        note = "" if pub.pdf else "（PDF 未能生成，已公开网页和数据）"
        messages.success(request, f"已公开（第{pub.number}次公开）{note}。")
    return redirect("bureau:review", pkg.pk)



@require_POST
def publish_all(request, campaign_id: int):
    from .jobs import start_publish_all

    campaign = get_campaign(request, campaign_id)
    job = start_publish_all(campaign=campaign, actor=request.user, request=request)
    return redirect("bureau:job", job.pk)
