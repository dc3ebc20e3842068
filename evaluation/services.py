"""Firing transitions for people: locked, checked against the state they saw, logged.

Views call ``fire``; nothing else changes an application's state (the field is protected).
"""

from __future__ import annotations

from dataclasses import dataclass

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

from grants.models import Application
from ruche.formatting import grouped_amount

from .models import CommitteeDecision, StageOverride
from .roles import is_programme_staff_user
from .workflow import TransitionRefused


class ConcurrentChange(TransitionRefused):
    """Someone else moved the application since the user loaded it."""


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
    "send_to_committee": gettext_lazy("Présenter au comité"),
    "request_information": gettext_lazy("Demander des compléments"),
    "answer_information": gettext_lazy("Répondre à la demande de compléments"),
    "mark_funded": gettext_lazy("Marquer comme financé (convention signée)"),
    "select": gettext_lazy("Retenir"),
    "reject": gettext_lazy("Ne pas retenir"),
    "withdraw": gettext_lazy("Retirer le dossier"),
}


def available_transitions(application: Application, user) -> list[AvailableTransition]:
    """The transitions this user may fire now: allowed by role and by every condition."""
    return [
        AvailableTransition(t.name, str(TRANSITION_LABELS.get(t.name, t.name)), str(t.target))
        for t in application.get_available_user_status_transitions(user)
    ]


def fire(
    application: Application,
    transition_name: str,
    user,
    *,
    expected_status: str | None = None,
    comment: str = "",
) -> Application:
    """Fire one transition as ``user``. The row is locked; if its state is no longer the one
    the user saw (``expected_status``), nothing happens and ``ConcurrentChange`` says so."""
    try:
        with transaction.atomic():
            locked = (
                Application.objects.select_for_update(of=("self",))
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
            # Conditions first, so that people read why, then the role.
            if not can_proceed(method):
                raise TransitionRefused([_("Cette action n'est pas possible à cette étape.")])
            if not has_transition_perm(method, user):
                raise TransitionRefused([_("Cette action ne vous est pas permise sur ce dossier.")])
            method(by=user, at=timezone.now(), comment=comment)
            locked.save()
    except ConcurrentTransition as race:
        raise ConcurrentChange(
            [_("Ce dossier vient d'être modifié par quelqu'un d'autre : rien n'a été fait.")]
        ) from race
    except TransitionNotAllowed as refused:
        raise TransitionRefused([_("Cette action n'est pas possible à cette étape.")]) from refused
    return locked


def override_stage(application: Application, user, justification: str) -> StageOverride:
    """Let staff move an application out of a review stage that is not complete or failed a
    blocking criterion. Logged with its justification; the transition still has to be fired."""
    if not is_programme_staff_user(user):
        raise TransitionRefused([_("Seuls les chargés de mission peuvent déroger.")])
    if not justification.strip():
        raise TransitionRefused([_("La dérogation doit être justifiée par écrit.")])
    return StageOverride.objects.create(
        application=application, stage=application.status, justification=justification, by=user
    )


def record_committee_decision(
    application: Application, session, user, outcome: str, motivation: str, amount=None
) -> Application:
    """The committee decides: the decision is stored, then the matching transition fired.
    A selected project gets an amount: at most what was requested, the call's cap, and what
    is left of the call's envelope."""
    if not motivation.strip():
        raise TransitionRefused([_("La motivation de la décision est obligatoire.")])
    if outcome == CommitteeDecision.Outcome.SELECTED:
        _check_amount(application, amount)
    with transaction.atomic():
        CommitteeDecision.objects.create(
            session=session,
            application=application,
            outcome=outcome,
            motivation=motivation,
            amount_granted=amount,
            decided_by=user,
        )
        name = "select" if outcome == CommitteeDecision.Outcome.SELECTED else "reject"
        return fire(application, name, user, comment=motivation)


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
