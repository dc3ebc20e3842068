"""The review process at the service level: who may be assigned, conflicts, locked reviews,
no scoring outside the stage, and the workflow reading the track's outcome."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from core.roles import PROGRAMME_WIDE_GROUP, REVIEWERS_GROUP
from core.vocabulary import ApplicationStatus as S
from ethics.models import CallGrid, Criterion, ReviewerProfile, ReviewGrid
from ethics.outcomes import track_outcome
from ethics.services import (
    ReviewRefused,
    amend,
    assign,
    declare,
    open_review,
    rated_during,
    save_ratings,
    submit,
)
from evaluation.services import available_transitions, fire, submit_application
from evaluation.workflow import TransitionRefused

from ..factories import make_call
from ..grants_factories import UserFactory, complete_application


@pytest.fixture
def staff(db):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    return user


def expert(track="ethics", email=None):
    user = UserFactory(**({"email": email} if email else {}))
    user.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    ReviewerProfile.objects.create(user=user, tracks=[track])
    return user


@pytest.fixture
def in_ethics_review(calls_index, staff):
    now = timezone.now()
    call = make_call(
        calls_index,
        opens_at=now - timedelta(days=5),
        cutoffs=[now + timedelta(days=5)],
        tracks=("ethics", "security"),
    )
    grid = ReviewGrid.objects.create(name="Éthique test", track="ethics")
    Criterion.objects.create(grid=grid, code="E1", label="Bénéfice", weight=3, order=1)
    Criterion.objects.create(
        grid=grid, code="E3", label="Données", weight=3, scale="compliance", blocking=True, order=2
    )
    Criterion.objects.create(
        grid=grid, code="E5", label="IA", weight=2, allows_not_applicable=True, order=3
    )
    CallGrid.objects.create(call=call, grid=grid, disagreement_threshold=25)
    application = complete_application(call)
    application = submit_application(application, application.created_by)
    application = fire(application, "start_eligibility_check", staff)
    return fire(application, "start_ethics_review", staff, comment="Éligible")


def rate(review, e1, e3, e5, recommendation="favourable"):
    ids = {r.criterion.code: r.criterion_id for r in review.ratings.select_related("criterion")}
    save_ratings(
        review,
        {ids["E1"]: {"value": e1}, ids["E3"]: {"value": e3}, ids["E5"]: {"value": e5}},
        recommendation,
        "Synthèse",
    )
    return submit(review)


@pytest.mark.django_db
def test_obvious_conflicts_and_unqualified_experts_are_refused(in_ethics_review, staff):
    member = in_ethics_review.organisation.memberships.first().user
    member.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    ReviewerProfile.objects.create(user=member, tracks=["ethics"])
    with pytest.raises(ReviewRefused, match="membre de l'organisation"):
        assign(in_ethics_review, "ethics", member, staff)
    colleague_domain = member.email.rsplit("@", 1)[1]
    with pytest.raises(ReviewRefused, match="domaine de messagerie"):
        assign(in_ethics_review, "ethics", expert(email=f"x@{colleague_domain}"), staff)
    with pytest.raises(ReviewRefused, match="n'est pas experte"):
        assign(in_ethics_review, "ethics", expert(track="security"), staff)


@pytest.mark.django_db
def test_conflicted_reviewer_cannot_rate_and_is_replaced(in_ethics_review, staff):
    first, second = expert(), expert()
    conflicted = assign(in_ethics_review, "ethics", first, staff)
    with pytest.raises(ReviewRefused, match="conflit"):
        open_review(conflicted)
    declare(conflicted, first, conflicted=True, reason="J'ai conseillé la société en 2025.")
    with pytest.raises(ReviewRefused):
        open_review(conflicted)
    replacement = assign(in_ethics_review, "ethics", second, staff)
    declare(replacement, second, conflicted=False)
    rate(open_review(replacement), "4", "compliant", "na")
    outcome = track_outcome(in_ethics_review, "ethics")
    # The conflicted reviewer does not count: one assigned, one submitted, complete.
    assert (outcome.assigned_reviews, outcome.submitted_reviews, outcome.complete) == (1, 1, True)
    # (3×4/5 + 3×1) / 6 × 100 = 90, E5 n/a out of the denominator
    assert outcome.score == 90


@pytest.mark.django_db
def test_stage_is_left_when_reviews_are_in_and_not_with_a_blocking_failure(in_ethics_review, staff):
    a, b = expert(), expert()
    for reviewer in (a, b):
        declare(assign(in_ethics_review, "ethics", reviewer, staff), reviewer, conflicted=False)
    assignments = list(in_ethics_review.review_assignments.order_by("pk"))
    rate(open_review(assignments[0]), "5", "compliant", "5")
    assert "start_security_review" not in {
        t.name for t in available_transitions(in_ethics_review, staff)
    }
    review_b = rate(open_review(assignments[1]), "1", "non_compliant", "1", "unfavourable")
    outcome = track_outcome(in_ethics_review, "ethics")
    assert outcome.complete and outcome.blocking_failures == 1 and outcome.disagreement
    with pytest.raises(TransitionRefused):
        fire(in_ethics_review, "start_security_review", staff, comment="Suite")

    # The reviewer amends (new version, the first stays), the blocking failure is gone.
    with pytest.raises(ReviewRefused):
        save_ratings(review_b, {}, "favourable", "")
    amended = amend(review_b, "Pièce reçue après coup : hébergeur certifié")
    assert amended.version == 2 and review_b.status == "submitted"
    rate(amended, "3", "partial", "na", "reservations")
    assert track_outcome(in_ethics_review, "ethics").blocking_failures == 0
    moved = fire(
        in_ethics_review, "start_security_review", staff, comment="Expertise éthique faite"
    )
    assert moved.status == S.SECURITY_REVIEW
    # Nobody scores once the stage has left.
    with pytest.raises(ReviewRefused, match="plus"):
        open_review(assignments[0])


@pytest.mark.django_db
def test_invalid_values_are_refused_and_nothing_is_half_saved(in_ethics_review, staff):
    reviewer = expert()
    assignment = assign(in_ethics_review, "ethics", reviewer, staff)
    declare(assignment, reviewer, conflicted=False)
    review = open_review(assignment)
    ids = {r.criterion.code: r.criterion_id for r in review.ratings.select_related("criterion")}
    with pytest.raises(ReviewRefused, match="E3"):
        save_ratings(review, {ids["E1"]: {"value": "4"}, ids["E3"]: {"value": "na"}}, "", "")
    assert not review.ratings.get(criterion_id=ids["E1"]).value
    with pytest.raises(ReviewRefused, match="non appréciés"):
        submit(review)


def test_the_innovation_track_is_rated_during_any_review_stage():
    """It has no stage of its own: without this, no innovation review could ever be written
    and no call weighting it would get an overall score."""
    assert rated_during("innovation", S.ETHICS_REVIEW)
    assert rated_during("innovation", S.INTEROPERABILITY_REVIEW)
    assert not rated_during("innovation", S.COMMITTEE)
    assert rated_during("security", S.SECURITY_REVIEW)
    assert not rated_during("security", S.ETHICS_REVIEW)
