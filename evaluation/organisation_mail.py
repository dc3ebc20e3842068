"""One email to an applicant organisation's members about one object of the workflow (an
information request, a hearing invitation, a decision): the frame the workflow's essential
emails to applicants share.

The task loads the object; if it vanished, or the organisation has no member with an address,
it logs a warning and sends nothing. Otherwise the email is composed in French (the letters and
their dates are French whatever the sender's language), with its attachments, and handed to
``grants.inbox.deliver``, which copies it to the members' inbox. Essential: nobody opts out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.mail import EmailMessage
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.mail import absolute_url
from grants.inbox import deliver

logger = logging.getLogger(__name__)


@dataclass
class OrganisationEmail:
    """What one email says: its subject, its body's template and context, and its files as
    ``(filename, content, mimetype)``."""

    subject: str
    template: str
    context: dict
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)


def letter_email(
    context: dict, *, subject: str, template: str, letter_url: str, pdf: tuple[str, bytes]
) -> OrganisationEmail:
    """An email carrying a PDF letter: ``pdf`` is (filename, bytes); the body links to the
    letter on the site (``letter_url``, a path) and to the applicant's dashboard."""
    context = {
        **context,
        "letter_url": absolute_url(letter_url),
        "dashboard_url": absolute_url(reverse("grants:dashboard")),
    }
    filename, content = pdf
    return OrganisationEmail(
        subject=subject,
        template=template,
        context=context,
        attachments=[(filename, content, "application/pdf")],
    )


def email_organisation(
    objects: QuerySet, pk: int, compose: Callable[[Any], OrganisationEmail], *, what: str
) -> bool:
    """Email the members of the organisation whose application ``objects.get(pk=pk)`` is
    about (it has an ``application``), with what ``compose`` makes of it in French.

    ``what`` names the object in the warnings. Returns whether an email was handed over."""
    obj = objects.filter(pk=pk).first()
    if obj is None:
        logger.warning("%s %s no longer exists: no email sent.", what, pk)
        return False
    recipients = obj.application.organisation.member_emails()
    if not recipients:
        logger.warning("%s %s: the organisation has no email.", what, pk)
        return False
    with translation.override("fr"):
        email = compose(obj)
        message = EmailMessage(
            subject=email.subject,
            body=render_to_string(email.template, email.context),
            to=recipients,
        )
        for filename, content, mimetype in email.attachments:
            message.attach(filename, content, mimetype)
    deliver([message])
    return True
