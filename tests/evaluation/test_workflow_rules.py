"""The workflow's rules beyond the table: skipped tracks, information requests, overrides,
motivations, committee amounts, the race between two officers, the tamper-evident history."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections
from django.utils import timezone

from core.roles import COMMITTEE_GROUP, PROGRAMME_WIDE_GROUP
from core.vocabulary import ApplicationStatus as S
from evaluation.audit import verify
from evaluation.models import CommitteeSession, TransitionLog
from evaluation.services import (
    ConcurrentChange,
    available_transitions,
    fire,
    override_stage,
    record_committee_decision,
    submit_application,
)
from evaluation.workflow import TransitionRefused
from grants.models import Application

from ..factories import make_call
from ..grants_factories import UserFactory, complete_application


def open_call(index, tracks, **fields):
    now = timezone.now()
    return make_call(
        index,
        opens_at=now - timedelta(days=5),
        cutoffs=[now + timedelta(days=5)],
        tracks=tracks,
        **fields,
    )


@pytest.fixture
def staff(db):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    return user


def submitted(call):
    application = complete_application(call)
    return submit_application(application, application.created_by)


def names(application, user):
    return {t.name for t in available_transitions(application, user)}


@pytest.mark.django_db
def test_stages_the_call_does_not_require_are_skipped(calls_index, staff):
    segur = open_call(calls_index, ("security", "interoperability"))
    application = fire(submitted(segur), "start_eligibility_check", staff)
    assert "start_ethics_review" not in names(application, staff)
    assert "start_security_review" in names(application, staff)
    assert "send_to_committee" not in names(application, staff)

    no_review = open_call(calls_index, ())
    other = fire(submitted(no_review), "start_eligibility_check", staff)
    assert {"send_to_committee", "declare_ineligible"} <= names(other, staff)
    moved = fire(other, "send_to_committee", staff, comment="Éligible, pas d'expertise requise")
    assert moved.status == S.COMMITTEE


@pytest.mark.django_db
def test_review_stage_is_left_only_when_complete_or_overridden(calls_index, staff):
    call = open_call(calls_index, ("ethics", "security"))
    application = fire(submitted(call), "start_eligibility_check", staff)
    application = fire(application, "start_ethics_review", staff, comment="Éligible")
    # No review submitted yet: the stage cannot be left.
    assert "start_security_review" not in names(application, staff)
    with pytest.raises(TransitionRefused):
        fire(application, "start_security_review", staff, comment="Trop tôt")
    with pytest.raises(TransitionRefused):
        override_stage(application, staff, "   ")
    override_stage(application, staff, "Expert indisponible, avis écrit reçu par courrier.")
    moved = fire(application, "start_security_review", staff, comment="Dérogation")
    assert moved.status == S.SECURITY_REVIEW


@pytest.mark.django_db
def test_information_request_returns_to_the_stage_that_asked(calls_index, staff):
    call = open_call(calls_index, ("security",))
    application = submitted(call)
    applicant = application.created_by
    application = fire(application, "start_eligibility_check", staff)
    application = fire(application, "request_information", staff, comment="Joindre le Kbis récent")
    assert application.status == S.INFO_REQUESTED
    assert names(application, staff) == set()
    assert "answer_information" in names(application, applicant)
    back = fire(application, "answer_information", applicant, comment="Kbis joint")
    assert back.status == S.ELIGIBILITY
    assert back.information_requested_from == ""
    history = list(TransitionLog.objects.filter(application=back).values_list("target", flat=True))
    assert history == ["submitted", "eligibility", "info_requested", "eligibility"]


@pytest.mark.django_db
def test_decisions_need_a_motivation(calls_index, staff):
    application = fire(submitted(open_call(calls_index, ())), "start_eligibility_check", staff)
    with pytest.raises(TransitionRefused, match="Motivez"):
        fire(application, "declare_ineligible", staff, comment="")
    assert Application.objects.get(pk=application.pk).status == S.ELIGIBILITY


@pytest.mark.django_db
def test_committee_amounts_respect_request_cap_and_envelope(calls_index, staff):
    call = open_call(calls_index, (), budget_envelope=400_000, max_amount_per_project=300_000)
    member = UserFactory()
    member.groups.add(Group.objects.get(name=COMMITTEE_GROUP))
    session = CommitteeSession.objects.create(call=call, title="Comité", held_on=date.today())
    session.members.add(member)
    first, second = submitted(call), submitted(call)
    for application in (first, second):
        application = fire(application, "start_eligibility_check", staff)
        fire(application, "send_to_committee", staff, comment="Éligible")
    first.refresh_from_db()
    second.refresh_from_db()

    with pytest.raises(TransitionRefused, match="montant demandé"):
        record_committee_decision(first, session, member, "selected", "Bon", Decimal("260000"))
    record_committee_decision(first, session, member, "selected", "Bon", Decimal(250000))
    first.refresh_from_db()
    assert first.status == S.SELECTED
    with pytest.raises(TransitionRefused, match="enveloppe"):
        record_committee_decision(second, session, member, "selected", "Bon", Decimal(200000))
    record_committee_decision(second, session, member, "rejected", "Budget épuisé")
    second.refresh_from_db()
    assert second.status == S.REJECTED
    # Someone outside the session cannot decide.
    outsider = UserFactory()
    assert "select" not in names(second, outsider)


@pytest.mark.django_db
def test_a_stale_page_changes_nothing(calls_index, staff):
    application = submitted(open_call(calls_index, ()))
    fire(application, "start_eligibility_check", staff, expected_status=S.SUBMITTED)
    with pytest.raises(ConcurrentChange, match="modifié par quelqu'un d'autre"):
        fire(application, "start_eligibility_check", staff, expected_status=S.SUBMITTED)
    assert TransitionLog.objects.filter(application=application).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_officers_at_once_exactly_one_wins(calls_index, staff):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises whole transactions)")
    application = fire(submitted(open_call(calls_index, ())), "start_eligibility_check", staff)
    other = UserFactory()
    other.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    barrier = threading.Barrier(2)
    results = {}

    def act(user, transition, comment):
        try:
            barrier.wait()
            fire(application, transition, user, expected_status=S.ELIGIBILITY, comment=comment)
            results[transition] = "won"
        except TransitionRefused as refused:
            results[transition] = refused.messages[0]
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=(staff, "declare_ineligible", "Hors sujet")),
        threading.Thread(target=act, args=(other, "send_to_committee", "Éligible")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()).count("won") == 1, results
    loser = next(v for v in results.values() if v != "won")
    assert "modifié par quelqu'un d'autre" in loser
    final = Application.objects.get(pk=application.pk)
    assert final.status in (S.INELIGIBLE, S.COMMITTEE)
    assert TransitionLog.objects.filter(application=application).count() == 3
    assert verify().ok
