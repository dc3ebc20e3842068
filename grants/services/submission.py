"""Submitting and withdrawing applications: the rules, the lock, the frozen copy, the receipt."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from evaluation.states import ApplicationStatus
from evaluation.workflow import TransitionRefused

from ..models import Application
from .completeness import missing_items
from .eligibility import run_checks
from .snapshot import build_snapshot, fingerprint


class AlreadySubmitted(Exception):
    """A second click or a second tab: the application left the draft state already."""

    def __init__(self, application: Application):
        super().__init__(application.pk)
        self.application = application


def submit_application(application: Application, user, now: datetime | None = None) -> Application:
    """Submit once, before the deadline, complete; freeze the answers and fingerprint them.

    The row is locked for the whole check-and-transition, so a double click or two tabs submit
    exactly once; the loser gets ``AlreadySubmitted``. The receipt email goes after commit.
    """
    try:
        with transaction.atomic():
            # Lock the application row only: a plain FOR UPDATE on the join would also lock
            # the call's page row and serialise every submission to the call.
            locked = (
                Application.objects.select_for_update(of=("self",))
                .select_related("call", "organisation")
                .prefetch_related("attachments", "call__cutoffs")
                .get(pk=application.pk)
            )
            if locked.status != ApplicationStatus.DRAFT:
                raise AlreadySubmitted(locked)
            at = now or timezone.now()
            if not locked.call.is_open(at):
                raise TransitionRefused(
                    [
                        _("L'appel est clos : le dépôt n'est plus possible depuis le %(at)s.")
                        % {
                            "at": timezone.localtime(locked.call.closing_at).strftime(
                                "%d/%m/%Y à %H:%M"
                            )
                        }
                    ]
                )
            missing = missing_items(locked)
            if missing:
                raise TransitionRefused([item.message for item in missing])
            locked.eligibility_checks = run_checks(locked, at)
            locked.snapshot = build_snapshot(locked, at)
            locked.fingerprint = fingerprint(locked.snapshot)
            locked.submit(by=user, at=at)
            locked.save()
    except (ConcurrentTransition, TransitionNotAllowed) as race:
        # Another request won between our read and our write (SQLite has no row locks).
        raise AlreadySubmitted(Application.objects.get(pk=application.pk)) from race

    from ..tasks import send_submission_receipt

    transaction.on_commit(lambda: send_submission_receipt.enqueue(locked.pk))
    return locked


def withdraw_application(application: Application, user, comment: str = "") -> Application:
    """The applicant withdraws: the same path, checks and log as every other transition."""
    from evaluation.services import fire

    return fire(application, "withdraw", user, comment=comment)
