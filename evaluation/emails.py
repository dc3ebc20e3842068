"""Every email of the workflow, sent after the commit by background tasks (django-tasks).

``effects.after_transition`` schedules them; a rolled-back transition therefore emails nobody.
Each task only sends: running it twice sends the same emails twice and changes nothing stored.

- the applicant organisation's members, of a change they can see (« Votre dossier … est
  maintenant : En instruction »), except a change the applicant made themself, a move between
  two inner stages that reads the same to them, and the changes whose own email says more
  (``SENT_ELSEWHERE``: the receipt, the request for information, the decision letters);
- the staff of the call (the lead officer if there is one, else the operator's staff and
  the call's officers, else the programme-wide role), of each new submission and of each answer
  to a request for information (the officer who asked gets the detailed email instead); an
  officer, when made lead officer of an application;
- the questions of a request for information, the applicant's answer, the decision letter.

Emails are French. People opt out of the non-essential ones on « Mes notifications »
(``NotificationPreference``). Essential emails ignore it: the receipt, decisions (the letter,
and ``ESSENTIAL`` here), requests for information.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.mail import absolute_url, message_to
from core.roles import PROGRAMME_STAFF_GROUP, PROGRAMME_WIDE_GROUP
from core.vocabulary import APPLICANT_WORDING, ApplicationStatus
from grants.inbox import deliver
from grants.models import Application

from .letters import decision_letter_context, render_decision_letter
from .models import CommitteeDecision, InformationRequest, TransitionLog
from .organisation_mail import OrganisationEmail, email_organisation, letter_email

logger = logging.getLogger(__name__)

# Transitions whose applicant email is their own (all essential), not the status email.
SENT_ELSEWHERE = {
    "submit",
    "request_information",
    "select",
    "reject",
    "shortlist",
    "decline_shortlist",
}
# Applicant emails sent here that cannot be turned off: a decision, with its motivation.
ESSENTIAL = {"declare_ineligible"}


# -- Status changes -------------------------------------------------------------------------


@task()
def notify_transition(log_id: int) -> None:
    """Send the emails that one transition calls for, read from its audit entry."""
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
    deliver(messages)


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
    members = wanting_email(
        get_user_model().objects.filter(memberships__organisation=application.organisation),
        None if essential else "applicant_updates",
        exclude=log.actor_id,
    )
    context = {
        "application": application,
        "reference": application.reference,
        "status": str(after),
        "transition": log.transition,
        "comment": log.comment,
        "url": absolute_url(reverse("evaluation:followup", args=[application.pk])),
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
        "url": absolute_url(reverse("evaluation:application", args=[application.pk])),
    }
    subject = _("[Ruche] Nouveau dossier déposé — %(reference)s") % {
        "reference": application.reference
    }
    return [
        _message(user, subject, "evaluation/emails/new_submission.txt", context, optional=True)
        for user in wanting_email(_call_staff(application), "new_submissions")
    ]


def _information_answered_messages(log) -> list[EmailMessage]:
    application = log.application
    context = {
        "application": application,
        "reference": application.reference,
        "stage": ApplicationStatus(log.target).label,
        "answered_at": log.at,
        "url": absolute_url(reverse("evaluation:application", args=[application.pk])),
    }
    subject = _("[Ruche] Compléments reçus — %(reference)s") % {"reference": application.reference}
    staff = wanting_email(_call_staff(application), "answered_requests")
    asked = _asker(log)
    if asked:
        staff = staff.exclude(pk=asked)  # told by send_information_answered below
    return [
        _message(user, subject, "evaluation/emails/information_answered_staff.txt", context, True)
        for user in staff
    ]


def _asker(log) -> int | None:
    """Who asked the question this transition answers: the last request before the answer."""
    return (
        TransitionLog.objects.filter(
            application_id=log.application_id, transition="request_information", pk__lt=log.pk
        )
        .order_by("-pk")
        .values_list("actor_id", flat=True)
        .first()
    )


def _call_staff(application):
    """Who is told of the application's news: its lead officer if it has one, else the staff
    who run its call (operator's staff and assigned officers), else the programme-wide role."""
    users = get_user_model().objects.filter(
        groups__name__in=[PROGRAMME_STAFF_GROUP, PROGRAMME_WIDE_GROUP]
    )
    if application.lead_officer_id:
        return users.filter(pk=application.lead_officer_id)
    call = application.call
    runs_call = Q(assigned_calls=call)
    if call.operator_id:
        runs_call |= Q(operators=call.operator_id)
    runners = users.filter(runs_call)
    if runners.exists():
        return runners
    return users.filter(groups__name=PROGRAMME_WIDE_GROUP)


def call_staff(application):
    """Who is told of the application's news (see ``_call_staff``), for the other email
    modules of the workflow."""
    return _call_staff(application).distinct()


def wanting_email(users: QuerySet, preference: str | None, exclude: int | None = None) -> QuerySet:
    """Who of ``users`` gets an email: active, with an address, not ``exclude`` (the person
    who acted), and, for an optional email, who did not turn ``preference`` off on « Mes
    notifications » (no row: they want it). One person once, in a stable order."""
    users = users.filter(is_active=True).exclude(email="")
    if exclude is not None:
        users = users.exclude(pk=exclude)
    if preference:
        users = users.exclude(**{f"notification_preference__{preference}": False})
    return users.distinct().order_by("pk")


def _message(user, subject: str, template: str, context: dict, optional: bool) -> EmailMessage:
    context = {
        **context,
        "optional": optional,
        "preferences_url": absolute_url(reverse("evaluation:notifications")),
    }
    return message_to(user, subject, template, context)


# -- Lead officers ---------------------------------------------------------------------------


@task()
def send_lead_officer_assigned(application_id: int) -> None:
    """Tell an officer they now lead an application."""
    application = (
        Application.objects.select_related("lead_officer", "call", "organisation")
        .filter(pk=application_id)
        .first()
    )
    officer = application.lead_officer if application else None
    if officer is None or not officer.email:
        logger.warning("Application %s: no lead officer to tell.", application_id)
        return
    with translation.override("fr"):
        context = {
            "application": application,
            "reference": application.reference,
            "url": absolute_url(reverse("evaluation:application", args=[application.pk])),
        }
        subject = _("[Ruche] Vous êtes référent du dossier %(reference)s") % {
            "reference": application.reference
        }
        deliver([message_to(officer, subject, "evaluation/emails/lead_officer.txt", context)])


# -- Requests for information ---------------------------------------------------------------


@task()
def send_information_requested(request_id: int) -> None:
    """Tell the organisation's members that a question awaits their answer."""
    requests = InformationRequest.objects.select_related(
        "application__organisation", "application__call"
    )
    email_organisation(requests, request_id, _information_requested, what="Information request")


def _information_requested(request: InformationRequest) -> OrganisationEmail:
    application = request.application
    return OrganisationEmail(
        subject=_("[Ruche] Demande de compléments — %(reference)s")
        % {"reference": application.reference},
        template="evaluation/emails/information_requested.txt",
        context={
            "request": request,
            "application": application,
            "url": absolute_url(reverse("evaluation:followup", args=[application.pk])),
        },
    )


@task()
def send_information_answered(request_id: int) -> None:
    """Tell the staff member who asked that the applicant answered."""
    request = (
        InformationRequest.objects.select_related("application__organisation", "asked_by")
        .filter(pk=request_id)
        .first()
    )
    if request is None or not request.asked_by.email:
        logger.warning("Information request %s: nobody to tell of the answer.", request_id)
        return
    application = request.application
    with translation.override("fr"):
        context = {
            "request": request,
            "application": application,
            "answer": request.latest_answer(),
            "url": absolute_url(reverse("evaluation:information_request", args=[request.pk])),
        }
        message = EmailMessage(
            subject=_("[Ruche] Réponse du candidat — %(reference)s")
            % {"reference": application.reference},
            body=render_to_string("evaluation/emails/information_answered.txt", context),
            to=[request.asked_by.email],
        )
    deliver([message])


# -- The committee's decision ---------------------------------------------------------------


@task()
def send_decision_letter(decision_id: int) -> None:
    """Email the committee's decision letter (PDF attached) to the organisation's members."""
    decisions = CommitteeDecision.objects.select_related(
        "session", "application__call", "application__organisation"
    )
    email_organisation(decisions, decision_id, _decision_letter, what="Committee decision")


def _decision_letter(decision: CommitteeDecision) -> OrganisationEmail:
    context = decision_letter_context(decision)
    reference = context["reference"]
    return letter_email(
        context,
        subject=_("[Ruche] Décision du comité de sélection — %(reference)s")
        % {"reference": reference},
        template="evaluation/emails/decision.txt",
        letter_url=reverse("evaluation:decision_letter", args=[decision.pk]),
        pdf=(f"decision-{reference}.pdf", render_decision_letter(decision)),
    )
