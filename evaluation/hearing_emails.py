"""The emails of the jury hearings, sent after the commit by background tasks: the invitation
(or a new slot) to the applicant organisation's members, and an applicant's request for
another slot to the staff of the call. Both are essential: nobody opts out of them."""

from __future__ import annotations

import logging

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.mail import absolute_url, message_to
from grants.inbox import deliver

from .emails import call_staff, wanting_email
from .models import HearingInvitation
from .organisation_mail import OrganisationEmail, email_organisation

logger = logging.getLogger(__name__)


def _invitations():
    return HearingInvitation.objects.select_related(
        "slot__session", "application__call", "application__organisation"
    )


@task()
def send_invitation(invitation_id: int) -> None:
    """Invite the organisation's members to the hearing (a new slot after a move too)."""
    email_organisation(_invitations(), invitation_id, _invitation_email, what="Hearing invitation")


def _invitation_email(invitation: HearingInvitation) -> OrganisationEmail:
    application = invitation.application
    return OrganisationEmail(
        subject=_("[Ruche] Convocation à l'audition — %(reference)s")
        % {"reference": application.reference},
        template="evaluation/emails/hearing_invitation.txt",
        context={
            "invitation": invitation,
            "slot": invitation.slot,
            "session": invitation.slot.session,
            "application": application,
            "url": absolute_url(reverse("evaluation:hearing_answer", args=[application.pk])),
        },
    )


@task()
def send_change_requested(invitation_id: int) -> None:
    """Tell the staff of the call that an applicant asks for another slot, and why."""
    invitation = _invitations().filter(pk=invitation_id).first()
    if invitation is None:
        return
    application = invitation.application
    with translation.override("fr"):
        context = {
            "invitation": invitation,
            "slot": invitation.slot,
            "application": application,
            "url": absolute_url(
                reverse("evaluation:hearing_session", args=[invitation.slot.session_id])
            ),
            "optional": False,
        }
        subject = _("[Ruche] Autre créneau d'audition demandé — %(reference)s") % {
            "reference": application.reference
        }
        messages = [
            message_to(user, subject, "evaluation/emails/hearing_change_requested.txt", context)
            for user in wanting_email(call_staff(application), None)
        ]
    deliver(messages)
