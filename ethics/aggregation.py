"""Aggregation of review scores: pure functions on plain data (no database).

Rules:
- a reviewer's track score = Σ(weight × value) / Σ(weight of the criteria not n/a) × 100, where
  value = score / scale maximum on the 0–5 scale, and compliant / partial / non-compliant
  = 1 / 0.5 / 0 on the compliance scale;
- the track result is the mean over reviewers, with a disagreement flag when two reviewers
  differ by more than the call's threshold (25 points by default);
- a blocking criterion fails when rated non-compliant or scored ≤ 1: it fails the track
  until staff override;
- the overall score is the weighted mean of the track scores over the tracks the call requires.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SCORE_0_5 = "score_0_5"
COMPLIANCE = "compliance"
NOT_APPLICABLE = "na"
COMPLIANCE_VALUES = {
    "compliant": Decimal(1),
    "partial": Decimal("0.5"),
    "non_compliant": Decimal(0),
}
SCALE_MAXIMUM = Decimal(5)
BLOCKING_SCORE_LIMIT = 1
DEFAULT_DISAGREEMENT_THRESHOLD = Decimal(25)


@dataclass(frozen=True)
class Rating:
    """One criterion as a reviewer rated it. ``value``: an int 0–5, a compliance word, or
    "na"; None when not rated yet."""

    weight: Decimal
    scale: str
    value: int | str | None
    blocking: bool = False


@dataclass(frozen=True)
class ReviewerScore:
    score: Decimal | None  # 0–100, None if every criterion is n/a or unrated
    blocking_failures: int


@dataclass(frozen=True)
class TrackResult:
    score: Decimal | None
    spread: Decimal | None
    disagreement: bool
    blocking_failures: int
    reviewers: int


def _fraction(rating: Rating) -> Decimal | None:
    if rating.value is None or rating.value == NOT_APPLICABLE:
        return None
    if rating.scale == COMPLIANCE:
        return COMPLIANCE_VALUES[str(rating.value)]
    return Decimal(int(rating.value)) / SCALE_MAXIMUM


def is_blocking_failure(rating: Rating) -> bool:
    if not rating.blocking or rating.value in (None, NOT_APPLICABLE):
        return False
    if rating.scale == COMPLIANCE:
        return rating.value == "non_compliant"
    return int(rating.value) <= BLOCKING_SCORE_LIMIT


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def reviewer_score(ratings: list[Rating]) -> ReviewerScore:
    """One reviewer's grid: the weighted score out of 100, n/a excluded from the denominator."""
    weighted = Decimal(0)
    weights = Decimal(0)
    for rating in ratings:
        fraction = _fraction(rating)
        if fraction is None:
            continue
        weighted += Decimal(rating.weight) * fraction
        weights += Decimal(rating.weight)
    score = _round(weighted / weights * 100) if weights else None
    failures = sum(1 for rating in ratings if is_blocking_failure(rating))
    return ReviewerScore(score, failures)


def track_result(
    reviewers: list[ReviewerScore], threshold: Decimal = DEFAULT_DISAGREEMENT_THRESHOLD
) -> TrackResult:
    """Several reviewers of one track: mean, spread (max − min) and the disagreement flag."""
    scores = [r.score for r in reviewers if r.score is not None]
    failures = sum(r.blocking_failures for r in reviewers)
    if not scores:
        return TrackResult(None, None, False, failures, len(reviewers))
    mean = _round(sum(scores, Decimal(0)) / len(scores))
    spread = max(scores) - min(scores)
    return TrackResult(mean, spread, spread > threshold, failures, len(reviewers))


def overall_score(
    track_scores: dict[str, Decimal | None], weights: dict[str, int]
) -> Decimal | None:
    """Weighted mean over the required tracks; None until every required track has a score."""
    if not weights or any(track_scores.get(track) is None for track in weights):
        return None
    total = sum((Decimal(weights[t]) * track_scores[t] for t in weights), Decimal(0))
    return _round(total / sum(Decimal(w) for w in weights.values()))
