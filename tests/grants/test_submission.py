"""Submission: once, complete, before the deadline judged on the server, frozen and logged."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.refusals import Refused
from core.vocabulary import ApplicationStatus
from evaluation.audit import verify
from evaluation.models import TransitionLog
from evaluation.services import AlreadySubmitted, submit_application
from grants.services.snapshot import verify_fingerprint

from ..factories import make_call
from ..grants_factories import complete_application

SECOND = timedelta(seconds=1)


@pytest.fixture
def open_call(calls_index):
    now = timezone.now()
    return make_call(
        calls_index, opens_at=now - timedelta(days=30), cutoffs=[now + timedelta(days=30)]
    )


@pytest.mark.django_db
def test_submission_freezes_answers_and_logs_the_transition(open_call):
    application = complete_application(open_call)
    user = application.created_by
    submitted = submit_application(application, user)

    assert submitted.status == ApplicationStatus.SUBMITTED
    assert submitted.snapshot["answers"]["projet"]["title"] == "TeleCardio"
    assert len(submitted.snapshot["attachments"]) == 2
    assert verify_fingerprint(submitted).ok
    log = TransitionLog.objects.get(application=submitted)
    assert (log.source, log.target, log.actor) == ("draft", "submitted", user)
    assert verify().ok
    assert {c["code"] for c in submitted.eligibility_checks if c["passed"]} >= {"siret", "deadline"}


@pytest.mark.django_db
def test_deadline_is_judged_at_the_instant_of_submission(open_call):
    application = complete_application(open_call)
    closing = open_call.closing_at
    with pytest.raises(Refused) as refused:
        submit_application(application, application.created_by, now=closing)
    assert "L'appel est clos" in refused.value.messages[0]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT

    submitted = submit_application(application, application.created_by, now=closing - SECOND)
    assert submitted.status == ApplicationStatus.SUBMITTED


@pytest.mark.django_db
def test_second_submission_is_refused_and_changes_nothing(open_call):
    application = complete_application(open_call)
    first = submit_application(application, application.created_by)
    with pytest.raises(AlreadySubmitted):
        submit_application(application, application.created_by)
    assert TransitionLog.objects.filter(application=application).count() == 1
    application.refresh_from_db()
    assert application.fingerprint == first.fingerprint
