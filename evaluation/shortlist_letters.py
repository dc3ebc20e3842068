"""The first stage's letter of a two-stage call (PDF, always in French) and its email: the
invitation to file the full application with its due date, or the reason for not
shortlisting, stated first."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.formatting import paris_instant
from core.mail import absolute_url
from core.pdf import render_pdf

from .letters import PARIS, calls_url, project_lead
from .models import ShortlistDecision
from .organisation_mail import OrganisationEmail, email_organisation, letter_email


def letter_context(decision: ShortlistDecision) -> dict:
    application = decision.application
    call = application.call
    due = decision.full_application_due
    full_application = getattr(application, "full_application", None)
    return {
        "decision": decision,
        "shortlisted": decision.shortlisted,
        "reason": decision.reason,
        "reference": application.reference,
        "project_title": application.project_title or str(application),
        "call_title": call.title,
        "operator": call.operator,
        "organisation": application.organisation,
        "lead": project_lead(application),
        "letter_date": formats.date_format(timezone.localtime(decision.decided_at, PARIS), "j F Y"),
        "due": paris_instant(due.closes_at) if due else "",
        "full_application_url": absolute_url(
            reverse("evaluation:followup", args=[full_application.pk])
        )
        if full_application
        else "",
        "contact_email": call.contact_email,
        "calls_url": calls_url(call),
    }


def letter_html(decision: ShortlistDecision) -> str:
    with translation.override("fr"):
        return render_to_string("evaluation/shortlist_letter.html", letter_context(decision))


def render_letter(decision: ShortlistDecision) -> bytes:
    """The first stage's letter as PDF bytes: the invitation, or the reason for not
    shortlisting first of all."""
    return render_pdf(letter_html(decision))


@task()
def send_shortlist_letter(decision_id: int) -> None:
    """Email the first stage's outcome, its letter attached, to the organisation's members."""
    decisions = ShortlistDecision.objects.select_related(
        "application__call", "application__organisation", "full_application_due"
    )
    email_organisation(decisions, decision_id, _letter_email, what="Shortlist decision")


def _letter_email(decision: ShortlistDecision) -> OrganisationEmail:
    context = letter_context(decision)
    reference = context["reference"]
    return letter_email(
        context,
        subject=_("[Ruche] Résultat de la présélection — %(reference)s") % {"reference": reference},
        template="evaluation/emails/shortlist.txt",
        letter_url=reverse("evaluation:shortlist_letter", args=[decision.pk]),
        pdf=(f"preselection-{reference}.pdf", render_letter(decision)),
    )
