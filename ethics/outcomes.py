"""What the workflow asks the review grids: is this track complete and passed?

A track is complete when at least one reviewer without a conflict of interest is assigned and
every such reviewer has submitted their latest review. Its score is the mean of the reviewers'
weighted scores (aggregation.py), with the call's per-criterion weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .aggregation import Rating, ReviewerScore, reviewer_score, track_result


@dataclass(frozen=True)
class TrackOutcome:
    complete: bool
    blocking_failures: int = 0
    submitted_reviews: int = 0
    assigned_reviews: int = 0
    score: Decimal | None = None
    spread: Decimal | None = None
    disagreement: bool = False


def reviewer_scores(application, track: str) -> list[tuple[object, ReviewerScore]]:
    """(review, its score) for every submitted latest review of the track."""
    from .services import grid_for

    call_grid = grid_for(application, track)
    results = []
    for assignment in application.review_assignments.filter(track=track).exclude(
        conflict="conflicted"
    ):
        review = assignment.current_review()
        if review is None or review.status != "submitted":
            continue
        ratings = [
            Rating(
                weight=Decimal(
                    call_grid.weight_of(r.criterion) if call_grid else r.criterion.weight
                ),
                scale=r.criterion.scale,
                value=int(r.value) if r.value.isdigit() else r.value,
                blocking=r.criterion.blocking,
            )
            for r in review.ratings.select_related("criterion")
        ]
        results.append((review, reviewer_score(ratings)))
    return results


def track_outcome(application, track: str) -> TrackOutcome:
    from .services import grid_for

    active = application.review_assignments.filter(track=track).exclude(conflict="conflicted")
    assigned = active.count()
    scored = reviewer_scores(application, track)
    call_grid = grid_for(application, track)
    threshold = Decimal(call_grid.disagreement_threshold if call_grid else 25)
    result = track_result([score for _, score in scored], threshold)
    return TrackOutcome(
        complete=assigned > 0 and len(scored) == assigned,
        blocking_failures=result.blocking_failures,
        submitted_reviews=len(scored),
        assigned_reviews=assigned,
        score=result.score,
        spread=result.spread,
        disagreement=result.disagreement,
    )
