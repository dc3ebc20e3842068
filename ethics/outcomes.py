"""What the workflow asks the review grids: is this track complete and passed?

Reviews and their grids arrive with the review-tracks work; until an application has
submitted reviews, its track is not complete and only a justified staff override lets the
stage be left.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TrackOutcome:
    complete: bool
    blocking_failures: int = 0
    submitted_reviews: int = 0
    assigned_reviews: int = 0


def track_outcome(application, track: str) -> TrackOutcome:
    return TrackOutcome(complete=False)
