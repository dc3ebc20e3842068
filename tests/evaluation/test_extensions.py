"""A justified extension of the submission deadline for one draft: granted by the call's staff
with a reason, written in the audit trail, enforced by the server for that draft only, shown
to the applicant."""

import html
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cms.models import Operator
from core.refusals import Refused
from core.roles import PROGRAMME_STAFF_GROUP
from core.vocabulary import ApplicationStatus as S
from evaluation.extensions import grant_extension
from evaluation.models import TransitionLog
from evaluation.services import submit_application
from evaluation.workflow import TransitionRefused
from grants.models import Application

from ..factories import make_call
from ..grants_factories import UserFactory, complete_application

EXTENSIONS = reverse("evaluation:extensions")


@pytest.fixture
def closed_call(calls_index):
    """A call whose only relève passed an hour ago, run by one operator."""
    now = timezone.now()
    return make_call(
        calls_index,
        operator=Operator.objects.create(name="Agence du numérique en santé"),
        opens_at=now - timedelta(days=30),
        cutoffs=[now - timedelta(hours=1)],
        tracks=(),
    )


@pytest.fixture
def officer(closed_call):
    user = UserFactory(first_name="Sophie", last_name="Chargée")
    user.groups.add(Group.objects.get(name=PROGRAMME_STAFF_GROUP))
    closed_call.operator.staff.add(user)
    return user


def text(response):
    return html.unescape(response.content.decode())


def local_input(instant):
    return timezone.localtime(instant).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.django_db
def test_an_extended_draft_is_submitted_late_and_the_others_are_not(client, closed_call, officer):
    late, other = complete_application(closed_call), complete_application(closed_call)
    until = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    client.force_login(officer)
    response = client.post(
        EXTENSIONS,
        {
            "reference": late.reference,
            "until": local_input(until),
            "reason": "Panne de la plateforme le jour de la relève.",
        },
    )
    assert response.status_code == 302
    page = text(client.get(EXTENSIONS))
    assert late.reference in page and "Panne de la plateforme" in page

    late.refresh_from_db()
    assert late.extended_until == until
    entry = TransitionLog.objects.get(application=late)
    assert entry.transition == TransitionLog.DEADLINE_EXTENSION and entry.actor == officer
    assert "Panne de la plateforme" in entry.comment

    # The applicant sees the new deadline, then submits.
    client.force_login(late.created_by)
    dashboard = text(client.get(reverse("grants:dashboard")))
    assert "Délai prolongé jusqu'au" in dashboard
    submitted = submit_application(late, late.created_by)
    assert submitted.status == S.SUBMITTED
    assert {c["code"]: c["passed"] for c in submitted.eligibility_checks}["deadline"]

    with pytest.raises(Refused):
        submit_application(other, other.created_by)
    assert Application.objects.get(pk=other.pk).status == S.DRAFT

    out = io.StringIO()
    call_command("verify_audit_trail", stdout=out)
    assert "Journal intègre" in out.getvalue()


@pytest.mark.django_db
def test_a_submission_one_second_after_the_extension_is_refused(closed_call, officer):
    draft = complete_application(closed_call)
    until = timezone.now() + timedelta(hours=3)
    grant_extension(draft, officer, until, "Document remis en retard par l'administration.")
    draft.refresh_from_db()
    with pytest.raises(Refused):
        submit_application(draft, draft.created_by, now=until + timedelta(seconds=1))
    assert Application.objects.get(pk=draft.pk).status == S.DRAFT
    submitted = submit_application(draft, draft.created_by, now=until - timedelta(seconds=1))
    assert submitted.status == S.SUBMITTED


@pytest.mark.django_db
def test_bad_requests_for_an_extension_are_refused_and_change_nothing(
    client, closed_call, officer, calls_index
):
    draft = complete_application(closed_call)
    future = local_input(timezone.now() + timedelta(days=1))
    client.force_login(officer)

    no_reason = client.post(EXTENSIONS, {"reference": draft.reference, "until": future})
    assert no_reason.status_code == 200 and "Motif de la prolongation" in text(no_reason)
    past = client.post(
        EXTENSIONS,
        {
            "reference": draft.reference,
            "until": local_input(timezone.now() - timedelta(hours=2)),
            "reason": "Motif",
        },
    )
    assert "La nouvelle échéance doit être dans le futur." in text(past)
    unknown = client.post(
        EXTENSIONS, {"reference": "RUCHE-2026-999999", "until": future, "reason": "Motif"}
    )
    assert "Aucun brouillon des appels que vous suivez" in text(unknown)

    # A draft of a call the officer does not run is as unknown as a missing one.
    now = timezone.now()
    elsewhere = complete_application(
        make_call(calls_index, opens_at=now - timedelta(days=9), cutoffs=[now - timedelta(1)])
    )
    foreign = client.post(
        EXTENSIONS, {"reference": elsewhere.reference, "until": future, "reason": "Motif"}
    )
    assert "Aucun brouillon des appels que vous suivez" in text(foreign)
    with pytest.raises(TransitionRefused):
        grant_extension(elsewhere, officer, now + timedelta(days=1), "Motif")

    # An applicant never reaches the page.
    client.force_login(draft.created_by)
    assert client.get(EXTENSIONS).status_code == 403

    assert not Application.objects.filter(extended_until__isnull=False).exists()
    assert not TransitionLog.objects.filter(transition=TransitionLog.DEADLINE_EXTENSION).exists()
