"""Emails of the grants app, sent by background tasks (django-tasks) after the commit."""

from __future__ import annotations

import logging
from functools import partial

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.mail import absolute_url

from .inbox import deliver
from .models import Application, Invitation, Organisation
from .receipts import receipt_context, render_receipt

logger = logging.getLogger(__name__)


@task()
def send_submission_receipt(application_id: int) -> None:
    """Email the receipt (PDF attached) to the submitter, the organisation's members in copy.

    It only sends: running it twice sends the same receipt twice and changes nothing stored.
    """
    try:
        application = Application.objects.select_related("organisation", "submitted_by").get(
            pk=application_id
        )
    except Application.DoesNotExist:
        # Deleted between the commit and the worker: nothing to send, nothing to retry.
        logger.warning(
            "Submission receipt not sent: application %s no longer exists.", application_id
        )
        return
    if not application.snapshot:
        logger.warning(
            "Submission receipt not sent: application %s has no snapshot.", application_id
        )
        return

    submitter = application.submitted_by or application.created_by
    copies = sorted(
        {
            member.email
            for member in application.organisation.members.exclude(pk=submitter.pk)
            if member.email and member.email != submitter.email
        }
    )
    recipients = [submitter.email] if submitter.email else []
    if not recipients and not copies:
        logger.warning("Submission receipt not sent: nobody to send %s to.", application_id)
        return
    with translation.override("fr"):
        context = receipt_context(application)
        context["dashboard_url"] = absolute_url(reverse("grants:dashboard"))
        reference = context["reference"]
        message = EmailMessage(
            subject=_("[Ruche] Récépissé de dépôt — %(reference)s") % {"reference": reference},
            body=render_to_string("grants/emails/submission_receipt.txt", context),
            to=recipients or copies,
            cc=copies if recipients else [],
        )
        message.attach(f"recepisse-{reference}.pdf", render_receipt(application), "application/pdf")
    deliver([message])


# -- Organisations ---------------------------------------------------------------------------


def invitation_url(invitation: Invitation) -> str:
    """Absolute link for emails, always the French (unprefixed) URL."""
    with translation.override("fr"):
        return absolute_url(reverse("grants:invitation_accept", args=[invitation.token]))


def send_invitation(invitation: Invitation) -> None:
    """The invitation's link, queued once the invitation is stored: no email points at a
    rolled-back token."""
    with translation.override("fr"):
        message = EmailMessage(
            subject=_("[Ruche] Invitation à rejoindre %(organisation)s")
            % {"organisation": invitation.organisation.legal_name},
            body=render_to_string(
                "grants/emails/invitation.txt",
                {
                    "invitation": invitation,
                    "organisation": invitation.organisation,
                    "inviter": invitation.invited_by,
                    "url": invitation_url(invitation),
                    "valid_until": invitation.expires_at,
                },
            ),
            to=[invitation.email],
        )
    transaction.on_commit(partial(deliver, [message]), robust=True)


REMOVED, ROLE_CHANGED, OWNERSHIP_RECEIVED = "removed", "role_changed", "ownership_received"


def send_membership_change(user, organisation: Organisation, change: str) -> None:
    """Tell a person their place in an organisation changed (removed, new role, ownership
    handed to them), after the commit."""
    if not user.email:
        return
    role = organisation.memberships.filter(user=user).first()
    with translation.override("fr"):
        subjects = {
            REMOVED: _("[Ruche] Vous ne faites plus partie de %(organisation)s"),
            ROLE_CHANGED: _("[Ruche] Votre rôle dans %(organisation)s a changé"),
            OWNERSHIP_RECEIVED: _("[Ruche] Vous êtes responsable de %(organisation)s"),
        }
        message = EmailMessage(
            subject=subjects[change] % {"organisation": organisation.legal_name},
            body=render_to_string(
                "grants/emails/membership_change.txt",
                {
                    "change": change,
                    "organisation": organisation,
                    "role": role.get_role_display() if role else "",
                    "url": absolute_url(
                        reverse("grants:organisation_detail", args=[organisation.pk])
                        if role
                        else reverse("grants:dashboard")
                    ),
                },
            ),
            to=[user.email],
        )
    transaction.on_commit(partial(deliver, [message]), robust=True)
