"""Background tasks of the evaluation app (django-tasks); enqueued after the commit."""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_decision_letter(decision_id: int) -> None:
    """Email the committee's decision letter (PDF attached) to the organisation's members.

    It only sends: running it twice sends the same letter twice and changes nothing stored.
    """
    from .letters import decision_letter_context, render_decision_letter
    from .models import CommitteeDecision
    from .notifications import absolute_url, member_emails

    try:
        decision = CommitteeDecision.objects.select_related(
            "session", "application__call", "application__organisation"
        ).get(pk=decision_id)
    except CommitteeDecision.DoesNotExist:
        logger.warning("Decision letter not sent: decision %s no longer exists.", decision_id)
        return

    recipients = member_emails(decision.application.organisation)
    if not recipients:
        logger.warning("Decision letter not sent: nobody to send decision %s to.", decision_id)
        return
    with translation.override("fr"):
        context = decision_letter_context(decision)
        context["letter_url"] = absolute_url(
            reverse("evaluation:decision_letter", args=[decision.pk])
        )
        context["dashboard_url"] = absolute_url(reverse("grants:dashboard"))
        reference = context["reference"]
        message = EmailMessage(
            subject=_("[Ruche] Décision du comité de sélection — %(reference)s")
            % {"reference": reference},
            body=render_to_string("evaluation/emails/decision.txt", context),
            to=recipients,
        )
        message.attach(
            f"decision-{reference}.pdf", render_decision_letter(decision), "application/pdf"
        )
    message.send()
