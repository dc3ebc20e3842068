"""A hearing's jury as the grids see it: each jury member is a reviewer of the application on
the hearing track, so conflicts of interest, the hearing grid, aggregation and the report are
the review machinery's own.

Jury members are chosen on the hearing session (evaluation.hearings), not from the experts'
pool: the operator's staff, outside experts, ministries. The one rule kept from the pool is
the obvious conflict (a member of the applicant organisation, or sharing its mail domain).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef

from core.vocabulary import ReviewTrack

from .emails import schedule_reviewer_assigned
from .models import Review, ReviewAssignment
from .services import obvious_conflict

HEARING = ReviewTrack.HEARING


def seat_jury(application, members: Iterable, by) -> list[tuple[object, str]]:
    """Assign each jury member to ``application`` on the hearing track (once; told by email).
    Returns the members left out, with the reason (an obvious conflict)."""
    seated = set(
        application.review_assignments.filter(track=HEARING).values_list("reviewer_id", flat=True)
    )
    left_out = []
    for member in members:
        if member.pk in seated:
            continue
        reason = obvious_conflict(application, member)
        if reason:
            left_out.append((member, reason))
            continue
        ReviewAssignment.objects.create(
            application=application, track=HEARING, reviewer=member, assigned_by=by
        )
        schedule_reviewer_assigned(member, application, HEARING)
    return left_out


def unseat_jury(application, keep: Iterable) -> int:
    """Take off the hearing track the members not in ``keep`` who have not begun a grid (a
    begun one stays: what a member wrote is never deleted). Returns how many."""
    keep_ids = [member.pk for member in keep]
    begun = Review.objects.filter(assignment=OuterRef("pk"))
    removed, _detail = (
        application.review_assignments.filter(track=HEARING)
        .exclude(reviewer_id__in=keep_ids)
        .exclude(Exists(begun))
        .delete()
    )
    return removed
