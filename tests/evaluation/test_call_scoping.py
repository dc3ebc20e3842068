"""Staff see the calls they run: an officer of one operator never reaches another operator's
applications, on any page; the programme direction sees every call; each application can have
a lead officer, who is told and finds it under « mes dossiers »."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from cms.models import Operator
from core.roles import PROGRAMME_STAFF_GROUP, PROGRAMME_WIDE_GROUP
from core.vocabulary import ApplicationStatus as S
from evaluation.models import CommitteeSession
from evaluation.services import submit_application
from grants.models import Application

from ..factories import make_call
from ..grants_factories import UserFactory, complete_application

QUEUES = reverse("evaluation:queues")


def officer_of(operator=None, call=None, group=PROGRAMME_STAFF_GROUP):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group))
    if operator is not None:
        operator.staff.add(user)
    if call is not None:
        call.officers.add(user)
        call.save()
    return user


def open_call(index, operator, title):
    now = timezone.now()
    return make_call(
        index,
        title=title,
        operator=operator,
        opens_at=now - timedelta(days=5),
        cutoffs=[now + timedelta(days=5)],
        tracks=(),
    )


def submitted(call, title):
    application = complete_application(call)
    Application.objects.filter(pk=application.pk).update(project_title=title)
    application.refresh_from_db()
    return submit_application(application, application.created_by)


@pytest.fixture
def two_operators(calls_index):
    """Two operators, one open call each, one submitted application in each call."""
    bpi = Operator.objects.create(name="Bpifrance")
    ans = Operator.objects.create(name="Agence du numérique en santé")
    call_a = open_call(calls_index, bpi, "Appel Bpifrance")
    call_b = open_call(calls_index, ans, "Appel ANS")
    return {
        "bpi": bpi,
        "call_a": call_a,
        "call_b": call_b,
        "app_a": submitted(call_a, "TeleCardio"),
        "app_b": submitted(call_b, "DermaScan"),
    }


def staff_urls(application):
    """Every staff page about one application."""
    attachment = application.attachments.first()
    return [
        reverse("evaluation:application", args=[application.pk]),
        reverse("evaluation:information_ask", args=[application.pk]),
        reverse("ethics:report", args=[application.pk]),
        reverse("ethics:assign", args=[application.pk]),
        reverse("search:publication_edit", args=[application.pk]),
        reverse("grants:attachment_download", args=[application.pk, attachment.pk]),
    ]


def exported_titles(client):
    response = client.get(reverse("evaluation:export", args=["csv"]))
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    return sorted(row["Projet"] for row in rows)


@pytest.mark.django_db
def test_an_operator_officer_works_on_their_calls_only(client, two_operators):
    officer = officer_of(operator=two_operators["bpi"])
    client.force_login(officer)

    queue = client.get(QUEUES).content.decode()
    assert "TeleCardio" in queue and "DermaScan" not in queue
    assert exported_titles(client) == ["TeleCardio"]
    for url in staff_urls(two_operators["app_b"]):
        assert client.get(url).status_code == 404, url
    for url in staff_urls(two_operators["app_a"])[:2]:
        assert client.get(url).status_code == 200, url

    # A batch naming both applications moves the officer's own only.
    client.post(
        reverse("evaluation:bulk"),
        {
            "transition": "start_eligibility_check",
            "expected_status": "submitted",
            "dossiers": [two_operators["app_a"].pk, two_operators["app_b"].pk],
        },
    )
    assert Application.objects.get(pk=two_operators["app_a"].pk).status == S.ELIGIBILITY
    assert Application.objects.get(pk=two_operators["app_b"].pk).status == S.SUBMITTED


@pytest.mark.django_db
def test_an_officer_assigned_to_a_call_sees_it_beside_their_operator(client, two_operators):
    officer = officer_of(operator=two_operators["bpi"], call=two_operators["call_b"])
    client.force_login(officer)
    assert exported_titles(client) == ["DermaScan", "TeleCardio"]
    url = reverse("evaluation:application", args=[two_operators["app_b"].pk])
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_programme_direction_sees_every_call(client, two_operators):
    client.force_login(officer_of(group=PROGRAMME_WIDE_GROUP))
    assert exported_titles(client) == ["DermaScan", "TeleCardio"]


@pytest.mark.django_db
def test_committee_sessions_of_other_operators_are_hidden(client, two_operators):
    other = CommitteeSession.objects.create(
        call=two_operators["call_b"], title="Comité ANS", held_on=timezone.localdate()
    )
    officer = officer_of(operator=two_operators["bpi"])
    client.force_login(officer)
    sessions = client.get(reverse("evaluation:committee_sessions")).content.decode()
    assert "Comité ANS" not in sessions
    assert client.get(reverse("evaluation:committee_session", args=[other.pk])).status_code in (
        403,
        404,
    )


@pytest.mark.django_db
def test_a_lead_officer_is_named_told_and_finds_their_files(
    client, two_operators, django_capture_on_commit_callbacks, mailoutbox
):
    bpi = two_operators["bpi"]
    lead, colleague = officer_of(operator=bpi), officer_of(operator=bpi)
    outsider = officer_of(call=two_operators["call_b"])
    app_a = two_operators["app_a"]
    page = reverse("evaluation:application", args=[app_a.pk])
    client.force_login(colleague)

    # Only staff of the call may lead it.
    response = client.post(page, {"action": "lead", "officer": outsider.pk})
    assert response.status_code == 200
    assert Application.objects.get(pk=app_a.pk).lead_officer is None

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, {"action": "lead", "officer": lead.pk})
    assert response.status_code == 302
    assert Application.objects.get(pk=app_a.pk).lead_officer == lead
    told = [m for m in mailoutbox if lead.email in m.to]
    assert len(told) == 1 and "TeleCardio" in told[0].body

    client.force_login(lead)
    mine = client.get(QUEUES, {"mes_dossiers": "on", "etat": "submitted"}).content.decode()
    assert "TeleCardio" in mine
    client.force_login(colleague)
    theirs = client.get(QUEUES, {"mes_dossiers": "on", "etat": "submitted"}).content.decode()
    assert "TeleCardio" not in theirs


@pytest.mark.django_db
def test_new_submissions_are_emailed_to_the_staff_of_the_call_only(
    calls_index, two_operators, django_capture_on_commit_callbacks, mailoutbox
):
    bpi_officer = officer_of(operator=two_operators["bpi"])
    ans_officer = officer_of(call=two_operators["call_b"])
    with django_capture_on_commit_callbacks(execute=True):
        submitted(two_operators["call_a"], "NeuroLink")
    new = [m for m in mailoutbox if "Nouveau dossier déposé" in m.subject]
    recipients = {address for message in new for address in message.to}
    assert bpi_officer.email in recipients and ans_officer.email not in recipients
