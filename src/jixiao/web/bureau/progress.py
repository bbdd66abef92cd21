"""Where each unit of a campaign stands, from the package rows alone (no document is read).

A unit has "not started" when it has no package, or only the draft the bureau carried over
from last year (nobody of the unit has saved anything yet). Counts are SQL COUNTs of
integers; the unit table is a paginated, filtered queryset of units annotated with their
package's state and figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, CharField, Count, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from ..accounts.models import Unit
from ..packages.models import Campaign, Package, State

NOT_STARTED = "not_started"
STATUSES = [
    (NOT_STARTED, "未开始"),
    (State.DRAFT.value, State.DRAFT.label),
    (State.PREPARED.value, State.PREPARED.label),
    (State.SUBMITTED.value, State.SUBMITTED.label),
    (State.RETURNED.value, State.RETURNED.label),
    (State.ACCEPTED.value, State.ACCEPTED.label),
]
STATUS_LABELS = dict(STATUSES)
DONE_STATES = {State.SUBMITTED.value, State.ACCEPTED.value}  # nothing more is owed by the unit


def _untouched() -> Q:
    """Only the bureau's carry-over draft: the unit has not saved anything yet."""
    return Q(head_number=1, head__source="carryover")


def status_of(package: dict | None) -> str:
    """What units_with_status computes in SQL, for a package row already fetched (its state,
    head_number and head__source; None when the unit has no package)."""
    if package is None or (package["head_number"] == 1 and package["head__source"] == "carryover"):
        return NOT_STARTED
    return package["state"]


def units_with_status(campaign: Campaign):
    pkgs = Package.objects.filter(campaign=campaign, stage="evaluation", unit=OuterRef("pk"))
    qs = Unit.objects.filter(campaigns=campaign).annotate(
        package_id=Subquery(pkgs.values("pk")[:1]),
        pkg_state=Subquery(pkgs.values("state")[:1]),
        untouched=Subquery(pkgs.filter(_untouched()).values("pk")[:1]),
    )
    return qs.annotate(
        status=Case(
            When(package_id__isnull=True, then=Value(NOT_STARTED)),
            When(untouched__isnull=False, then=Value(NOT_STARTED)),
            default=F("pkg_state"), output_field=CharField(),
        )
    )


@dataclass
class Counts:
    total: int
    by_status: dict[str, int]
    overdue: int

    @property
    def rows(self) -> list[tuple[str, str, int]]:
        return [(key, label, self.by_status.get(key, 0)) for key, label in STATUSES]

    @property
    def submitted_share(self) -> int:
        done = sum(self.by_status.get(k, 0) for k in DONE_STATES)
        return round(100 * done / self.total) if self.total else 0


def is_overdue(campaign: Campaign, status: str, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return bool(campaign.deadline and campaign.deadline < today and status not in DONE_STATES)


def counts(campaign: Campaign, today: date | None = None) -> Counts:
    total = Unit.objects.filter(campaigns=campaign).count()
    in_campaign = Package.objects.filter(campaign=campaign, stage="evaluation", unit__campaigns=campaign)
    by_state = dict(in_campaign.exclude(_untouched()).values_list("state").annotate(n=Count("pk")).order_by())
    started = sum(by_state.values())
    by_status = {NOT_STARTED: total - started, **by_state}
    overdue = 0
    if campaign.deadline and campaign.deadline < (today or timezone.localdate()):
        overdue = total - sum(by_state.get(k, 0) for k in DONE_STATES)
    return Counts(total=total, by_status=by_status, overdue=overdue)


def unit_table(campaign: Campaign, status: str | None = None, query: str | None = None):
    qs = units_with_status(campaign)
    if status in STATUS_LABELS:
        qs = qs.filter(status=status)
    if status == "overdue" and campaign.deadline and campaign.deadline < timezone.localdate():
        qs = qs.exclude(status__in=DONE_STATES)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return qs.order_by("name")


def attach_packages(campaign: Campaign, units: list[Unit]) -> None:
    """The page's packages (with head figures) in one query, set as ``unit.pkg``."""
    ids = [u.package_id for u in units if u.package_id]
    pkgs = {p.pk: p for p in Package.objects.filter(pk__in=ids).select_related("head", "head__author")}
    today = timezone.localdate()
    for u in units:
        u.pkg = pkgs.get(u.package_id)
        u.status_label = STATUS_LABELS.get(u.status, u.status)
        u.overdue = is_overdue(campaign, u.status, today)
