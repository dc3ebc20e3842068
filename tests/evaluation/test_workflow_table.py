"""Every (state × transition × role): the allowed ones move the application and are logged;
the forbidden ones raise and change nothing. With the three review tracks and the hearing
required, each review stage overridden by staff, and a committee decision to select."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from core.roles import COMMITTEE_GROUP, PROGRAMME_WIDE_GROUP, REVIEWERS_GROUP
from core.vocabulary import ApplicationStatus as S
from evaluation.models import CommitteeDecision, CommitteeSession, StageOverride, TransitionLog
from evaluation.services import fire
from evaluation.workflow import TransitionRefused
from grants.models import Application

from ..factories import make_call
from ..grants_factories import OrganisationFactory, UserFactory, add_member, complete_application

TRANSITIONS = [
    "submit",
    "start_eligibility_check",
    "declare_ineligible",
    "start_ethics_review",
    "start_security_review",
    "start_interoperability_review",
    "start_hearing",
    "send_to_committee",
    "request_information",
    "answer_information",
    "select",
    "reject",
    "mark_funded",
    "withdraw",
]
ROLES = ["applicant", "staff", "committee", "reviewer", "outsider", "admin"]

STAFF = {"staff", "admin"}
COMMITTEE = {"committee", "admin"}
APPLICANT = {"applicant"}

# (state, transition) -> (roles allowed, target state)
# Submitting goes through grants.services.submission, which freezes the answers first:
# fired directly on a draft, "submit" is refused (tested in tests/grants/test_submission.py).
ALLOWED = {
    (S.SUBMITTED, "start_eligibility_check"): (STAFF, S.ELIGIBILITY),
    (S.ELIGIBILITY, "declare_ineligible"): (STAFF, S.INELIGIBLE),
    (S.ELIGIBILITY, "start_ethics_review"): (STAFF, S.ETHICS_REVIEW),
    (S.ETHICS_REVIEW, "start_security_review"): (STAFF, S.SECURITY_REVIEW),
    (S.SECURITY_REVIEW, "start_interoperability_review"): (STAFF, S.INTEROPERABILITY_REVIEW),
    # The call hears its applicants: the hearing cannot be skipped on the way to the committee.
    (S.INTEROPERABILITY_REVIEW, "start_hearing"): (STAFF, S.HEARING),
    (S.HEARING, "send_to_committee"): (STAFF, S.COMMITTEE),
    (S.INFO_REQUESTED, "answer_information"): (APPLICANT, S.ETHICS_REVIEW),
    (S.COMMITTEE, "select"): (COMMITTEE, S.SELECTED),
    (S.SELECTED, "mark_funded"): (STAFF, S.FUNDED),
}
for stage in (
    S.ELIGIBILITY,
    S.ETHICS_REVIEW,
    S.SECURITY_REVIEW,
    S.INTEROPERABILITY_REVIEW,
    S.HEARING,
):
    ALLOWED[(stage, "request_information")] = (STAFF, S.INFO_REQUESTED)
for stage in (
    S.SUBMITTED,
    S.ELIGIBILITY,
    S.INFO_REQUESTED,
    S.ETHICS_REVIEW,
    S.SECURITY_REVIEW,
    S.INTEROPERABILITY_REVIEW,
    S.HEARING,
    S.COMMITTEE,
):
    ALLOWED[(stage, "withdraw")] = (APPLICANT, S.WITHDRAWN)


class Rollback(Exception):
    pass


@pytest.fixture
def world(calls_index):
    now = timezone.now()
    call = make_call(
        calls_index,
        opens_at=now - timedelta(days=5),
        cutoffs=[now + timedelta(days=5)],
        tracks=("ethics", "security", "interoperability", "hearing"),
    )
    organisation = OrganisationFactory()
    applicant = add_member(organisation)
    application = complete_application(call, organisation, applicant)
    Application.objects.filter(pk=application.pk).update(
        eligibility_checks=[{"code": "siret", "passed": True}],
        information_requested_from=S.ETHICS_REVIEW,
    )
    staff, committee, reviewer, outsider = (UserFactory() for _ in range(4))
    staff.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    committee.groups.add(Group.objects.get(name=COMMITTEE_GROUP))
    reviewer.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    admin = UserFactory(is_superuser=True, is_staff=True)
    session = CommitteeSession.objects.create(call=call, title="Comité 1", held_on=date.today())
    session.members.add(committee)
    CommitteeDecision.objects.create(
        session=session,
        application=application,
        outcome="selected",
        motivation="Projet solide",
        amount_granted=200000,
        decided_by=committee,
    )
    for stage in (S.ETHICS_REVIEW, S.SECURITY_REVIEW, S.INTEROPERABILITY_REVIEW, S.HEARING):
        StageOverride.objects.create(
            application=application, stage=stage, justification="Test", by=staff
        )
    users = {
        "applicant": applicant,
        "staff": staff,
        "committee": committee,
        "reviewer": reviewer,
        "outsider": outsider,
        "admin": admin,
    }
    return application, users


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(S))
def test_every_transition_for_every_role(world, state):
    application, users = world
    Application.objects.filter(pk=application.pk).update(status=state)
    outcomes = []
    for transition in TRANSITIONS:
        allowed_roles, target = ALLOWED.get((state, transition), (set(), None))
        for role in ROLES:
            expected = role in allowed_roles
            logs_before = TransitionLog.objects.count()
            try:
                with transaction.atomic():
                    fresh = Application.objects.get(pk=application.pk)
                    try:
                        moved = fire(fresh, transition, users[role], comment="Motivation écrite")
                    except TransitionRefused:
                        outcomes.append((transition, role, expected, False))
                        current = Application.objects.get(pk=application.pk).status
                        assert current == state, (transition, role)
                        assert TransitionLog.objects.count() == logs_before
                        raise Rollback from None
                    outcomes.append((transition, role, expected, True))
                    assert moved.status == target, (transition, role, moved.status)
                    # The transition's own entry (mark_funded is followed by the convention's).
                    log = TransitionLog.objects.filter(transition=transition).latest("pk")
                    assert (log.source, log.target, log.actor) == (state, target, users[role])
                    raise Rollback
            except Rollback:
                pass
    wrong = [o for o in outcomes if o[2] != o[3]]
    assert not wrong, f"state {state}: (transition, role, expected, got) {wrong}"
