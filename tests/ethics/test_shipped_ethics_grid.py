"""The issue's scenario on the shipped ethics grid: two experts score, a third declares a
conflict and is replaced, the aggregate and disagreement appear, the stage is left only when
the track is complete, and the evaluation report renders."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from core.formatting import score_label
from core.roles import PROGRAMME_WIDE_GROUP, REVIEWERS_GROUP
from core.vocabulary import ApplicationStatus as S
from ethics.models import CallGrid, ReviewerProfile
from ethics.outcomes import track_outcome
from ethics.reference_grids import load_reference_grids
from ethics.report import render_report, report_html
from ethics.services import assign, declare, open_review, save_ratings, submit
from evaluation.services import available_transitions, fire, submit_application

from ..factories import make_call
from ..grants_factories import UserFactory, complete_application


def expert():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    ReviewerProfile.objects.create(user=user, tracks=["ethics"])
    return user


def score_everything(review, score: str, compliance: str, recommendation: str):
    ratings = {}
    for rating in review.ratings.select_related("criterion"):
        value = compliance if rating.criterion.scale == "compliance" else score
        ratings[rating.criterion_id] = {"value": value, "comment": "Vu.", "evidence_checked": True}
    save_ratings(review, ratings, recommendation, "Synthèse de l'expert.")
    return submit(review)


@pytest.mark.django_db
def test_two_experts_score_the_shipped_ethics_grid(calls_index):
    grids = {grid.track: grid for grid in load_reference_grids()}
    assert grids["ethics"].criteria.count() >= 10
    now = timezone.now()
    call = make_call(
        calls_index,
        opens_at=now - timedelta(days=2),
        cutoffs=[now + timedelta(days=20)],
        tracks=("ethics",),
    )
    CallGrid.objects.create(call=call, grid=grids["ethics"], disagreement_threshold=25)
    staff = UserFactory()
    staff.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    draft = complete_application(call)
    application = submit_application(draft, draft.created_by)
    application = fire(application, "start_eligibility_check", staff)
    application = fire(application, "start_ethics_review", staff, comment="Éligible")

    first, conflicted, replacement = expert(), expert(), expert()
    a1 = assign(application, "ethics", first, staff)
    a2 = assign(application, "ethics", conflicted, staff)
    declare(a1, first, conflicted=False)
    declare(a2, conflicted, conflicted=True, reason="Ancien associé du fondateur.")
    a3 = assign(application, "ethics", replacement, staff)
    declare(a3, replacement, conflicted=False)

    score_everything(open_review(a1), "5", "compliant", "favourable")
    assert not track_outcome(application, "ethics").complete
    assert "send_to_committee" not in {t.name for t in available_transitions(application, staff)}
    score_everything(open_review(a3), "2", "partial", "reservations")

    outcome = track_outcome(application, "ethics")
    assert outcome.complete and outcome.assigned_reviews == 2 and outcome.submitted_reviews == 2
    assert outcome.score is not None and outcome.disagreement and outcome.blocking_failures == 0
    moved = fire(application, "send_to_committee", staff, comment="Expertise éthique terminée")
    assert moved.status == S.COMMITTEE

    html = report_html(moved, anonymised=True)
    assert score_label(outcome.score) in html
    assert first.email not in html and replacement.email not in html
    assert render_report(moved, anonymised=False).startswith(b"%PDF-")
