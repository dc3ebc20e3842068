"""The selection committee's actions, for the views: decide on an application, close a session.

``decide`` is the only way the committee pages record a decision: it checks the session (open,
the user sits on it, same call), serialises the decisions of a call so that two members cannot
overspend its envelope together, has ``services.record_committee_decision`` store the decision
and fire the transition (whose effects email the decision letter after the commit).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from core.roles import is_programme_staff_user
from grants.models import Application

from .models import CommitteeDecision, CommitteeSession
from .services import record_committee_decision
from .workflow import TransitionRefused

SESSION_CLOSED = gettext_lazy("Cette séance est close : aucune décision ne peut plus y être prise.")


def sits_on(session: CommitteeSession, user) -> bool:
    return bool(user and user.is_authenticated and session.members.filter(pk=user.pk).exists())


def may_decide_in(session: CommitteeSession, user) -> bool:
    """Members of an open session decide (an administrator may stand in)."""
    if session.closed_at is not None:
        return False
    return bool(user and user.is_superuser) or sits_on(session, user)


def decide(
    application: Application,
    session: CommitteeSession,
    user,
    outcome: str,
    motivation: str,
    amount=None,
) -> CommitteeDecision:
    """Record the committee's decision on ``application`` in ``session``; the decision letter
    is emailed to the organisation after the commit. ``TransitionRefused`` says why not."""
    if outcome not in CommitteeDecision.Outcome.values:
        raise TransitionRefused([_("Choisissez la décision : retenu ou non retenu.")])
    if application.call_id != session.call_id:
        raise TransitionRefused([_("Ce dossier ne relève pas de l'appel de cette séance.")])
    if outcome != CommitteeDecision.Outcome.SELECTED:
        amount = None
    with transaction.atomic():
        # The session row: a decision and the session's closure cannot cross.
        locked = CommitteeSession.objects.select_for_update().get(pk=session.pk)
        if locked.closed_at is not None:
            raise TransitionRefused([SESSION_CLOSED])
        if not may_decide_in(locked, user):
            raise TransitionRefused([_("Seuls les membres de cette séance peuvent décider.")])
        # The call's row: the envelope check sums the decisions already taken on the call.
        list(Page.objects.select_for_update().filter(pk=application.call_id).values("pk"))
        return record_committee_decision(application, locked, user, outcome, motivation, amount)


def close_session(session: CommitteeSession, user) -> CommitteeSession:
    """Programme staff close a session: no decision can be taken in it afterwards."""
    if not (is_programme_staff_user(user) and session.call.is_run_by(user)):
        raise TransitionRefused(
            [_("Seuls les chargés de mission de l'appel peuvent clôturer une séance.")]
        )
    with transaction.atomic():
        locked = CommitteeSession.objects.select_for_update().get(pk=session.pk)
        if locked.closed_at is not None:
            raise TransitionRefused([_("Cette séance est déjà close.")])
        locked.closed_at = timezone.now()
        locked.save(update_fields=["closed_at"])
    return locked
