"""The application's state machine (django-fsm-2). Every change of state goes through a
transition method below; the ``status`` field is protected against assignment.

Side effects (emails, PDFs) are not here: services enqueue them after the commit. Each
transition is written to the audit trail by the ``post_transition`` handler in signals.py,
inside the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .states import WITHDRAWABLE, ApplicationStatus


class TransitionRefused(Exception):
    """A transition's rule refused it; ``messages`` say why, in the user's language."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = messages


def is_member(application, user) -> bool:
    return application.organisation.memberships.filter(user=user).exists()


class ApplicationWorkflow(ConcurrentTransitionMixin, models.Model):
    status = FSMField(
        gettext_lazy("état"),
        default=ApplicationStatus.DRAFT,
        choices=ApplicationStatus.choices,
        protected=True,
        db_index=True,
    )

    class Meta:
        abstract = True

    @transition(
        field=status,
        source=ApplicationStatus.DRAFT,
        target=ApplicationStatus.SUBMITTED,
        permission=is_member,
    )
    def submit(self, *, by, at: datetime) -> None:
        # The deadline is judged at the instant of submission, on the server.
        if not self.call.is_open(at):
            raise TransitionRefused(
                [
                    _("L'appel est clos depuis le %(at)s : le dépôt n'est plus possible.")
                    % {"at": timezone.localtime(self.call.closing_at).strftime("%d/%m/%Y %H:%M")}
                ]
            )
        self.submitted_at = at
        self.submitted_by = by

    @transition(
        field=status,
        source=WITHDRAWABLE,
        target=ApplicationStatus.WITHDRAWN,
        permission=is_member,
    )
    def withdraw(self, *, by, at: datetime, comment: str = "") -> None:
        """The applicant withdraws the application before the committee's decision."""
