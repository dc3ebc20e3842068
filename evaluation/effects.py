"""What follows a transition, in one place and in this order.

``services.fire`` changes the state, then calls ``after_transition`` in the same transaction:

1. the audit entry (``audit.append``): in the transaction, so no change goes unrecorded and
   no entry survives a rolled-back change; then, still in it, the upcoming hearing slot of an
   application that will not be heard is freed (``hearings.release``, with its own entry);
2. after the commit, the email this transition owns: the receipt (grants), the question of a
   request for information, the applicant's answer, the committee's decision letter;
3. after the commit, the status emails of ``emails.notify_transition``.

A rolled-back transition emails nobody. Apps above the workflow read the applications' states
when they need them; the one exception is ``hooks.application_funded``, sent here in the
transaction, on which the follow-up of funded projects prepares the convention.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from django.db import transaction

from grants.emails import send_submission_receipt

from . import audit
from .emails import (
    notify_transition,
    send_decision_letter,
    send_information_answered,
    send_information_requested,
)
from .hearings import NOT_HEARD
from .hearings import release as release_hearing
from .hooks import application_funded
from .models import CommitteeDecision, InformationRequest, ShortlistDecision, TransitionLog
from .shortlist_letters import send_shortlist_letter


def _about_latest(model, task) -> Callable[[int], Callable[[], object] | None]:
    """The email about the application's latest ``model`` row (the request for information or
    the decision stored just before the transition fired), if there is one."""

    def schedule(application_id: int) -> Callable[[], object] | None:
        latest = model.objects.filter(application_id=application_id).order_by("-pk").first()
        return partial(task.enqueue, latest.pk) if latest else None

    return schedule


# The email each transition owns, given the application's id.
OWN_EMAIL: dict[str, Callable[[int], Callable[[], object] | None]] = {
    "submit": lambda pk: partial(send_submission_receipt.enqueue, pk),
    "request_information": _about_latest(InformationRequest, send_information_requested),
    "answer_information": _about_latest(InformationRequest, send_information_answered),
    "select": _about_latest(CommitteeDecision, send_decision_letter),
    "reject": _about_latest(CommitteeDecision, send_decision_letter),
    "shortlist": _about_latest(ShortlistDecision, send_shortlist_letter),
    "decline_shortlist": _about_latest(ShortlistDecision, send_shortlist_letter),
}


def after_transition(
    application, name: str, source: str, target: str, *, by, at: datetime, comment: str = ""
) -> TransitionLog:
    """Record the transition just made on ``application`` and schedule its emails."""
    entry = audit.append(
        application=application,
        transition=name,
        source=source,
        target=target,
        actor=by,
        at=at,
        comment=comment,
    )
    if target in NOT_HEARD:
        release_hearing(application, by, at)
    if name == "mark_funded":
        application_funded.send(sender=type(application), application=application, by=by)
    own = OWN_EMAIL[name](application.pk) if name in OWN_EMAIL else None
    if own is not None:
        transaction.on_commit(own, robust=True)
    transaction.on_commit(partial(notify_transition.enqueue, entry.pk), robust=True)
    return entry
