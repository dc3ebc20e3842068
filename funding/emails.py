"""What the beneficiary is told by email, after the commit: a convention (or amendment) to
sign, a report sent back or accepted, a payment made. Always in French, like the workflow's
emails; the link leads to the convention's page."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.mail import absolute_url, message_to
from grants.inbox import deliver_on_commit

SUBJECTS = {
    "sent": _("[Ruche] Votre convention est prête à signer — %(reference)s"),
    "report_changes": _("[Ruche] Modifications demandées sur votre rapport — %(reference)s"),
    "report_accepted": _("[Ruche] Votre rapport est accepté — %(reference)s"),
    "payment": _("[Ruche] Versement effectué — %(reference)s"),
}


def notify_beneficiary(convention, event: str, detail: str = "") -> None:
    """Email the organisation's active members about ``event`` once the transaction commits."""
    application = convention.application
    members = application.organisation.members.filter(is_active=True).exclude(email="")
    with translation.override("fr"):
        context = {
            "event": event,
            "detail": detail,
            "application": application,
            "url": absolute_url(reverse("funding:convention", args=[application.pk])),
            "optional": False,
        }
        subject = str(SUBJECTS[event]) % {"reference": application.reference}
        messages = [
            message_to(user, subject, "funding/emails/beneficiary.txt", context) for user in members
        ]
    deliver_on_commit(messages)
