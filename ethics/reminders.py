"""Reminders to experts whose review is due: one a few days before the due date, one more
once it has passed, never more (``manage.py send_review_reminders``, run daily). When a review
is overdue, the application's lead officer is told as well.

Safe to run twice, or on two nodes at once: each reminder is claimed by a conditional update
of ``reminded_on`` before its email is queued, so only one run sends it.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from core.vocabulary import UNDER_INSTRUCTION

from .emails import late_review_notice, review_reminder
from .models import Review, ReviewAssignment


def _due(today: date) -> QuerySet[ReviewAssignment]:
    soon = today + timedelta(days=settings.RUCHE_REVIEW_REMINDER_DAYS)
    submitted = Review.objects.filter(assignment=OuterRef("pk"), status=Review.Status.SUBMITTED)
    return (
        ReviewAssignment.objects.exclude(conflict=ReviewAssignment.Conflict.CONFLICTED)
        .filter(due_on__isnull=False, due_on__lte=soon)
        .filter(application__status__in=UNDER_INSTRUCTION, reviewer__is_active=True)
        .exclude(Exists(submitted))
        # Not reminded yet; or reminded before the due date, which has now passed.
        .filter(Q(reminded_on__isnull=True) | Q(due_on__lt=today, reminded_on__lte=F("due_on")))
    )


def send_review_reminders(today: date | None = None) -> int:
    """Queue the reminders due today; returns how many."""
    today = today or timezone.localdate()
    sent = 0
    due = _due(today).select_related("reviewer", "application__call", "application__lead_officer")
    for assignment in due:
        claimed = ReviewAssignment.objects.filter(
            pk=assignment.pk, reminded_on=assignment.reminded_on
        ).update(reminded_on=today)
        if claimed:  # another run did not take it meanwhile
            overdue = assignment.due_on < today
            review_reminder(assignment, overdue=overdue)
            if overdue:
                late_review_notice(assignment)
            sent += 1
    return sent
