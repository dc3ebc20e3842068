"""The staff work queues: which applications, filtered how, with what columns.

One queryset serves the queue page and the exports: the date of the latest transition is
annotated by a subquery and the call and organisation are joined, so a page of 50 rows costs
the same few queries as a page of 5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cms.models import CallReviewTrack
from core.vocabulary import TRACK_OF_STAGE, ApplicationStatus
from grants.models import Application
from grants.models.thread import unread_messages

from .models import TransitionLog

DEFAULT_OVERDUE_DAYS = 15
# The states a queue can show: every state but the applicant's draft.
QUEUE_STATES = [s for s in ApplicationStatus if s != ApplicationStatus.DRAFT]
DEFAULT_STATE = ApplicationStatus.SUBMITTED
# The specialist tracks a call can require, as the "expertise" filter offers them.
FILTER_TRACKS = list(TRACK_OF_STAGE.values())

# "RUCHE-2026-000123", "2026-123", "000123" or "123": the reference's number is the pk.
REFERENCE = re.compile(r"^\s*(?:ruche-)?(?:(?P<year>\d{4})-)?0*(?P<pk>\d{1,12})\s*$", re.I)


def overdue_days() -> int:
    return int(getattr(settings, "RUCHE_OVERDUE_DAYS", DEFAULT_OVERDUE_DAYS))


# The queue's columns: key in the URL, heading, and the field it sorts by.
COLUMNS = {
    "reference": (gettext_lazy("Référence"), "pk"),
    "projet": (gettext_lazy("Projet"), "project_title"),
    "organisation": (gettext_lazy("Organisation"), "organisation__legal_name"),
    "appel": (gettext_lazy("Appel"), "call__title"),
    "montant": (gettext_lazy("Montant demandé"), "amount_requested"),
    "depot": (gettext_lazy("Déposé le (heure de Paris)"), "submitted_at"),
    "jours": (gettext_lazy("Jours dans l'état"), "-state_since"),
    "referent": (gettext_lazy("Référent"), "lead_officer__last_name"),
    "releve": (gettext_lazy("Relève"), "cutoff__closes_at"),
}
# What a queue's page does not show (large JSON and rich text): left unloaded.
QUEUE_UNSHOWN = (
    "answers",
    "rejected_input",
    "snapshot",
    "eligibility_checks",
    "call__body",
    "call__eligibility",
    "call__summary",
    "call__early_closure_reason",
)
# Oldest in their state first: the work that waited longest.
DEFAULT_SORT = "-jours"


@dataclass(frozen=True)
class QueueFilters:
    status: str = DEFAULT_STATE
    call_id: int | None = None
    # The relève the applications were submitted for (cms.CallCutoff).
    cutoff_id: int | None = None
    track: str = ""
    overdue: bool = False
    search: str = ""
    # Only the applications the user is the lead officer of (« mes dossiers »).
    mine: bool = False
    # Only the applications whose thread holds messages the user has not read.
    unread: bool = False
    # A column key, "-" first for descending (DEFAULT_SORT when empty or unknown).
    sort: str = DEFAULT_SORT


def with_queue_columns(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Join the call and the organisation; annotate ``state_since``, the instant of the
    latest transition (the submission date for an application without any log)."""
    # A message of the thread leaves the application in its state: it does not count.
    latest = (
        TransitionLog.objects.filter(application=OuterRef("pk"))
        .exclude(transition=TransitionLog.MESSAGE)
        .order_by("-at", "-pk")
        .values("at")
    )
    return queryset.select_related("call", "organisation", "lead_officer", "cutoff").annotate(
        state_since=Coalesce(Subquery(latest[:1]), "submitted_at", "created_at")
    )


def _search(text: str) -> Q:
    condition = Q(project_title__icontains=text) | Q(organisation__legal_name__icontains=text)
    match = REFERENCE.match(text)
    if match:
        by_reference = Q(pk=int(match["pk"]))
        if match["year"]:
            by_reference &= Q(created_at__year=int(match["year"]))
        condition |= by_reference
    return condition


def apply_filters(
    queryset: QuerySet[Application],
    filters: QueueFilters,
    *,
    user=None,
    now: datetime | None = None,
    with_status: bool = True,
) -> QuerySet[Application]:
    """The filters of the queue page; ``with_status=False`` for the counts per state.
    The overdue filter needs ``with_queue_columns`` first (it reads ``state_since``)."""
    if filters.mine:
        queryset = queryset.filter(lead_officer=user)
    if filters.unread and user is not None:
        queryset = queryset.annotate(unread_filter=unread_messages(user)).filter(
            unread_filter__gt=0
        )
    if with_status:
        queryset = queryset.filter(status=filters.status)
    if filters.call_id:
        queryset = queryset.filter(call_id=filters.call_id)
    if filters.cutoff_id:
        queryset = queryset.filter(cutoff_id=filters.cutoff_id)
    if filters.track:
        required = CallReviewTrack.objects.filter(call_id=OuterRef("call_id"), track=filters.track)
        queryset = queryset.filter(Exists(required))
    if filters.overdue:
        queryset = queryset.filter(state_since__lt=overdue_threshold(now))
    if filters.search.strip():
        queryset = queryset.filter(_search(filters.search.strip()))
    return queryset


def overdue_threshold(now: datetime | None = None) -> datetime:
    """An application whose latest transition is older than this is overdue."""
    return (now or timezone.now()) - timedelta(days=overdue_days())


def ordering(sort: str) -> list:
    """The ORDER BY of a column sort, empty values last and the id as tie-break."""
    if sort.removeprefix("-") not in COLUMNS:
        sort = DEFAULT_SORT
    field = COLUMNS[sort.removeprefix("-")][1]
    descending = sort.startswith("-")
    if field.startswith("-"):  # days in the state grow as state_since goes back
        field, descending = field[1:], not descending
    expression = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    return [expression, "pk"]


def queue(filters: QueueFilters, user, *, now: datetime | None = None) -> QuerySet[Application]:
    """The applications of one queue among those ``user`` handles (the calls they run), in
    the chosen column's order (by default the oldest in their state first)."""
    handled = with_queue_columns(Application.objects.handled_by(user))
    queryset = apply_filters(handled, filters, user=user, now=now)
    return queryset.annotate(unread_messages=unread_messages(user)).order_by(
        *ordering(filters.sort)
    )


def counts_per_state(filters: QueueFilters, user, *, now: datetime | None = None) -> list[dict]:
    """For each state but draft: its value, label and how many of the applications ``user``
    handles the other filters select in it (one query)."""
    handled = with_queue_columns(Application.objects.handled_by(user))
    queryset = apply_filters(handled, filters, user=user, now=now, with_status=False)
    rows = queryset.order_by().values("status").annotate(count=Count("pk"))
    counts = {row["status"]: row["count"] for row in rows}
    return [
        {"value": state.value, "label": state.label, "count": counts.get(state.value, 0)}
        for state in QUEUE_STATES
    ]


def days_in_state(application: Application, now: datetime | None = None) -> int:
    since = getattr(application, "state_since", None)
    if since is None:
        return 0
    return max(((now or timezone.now()) - since).days, 0)


def eligibility_score(application: Application) -> tuple[int, int]:
    """How many automatic eligibility checks passed, out of how many."""
    checks = application.eligibility_checks or []
    return sum(1 for check in checks if check.get("passed")), len(checks)
