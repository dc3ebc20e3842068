"""The email that tells the other side of a new message in an application's thread.

It carries no part of the message (health-sector data: an email crosses servers Ruche does not
control), only the application's reference and the link to the thread, behind sign-in. Like
every email it is copied to the recipients' inbox (grants.inbox.deliver).

Who is told:
- of an applicant's message: the application's lead officer; without one, the officers
  assigned to the call; without any, the last officer who moved the application. Never every
  officer of the operator: an operator runs many calls with dozens of officers, and a message
  mailed to all is read by none. Whoever runs the call still sees the unread count in the
  queues;
- of a staff message: the organisation's members.
Each one per their « nouveaux messages » preference (NotificationPreference.new_messages);
the author is never told of their own message.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.mail import absolute_url, message_to
from core.roles import PROGRAMME_STAFF_GROUP, PROGRAMME_WIDE_GROUP
from grants.inbox import deliver
from grants.models import Application, Message

from .emails import wanting_email
from .models import TransitionLog

logger = logging.getLogger(__name__)


def staff_to_tell(application: Application) -> QuerySet:
    """The lead officer, else the call's assigned officers, else the last officer who moved
    the application (still staff and running the call)."""
    users = get_user_model().objects.filter(
        groups__name__in=[PROGRAMME_STAFF_GROUP, PROGRAMME_WIDE_GROUP]
    )
    if application.lead_officer_id:
        return users.filter(pk=application.lead_officer_id)
    assigned = users.filter(assigned_calls=application.call_id)
    if assigned.exists():
        return assigned
    members = application.organisation.memberships.values("user_id")
    last = (
        TransitionLog.objects.filter(application=application, actor__isnull=False)
        .exclude(transition=TransitionLog.MESSAGE)
        .exclude(actor__in=members)
        .order_by("-seq")
        .values_list("actor_id", flat=True)
        .first()
    )
    officer = users.filter(pk=last).first() if last else None
    if (
        officer is None
        or not Application.objects.handled_by(officer).filter(pk=application.pk).exists()
    ):
        return users.none()
    return users.filter(pk=officer.pk)


@task()
def notify_new_message(message_id: int) -> None:
    message = (
        Message.objects.select_related("application__call", "application__organisation")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        logger.warning("Thread message %s no longer exists: nobody told.", message_id)
        return
    application = message.application
    if message.side == Message.Side.APPLICANT:
        recipients = wanting_email(staff_to_tell(application), "new_messages", message.author_id)
        url = reverse("evaluation:application", args=[application.pk]) + "?onglet=messages"
    else:
        members = get_user_model().objects.filter(
            memberships__organisation=application.organisation
        )
        recipients = wanting_email(members, "new_messages", message.author_id)
        url = reverse("evaluation:followup", args=[application.pk]) + "#messages"
    with translation.override("fr"):
        context = {
            "application": application,
            "reference": application.reference,
            "from_staff": message.side == Message.Side.STAFF,
            "url": absolute_url(url),
            "optional": True,
            "preferences_url": absolute_url(reverse("evaluation:notifications")),
        }
        subject = _("[Ruche] Nouveau message — dossier %(reference)s") % {
            "reference": application.reference
        }
        emails = [
            message_to(user, subject, "evaluation/emails/new_message.txt", context)
            for user in recipients
        ]
    deliver(emails)
