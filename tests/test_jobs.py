"""The periodic jobs (manage.py run_job): each does its work once, changes nothing when run
again, and runs on one node at a time."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.locks import _key, single_run
from core.vocabulary import ApplicationStatus
from ethics.models import ReviewAssignment
from grants.models import Application

from .factories import make_call, paris
from .grants_factories import complete_application

pytestmark = pytest.mark.django_db
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


def run_job(name: str) -> str:
    out = io.StringIO()
    call_command("run_job", name, stdout=out)
    return out.getvalue()


@pytest.fixture
def call(calls_index):
    return make_call(calls_index, opens_at=paris(2026, 1, 1, 9), cutoffs=[paris(2030, 1, 1, 12)])


def test_prune_deletes_old_results_and_sessions_keeps_failed_emails_for_staff(
    settings, calls_index
):
    settings.TASKS = DATABASE_QUEUE
    from core.mail import send_email

    def result(status: str, days_ago: int) -> uuid.UUID:
        task_id = send_email.enqueue({"subject": "s", "body": "b", "to": ["a@example.org"]}).id
        DBTaskResult.objects.filter(pk=task_id).update(
            status=status, finished_at=timezone.now() - timedelta(days=days_ago)
        )
        return uuid.UUID(str(task_id))

    recent_done, failed_month_ago = result("SUCCESSFUL", 2), result("FAILED", 30)
    result("SUCCESSFUL", 30), result("FAILED", 120)  # both past their keeping time
    Session.objects.create(session_key="a" * 32, session_data="", expire_date=timezone.now())
    Session.objects.create(
        session_key="b" * 32, session_data="", expire_date=timezone.now() + timedelta(days=1)
    )

    for _run in range(2):  # the second run finds nothing more to do
        assert "prune: done." in run_job("prune")
        kept = {uuid.UUID(str(pk)) for pk in DBTaskResult.objects.values_list("pk", flat=True)}
        assert kept == {recent_done, failed_month_ago}
        assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]


def test_experts_are_reminded_once_before_the_due_date_and_once_after(call, mailoutbox):
    application = complete_application(call)
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.ETHICS_REVIEW)
    expert = get_user_model().objects.create_user("expert", "expert@example.org", "x")
    today = timezone.localdate()
    assignment = ReviewAssignment.objects.create(
        application=application,
        track="ethics",
        reviewer=expert,
        assigned_by=expert,
        due_on=today + timedelta(days=2),
    )

    from ethics.reminders import send_review_reminders

    assert send_review_reminders(today - timedelta(days=5)) == 0  # not due yet
    assert send_review_reminders(today) == 1
    assert send_review_reminders(today) == 0  # run again, or on another node: nothing
    [soon] = mailoutbox
    assert soon.to == ["expert@example.org"]
    assert "à rendre bientôt" in soon.subject
    assert soon.subject.endswith(application.reference)

    after = today + timedelta(days=3)
    assert send_review_reminders(after) == 1
    assert send_review_reminders(after + timedelta(days=7)) == 0  # never a third
    assert "en retard" in mailoutbox[1].subject
    assert len(mailoutbox) == 2  # no lead officer: nobody else is told
    assignment.refresh_from_db()
    assert assignment.reminded_on == after


def test_the_lead_officer_is_told_once_when_a_review_is_late(call, mailoutbox):
    application = complete_application(call)
    officer = get_user_model().objects.create_user(
        "officer", "referent@example.org", "x", first_name="Sophie", last_name="Référente"
    )
    Application.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.ETHICS_REVIEW, lead_officer=officer
    )
    expert = get_user_model().objects.create_user(
        "expert", "expert@example.org", "x", first_name="Alice", last_name="Martin"
    )
    today = timezone.localdate()
    ReviewAssignment.objects.create(
        application=application,
        track="ethics",
        reviewer=expert,
        assigned_by=officer,
        due_on=today - timedelta(days=1),
    )

    from ethics.reminders import send_review_reminders

    assert send_review_reminders(today) == 1
    assert send_review_reminders(today + timedelta(days=3)) == 0
    [told] = [m for m in mailoutbox if m.to == ["referent@example.org"]]
    assert "en retard" in told.subject and application.reference in told.subject
    assert "Alice Martin" in told.body
    assert f"/gestion/dossiers/{application.pk}/" in told.body


def test_retention_deletes_abandoned_drafts_and_their_files_only(
    call, settings, django_capture_on_commit_callbacks
):
    abandoned, recent = complete_application(call), complete_application(call)
    submitted = complete_application(call)
    long_ago = timezone.now() - timedelta(days=settings.RUCHE_DRAFT_RETENTION_DAYS + 1)
    Application.objects.filter(pk__in=[abandoned.pk, submitted.pk]).update(updated_at=long_ago)
    Application.objects.filter(pk=submitted.pk).update(status=ApplicationStatus.SUBMITTED)
    storage = abandoned.attachments.first().file.storage
    files = [a.file.name for a in abandoned.attachments.all()]
    assert all(storage.exists(name) for name in files)

    with django_capture_on_commit_callbacks(execute=True):
        assert "retention: done." in run_job("retention")
    assert set(Application.objects.values_list("pk", flat=True)) == {recent.pk, submitted.pk}
    assert not any(storage.exists(name) for name in files)
    assert all(storage.exists(a.file.name) for a in recent.attachments.all())
    assert "0 brouillon(s)" in run_job("retention")  # again: nothing more


def test_a_job_runs_on_one_node_at_a_time(calls_index):
    """Another node holds the job's lock: this one skips it instead of running it twice."""
    if connection.vendor == "postgresql":
        import psycopg

        settings_dict = connection.settings_dict
        other_node = psycopg.connect(
            host=settings_dict["HOST"] or "127.0.0.1",
            port=settings_dict["PORT"] or 5432,
            user=settings_dict["USER"],
            dbname=settings_dict["NAME"],
            autocommit=True,
        )
        other_node.execute("SELECT pg_advisory_lock(%s)", [_key("job:reminders")])
        try:
            assert "already running on another node, skipped." in run_job("reminders")
        finally:
            other_node.execute("SELECT pg_advisory_unlock(%s)", [_key("job:reminders")])
            other_node.close()
    else:
        cache.add("lock:job:reminders", "1", timeout=60)
        try:
            assert "already running on another node, skipped." in run_job("reminders")
        finally:
            cache.delete("lock:job:reminders")
    assert "reminders: done." in run_job("reminders")  # the lock is free again
    with single_run("job:reminders") as held:
        assert held


def test_the_timers_shipped_for_systemd_match_the_jobs():
    from pathlib import Path

    from ruche.jobs import jobs

    folder = Path(__file__).resolve().parent.parent / "deploy" / "systemd"
    for name, job in jobs().items():
        timer = (folder / f"ruche-job-{name}.timer").read_text()
        assert f"OnCalendar={job.schedule}\n" in timer, name
        assert f"Unit=ruche-job@{name}.service\n" in timer, name
