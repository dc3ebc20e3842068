"""Committee members read what they decide on: after declaring their interests per application,
the frozen file, its attachments, the reviews (experts unnamed when the review is blind) and the
report, for the applications of their sessions only; a conflicted member reads nothing and is
excluded from the decision, which records it."""

import html
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core.roles import COMMITTEE_GROUP, PROGRAMME_WIDE_GROUP
from core.vocabulary import ApplicationStatus as S
from ethics.models import CallGrid
from evaluation.committee import decide
from evaluation.models import CommitteeSession, ConflictDeclaration
from evaluation.services import fire
from evaluation.workflow import TransitionRefused
from grants.models import Application

from ..ethics.test_staff_reviews import ethics_call, in_ethics_review, submitted, two_reviews
from ..grants_factories import UserFactory


def in_group(name, **names):
    user = UserFactory(**names)
    user.groups.add(Group.objects.get(name=name))
    return user


def file_url(session, application):
    return reverse("evaluation:committee_file", args=[session.pk, application.pk])


def attachment_url(session, application):
    attachment = application.attachments.first()
    return reverse(
        "evaluation:committee_attachment", args=[session.pk, application.pk, attachment.pk]
    )


def report_url(session, application):
    return reverse("evaluation:committee_report", args=[session.pk, application.pk])


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def staff(db):
    return in_group(PROGRAMME_WIDE_GROUP)


@pytest.fixture
def reviewed(calls_index, staff):
    """An application reviewed by two named experts, waiting for the committee, and a
    session of its call with two members."""
    call = ethics_call(calls_index, tracks=("ethics",))
    application = in_ethics_review(call, staff)
    two_reviews(application, staff)
    application = fire(application, "send_to_committee", staff, comment="Expertise faite")
    session = CommitteeSession.objects.create(call=call, title="Comité n° 1", held_on=date.today())
    first = in_group(COMMITTEE_GROUP, first_name="Hélène", last_name="Membre")
    second = in_group(COMMITTEE_GROUP, first_name="Paul", last_name="Lié")
    session.members.add(first, second)
    return application, session, first, second


@pytest.mark.django_db
def test_a_member_declares_no_conflict_then_reads_the_file_reviews_and_report(client, reviewed):
    application, session, member, _other = reviewed
    client.force_login(member)

    # Before declaring: the declaration form, nothing of the file.
    page = text(client.get(file_url(session, application)))
    assert "Déclaration de liens d'intérêts" in page
    assert "Synthèse : avis favourable" not in page
    assert client.get(attachment_url(session, application)).status_code == 403
    assert client.get(report_url(session, application)).status_code == 403

    response = client.post(file_url(session, application), {"conflicted": "no"})
    assert response.status_code == 302
    page = text(client.get(file_url(session, application)))
    assert "Le dossier, figé au dépôt" in page
    assert application.project_title in page
    assert "Alice Martin" in page and "Bruno Durand" in page  # not blind: experts named
    assert "Synthèse : avis favourable" in page and "72,5 / 100" in page
    download = client.get(attachment_url(session, application))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    report = client.get(report_url(session, application))
    assert report.status_code == 200 and report.content.startswith(b"%PDF-")


@pytest.mark.django_db
def test_experts_are_numbered_not_named_when_the_review_is_blind(client, reviewed):
    application, session, member, _other = reviewed
    CallGrid.objects.filter(call=application.call).update(blind=True)
    ConflictDeclaration.objects.create(
        session=session, application=application, member=member, conflicted=False
    )
    client.force_login(member)
    page = text(client.get(file_url(session, application)))
    assert "Expert 1" in page and "Expert 2" in page
    assert "Alice Martin" not in page and "Bruno" not in page
    assert "Synthèse : avis favourable" in page


@pytest.mark.django_db
def test_a_conflicted_member_reads_nothing_and_is_excluded_from_the_decision(
    client, reviewed, django_capture_on_commit_callbacks
):
    application, session, member, conflicted = reviewed
    client.force_login(conflicted)
    refused = client.post(file_url(session, application), {"conflicted": "yes", "reason": ""})
    assert "Précisez la nature du lien" in text(refused)
    assert not ConflictDeclaration.objects.exists()

    client.post(
        file_url(session, application),
        {"conflicted": "yes", "reason": "Ancien salarié de l'organisation"},
    )
    response = client.get(file_url(session, application))
    assert response.status_code == 403
    assert "Synthèse" not in text(response)
    assert client.get(attachment_url(session, application)).status_code == 403
    # A declared conflict cannot be withdrawn.
    client.post(file_url(session, application), {"conflicted": "no"})
    assert client.get(file_url(session, application)).status_code == 403
    with pytest.raises(TransitionRefused, match="conflit d'intérêts"):
        decide(application, session, conflicted, "rejected", "Motivation")

    # The other member must declare before deciding; the decision records the exclusion.
    with pytest.raises(TransitionRefused, match="Déclarez d'abord"):
        decide(application, session, member, "rejected", "Motivation")
    ConflictDeclaration.objects.create(
        session=session, application=application, member=member, conflicted=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        decision = decide(application, session, member, "rejected", "Projet trop précoce.")
    assert list(decision.excluded_members.all()) == [conflicted]
    assert Application.objects.get(pk=application.pk).status == S.REJECTED
    client.force_login(member)
    page = text(client.get(reverse("evaluation:committee_session", args=[session.pk])))
    assert "Membres exclus de la décision pour conflit d'intérêts" in page
    assert "Paul Lié" in page


@pytest.mark.django_db
def test_committee_files_are_for_the_session_members_and_the_call_staff_only(
    client, reviewed, staff, calls_index
):
    application, session, member, _other = reviewed
    ConflictDeclaration.objects.create(
        session=session, application=application, member=member, conflicted=False
    )
    # A member of the committee group who does not sit on this session.
    outsider = in_group(COMMITTEE_GROUP)
    client.force_login(outsider)
    for url in (
        file_url(session, application),
        attachment_url(session, application),
        report_url(session, application),
    ):
        assert client.get(url).status_code == 403, url
    # The committee group no longer opens the applicant's file by its ordinary URL.
    attachment = application.attachments.first()
    ordinary = reverse("grants:attachment_download", args=[application.pk, attachment.pk])
    client.force_login(member)
    assert client.get(ordinary).status_code == 404

    # An application of another call is not held by the session, whatever the member declared.
    other_call = ethics_call(calls_index, tracks=())
    elsewhere = fire(
        fire(submitted(other_call), "start_eligibility_check", staff),
        "send_to_committee",
        staff,
        comment="Éligible",
    )
    assert elsewhere.status == S.COMMITTEE
    assert client.get(file_url(session, elsewhere)).status_code == 404
    assert client.post(file_url(session, elsewhere), {"conflicted": "no"}).status_code == 404

    # Staff of the call read every file of the session without declaring.
    client.force_login(staff)
    assert "Le dossier, figé au dépôt" in text(client.get(file_url(session, application)))
