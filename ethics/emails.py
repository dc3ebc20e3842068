"""Emails of the review tracks, sent by background tasks (django-tasks) after the commit."""

from __future__ import annotations

import logging
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.mail import absolute_url, message_to
from core.vocabulary import ReviewTrack
from grants.inbox import deliver
from grants.models import Application

from .models import CallGrid

logger = logging.getLogger(__name__)


def schedule_reviewer_assigned(user, application, track: str) -> None:
    """Tell an expert, after the commit, that they review ``application`` for ``track``."""
    transaction.on_commit(
        partial(notify_reviewer_assigned.enqueue, user.pk, application.pk, str(track)),
        robust=True,
    )


@task()
def notify_reviewer_assigned(user_id: int, application_id: int, track: str) -> None:
    """Tell an expert they have been assigned an application to review on one track."""
    reviewer = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    application = (
        Application.objects.select_related("call", "organisation").filter(pk=application_id).first()
    )
    if reviewer is None or application is None or not reviewer.email:
        logger.warning(
            "Reviewer notification not sent: user %s or application %s missing.",
            user_id,
            application_id,
        )
        return
    call_grid = CallGrid.objects.filter(call=application.call, grid__track=track).first()
    with translation.override("fr"):
        track_label = str(dict(ReviewTrack.choices).get(track, track))
        context = {
            "application": application,
            "reference": application.reference,
            "track": track_label,
            # Blind review: the email says no more than the reviewer's pages would.
            "blind": bool(call_grid and call_grid.blind),
            "url": absolute_url(reverse("ethics:assignments")),
            "optional": False,
        }
        subject = _("[Ruche] Expertise « %(track)s » à réaliser — %(reference)s") % {
            "track": track_label,
            "reference": application.reference,
        }
        message = message_to(reviewer, subject, "ethics/emails/reviewer_assigned.txt", context)
    deliver([message])


def review_reminder(assignment, overdue: bool) -> None:
    """Remind an expert that their review is due soon, or overdue (ethics/reminders.py)."""
    application = assignment.application
    with translation.override("fr"):
        track_label = str(dict(ReviewTrack.choices).get(assignment.track, assignment.track))
        context = {
            "application": application,
            "reference": application.reference,
            "track": track_label,
            "due_on": assignment.due_on,
            "overdue": overdue,
            "url": absolute_url(reverse("ethics:assignments")),
            "optional": False,
        }
        subject = (
            _("[Ruche] Expertise « %(track)s » en retard — %(reference)s")
            if overdue
            else _("[Ruche] Expertise « %(track)s » à rendre bientôt — %(reference)s")
        ) % {"track": track_label, "reference": application.reference}
        message = message_to(
            assignment.reviewer, subject, "ethics/emails/review_reminder.txt", context
        )
    deliver([message])


def late_review_notice(assignment) -> None:
    """Tell the application's lead officer, if it has an active one, that an expert's review
    is overdue: they chase the expert or assign another (ethics/reminders.py)."""
    application = assignment.application
    officer = application.lead_officer
    if officer is None or not officer.is_active or not officer.email:
        return
    with translation.override("fr"):
        track_label = str(dict(ReviewTrack.choices).get(assignment.track, assignment.track))
        context = {
            "application": application,
            "reference": application.reference,
            "track": track_label,
            "due_on": assignment.due_on,
            "reviewer": assignment.reviewer.get_full_name() or assignment.reviewer.email,
            "url": absolute_url(reverse("evaluation:application", args=[application.pk])),
            "optional": False,
        }
        subject = _("[Ruche] Une expertise « %(track)s » est en retard — %(reference)s") % {
            "track": track_label,
            "reference": application.reference,
        }
        message = message_to(officer, subject, "ethics/emails/late_review.txt", context)
    deliver([message])
