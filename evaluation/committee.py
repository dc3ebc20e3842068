"""The selection committee's actions, for the views: declare interests, read, decide, close.

A member declares, per application of a session, whether they have a conflict of interest
before the file opens to them; a conflicted member neither reads the file nor takes part in
its decision, and the decision records who was excluded.

``decide`` is the only way the committee pages record a decision: it checks the session (open,
the user sits on it and declared no conflict, same call), serialises the decisions of a call so
that two members cannot overspend its envelope together, has
``services.record_committee_decision`` store the decision and fire the transition (whose
effects email the decision letter after the commit).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from core.roles import is_programme_staff_user
from core.vocabulary import ApplicationStatus
from ethics.models import CallGrid
from grants.models import Application

from .models import CommitteeDecision, CommitteeSession, ConflictDeclaration
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


def held_applications(session: CommitteeSession) -> QuerySet[Application]:
    """What a session holds: its call's applications (of its relève, if it examines one)
    waiting for the committee, and those it decided."""
    waiting = Q(status=ApplicationStatus.COMMITTEE)
    if session.cutoff_id:
        waiting &= Q(cutoff_id=session.cutoff_id)
    return Application.objects.filter(call_id=session.call_id).filter(
        waiting | Q(pk__in=session.decisions.values("application"))
    )


def runs_session(session: CommitteeSession, user) -> bool:
    """Programme staff of the session's call (administrators included)."""
    return bool(is_programme_staff_user(user) and session.call.is_run_by(user))


def declaration(
    session: CommitteeSession, application: Application, member
) -> ConflictDeclaration | None:
    return ConflictDeclaration.objects.filter(
        session=session, application=application, member=member
    ).first()


def declare_interests(
    session: CommitteeSession, application: Application, member, conflicted: bool, reason: str
) -> ConflictDeclaration:
    """Record ``member``'s declaration on ``application``. A conflict needs the nature of
    the link; once declared it cannot be withdrawn."""
    if not sits_on(session, member):
        raise TransitionRefused([_("Seuls les membres de cette séance déclarent leurs liens.")])
    if not held_applications(session).filter(pk=application.pk).exists():
        raise TransitionRefused([_("Ce dossier n'est pas examiné par cette séance.")])
    if conflicted and not reason.strip():
        raise TransitionRefused([_("Précisez la nature du lien avec le dossier.")])
    with transaction.atomic():
        existing = (
            ConflictDeclaration.objects.select_for_update()
            .filter(session=session, application=application, member=member)
            .first()
        )
        if existing is not None and existing.conflicted and not conflicted:
            raise TransitionRefused([_("Un conflit d'intérêts déclaré ne peut être retiré.")])
        declared, _created = ConflictDeclaration.objects.update_or_create(
            session=session,
            application=application,
            member=member,
            defaults={"conflicted": conflicted, "reason": reason.strip() if conflicted else ""},
        )
    return declared


def file_access(
    session: CommitteeSession, application: Application, user
) -> tuple[bool, ConflictDeclaration | None]:
    """Whether ``user`` may read the file, and their declaration on it (None if none).
    Staff of the call read every file of the session; a member once they have declared no
    conflict with it."""
    declared = declaration(session, application, user)
    if runs_session(session, user):
        return True, declared
    cleared = declared is not None and not declared.conflicted and sits_on(session, user)
    return cleared, declared


def may_read_file(session: CommitteeSession, application: Application, user) -> bool:
    return file_access(session, application, user)[0]


def reviews_are_blind(application: Application) -> bool:
    """The experts' identities stay hidden from the committee when the call's review is blind
    on any track."""
    return CallGrid.objects.filter(call_id=application.call_id, blind=True).exists()


def _check_declared(session: CommitteeSession, application: Application, user) -> None:
    declared = declaration(session, application, user)
    if declared is None:
        raise TransitionRefused([_("Déclarez d'abord vos liens d'intérêts avec ce dossier.")])
    if declared.conflicted:
        raise TransitionRefused(
            [_("Vous avez déclaré un conflit d'intérêts : vous ne prenez pas part à la décision.")]
        )


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
        if sits_on(locked, user):  # an administrator standing in declares nothing
            _check_declared(locked, application, user)
        # The call's row: the envelope check sums the decisions already taken on the call.
        list(Page.objects.select_for_update().filter(pk=application.call_id).values("pk"))
        decision = record_committee_decision(application, locked, user, outcome, motivation, amount)
        decision.excluded_members.set(
            locked.conflict_declarations.filter(
                application=application, conflicted=True
            ).values_list("member", flat=True)
        )
        return decision


def close_session(session: CommitteeSession, user) -> CommitteeSession:
    """Programme staff close a session: no decision can be taken in it afterwards."""
    if not runs_session(session, user):
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
