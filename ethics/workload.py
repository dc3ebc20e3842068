"""The experts' pool and workload: who covers a track, and how many reviews each still owes."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from core.roles import REVIEWERS_GROUP
from core.vocabulary import CLOSED_STATES
from core.vocabulary import ApplicationStatus as S

from .models import Review, ReviewAssignment

User = get_user_model()

# No expert is assigned any more once an application is closed (CLOSED_STATES), and what
# was left unreviewed there is nobody's workload.
# The applications a batch assignment lists: submitted and not yet past the review stages.
OPEN_STATES = [
    S.SUBMITTED,
    S.ELIGIBILITY,
    S.INFO_REQUESTED,
    S.ETHICS_REVIEW,
    S.SECURITY_REVIEW,
    S.INTEROPERABILITY_REVIEW,
]


def expert_label(user) -> str:
    """« Name (email) », as staff pick experts."""
    name = user.get_full_name().strip()
    if name and user.email:
        return f"{name} ({user.email})"
    return name or user.email or user.get_username()


def experts_for(track: str) -> list:
    """Active members of the group « Experts » whose profile covers ``track``, by name.
    (Filtered in Python: SQLite cannot look inside a JSON list.)"""
    users = (
        User.objects.filter(
            is_active=True, groups__name=REVIEWERS_GROUP, reviewer_profile__isnull=False
        )
        .select_related("reviewer_profile")
        .order_by("last_name", "first_name", "email", "pk")
        .distinct()
    )
    return [user for user in users if user.reviewer_profile.covers(track)]


@dataclass
class Counts:
    assigned: int = 0
    declared: int = 0
    conflicted: int = 0
    submitted: int = 0
    pending: int = 0
    overdue: int = 0


def _assignment_rows():
    """(reviewer id, track, conflict, due date, status of the latest review, application
    status) of every assignment: one query."""
    latest = Review.objects.filter(assignment=OuterRef("pk")).order_by("-version").values("status")
    return (
        ReviewAssignment.objects.exclude(application__status=S.DRAFT)
        .annotate(latest_status=Subquery(latest[:1]))
        .values_list(
            "reviewer_id", "track", "conflict", "due_on", "latest_status", "application__status"
        )
    )


def workload_counts() -> dict[tuple[int, str], Counts]:
    """Per (expert, track): assignments, declarations made, conflicts, reviews submitted, and
    the current load — assignments without a conflict and without a submitted review, on
    applications still open — with those of it past their due date."""
    today = timezone.localdate()
    counts: dict[tuple[int, str], Counts] = defaultdict(Counts)
    for reviewer_id, track, conflict, due_on, latest, app_status in _assignment_rows():
        row = counts[(reviewer_id, track)]
        row.assigned += 1
        if conflict != ReviewAssignment.Conflict.PENDING:
            row.declared += 1
        if conflict == ReviewAssignment.Conflict.CONFLICTED:
            row.conflicted += 1
            continue
        if latest == Review.Status.SUBMITTED:
            row.submitted += 1
        elif app_status not in CLOSED_STATES:
            row.pending += 1
            if due_on and due_on < today:
                row.overdue += 1
    return counts


def current_loads() -> Counter:
    """Per expert, the number of reviews they still owe (see ``workload_counts``)."""
    loads: Counter = Counter()
    for (reviewer_id, _track), row in workload_counts().items():
        loads[reviewer_id] += row.pending
    return loads
