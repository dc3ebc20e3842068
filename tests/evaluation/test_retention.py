"""Retention of closed applications: past their operator's period, rejected and withdrawn
applications keep no personal data in the database nor files in the store, and the audit
trail and receipts still verify."""

from __future__ import annotations

import importlib
import io
import json
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cms.models import Operator
from core.roles import PROGRAMME_WIDE_GROUP
from core.vocabulary import ApplicationStatus as S
from evaluation import audit
from evaluation.audit import verify
from evaluation.models import (
    AuditSeal,
    CommitteeDecision,
    CommitteeSession,
    ConflictDeclaration,
    StageOverride,
    TransitionLog,
)
from evaluation.retention import purge_closed_applications
from evaluation.services import fire, submit_application, withdraw_application
from grants.models import Application, Attachment
from grants.services.receipts import check_receipt
from ruche.jobs import jobs

from ..factories import OperatorFactory, make_call
from ..grants_factories import OrganisationFactory, UserFactory, complete_application

pytestmark = pytest.mark.django_db

NAME = "Jeanne Dupontel"  # a person's name, written by the applicant and by staff


@pytest.fixture
def staff(db):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    return user


def new_call(calls_index, operator):
    now = timezone.now()
    return make_call(
        calls_index,
        opens_at=now - timedelta(days=5),
        cutoffs=[now + timedelta(days=5)],
        tracks=("ethics",),
        operator=operator,
    )


def submitted(call):
    application = complete_application(call, OrganisationFactory())
    equipe = application.answers["equipe"]
    lead = {**equipe["lead"], "name": NAME, "email": "jeanne@example.org"}
    application.answers = {**application.answers, "equipe": {**equipe, "lead": lead}}
    application.save()
    return submit_application(application, application.created_by)


@pytest.fixture
def files(calls_index, staff):
    """A withdrawn and an ineligible application (default operator: 5 years), one selected,
    and one withdrawn at an operator that keeps closed files 1 year."""
    five = new_call(calls_index, OperatorFactory(name="Bpifrance"))
    one = new_call(calls_index, OperatorFactory(name="ANS", closed_file_retention_years=1))
    withdrawn = submitted(five)
    withdraw_application(withdrawn, withdrawn.created_by, comment=f"Retiré par {NAME}")
    ineligible = submitted(five)
    fire(ineligible, "start_eligibility_check", staff)
    StageOverride.objects.create(
        application=ineligible, stage="eligibility", justification=f"Vu {NAME}", by=staff
    )
    fire(
        Application.objects.get(pk=ineligible.pk),
        "declare_ineligible",
        staff,
        comment=f"Kbis de {NAME} illisible",
    )
    session = CommitteeSession.objects.create(call=five, title="Comité", held_on=date.today())
    CommitteeDecision.objects.create(
        session=session,
        application=ineligible,
        outcome="rejected",
        motivation=f"Équipe de {NAME} trop réduite",
        decided_by=staff,
    )
    ConflictDeclaration.objects.create(
        session=session,
        application=ineligible,
        member=staff,
        conflicted=True,
        reason=f"Ami de {NAME}",
    )
    selected = submitted(five)
    Application.objects.filter(pk=selected.pk).update(status=S.SELECTED)
    short = submitted(one)
    withdraw_application(short, short.created_by)
    return {"withdrawn": withdrawn, "ineligible": ineligible, "selected": selected, "short": short}


def rows_of(application_id: int) -> str:
    """Every database row that refers to the application, as text."""
    tables = {
        "grants_application": "id",
        "grants_attachment": "application_id",
        "evaluation_transitionlog": "application_id",
        "evaluation_stageoverride": "application_id",
        "evaluation_committeedecision": "application_id",
        "evaluation_informationrequest": "application_id",
        "evaluation_conflictdeclaration": "application_id",
    }
    out = []
    with connection.cursor() as cursor:
        for table, column in tables.items():
            # Every column as text, on PostgreSQL and SQLite alike.
            cursor.execute(
                f"SELECT * FROM {table} WHERE {column} = %s",  # noqa: S608
                [application_id],
            )
            out.extend(" | ".join(str(value) for value in row) for row in cursor.fetchall())
    return "\n".join(out)


def test_past_the_period_closed_files_keep_no_personal_data(
    files, settings, django_capture_on_commit_callbacks
):
    withdrawn, ineligible = files["withdrawn"], files["ineligible"]
    stored = [
        Path(a.file.path)
        for a in Attachment.objects.filter(application__in=[withdrawn, ineligible])
    ]
    assert stored and all(path.exists() for path in stored)
    assert NAME in rows_of(ineligible.pk)

    later = timezone.now() + relativedelta(years=5, days=1)
    with django_capture_on_commit_callbacks(execute=True):
        report = purge_closed_applications(now=later)

    assert sorted(report.anonymised) == sorted(
        [withdrawn.reference, ineligible.reference, files["short"].reference]
    )
    for application in (withdrawn, ineligible):
        rows = rows_of(application.pk)
        assert NAME not in rows and "jeanne@example.org" not in rows
        application.refresh_from_db()
        assert application.answers == {} and application.anonymised_at == later
        assert not application.attachments.exists()
    assert not any(path.exists() for path in stored)
    # The selected application is the programme's record: untouched.
    selected = Application.objects.get(pk=files["selected"].pk)
    assert selected.answers["equipe"]["lead"]["name"] == NAME and selected.anonymised_at is None
    # The audit trail still verifies, and records the purge.
    assert verify().ok
    call_command("verify_audit_trail", stdout=io.StringIO())
    assert TransitionLog.objects.filter(application=ineligible, transition="anonymise").exists()
    # The receipt is still recognised, as a genuine but purged one.
    check = check_receipt(withdrawn.reference, withdrawn.fingerprint)
    assert check.matches and check.anonymised and not check.intact
    # Again: nothing more to do.
    assert purge_closed_applications(now=later).count == 0


def test_each_operator_has_its_own_period(files):
    report = purge_closed_applications(now=timezone.now() + relativedelta(years=1, days=1))
    assert report.anonymised == [files["short"].reference]
    assert purge_closed_applications(now=timezone.now() + timedelta(days=30)).count == 0


def test_the_default_period_is_five_years(db):
    assert Operator(name="X").closed_file_retention_years == 5


def test_the_command_lists_then_purges(files):
    out = io.StringIO()
    call_command("purge_closed_applications", "--dry-run", stdout=out)
    assert "0 dossier(s)" in out.getvalue()  # nothing is old enough today
    assert Application.objects.filter(anonymised_at__isnull=False).count() == 0
    out = io.StringIO()
    call_command("purge_closed_applications", stdout=out)
    assert "0 dossier(s) clos anonymisé(s)" in out.getvalue()


def test_the_retention_job_runs_the_purge():
    assert ("purge_closed_applications",) in jobs()["retention"].commands


def test_a_rewritten_comment_breaks_the_chain(files):
    entry = TransitionLog.objects.filter(application=files["withdrawn"]).exclude(comment="").get()
    TransitionLog.objects.filter(pk=entry.pk).update(comment="Autre texte")
    assert not verify().ok
    # Erasing it the way anonymisation does is dated, and keeps the chain whole.
    TransitionLog.objects.filter(pk=entry.pk).update(comment="")
    audit.redact_comments(files["withdrawn"].pk, timezone.now())
    assert verify().ok is False  # an empty comment without its erasure date is a forgery
    TransitionLog.objects.filter(pk=entry.pk).update(comment_redacted_at=timezone.now())
    assert verify().ok


def test_the_migration_moves_intact_chains_to_comment_digests(files):
    """Chains written before migration 0010 (comment hashed in clear) are chained again;
    a chain that did not verify is left as it was."""
    migration = importlib.import_module("evaluation.migrations.0010_audit_comment_digest")
    withdrawn, ineligible = files["withdrawn"], files["ineligible"]
    for application in (withdrawn, ineligible):  # back to the former formula
        previous = audit.GENESIS
        for entry in TransitionLog.objects.filter(application=application).order_by("seq"):
            entry.comment_digest, entry.previous_hash = "", previous
            entry.entry_hash = migration._old_digest(entry)
            TransitionLog.objects.filter(pk=entry.pk).update(
                comment_digest="", previous_hash=previous, entry_hash=entry.entry_hash
            )
            previous = entry.entry_hash
        seal = AuditSeal.objects.get(application=application)
        AuditSeal.objects.filter(pk=seal.pk).update(
            last_hash=previous, seal=migration._seal(application.pk, seal.seq, previous)
        )
    assert verify().ok  # the former formula still verifies
    tampered = TransitionLog.objects.filter(application=ineligible).order_by("seq").first()
    TransitionLog.objects.filter(pk=tampered.pk).update(comment="réécrit")

    migration.digest_comments(apps, None)

    assert not TransitionLog.objects.filter(application=withdrawn, comment_digest="").exists()
    assert (
        not TransitionLog.objects.filter(application=ineligible).exclude(comment_digest="").exists()
    )
    report = verify()
    assert [b.application_id for b in report.breaks] == [ineligible.pk]


def test_exported_json_of_a_purged_application_says_so(files, client):
    """The applicant's own export after the purge: the application without its answers."""
    purge_closed_applications(now=timezone.now() + relativedelta(years=5, days=1))
    user = files["withdrawn"].created_by
    client.force_login(user)
    response = client.get("/espace/donnees-personnelles/mes-donnees.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("donnees.json"))
    (application,) = data["applications_created"]
    assert application["answers"] == {} and application["files"] == []
    assert NAME not in json.dumps(data)
