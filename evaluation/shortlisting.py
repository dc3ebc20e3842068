"""The first stage of a two-stage call: staff shortlist the pre-proposals, each decision with
its reason (one by one or many at once). A shortlisted team is invited to file its full
application, opened as a draft pre-filled from the pre-proposal and due by the next
second-stage relève; the others receive a letter (PDF) stating the reason.

The decision is stored, then the workflow's transition fired (``shortlist`` or
``decline_shortlist``) in the same transaction; the effects email the letter after commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.models import CallCutoff
from cms.models.calls import CallStage
from core.refusals import Refused
from core.vocabulary import ApplicationStatus
from grants.models import Application
from grants.services.drafts import open_full_application

from .models import ShortlistDecision
from .services import fire

Outcome = ShortlistDecision.Outcome
S = ApplicationStatus


@dataclass(frozen=True)
class Choice:
    """One line of a (bulk) shortlisting: which pre-proposal, which outcome, why."""

    application_id: int
    outcome: str
    reason: str


def full_application_due(pre_proposal: Application, now: datetime) -> CallCutoff | None:
    """The second-stage relève a shortlisted team files by: the first one after both the
    pre-proposal's own relève and now."""
    after = max(pre_proposal.cutoff.closes_at if pre_proposal.cutoff else now, now)
    cutoffs = pre_proposal.call.sorted_cutoffs(CallStage.SECOND)
    return next((c for c in cutoffs if c.closes_at > after), None)


def decide(
    application: Application, user, outcome: str, reason: str, now: datetime | None = None
) -> ShortlistDecision:
    """Shortlist ``application`` (a pre-proposal under eligibility check) or not, with its
    reason. Raises ``Refused`` (the workflow's rules: staff of the call, a pre-proposal,
    checks recorded) and changes nothing then."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if outcome not in Outcome.values:
        raise Refused([_("Choisissez : présélectionné ou non présélectionné.")])
    if not reason:
        raise Refused([_("Le motif de chaque décision est obligatoire.")])
    due = None
    if outcome == Outcome.SHORTLISTED:
        due = full_application_due(application, now)
        if due is None:
            raise Refused(
                [_("Aucune relève de dossiers complets n'est à venir : ajoutez-en une à l'appel.")]
            )
    try:
        with transaction.atomic():
            decision = ShortlistDecision.objects.create(
                application=application,
                outcome=outcome,
                reason=reason,
                full_application_due=due,
                decided_by=user,
            )
            name = "shortlist" if outcome == Outcome.SHORTLISTED else "decline_shortlist"
            fire(
                application,
                name,
                user,
                comment=reason,
                expected_status=ApplicationStatus.ELIGIBILITY,
            )
            if due is not None:
                open_full_application(application, due)
    except IntegrityError as twice:
        raise Refused([_("Cette pré-proposition a déjà fait l'objet d'une décision.")]) from twice
    return decision


def decide_many(call, user, choices: list[Choice]) -> tuple[int, dict[int, list[str]]]:
    """Several decisions at once, each on its own: (how many were recorded, the refusals by
    application id). Only the call's pre-proposals are looked at."""
    pre_proposals = {
        a.pk: a
        for a in Application.objects.filter(
            call=call, stage=1, pk__in=[choice.application_id for choice in choices]
        ).select_related("call", "organisation", "cutoff")
    }
    done, refused = 0, {}
    for choice in choices:
        application = pre_proposals.get(choice.application_id)
        if application is None:
            refused[choice.application_id] = [_("Pré-proposition introuvable pour cet appel.")]
            continue
        try:
            decide(application, user, choice.outcome, choice.reason)
        except Refused as refusal:
            refused[choice.application_id] = refusal.messages
        else:
            done += 1
    return done, refused
