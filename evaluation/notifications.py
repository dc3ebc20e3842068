"""Emails that follow the workflow, sent after the commit by background tasks (django-tasks).

Every transition is written to the audit trail inside its transaction (signals.py); the
``post_transition`` receiver below then schedules ``notify_transition`` for after the commit,
with the id of that audit entry. A rolled-back transition therefore emails nobody. The task
reads what happened from the entry and decides who is told:

- the applicant organisation's members, of a change they can see (« Votre dossier … est
  maintenant : En instruction »), except a change the applicant made themself, a move between
  two inner stages that reads the same to them, and the changes whose own email says more
  (``SENT_ELSEWHERE``: the receipt, the request for information, the decision letter);
- programme staff (group « Chargés de mission »), of each new submission and of each answer
  to a request for information (the officer who asked gets the detailed email of
  evaluation/information.py instead).

Emails are French. People opt out of the non-essential ones on « Mes notifications »
(``NotificationPreference``). Essential emails ignore it: the receipt, decisions (the letter,
and ``ESSENTIAL`` here), requests for information. ``notify_reviewer_assigned`` is ready for
the review grids: call ``schedule_reviewer_assigned`` when an expert is assigned.
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from .roles import PROGRAMME_STAFF_GROUP
from .states import APPLICANT_WORDING, ApplicationStatus

logger = logging.getLogger(__name__)

# Transitions whose applicant email is sent by their own service, not here (all essential).
SENT_ELSEWHERE = {
    "submit",  # the receipt: grants.tasks.send_submission_receipt
    "request_information",  # the question: evaluation.information.send_information_requested
    "select",  # the decision letter: evaluation.tasks.send_decision_letter
    "reject",
}
# Applicant emails sent here that cannot be turned off: a decision, with its motivation.
ESSENTIAL = {"declare_ineligible"}


# -- Scheduling (inside the transition's transaction) -------------------------------------


def schedule_transition_notifications(sender, instance, name, source, target, **kwargs) -> None:
    """``post_transition`` receiver (connected in signals.py, after the audit receiver):
    schedule the emails of this transition for after the commit."""
    from grants.models import Application

    from .models import TransitionLog

    if not isinstance(instance, Application) or instance.pk is None:
        return
    log_id = (
        TransitionLog.objects.filter(application=instance, transition=name, target=target)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if log_id is None:
        logger.warning(
            "No audit entry for %s on application %s: nobody notified.", name, instance.pk
        )
        return
    transaction.on_commit(partial(notify_transition.enqueue, log_id), robust=True)


def schedule_reviewer_assigned(user, application, track: str) -> None:
    """Tell an expert, after the commit, that they review ``application`` for ``track``."""
    transaction.on_commit(
        partial(notify_reviewer_assigned.enqueue, user.pk, application.pk, str(track)),
        robust=True,
    )


# -- Tasks --------------------------------------------------------------------------------


@task()
def notify_transition(log_id: int) -> None:
    """Send the emails that one transition calls for. It only sends: running it twice sends
    the same emails twice and changes nothing stored."""
    from .models import TransitionLog

    log = (
        TransitionLog.objects.select_related("application__call", "application__organisation")
        .filter(pk=log_id)
        .first()
    )
    if log is None:
        logger.warning("Transition notification not sent: audit entry %s not found.", log_id)
        return
    messages = []
    with translation.override("fr"):
        messages += _applicant_status_messages(log)
        if log.transition == "submit":
            messages += _new_submission_messages(log)
        elif log.transition == "answer_information":
            messages += _information_answered_messages(log)
    _send(messages)


@task()
def notify_reviewer_assigned(user_id: int, application_id: int, track: str) -> None:
    """Tell an expert they have been assigned an application to review on one track."""
    from ethics.tracks import ReviewTrack
    from grants.models import Application

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
    with translation.override("fr"):
        track_label = str(dict(ReviewTrack.choices).get(track, track))
        # Blind review: the email says no more than the reviewer's pages would.
        from ethics.services import grid_for

        call_grid = grid_for(application, track)
        context = {
            "application": application,
            "reference": application.reference,
            "track": track_label,
            "blind": bool(call_grid and call_grid.blind),
            "url": absolute_url(reverse("ethics:assignments")),
        }
        subject = _("[Ruche] Expertise « %(track)s » à réaliser — %(reference)s") % {
            "track": track_label,
            "reference": application.reference,
        }
        message = _message(
            reviewer, subject, "evaluation/emails/reviewer_assigned.txt", context, optional=False
        )
    _send([message])


# -- Who is told what ---------------------------------------------------------------------


def _applicant_status_messages(log) -> list[EmailMessage]:
    application = log.application
    if not log.visible_to_applicant or log.transition in SENT_ELSEWHERE:
        return []
    if log.actor_id and application.organisation.memberships.filter(user_id=log.actor_id).exists():
        return []  # the applicant did it themself
    before = APPLICANT_WORDING.get(ApplicationStatus(log.source))
    after = APPLICANT_WORDING[ApplicationStatus(log.target)]
    if before is not None and str(before) == str(after):
        return []  # e.g. ethics review → security review: still « En instruction » to them
    essential = log.transition in ESSENTIAL
    members = _recipients(
        get_user_model().objects.filter(memberships__organisation=application.organisation),
        None if essential else "applicant_updates",
    )
    if log.actor_id:
        members = members.exclude(pk=log.actor_id)
    context = {
        "application": application,
        "reference": application.reference,
        "status": str(after),
        "transition": log.transition,
        "comment": log.comment,
        "url": absolute_url(reverse("grants:application", args=[application.pk])),
    }
    subject = _("[Ruche] Votre dossier %(reference)s est maintenant : %(status)s") % {
        "reference": application.reference,
        "status": after,
    }
    return [
        _message(member, subject, "evaluation/emails/status_changed.txt", context, not essential)
        for member in members
    ]


def _new_submission_messages(log) -> list[EmailMessage]:
    application = log.application
    context = {
        "application": application,
        "reference": application.reference,
        "submitted_at": log.at,
        "url": _backoffice_url(application),
    }
    subject = _("[Ruche] Nouveau dossier déposé — %(reference)s") % {
        "reference": application.reference
    }
    return [
        _message(user, subject, "evaluation/emails/new_submission.txt", context, optional=True)
        for user in _recipients(_programme_staff(), "new_submissions")
    ]


def _information_answered_messages(log) -> list[EmailMessage]:
    application = log.application
    context = {
        "application": application,
        "reference": application.reference,
        "stage": ApplicationStatus(log.target).label,
        "answered_at": log.at,
        "url": _backoffice_url(application),
    }
    subject = _("[Ruche] Compléments reçus — %(reference)s") % {"reference": application.reference}
    staff = _recipients(_programme_staff(), "answered_requests")
    asked = _asker(log)
    if asked:
        staff = staff.exclude(pk=asked)  # told by evaluation.information.send_information_answered
    return [
        _message(user, subject, "evaluation/emails/information_answered_staff.txt", context, True)
        for user in staff
    ]


def _asker(log) -> int | None:
    """Who asked the question this transition answers: the last request before the answer."""
    from .models import TransitionLog

    return (
        TransitionLog.objects.filter(
            application_id=log.application_id, transition="request_information", pk__lt=log.pk
        )
        .order_by("-pk")
        .values_list("actor_id", flat=True)
        .first()
    )


def _programme_staff():
    return get_user_model().objects.filter(groups__name=PROGRAMME_STAFF_GROUP)


def _recipients(users, preference: str | None):
    """Active people with an address who did not turn this email off (no row: they want it)."""
    users = users.filter(is_active=True).exclude(email="")
    if preference:
        users = users.exclude(**{f"notification_preference__{preference}": False})
    return users.distinct().order_by("pk")


# -- Building and sending -----------------------------------------------------------------


def absolute_url(path: str) -> str:
    """The site's address followed by ``path``: links in emails need the full URL."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def member_emails(organisation) -> list[str]:
    """The addresses of the organisation's active members, for its essential emails."""
    return sorted({m.email for m in organisation.members.filter(is_active=True) if m.email})


def _backoffice_url(application) -> str:
    """The application's page in the back office, or the back office's home until it exists."""
    for name, args in (("evaluation:application", [application.pk]), ("evaluation:queues", [])):
        try:
            return absolute_url(reverse(name, args=args))
        except NoReverseMatch:
            continue
    return absolute_url("/gestion/")


def _message(user, subject: str, template: str, context: dict, optional: bool) -> EmailMessage:
    context = {
        **context,
        "recipient": user,
        "optional": optional,
        "preferences_url": absolute_url(reverse("grants:notifications")),
    }
    return EmailMessage(subject=subject, body=render_to_string(template, context), to=[user.email])


def _send(messages: list[EmailMessage]) -> None:
    """One message per person (staff and members do not see each other's addresses)."""
    if messages:
        get_connection().send_messages(messages)
