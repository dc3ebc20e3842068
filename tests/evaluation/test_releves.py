"""Applications are examined relève by relève: each belongs to the relève it was submitted
before; the queues, the exports and committee sessions filter by relève."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.roles import COMMITTEE_GROUP, PROGRAMME_WIDE_GROUP
from evaluation.committee import held_applications
from evaluation.models import CommitteeSession
from evaluation.services import fire, submit_application
from grants.models import Application

from ..factories import make_call
from ..grants_factories import UserFactory, complete_application

QUEUES = reverse("evaluation:queues")


@pytest.fixture
def call(calls_index):
    now = timezone.now()
    return make_call(
        calls_index,
        title="Appel à relèves",
        opens_at=now - timedelta(days=60),
        cutoffs=[now - timedelta(days=20), now + timedelta(days=10), now + timedelta(days=40)],
        tracks=(),
    )


@pytest.fixture
def staff(db):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    return user


def submitted(call, title, at):
    application = complete_application(call)
    Application.objects.filter(pk=application.pk).update(project_title=title)
    application.refresh_from_db()
    return submit_application(application, application.created_by, now=at)


@pytest.fixture
def batches(call):
    """One application per relève: the first two of the call's relèves."""
    first, second, _third = call.sorted_cutoffs()
    early = submitted(call, "AvantPremiere", first.closes_at - timedelta(days=3))
    late = submitted(call, "AvantDeuxieme", first.closes_at + timedelta(seconds=1))
    return first, second, early, late


@pytest.mark.django_db
def test_each_application_belongs_to_the_releve_it_was_submitted_before(batches):
    first, second, early, late = batches
    assert early.cutoff == first
    assert late.cutoff == second  # one second after the first relève: the next one


@pytest.mark.django_db
def test_the_queue_and_the_export_filter_by_releve(client, staff, batches):
    first, second, _early, _late = batches
    client.force_login(staff)
    page = client.get(QUEUES, {"etat": "submitted", "releve": first.pk}).content.decode()
    assert "AvantPremiere" in page and "AvantDeuxieme" not in page
    shown = client.get(
        QUEUES, {"etat": "submitted", "releve": first.pk, "colonnes": ["projet", "releve"]}
    ).content.decode()
    assert str(first) in shown
    page = client.get(QUEUES, {"etat": "submitted", "releve": second.pk}).content.decode()
    assert "AvantDeuxieme" in page and "AvantPremiere" not in page

    export = client.get(
        reverse("evaluation:export", args=["csv"]), {"etat": "submitted", "releve": second.pk}
    )
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert [row["Projet"] for row in rows] == ["AvantDeuxieme"]
    assert rows[0]["Relève"] == str(second)


@pytest.mark.django_db
def test_the_queue_costs_the_same_queries_with_more_releves_and_applications(
    client, staff, call, batches
):
    client.force_login(staff)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(QUEUES, {"etat": "submitted"}).status_code == 200
        return len(captured)

    queries()  # the first request warms per-process caches (site settings, translations)
    before = queries()
    for n in range(5):
        submitted(call, f"Encore{n}", timezone.now() - timedelta(days=n))
    assert queries() == before


@pytest.mark.django_db
def test_a_session_of_one_releve_holds_only_its_applications(client, staff, call, batches):
    first, second, early, late = batches
    for application in (early, late):
        fire(
            fire(application, "start_eligibility_check", staff),
            "send_to_committee",
            staff,
            comment="Éligible",
        )
    member = UserFactory()
    member.groups.add(Group.objects.get(name=COMMITTEE_GROUP))
    client.force_login(staff)
    response = client.post(
        reverse("evaluation:committee_sessions"),
        {
            "call": call.pk,
            "cutoff": first.pk,
            "title": "Comité de la première relève",
            "held_on": date.today().isoformat(),
            "members": [member.pk],
        },
    )
    assert response.status_code == 302
    session = CommitteeSession.objects.get(title="Comité de la première relève")
    assert list(held_applications(session)) == [early]
    page = client.get(reverse("evaluation:committee_session", args=[session.pk])).content.decode()
    assert "AvantPremiere" in page and "AvantDeuxieme" not in page

    # A relève of another call is refused, and no session is created.
    other = make_call(
        call.get_parent().specific,
        title="Autre appel",
        opens_at=timezone.now() - timedelta(days=5),
        cutoffs=[timezone.now() + timedelta(days=5)],
    )
    response = client.post(
        reverse("evaluation:committee_sessions"),
        {
            "call": call.pk,
            "cutoff": other.sorted_cutoffs()[0].pk,
            "title": "Comité incohérent",
            "held_on": date.today().isoformat(),
            "members": [member.pk],
        },
    )
    assert response.status_code == 200
    assert "n'est pas une relève de l'appel choisi" in response.content.decode().replace(
        "&#x27;", "'"
    )
    assert not CommitteeSession.objects.filter(title="Comité incohérent").exists()
