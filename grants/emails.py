"""Emails of the grants app, sent by background tasks (django-tasks) after the commit."""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.mail import absolute_url, deliver

from .models import Application
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
