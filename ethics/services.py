"""Reviews as a process: assign reviewers, declare conflicts, rate, submit, amend.

The rules live here; views only call these functions. A refusal raises ``ReviewRefused``
with a French message.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import natural_key
from core.roles import REVIEWERS_GROUP
from core.vocabulary import (
    CLOSED_STATES,
    TRACK_OF_STAGE,
    UNDER_INSTRUCTION,
    ApplicationStatus,
    ReviewTrack,
)
from grants.models import Application

from .aggregation import COMPLIANCE, COMPLIANCE_VALUES, NOT_APPLICABLE
from .emails import schedule_reviewer_assigned
from .models import CallGrid, CriterionRating, Review, ReviewAssignment
from .workload import expert_label

CLOSED_FILE = gettext_lazy("Dossier clos : plus aucun expert ne peut y être affecté.")

# Addresses at these providers say nothing about an employer: no conflict is inferred.
PUBLIC_MAIL_DOMAINS = {
    "gmail.com",
    "outlook.com",
    "hotmail.com",
    "hotmail.fr",
    "yahoo.fr",
    "yahoo.com",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "icloud.com",
    "protonmail.com",
    "wanadoo.fr",
    "sfr.fr",
}


class ReviewRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def obvious_conflict(application, reviewer) -> str:
    """Why this reviewer obviously cannot review this application ("" if no reason)."""
    organisation = application.organisation
    if organisation.memberships.filter(user=reviewer).exists():
        return _("L'expert est membre de l'organisation candidate.")
    domain = (reviewer.email or "").rsplit("@", 1)[-1].lower()
    if domain and domain not in PUBLIC_MAIL_DOMAINS and domain in organisation.email_domains:
        return _("L'expert partage le domaine de messagerie (%(domain)s) d'un candidat.") % {
            "domain": domain
        }
    return ""


def grid_for(application, track: str) -> CallGrid | None:
    return (
        CallGrid.objects.select_related("grid")
        .filter(call=application.call, grid__track=track)
        .first()
    )


def assign(application, track: str, reviewer, by, due_on=None) -> ReviewAssignment:
    # Experts may be lined up from submission until the committee's decision.
    if application.status not in UNDER_INSTRUCTION:
        raise ReviewRefused(_("Ce dossier n'est pas en cours d'instruction : pas d'expertise."))
    if not application.call.requires_track(track):
        raise ReviewRefused(_("L'appel ne prévoit pas cette expertise."))
    if track == ReviewTrack.HEARING:
        raise ReviewRefused(_("Le jury d'une audition se compose sur sa séance d'audition."))
    if grid_for(application, track) is None:
        raise ReviewRefused(_("Aucune grille n'est associée à cette expertise pour l'appel."))
    profile = getattr(reviewer, "reviewer_profile", None)
    if not reviewer.groups.filter(name=REVIEWERS_GROUP).exists() or not (
        profile and profile.covers(track)
    ):
        raise ReviewRefused(_("Cette personne n'est pas experte de ce domaine."))
    reason = obvious_conflict(application, reviewer)
    if reason:
        raise ReviewRefused(reason)
    assignment, created = ReviewAssignment.objects.get_or_create(
        application=application,
        track=track,
        reviewer=reviewer,
        defaults={"assigned_by": by, "due_on": due_on},
    )
    if not created:
        raise ReviewRefused(_("Cet expert est déjà affecté à ce dossier."))
    schedule_reviewer_assigned(reviewer, application, track)
    return assignment


# -- Batches: the least-loaded experts first --------------------------------------------


@dataclass
class BulkResult:
    application: Application | None
    label: str
    assigned: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""
    missing: int = 0


def fill_gaps(application_pk: int, track: str, user, experts: list, loads: Counter) -> BulkResult:
    """Assign the least-loaded qualified experts without an obvious conflict, until the
    application has the number of experts the call's grid expects. The application's row is
    locked meanwhile: two batches at once do not both fill the same gap."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call", "organisation")
            .get(pk=application_pk)
        )
        result = BulkResult(application, application.reference)
        if application.status in CLOSED_STATES:
            result.note = str(CLOSED_FILE)
            return result
        if not application.call.requires_track(track):
            result.note = _("L'appel ne prévoit pas cette expertise.")
            return result
        call_grid = grid_for(application, track)
        if call_grid is None:
            result.note = _("Aucune grille n'est associée à cette expertise pour l'appel.")
            return result
        existing = list(application.review_assignments.filter(track=track))
        taken = {a.reviewer_id for a in existing}
        active = sum(1 for a in existing if a.is_active)
        needed = call_grid.reviewers_per_application - active
        if needed <= 0:
            result.note = _("Déjà pourvu : aucun expert ajouté.")
            return result
        candidates = sorted(
            (e for e in experts if e.pk not in taken), key=lambda e: (loads[e.pk], e.pk)
        )
        for expert in candidates:
            if needed == 0:
                break
            reason = obvious_conflict(application, expert)
            if not reason:
                try:
                    assign(application, track, expert, user)
                except ReviewRefused as refusal:
                    reason = refusal.message
            if reason:
                result.skipped.append((expert_label(expert), reason))
                continue
            loads[expert.pk] += 1
            needed -= 1
            result.assigned.append(expert_label(expert))
        result.missing = needed
        return result


def declare(assignment: ReviewAssignment, reviewer, conflicted: bool, reason: str = "") -> None:
    """Before seeing more than the title and organisation, the reviewer declares."""
    if assignment.reviewer_id != reviewer.pk:
        raise ReviewRefused(_("Cette affectation ne vous concerne pas."))
    if assignment.conflict != ReviewAssignment.Conflict.PENDING:
        raise ReviewRefused(_("Votre déclaration est déjà enregistrée."))
    if conflicted and not reason.strip():
        raise ReviewRefused(_("Précisez la nature du conflit d'intérêts."))
    assignment.conflict = (
        ReviewAssignment.Conflict.CONFLICTED if conflicted else ReviewAssignment.Conflict.NONE
    )
    assignment.conflict_reason = reason.strip()
    assignment.conflict_declared_at = timezone.now()
    assignment.save(update_fields=["conflict", "conflict_reason", "conflict_declared_at"])


# Further conditions on rating, registered by the apps above (the hearing must have taken
# place with the team present: evaluation.hearings). Each returns why not, or "".
RatingCheck = Callable[[ReviewAssignment], str]
_rating_checks: list[RatingCheck] = []


def register_rating_check(check: RatingCheck) -> None:
    if check not in _rating_checks:  # ready() may run more than once
        _rating_checks.append(check)


def _check_can_rate(assignment: ReviewAssignment) -> None:
    if assignment.conflict != ReviewAssignment.Conflict.NONE:
        raise ReviewRefused(_("Déclarez d'abord l'absence de conflit d'intérêts."))
    # Read the state afresh: the application may have moved since this object was loaded.
    status = (
        type(assignment.application)
        .objects.values_list("status", flat=True)
        .get(pk=assignment.application_id)
    )
    if not rated_during(assignment.track, status):
        raise ReviewRefused(_("Le dossier n'est pas (ou plus) à l'étape de cette expertise."))
    for check in _rating_checks:
        reason = check(assignment)
        if reason:
            raise ReviewRefused(reason)


def rated_during(track: str, status: str) -> bool:
    """A specialist track is rated during its own stage; the general innovation and impact
    track has no stage of its own and is rated during any experts' stage (not the hearing)."""
    if track == ReviewTrack.INNOVATION:
        return status in TRACK_OF_STAGE and status != ApplicationStatus.HEARING
    return TRACK_OF_STAGE.get(status) == track


def open_review(assignment: ReviewAssignment) -> Review:
    """The reviewer's current draft, created from the call's grid the first time."""
    _check_can_rate(assignment)
    current = assignment.current_review()
    if current is not None:
        return current
    call_grid = grid_for(assignment.application, assignment.track)
    if call_grid is None:
        raise ReviewRefused(_("Aucune grille n'est associée à cette expertise pour l'appel."))
    review = Review.objects.create(assignment=assignment, grid=call_grid.grid)
    CriterionRating.objects.bulk_create(
        CriterionRating(review=review, criterion=c) for c in call_grid.grid.criteria.all()
    )
    return review


def _valid_value(criterion, value: str) -> bool:
    if value == NOT_APPLICABLE:
        return criterion.allows_not_applicable
    if criterion.scale == COMPLIANCE:
        return value in COMPLIANCE_VALUES
    return value in {str(n) for n in range(6)}


def save_ratings(review: Review, ratings: dict[int, dict], recommendation: str, summary: str):
    """Store what the reviewer typed; ``ratings`` maps criterion id to value/comment/evidence.
    Invalid values are refused with the criterion named; nothing is half-saved."""
    if review.status != Review.Status.DRAFT:
        raise ReviewRefused(_("Cet avis est rendu : modifiez-le par une nouvelle version."))
    _check_can_rate(review.assignment)
    rows = {r.criterion_id: r for r in review.ratings.select_related("criterion")}
    with transaction.atomic():
        for criterion_id, data in ratings.items():
            row = rows.get(criterion_id)
            if row is None:
                continue
            value = (data.get("value") or "").strip()
            if value and not _valid_value(row.criterion, value):
                raise ReviewRefused(
                    _("Appréciation invalide pour le critère %(code)s.")
                    % {"code": row.criterion.code}
                )
            row.value = value
            row.comment = data.get("comment", "")
            row.evidence_checked = bool(data.get("evidence_checked"))
            row.save(update_fields=["value", "comment", "evidence_checked"])
        review.recommendation = recommendation or ""
        review.summary = summary or ""
        review.save(update_fields=["recommendation", "summary"])
    return review


@transaction.atomic
def submit(review: Review) -> Review:
    # Locked and re-read: two tabs submitting the same review submit it once.
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status != Review.Status.DRAFT:
        raise ReviewRefused(_("Cet avis est déjà rendu."))
    _check_can_rate(review.assignment)
    missing = [r.criterion.code for r in review.ratings.select_related("criterion") if not r.value]
    if missing:
        raise ReviewRefused(
            _("Critères non appréciés : %(codes)s.")
            % {"codes": ", ".join(sorted(missing, key=natural_key))}
        )
    if not review.recommendation:
        raise ReviewRefused(_("Donnez votre avis général."))
    review.status = Review.Status.SUBMITTED
    review.submitted_at = timezone.now()
    review.save(update_fields=["status", "submitted_at"])
    return review


def amend(review: Review, reason: str) -> Review:
    """A submitted review is locked; an amendment is a new draft version with its reason."""
    if review.status != Review.Status.SUBMITTED:
        raise ReviewRefused(_("Seul un avis rendu peut être modifié par une nouvelle version."))
    if not reason.strip():
        raise ReviewRefused(_("Indiquez le motif de la modification."))
    _check_can_rate(review.assignment)
    with transaction.atomic():
        amended = Review.objects.create(
            assignment=review.assignment,
            grid=review.grid,
            version=review.version + 1,
            recommendation=review.recommendation,
            summary=review.summary,
            amendment_reason=reason.strip(),
        )
        CriterionRating.objects.bulk_create(
            CriterionRating(
                review=amended,
                criterion_id=r.criterion_id,
                value=r.value,
                comment=r.comment,
                evidence_checked=r.evidence_checked,
            )
            for r in review.ratings.all()
        )
    return amended
