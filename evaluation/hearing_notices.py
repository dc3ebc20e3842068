"""What the applicant's dashboard (grants) shows of the hearings: an invitation to answer
is « À faire », a confirmed hearing to come is « À venir ». One query for the whole list."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import paris_instant
from grants.hooks import DashboardNotice

from .models import HearingInvitation

Answer = HearingInvitation.Answer


def hearing_notices(user, applications: list) -> list[DashboardNotice]:
    by_pk = {application.pk: application for application in applications}
    if not by_pk:
        return []
    notices = []
    invitations = HearingInvitation.objects.filter(
        application_id__in=by_pk, slot__starts_at__gt=timezone.now()
    ).select_related("slot")
    for invitation in invitations.order_by("slot__starts_at"):
        at = paris_instant(invitation.slot.starts_at)
        url = reverse("evaluation:hearing_answer", args=[invitation.application_id])
        application = by_pk[invitation.application_id]
        if invitation.answer == Answer.PENDING:
            text = _("Convocation à l'audition du %(at)s : confirmez votre présence.") % {"at": at}
        elif invitation.answer == Answer.CHANGE_REQUESTED:
            text = _("Audition du %(at)s : un autre créneau vous sera proposé.") % {"at": at}
        else:
            text = _("Audition confirmée le %(at)s (heure de Paris).") % {"at": at}
        notices.append(DashboardNotice(application, text, url, invitation.answer == Answer.PENDING))
    return notices
