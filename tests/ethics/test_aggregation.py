"""Aggregation checked against hand-computed cases."""

from decimal import Decimal

from ethics.aggregation import (
    COMPLIANCE,
    SCORE_0_5,
    Rating,
    ReviewerScore,
    overall_score,
    reviewer_score,
    track_result,
)


def r(weight, value, scale=SCORE_0_5, blocking=False):
    return Rating(Decimal(weight), scale, value, blocking)


def test_weighted_score_out_of_100():
    # (3×4/5 + 2×5/5 + 1×2/5) / (3+2+1) × 100 = (2.4 + 2 + 0.4) / 6 × 100 = 80
    assert reviewer_score([r(3, 4), r(2, 5), r(1, 2)]).score == Decimal("80.00")


def test_not_applicable_criteria_leave_the_denominator():
    # Only the first counts: 3×3/5 / 3 × 100 = 60 (the n/a weight 2 is not divided by).
    assert reviewer_score([r(3, 3), r(2, "na")]).score == Decimal("60.00")
    assert reviewer_score([r(2, "na")]).score is None


def test_compliance_scale_maps_to_one_half_zero():
    # (3×1 + 2×0.5 + 1×0) / 6 × 100 = 66.67
    ratings = [
        r(3, "compliant", COMPLIANCE),
        r(2, "partial", COMPLIANCE),
        r(1, "non_compliant", COMPLIANCE),
    ]
    assert reviewer_score(ratings).score == Decimal("66.67")


def test_blocking_failures_non_compliant_or_score_of_one_or_less():
    ratings = [
        r(3, "non_compliant", COMPLIANCE, blocking=True),
        r(2, 1, blocking=True),
        r(2, 2, blocking=True),
        r(1, 0),  # not blocking: a low score alone does not fail the track
        r(1, "na", COMPLIANCE, blocking=True),
    ]
    assert reviewer_score(ratings).blocking_failures == 2


def test_one_reviewer_is_the_track_result():
    result = track_result([ReviewerScore(Decimal("72.50"), 0)])
    assert (result.score, result.spread, result.disagreement) == (Decimal("72.50"), 0, False)


def test_disagreement_above_the_threshold_only():
    close = track_result([ReviewerScore(Decimal(60), 0), ReviewerScore(Decimal(85), 0)])
    assert close.score == Decimal("72.50") and close.spread == 25 and not close.disagreement
    far = track_result([ReviewerScore(Decimal(60), 0), ReviewerScore(Decimal("85.01"), 1)])
    assert far.disagreement and far.blocking_failures == 1
    strict = track_result(
        [ReviewerScore(Decimal(60), 0), ReviewerScore(Decimal(75), 0)], threshold=Decimal(10)
    )
    assert strict.disagreement


def test_overall_score_uses_track_weights_of_required_tracks():
    # (1×80 + 1×60 + 2×70) / 4 = 70
    scores = {"ethics": Decimal(80), "security": Decimal(60), "interoperability": Decimal(70)}
    weights = {"ethics": 1, "security": 1, "interoperability": 2}
    assert overall_score(scores, weights) == Decimal("70.00")
    assert overall_score({**scores, "security": None}, weights) is None
