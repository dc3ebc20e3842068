"""The audit trail: one keyed chain per application. Editing, deleting or forging entries is
detected, without the key kept out of the database; unrelated applications never wait on each
other to be recorded."""

import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from core.roles import PROGRAMME_WIDE_GROUP
from core.vocabulary import ApplicationStatus as S
from evaluation.audit import entry_digest, verify
from evaluation.models import AuditSeal, TransitionLog
from evaluation.services import fire, override_stage, submit_application

from ..factories import make_call
from ..grants_factories import UserFactory, complete_application


@pytest.fixture
def staff(db):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    return user


@pytest.fixture
def call(calls_index):
    now = timezone.now()
    return make_call(
        calls_index,
        opens_at=now - timedelta(days=5),
        cutoffs=[now + timedelta(days=5)],
        tracks=("ethics",),
    )


def submitted(call):
    application = complete_application(call)
    return submit_application(application, application.created_by)


def sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.mark.django_db
def test_editing_an_entry_names_it(call, staff):
    application = fire(submitted(call), "start_eligibility_check", staff)
    fire(application, "declare_ineligible", staff, comment="Hors sujet")
    call_command("verify_audit_trail")
    entries = list(TransitionLog.objects.order_by("pk"))
    with pytest.raises(Exception, match="cannot be changed"):
        entries[1].save()

    sql(
        "UPDATE evaluation_transitionlog SET comment = %s WHERE id = %s",
        ["Éligible", entries[2].pk],
    )
    with pytest.raises(CommandError, match=f"Entrée n° {entries[2].pk}"):
        call_command("verify_audit_trail")


@pytest.mark.django_db
def test_cutting_off_the_newest_entry_is_detected_even_with_the_head_rewound(call, staff):
    application = fire(submitted(call), "start_eligibility_check", staff)
    other = submitted(call)
    first, newest = TransitionLog.objects.filter(application=application).order_by("seq")
    # What someone with database access would do: delete the newest entry and set the
    # chain's head back to the previous one. They cannot compute the seal without the key.
    sql("DELETE FROM evaluation_transitionlog WHERE id = %s", [newest.pk])
    sql(
        "UPDATE evaluation_auditseal SET seq = %s, last_hash = %s WHERE application_id = %s",
        [first.seq, first.entry_hash, application.pk],
    )
    report = verify()
    assert not report.ok
    assert [b.application_id for b in report.breaks] == [application.pk]
    assert "sceau" in report.reason
    # The other application's chain is untouched and still verified.
    assert report.checked == 2
    assert other.pk not in {b.application_id for b in report.breaks}


@pytest.mark.django_db
def test_deleting_the_newest_entry_is_detected(call, staff):
    application = fire(submitted(call), "start_eligibility_check", staff)
    newest = TransitionLog.objects.filter(application=application).latest("seq")
    sql("DELETE FROM evaluation_transitionlog WHERE id = %s", [newest.pk])
    with pytest.raises(CommandError, match="dernières entrées .* supprimées"):
        call_command("verify_audit_trail")


@pytest.mark.django_db
def test_a_forged_entry_fails_without_the_key(call, staff, settings):
    application = fire(submitted(call), "start_eligibility_check", staff)
    entry = TransitionLog.objects.filter(application=application).latest("seq")
    # Recomputed with another key (as a forger would have to): the chain refuses it.
    settings.RUCHE_AUDIT_KEY = "not-the-platform-key"
    forged = entry_digest(entry)
    settings.RUCHE_AUDIT_KEY = ""
    sql("UPDATE evaluation_transitionlog SET entry_hash = %s WHERE id = %s", [forged, entry.pk])
    report = verify()
    assert report.first_broken.pk == entry.pk


@pytest.mark.django_db
def test_a_stage_override_is_in_the_chain(call, staff):
    application = fire(submitted(call), "start_eligibility_check", staff)
    application = fire(application, "start_ethics_review", staff, comment="Éligible")
    override_stage(application, staff, "Expert indisponible, avis écrit reçu par courrier.")
    entry = TransitionLog.objects.filter(application=application).latest("seq")
    assert (entry.transition, entry.source, entry.target) == (
        TransitionLog.STAGE_OVERRIDE,
        S.ETHICS_REVIEW,
        S.ETHICS_REVIEW,
    )
    assert entry.comment.startswith("Expert indisponible")
    assert not entry.visible_to_applicant
    assert verify().ok
    sql("UPDATE evaluation_transitionlog SET comment = %s WHERE id = %s", ["", entry.pk])
    assert verify().first_broken.pk == entry.pk


@pytest.mark.django_db(transaction=True)
def test_two_applications_are_recorded_without_waiting_for_each_other(call, staff):
    """One officer's transaction is still open on one application: another officer's
    transition on another application is recorded at once (one chain, one lock, per
    application; the old single chain head made everyone wait)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises whole transactions)")
    first, second = submitted(call), submitted(call)
    recorded, release = threading.Event(), threading.Event()
    outcome = {}

    def hold_first():
        try:
            with transaction.atomic():
                fire(first, "start_eligibility_check", staff)
                recorded.set()
                release.wait(timeout=20)
        finally:
            connections.close_all()

    def move_second():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '3s'")
                started = time.monotonic()
                fire(second, "start_eligibility_check", staff)
                outcome["seconds"] = time.monotonic() - started
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcome["error"] = repr(error)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_first)
    holder.start()
    assert recorded.wait(timeout=20)
    mover = threading.Thread(target=move_second)
    mover.start()
    mover.join(timeout=20)
    release.set()
    holder.join(timeout=20)
    assert "error" not in outcome, outcome
    assert outcome["seconds"] < 2
    assert verify().ok
    assert AuditSeal.objects.get(application=second).seq == 2
