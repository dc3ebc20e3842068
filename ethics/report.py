"""The evaluation report (rapport d'expertise) of one application, as HTML and as a PDF.

Per track the call requires: the grid used, every submitted review (each criterion's rating
and comment, the recommendation, the summary, the reviewer's score), then the track's
aggregate (score out of 100, spread, disagreement flag, blocking failures); at the end the
overall score, weighted by the call's track weights (``CallReviewTrack.weight``).

Two versions:

- the full report, for programme staff: reviewers' names, the experts still awaited, the
  conflicts of interest declared, the reasons given for amended reviews and the stage
  overrides with their justification;
- the anonymised report, the applicant's feedback: the same ratings, comments, summaries and
  scores, with reviewers numbered (« Expert 1 ») and none of the internal notes above.

Always in French, the legal language of the procedure. ``review_summary`` is the lighter
summary the staff application page shows (``ethics_tags.review_summary``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core.pdf import render_pdf
from core.vocabulary import REVIEW_STAGES, ReviewTrack

from .aggregation import is_blocking_failure, overall_score
from .models import CallGrid, Review, ReviewAssignment
from .outcomes import TrackOutcome, as_rating, reviewer_scores, track_outcome
from .presentation import value_label
from .services import grid_for

if TYPE_CHECKING:
    from grants.models import Application

PARIS = ZoneInfo("Europe/Paris")
STAGE_OF_TRACK = {str(track): str(stage) for stage, track in REVIEW_STAGES}


def person_label(user) -> str:
    return user.get_full_name() or user.email or user.get_username()


def track_label(track: str) -> str:
    try:
        return str(ReviewTrack(track).label)
    except ValueError:
        return track


# -- The summary the staff application page shows ------------------------------------------


@dataclass(frozen=True)
class TrackSummary:
    track: str
    label: str
    weight: int
    outcome: TrackOutcome
    call_grid: CallGrid | None
    # Staff let the application leave this track's stage with a written justification.
    overridden: bool = False

    @property
    def expected(self) -> int:
        return self.call_grid.reviewers_per_application if self.call_grid else 0

    @property
    def missing(self) -> int:
        """Experts still to assign: expected minus those assigned without a conflict."""
        return max(self.expected - self.outcome.assigned_reviews, 0)


@dataclass(frozen=True)
class ReviewSummary:
    tracks: list[TrackSummary]
    overall_score: Decimal | None

    @property
    def weights(self) -> dict[str, int]:
        return {t.track: t.weight for t in self.tracks}


def review_summary(application: Application) -> ReviewSummary:
    """Each required track's outcome and grid, and the overall score (None until every
    required track has a score)."""
    overridden_stages = set(application.stage_overrides.values_list("stage", flat=True))
    tracks = [
        TrackSummary(
            track=required.track,
            label=track_label(required.track),
            weight=required.weight,
            outcome=track_outcome(application, required.track),
            call_grid=grid_for(application, required.track),
            overridden=STAGE_OF_TRACK.get(required.track) in overridden_stages,
        )
        for required in application.call.review_tracks.all()
    ]
    overall = overall_score(
        {t.track: t.outcome.score for t in tracks}, {t.track: t.weight for t in tracks}
    )
    return ReviewSummary(tracks, overall)


# -- The report ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingRow:
    code: str
    label: str
    weight: int
    value: str
    comment: str
    blocking: bool
    failed: bool


@dataclass
class ReviewerSection:
    label: str
    review: Review
    score: Decimal | None
    blocking_failures: int
    ratings: list[RatingRow]
    email: str = ""  # full report only
    amendment_reason: str = ""  # full report only

    @property
    def grid(self):
        return self.review.grid


@dataclass
class TrackSection:
    summary: TrackSummary
    reviewers: list[ReviewerSection]
    # Full report only: internal notes.
    awaited: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    overrides: list[dict] = field(default_factory=list)

    @property
    def outcome(self) -> TrackOutcome:
        return self.summary.outcome


def _rating_rows(review: Review, call_grid: CallGrid | None) -> list[RatingRow]:
    """The review's ratings in the grid's order (prefetched by ``reviewer_scores``)."""
    rows = []
    for rating in review.ratings.all():
        criterion = rating.criterion
        scored = as_rating(rating, call_grid)
        rows.append(
            RatingRow(
                code=criterion.code,
                label=criterion.label,
                weight=int(scored.weight),
                value=value_label(criterion, rating.value),
                comment=rating.comment,
                blocking=criterion.blocking,
                failed=is_blocking_failure(scored),
            )
        )
    return rows


def _track_section(
    application, summary: TrackSummary, anonymised: bool, numbers: dict[int, int]
) -> TrackSection:
    reviewers = []
    scored = sorted(reviewer_scores(application, summary.track), key=lambda r: r[0].assignment_id)
    for review, score in scored:
        assignment = review.assignment
        number = numbers.setdefault(assignment.reviewer_id, len(numbers) + 1)
        section = ReviewerSection(
            label=_("Expert %(number)s") % {"number": number}
            if anonymised
            else person_label(assignment.reviewer),
            review=review,
            score=score.score,
            blocking_failures=score.blocking_failures,
            ratings=_rating_rows(review, summary.call_grid),
        )
        if not anonymised:
            section.email = assignment.reviewer.email
            section.amendment_reason = review.amendment_reason
        reviewers.append(section)
    section = TrackSection(summary=summary, reviewers=reviewers)
    if anonymised:
        return section

    submitted_ids = {r.review.assignment_id for r in reviewers}
    assignments = application.review_assignments.filter(track=summary.track).select_related(
        "reviewer"
    )
    for assignment in assignments.order_by("assigned_at", "pk"):
        if assignment.conflict == ReviewAssignment.Conflict.CONFLICTED:
            section.conflicts.append(
                {
                    "reviewer": person_label(assignment.reviewer),
                    "reason": assignment.conflict_reason,
                    "at": assignment.conflict_declared_at,
                }
            )
        elif assignment.pk not in submitted_ids:
            section.awaited.append(
                {"reviewer": person_label(assignment.reviewer), "due_on": assignment.due_on}
            )
    stage = STAGE_OF_TRACK.get(summary.track)
    if stage is not None:
        section.overrides = [
            {"by": person_label(o.by), "at": o.at, "justification": o.justification}
            for o in application.stage_overrides.filter(stage=stage)
            .select_related("by")
            .order_by("at", "pk")
        ]
    return section


def report_context(application: Application, anonymised: bool) -> dict:
    summary = review_summary(application)
    # Reviewers are numbered across the whole report: « Expert 2 » is one person throughout.
    numbers: dict[int, int] = {}
    tracks = [_track_section(application, t, anonymised, numbers) for t in summary.tracks]
    now = timezone.localtime(timezone.now(), PARIS)
    return {
        "application": application,
        "reference": application.reference,
        "project_title": application.project_title or application.reference,
        "organisation": application.organisation.legal_name,
        "call_title": application.call.title,
        "anonymised": anonymised,
        "tracks": tracks,
        "overall_score": summary.overall_score,
        "generated_at": _("%(date)s à %(time)s (heure de Paris)")
        % {
            "date": formats.date_format(now, "j F Y"),
            "time": formats.time_format(now, "H:i"),
        },
    }


def report_html(application: Application, anonymised: bool) -> str:
    """The report's HTML, always in French; what ``render_report`` prints."""
    with translation.override("fr"):
        return render_to_string("ethics/report.html", report_context(application, anonymised))


def render_report(application: Application, anonymised: bool) -> bytes:
    """The report as PDF bytes."""
    return render_pdf(report_html(application, anonymised))
