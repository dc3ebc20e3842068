"""The committee's ranking: applications ordered by their overall review score.

Scores come from the review grids: each track's outcome (``ethics.outcomes.track_outcome``)
carries ``score`` (0–100, the mean over its reviewers), ``None`` until its
reviews are in. The overall score:

    overall score = Σ(track weight × track score) / Σ(track weights)

over the tracks the call requires. An application gets an overall score only when every
required track has one — a partial score would rank a half-reviewed project against fully
reviewed ones. Ranked: score descending, unscored last, then by submission time (earliest
first), then by id, so that equal scores keep a stable, explainable order.

When the call hears its applicants, the hearing is one of these tracks (« Audition », scored
by the jury on the hearing grid, weighted like the others); each row also carries the
hearing's invitation (its slot and the team's attendance), read for all rows in one query.

The committee may depart from the ranking, as the programme's juries do: it is an aid, always
shown with the motivation of each decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from core.vocabulary import ReviewTrack
from ethics import aggregation
from ethics.outcomes import track_outcome

from .models import HearingInvitation

if TYPE_CHECKING:
    from collections.abc import Iterable

    from grants.models import Application


@dataclass(frozen=True)
class TrackResult:
    """One required track of one application, as the committee page shows it."""

    track: str
    weight: int
    outcome: Any  # ethics.outcomes.TrackOutcome (or what the grids will return)

    @property
    def label(self) -> str:
        return str(ReviewTrack(self.track).label)

    @property
    def score(self) -> Decimal | None:
        return track_score(self.outcome)


@dataclass(frozen=True)
class RankedApplication:
    application: Application
    score: Decimal | None
    track_results: dict[str, TrackResult] = field(default_factory=dict)
    # The hearing's invitation (slot, attendance) when the application was invited to one.
    hearing_invitation: HearingInvitation | None = None

    @property
    def tracks(self) -> list[TrackResult]:
        return list(self.track_results.values())

    @property
    def review_tracks(self) -> list[TrackResult]:
        """The experts' tracks, without the hearing (shown in its own column)."""
        return [r for r in self.track_results.values() if r.track != ReviewTrack.HEARING]

    @property
    def hearing(self) -> TrackResult | None:
        return self.track_results.get(ReviewTrack.HEARING)


def track_score(outcome) -> Decimal | None:
    """The track's score out of 100 once the grids provide it; ``None`` until then."""
    score = getattr(outcome, "score", None)
    if score is None:
        return None
    return Decimal(str(score))


def overall_score(results: Iterable[TrackResult]) -> Decimal | None:
    """The grids' own rule (ethics.aggregation), so that the ranking and the report agree."""
    results = list(results)
    return aggregation.overall_score(
        {r.track: r.score for r in results}, {r.track: r.weight for r in results}
    )


def _required_tracks(call) -> list[tuple[str, int]]:
    """(track, weight) of the tracks the call requires, in the order the workflow runs them."""
    order = list(ReviewTrack.values)
    tracks = sorted(call.review_tracks.all(), key=lambda t: order.index(t.track))
    return [(t.track, t.weight) for t in tracks]


def rank(applications: Iterable[Application]) -> list[RankedApplication]:
    """The applications ranked for the committee (see the module's docstring)."""
    applications = list(applications)
    tracks_by_call: dict[int, list[tuple[str, int]]] = {}
    invitations = {
        i.application_id: i
        for i in HearingInvitation.objects.filter(application__in=applications).select_related(
            "slot"
        )
    }
    ranked = []
    for application in applications:
        if application.call_id not in tracks_by_call:
            tracks_by_call[application.call_id] = _required_tracks(application.call)
        results = {
            track: TrackResult(track, weight, track_outcome(application, track))
            for track, weight in tracks_by_call[application.call_id]
        }
        ranked.append(
            RankedApplication(
                application,
                overall_score(results.values()),
                results,
                invitations.get(application.pk),
            )
        )

    def key(row: RankedApplication):
        submitted = row.application.submitted_at
        return (
            row.score is None,
            -(row.score or 0),
            submitted.timestamp() if submitted else float("inf"),
            row.application.pk,
        )

    return sorted(ranked, key=key)
