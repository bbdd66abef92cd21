"""What a package's checks learn from the rest of the unit's year (jixiao.cycle.CycleContext):
its approved targets, its evidence, the rectification items still open from earlier reviews.

One function per source, so each part of the cycle fills its own; ``cycle_context_for`` puts them
together for ``checking.evaluate``. None when there is nothing to compare with.
"""

from __future__ import annotations

from jixiao.cycle import CycleContext, Rectification
from jixiao.model import Package as DocPackage


def approved_targets_of(pkg) -> DocPackage | None:
    """The unit's approved targets for the package's year (the latest approved version, an approved
    adjustment included): the targets package of the same campaign (cycle_actions). A targets
    package itself is not held to its own approval."""
    from .cycle_actions import approved_targets
    from .models import Stage

    if pkg is None or pkg.stage == Stage.TARGETS or not pkg.campaign.targets_form:
        return None  # (a campaign that collects no targets has none: no query)
    approval = approved_targets(pkg)
    return DocPackage.model_validate(approval.document) if approval is not None else None


def open_rectifications_of(pkg) -> tuple[Rectification, ...]:
    """The unit's rectification items from earlier years' reviews that are not closed.

    Every save and page of a package asks, and nearly always finds none. The statement is written
    out: the ORM took five times as long to build it as the database took to answer it (0.55 ms
    of CPU against 0.1 ms, measured on SQLite), on the path of every save. It is the query
    ``RectificationItem.objects.filter(unit_id=…, year__lt=…).exclude(state=CLOSED)
    .order_by("year", "due", "id")`` would send (tests/web/evidence/test_evidence_cycle_context.py
    compares them)."""
    from django.db import connection

    from ..evidence.models import RectificationItem, RectState, joined_response

    table = connection.ops.quote_name(RectificationItem._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT problem, due, measures, progress, year FROM {table} "
                       "WHERE unit_id = %s AND year < %s AND state <> %s ORDER BY year, due, id",
                       [pkg.unit_id, pkg.campaign.year, RectState.CLOSED])
        rows = cursor.fetchall()
    due = RectificationItem._meta.get_field("due")
    return tuple(Rectification(problem=problem, due=due.to_python(when), response=joined_response(measures, progress)
                               or None, closed=False, year=year)
                 for problem, when, measures, progress, year in rows)


def evidence_of(pkg) -> frozenset[tuple[str, str]]:
    """The indicators of the package with evidence attached (jixiao.cycle.indicator_key)."""
    from ..evidence.models import Evidence

    rows = Evidence.objects.filter(package_id=pkg.pk, removed_at__isnull=True).values_list("table_key", "indicator_key")
    return frozenset(rows)


def evidence_required_of(pkg) -> tuple[str, ...]:
    """The 三级指标 names the campaign requires evidence for."""
    from ..evidence.actions import required_names

    return required_names(pkg.campaign)


def cycle_context_for(pkg) -> CycleContext | None:
    """Every save and page of a package asks for this: the evidence attached is read only when the
    campaign requires some (nothing else reads it), the approved targets only when it collects them."""
    required = evidence_required_of(pkg)
    context = CycleContext(approved_targets=approved_targets_of(pkg), open_rectifications=open_rectifications_of(pkg),
                           evidence=evidence_of(pkg) if required else frozenset(), evidence_required=required)
    return None if context == CycleContext() else context
