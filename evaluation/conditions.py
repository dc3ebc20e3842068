"""Conditions of the transitions: each takes the application and says whether it may move."""

from __future__ import annotations

from core.vocabulary import PIPELINE, TRACK_OF_STAGE, ReviewTrack
from core.vocabulary import ApplicationStatus as S
from ethics.outcomes import track_outcome


def answers_frozen(application) -> bool:
    return bool(application.snapshot and application.fingerprint)


def automatic_checks_recorded(application) -> bool:
    return bool(application.eligibility_checks)


def is_pre_proposal(application) -> bool:
    """A two-stage call's first-stage application: shortlisted or not, never reviewed."""
    return application.stage == 1 and application.call.is_two_stage


def pre_proposal_shortlisted(application) -> bool:
    """A full application is submitted only by a team whose pre-proposal was shortlisted."""
    if application.stage == 1:
        return True
    pre_proposal = application.pre_proposal
    return pre_proposal is not None and pre_proposal.status == S.SHORTLISTED


def current_stage_can_be_left(application) -> bool:
    """Eligibility: the automatic checks exist (the officer's motivation is required by the
    transition itself). A review stage: the track is complete with no failed blocking
    criterion, or staff overrode it with a written justification."""
    if application.status == S.ELIGIBILITY:
        # A pre-proposal leaves eligibility only by the shortlisting, never to the reviews.
        return automatic_checks_recorded(application) and not is_pre_proposal(application)
    track = TRACK_OF_STAGE.get(application.status)
    if track is None:
        return False
    if application.stage_overrides.filter(stage=application.status).exists():
        return True
    outcome = track_outcome(application, track)
    return outcome.complete and not outcome.blocking_failures


def _requires(track: str):
    def condition(application) -> bool:
        return application.call.requires_track(track)

    condition.__name__ = f"call_requires_{track}"
    return condition


call_requires_ethics = _requires(ReviewTrack.ETHICS)
call_requires_security = _requires(ReviewTrack.SECURITY)
call_requires_interoperability = _requires(ReviewTrack.INTEROPERABILITY)
call_requires_hearing = _requires(ReviewTrack.HEARING)


def skipped_stages_not_required(target: str):
    """Jumping from the current stage to ``target`` skips the stages between: allowed only
    when the call requires none of them."""

    def condition(application) -> bool:
        if application.status not in PIPELINE:
            return False
        start = PIPELINE.index(application.status) + 1
        between = PIPELINE[start : PIPELINE.index(target)]
        return not any(application.call.requires_track(TRACK_OF_STAGE[s]) for s in between)

    condition.__name__ = f"skipped_stages_before_{target}_not_required"
    return condition


def latest_committee_decision(application):
    return application.committee_decisions.order_by("-decided_at", "-pk").first()


def committee_selected_it(application) -> bool:
    decision = latest_committee_decision(application)
    return decision is not None and decision.outcome == "selected"


def committee_rejected_it(application) -> bool:
    decision = latest_committee_decision(application)
    return decision is not None and decision.outcome == "rejected"
