"""What the workflow asks the review grids: is this track complete and passed?

A track is complete when at least one reviewer without a conflict of interest is assigned and
every such reviewer has submitted their latest review. Its score is the mean of the reviewers'
weighted scores (aggregation.py), with the call's per-criterion weights.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from .aggregation import (
    DEFAULT_DISAGREEMENT_THRESHOLD,
    Rating,
    ReviewerScore,
    reviewer_score,
    track_result,
)
from .models import CallGrid, CriterionRating, Review, ReviewAssignment
from .services import grid_for


@dataclass(frozen=True)
class TrackOutcome:
    complete: bool
    blocking_failures: int = 0
    submitted_reviews: int = 0
    assigned_reviews: int = 0
    score: Decimal | None = None
    spread: Decimal | None = None
    disagreement: bool = False


def as_rating(rating: CriterionRating, call_grid: CallGrid | None) -> Rating:
    """A stored rating as aggregation.py takes it, with the call's weight for its criterion;
    an unrated criterion is None."""
    criterion = rating.criterion
    return Rating(
        weight=Decimal(call_grid.weight_of(criterion) if call_grid else criterion.weight),
        scale=criterion.scale,
        value=(int(rating.value) if rating.value.isdigit() else rating.value) or None,
        blocking=criterion.blocking,
    )


def score_of(ratings: Iterable[CriterionRating], call_grid: CallGrid | None) -> ReviewerScore:
    """The weighted score of one review's ratings as they stand (a draft's too): unrated
    criteria count as not rated, like n/a."""
    return reviewer_score([as_rating(r, call_grid) for r in ratings])


def _active_assignments(application, track: str) -> list[ReviewAssignment]:
    """The track's assignments without a conflict, with their reviewer and every version of
    their review (latest first, ratings and criteria loaded): a fixed number of queries."""
    ratings = CriterionRating.objects.select_related("criterion").order_by(
        "criterion__order", "criterion__code"
    )
    reviews = Review.objects.select_related("grid").prefetch_related(
        Prefetch("ratings", queryset=ratings)
    )
    return list(
        application.review_assignments.filter(track=track)
        .exclude(conflict=ReviewAssignment.Conflict.CONFLICTED)
        .select_related("reviewer")
        .prefetch_related(Prefetch("reviews", queryset=reviews))
    )


def _scored(
    assignments: list[ReviewAssignment], call_grid: CallGrid | None
) -> list[tuple[Review, ReviewerScore]]:
    results = []
    for assignment in assignments:
        review = assignment.current_review()
        if review is not None and review.status == Review.Status.SUBMITTED:
            results.append((review, score_of(review.ratings.all(), call_grid)))
    return results


def reviewer_scores(application, track: str) -> list[tuple[Review, ReviewerScore]]:
    """(review, its score) for every submitted latest review of the track; each review's
    ``assignment.reviewer`` and ``ratings`` (by criterion order) are loaded."""
    return _scored(_active_assignments(application, track), grid_for(application, track))


def track_outcome(application, track: str) -> TrackOutcome:
    call_grid = grid_for(application, track)
    active = _active_assignments(application, track)
    scored = _scored(active, call_grid)
    threshold = (
        Decimal(call_grid.disagreement_threshold) if call_grid else DEFAULT_DISAGREEMENT_THRESHOLD
    )
    result = track_result([score for _, score in scored], threshold)
    return TrackOutcome(
        complete=bool(active) and len(scored) == len(active),
        blocking_failures=result.blocking_failures,
        submitted_reviews=len(scored),
        assigned_reviews=len(active),
        score=result.score,
        spread=result.spread,
        disagreement=result.disagreement,
    )
