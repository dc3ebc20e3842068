"""Moving applications: locked, checked against the state the user saw, recorded.

``fire`` is the only way people move an application (the status field is protected): it locks
the row, checks the transition's conditions and the user's role, changes the state, then
hands over to ``effects.after_transition`` (the audit entry, then the emails after the commit).
Submitting and withdrawing are transitions like the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import (
    ConcurrentTransition,
    TransitionNotAllowed,
    can_proceed,
    has_transition_perm,
)

from core.formatting import grouped_amount
from core.vocabulary import ApplicationStatus
from grants.models import Application
from grants.services.declarations import Signatory
from grants.services.submission import prepare_submission

from . import audit, roles
from .effects import after_transition
from .hearings import LOG_LABELS as HEARING_LOG_LABELS
from .models import CommitteeDecision, StageOverride, TransitionLog
from .workflow import ApplicationWorkflow, TransitionRefused


class ConcurrentChange(TransitionRefused):
    """Someone else moved the application since the user loaded it."""


class AlreadySubmitted(Exception):
    """A second click or a second tab: the application left the draft state already."""

    def __init__(self, application: Application):
        super().__init__(application.pk)
        self.application = application


@dataclass(frozen=True)
class AvailableTransition:
    name: str
    label: str
    target: str


TRANSITION_LABELS = {
    "submit": gettext_lazy("Déposer"),
    "start_eligibility_check": gettext_lazy("Commencer le contrôle d'éligibilité"),
    "declare_ineligible": gettext_lazy("Déclarer irrecevable"),
    "start_ethics_review": gettext_lazy("Envoyer en expertise éthique"),
    "start_security_review": gettext_lazy("Envoyer en expertise sécurité"),
    "start_interoperability_review": gettext_lazy("Envoyer en expertise interopérabilité"),
    "start_hearing": gettext_lazy("Envoyer en audition"),
    "send_to_committee": gettext_lazy("Présenter au comité"),
    "request_information": gettext_lazy("Demander des compléments"),
    "answer_information": gettext_lazy("Répondre à la demande de compléments"),
    "shortlist": gettext_lazy("Présélectionner (invite au dossier complet)"),
    "decline_shortlist": gettext_lazy("Ne pas présélectionner"),
    "mark_funded": gettext_lazy("Marquer comme financé (prépare la convention)"),
    "select": gettext_lazy("Retenir"),
    "reject": gettext_lazy("Ne pas retenir"),
    "withdraw": gettext_lazy("Retirer le dossier"),
}
# The history names the audit trail's other entries too.
LOG_ENTRY_LABELS = {
    **TRANSITION_LABELS,
    TransitionLog.STAGE_OVERRIDE: gettext_lazy("Déroger à l'étape"),
    TransitionLog.DEADLINE_EXTENSION: gettext_lazy("Prolonger le délai de dépôt"),
    # The retention purge (evaluation.retention).
    "anonymise": gettext_lazy("Anonymisé (durée de conservation écoulée)"),
    **HEARING_LOG_LABELS,
    # The thread (evaluation.thread): the entry chains the text's digest, the text is the
    # message's.
    TransitionLog.MESSAGE: gettext_lazy("Message (voir l'onglet « Messages »)"),
}


def in_workflow(application: Application) -> ApplicationWorkflow:
    """The same application as the workflow sees it, with its transitions."""
    if isinstance(application, ApplicationWorkflow):
        return application
    return ApplicationWorkflow.objects.select_related("call", "organisation").get(pk=application.pk)


def available_transitions(application: Application, user) -> list[AvailableTransition]:
    """The transitions this user may fire now: allowed by role and by every condition."""
    return [
        AvailableTransition(t.name, str(TRANSITION_LABELS.get(t.name, t.name)), str(t.target))
        for t in in_workflow(application).get_available_user_status_transitions(user)
    ]


def fire(
    application: Application,
    transition_name: str,
    user,
    *,
    expected_status: str | None = None,
    comment: str = "",
    at: datetime | None = None,
    prepare: Callable[[ApplicationWorkflow, datetime], None] | None = None,
) -> ApplicationWorkflow:
    """Fire one transition as ``user``. The row is locked; if its state is no longer the one
    the user saw (``expected_status``), nothing happens and ``ConcurrentChange`` says so.
    ``prepare(locked, at)`` runs under the lock before the transition (submission freezes
    the answers there)."""
    try:
        with transaction.atomic():
            # Lock the application row only: FOR UPDATE on the join would also lock the
            # call's page row and serialise every transition of the call.
            locked = (
                ApplicationWorkflow.objects.select_for_update(of=("self",))
                .select_related("call", "organisation")
                .get(pk=application.pk)
            )
            if expected_status and locked.status != expected_status:
                raise ConcurrentChange(
                    [
                        _(
                            "Ce dossier vient d'être modifié par quelqu'un d'autre (il est "
                            "maintenant « %(status)s ») : rien n'a été fait."
                        )
                        % {"status": locked.get_status_display()}
                    ]
                )
            method = getattr(locked, transition_name, None)
            if method is None or not hasattr(method, "_django_fsm"):
                raise TransitionRefused([_("Action inconnue.")])
            at = at or timezone.now()
            if prepare is not None:
                prepare(locked, at)
            # Conditions first, so that people read why, then the role.
            if not can_proceed(method):
                raise TransitionRefused([_("Cette action n'est pas possible à cette étape.")])
            if not has_transition_perm(method, user):
                raise TransitionRefused([_("Cette action ne vous est pas permise sur ce dossier.")])
            source = locked.status
            method(by=user, at=at, comment=comment)
            locked.save()
            after_transition(
                locked, transition_name, source, locked.status, by=user, at=at, comment=comment
            )
    except ConcurrentTransition as race:
        raise ConcurrentChange(
            [_("Ce dossier vient d'être modifié par quelqu'un d'autre : rien n'a été fait.")]
        ) from race
    except TransitionNotAllowed as refused:
        raise TransitionRefused([_("Cette action n'est pas possible à cette étape.")]) from refused
    return locked


def submit_application(
    application: Application,
    user,
    now: datetime | None = None,
    signatory: Signatory | None = None,
) -> ApplicationWorkflow:
    """Submit once, before the deadline, complete, its declarations on honour signed by
    ``user`` (``signatory``: their role and ticks); the answers frozen and fingerprinted
    (grants' ``prepare_submission``) under the row lock, so a double click or two tabs submit
    exactly once: the loser gets ``AlreadySubmitted``. The receipt is emailed after commit."""
    try:
        return fire(
            application,
            "submit",
            user,
            expected_status=ApplicationStatus.DRAFT,
            at=now,
            prepare=lambda locked, at: prepare_submission(locked, at, user, signatory),
        )
    except ConcurrentChange as race:
        raise AlreadySubmitted(Application.objects.get(pk=application.pk)) from race


def withdraw_application(application: Application, user, comment: str = "") -> Application:
    """The applicant withdraws: the same path, checks and record as every other transition."""
    return fire(application, "withdraw", user, comment=comment)


def override_stage(application: Application, user, justification: str) -> StageOverride:
    """Let staff move an application out of a review stage that is not complete or failed a
    blocking criterion. Logged with its justification; the transition still has to be fired."""
    if not roles.is_programme_staff(application, user):
        raise TransitionRefused([_("Seuls les chargés de mission de l'appel peuvent déroger.")])
    if not justification.strip():
        raise TransitionRefused([_("La dérogation doit être justifiée par écrit.")])
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        override = StageOverride.objects.create(
            application=locked, stage=locked.status, justification=justification, by=user
        )
        # In the chain too: an override lets the application leave a stage it could not.
        audit.append(
            application=locked,
            transition=TransitionLog.STAGE_OVERRIDE,
            source=locked.status,
            target=locked.status,
            actor=user,
            at=override.at,
            comment=justification,
            visible_to_applicant=False,
        )
    return override


def record_committee_decision(
    application: Application, session, user, outcome: str, motivation: str, amount=None
) -> CommitteeDecision:
    """The committee decides: the decision is stored, then the matching transition fired
    (whose effects email the decision letter).
    A selected project gets an amount: at most what was requested, the call's cap, and what
    is left of the call's envelope."""
    if not motivation.strip():
        raise TransitionRefused([_("La motivation de la décision est obligatoire.")])
    if outcome == CommitteeDecision.Outcome.SELECTED:
        _check_amount(application, amount)
    with transaction.atomic():
        decision = CommitteeDecision.objects.create(
            session=session,
            application=application,
            outcome=outcome,
            motivation=motivation,
            amount_granted=amount,
            decided_by=user,
        )
        name = "select" if outcome == CommitteeDecision.Outcome.SELECTED else "reject"
        fire(application, name, user, comment=motivation)
    return decision


def _check_amount(application: Application, amount) -> None:
    call = application.call
    if amount is None or amount <= 0:
        raise TransitionRefused([_("Indiquez le montant accordé.")])
    if application.amount_requested is not None and amount > application.amount_requested:
        raise TransitionRefused([_("Le montant accordé dépasse le montant demandé.")])
    if amount > call.max_amount_per_project:
        raise TransitionRefused([_("Le montant accordé dépasse le plafond de l'appel.")])
    granted = (
        CommitteeDecision.objects.filter(
            application__call=call, outcome=CommitteeDecision.Outcome.SELECTED
        )
        .exclude(application=application)
        .aggregate(total=Sum("amount_granted"))["total"]
        or 0
    )
    if granted + amount > call.budget_envelope:
        raise TransitionRefused(
            [
                _("Ce montant dépasserait l'enveloppe de l'appel (reste : %(left)s €).")
                % {"left": grouped_amount(call.budget_envelope - granted, 2)}
            ]
        )
