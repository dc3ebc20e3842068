"""Reminders of the reports due: one a few days before the due date (the call's
``reminder_days``), one more once it has passed, never more (``manage.py
send_report_reminders``, run daily by the « reminders » job).

Safe to run twice, or on two nodes at once: each reminder is claimed by a conditional update
of ``reminded_on`` before its emails are queued, so only one run sends it.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.mail import absolute_url, message_to
from grants.inbox import deliver

from .models import ConventionStatus, FundingTerms, Milestone, ReportStatus

DEFAULT_DAYS = FundingTerms._meta.get_field("reminder_days").default
PENDING = [ReportStatus.DUE, ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED]


def due_milestones(today: date):
    """Milestones of conventions in force whose report is not in, due within the call's
    reminder window (the widest, 60 days, filtered per call below) or overdue, and not
    reminded since the last reminder that applies."""
    return (
        Milestone.objects.filter(
            convention__status=ConventionStatus.IN_FORCE,
            report_status__in=PENDING,
            due_on__lte=today + timedelta(days=60),
        )
        .filter(Q(reminded_on__isnull=True) | Q(due_on__lt=today, reminded_on__lte=F("due_on")))
        .select_related("convention__application__organisation", "convention__application__call")
    )


def send_report_reminders(today: date | None = None) -> int:
    """Queue the reminders due today; returns how many milestones were reminded."""
    today = today or timezone.localdate()
    days = dict(FundingTerms.objects.values_list("call_id", "reminder_days"))
    sent = 0
    for milestone in due_milestones(today):
        application = milestone.convention.application
        window = days.get(application.call_id, DEFAULT_DAYS)
        overdue = milestone.due_on < today
        if not overdue and milestone.due_on > today + timedelta(days=window):
            continue
        claimed = Milestone.objects.filter(
            pk=milestone.pk, reminded_on=milestone.reminded_on
        ).update(reminded_on=today)
        if not claimed:  # another run took it meanwhile
            continue
        _email(milestone, application, overdue)
        sent += 1
    return sent


def _email(milestone: Milestone, application, overdue: bool) -> None:
    members = application.organisation.members.filter(is_active=True).exclude(email="")
    with translation.override("fr"):
        context = {
            "milestone": milestone,
            "application": application,
            "overdue": overdue,
            "url": absolute_url(reverse("funding:report", args=[application.pk, milestone.pk])),
            "optional": False,
        }
        subject = (
            _("[Ruche] Rapport en retard — %(reference)s")
            if overdue
            else _("[Ruche] Rapport à rendre bientôt — %(reference)s")
        ) % {"reference": application.reference}
        messages = [
            message_to(user, subject, "funding/emails/report_reminder.txt", context)
            for user in members
        ]
    deliver(messages)
