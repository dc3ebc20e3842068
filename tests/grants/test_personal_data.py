"""Personal data: the notice page, one's own export (and nobody else's), closing an account."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from cms.demo import load_demo
from ethics.models import ReviewerProfile
from evaluation.audit import verify
from evaluation.services import submit_application
from grants.models import (
    Application,
    Invitation,
    Membership,
    MembershipEvent,
    Notification,
    Organisation,
)

from ..factories import make_call
from ..grants_factories import (
    OrganisationFactory,
    UserFactory,
    add_member,
    attach,
    complete_application,
)

pytestmark = pytest.mark.django_db
OWNER, MEMBER = Membership.Role.OWNER, Membership.Role.MEMBER


@pytest.fixture
def call(calls_index):
    now = timezone.now()
    return make_call(
        calls_index, opens_at=now - timedelta(days=5), cutoffs=[now + timedelta(days=20)]
    )


@pytest.fixture
def people(call):
    """Alice owns an organisation where Bob is a member; each wrote an application, uploaded
    files and received messages. Carol is a stranger with her own organisation."""
    organisation = OrganisationFactory(legal_name="CardioLien SAS")
    alice = add_member(
        organisation, UserFactory(first_name="Alice", email="alice@example.org"), OWNER
    )
    bob = add_member(organisation, UserFactory(first_name="Bob", email="bob@example.org"), MEMBER)
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    mine = submit_application(complete_application(call, organisation, alice), alice)
    theirs = Application.objects.create(
        call=call,
        organisation=organisation,
        created_by=bob,
        answers={"projet": {"title": "BobProjet"}},
    )
    attach(theirs, "kbis", bob, "kbis-de-bob.pdf")
    other = OrganisationFactory(legal_name="Autre SAS")
    carol = add_member(other, UserFactory(first_name="Carol", email="carol@example.org"), OWNER)
    complete_application(call, other, carol)
    Notification.objects.create(user=alice, subject="Pour Alice", body="Bonjour Alice")
    Notification.objects.create(user=bob, subject="Pour Bob", body="Bonjour Bob")
    Invitation.objects.create(organisation=organisation, email="dora@example.org", invited_by=alice)
    return {"organisation": organisation, "alice": alice, "bob": bob, "carol": carol, "mine": mine}


def download(client, user) -> tuple[dict, zipfile.ZipFile, bytes]:
    client.force_login(user)
    response = client.get(reverse("grants:personal_data_zip"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    raw = b"".join(response.streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(raw))
    return json.loads(archive.read("donnees.json")), archive, raw


def test_the_export_holds_what_the_person_entered(client, people):
    data, archive, _raw = download(client, people["alice"])

    assert data["account"]["email"] == "alice@example.org"
    assert data["account"]["email_addresses"][0]["email"] == "alice@example.org"
    assert [m["organisation"] for m in data["memberships"]] == ["CardioLien SAS"]
    (application,) = data["applications_created"]
    assert application["reference"] == people["mine"].reference
    assert application["answers"]["projet"]["title"] == "TeleCardio"
    assert [m["subject"] for m in data["messages"]] == ["Pour Alice"]
    # Her files are in the zip, byte for byte.
    names = set(archive.namelist()) - {"donnees.json"}
    assert names == {f["path"] for f in data["files_uploaded"]} and len(names) == 2
    for attachment in people["mine"].attachments.all():
        path = next(f["path"] for f in data["files_uploaded"] if f["sha256"] == attachment.sha256)
        assert archive.read(path) == attachment.file.open("rb").read()


def test_the_export_holds_nothing_of_other_people(client, people):
    _data, archive, raw = download(client, people["alice"])
    everything = raw + b"".join(archive.read(name) for name in archive.namelist())
    for foreign in (
        b"bob@example.org",
        b"Bob",
        b"BobProjet",
        b"kbis-de-bob",
        b"carol",
        b"Carol",
        b"Autre SAS",
        b"dora@example.org",
    ):
        assert foreign not in everything, foreign


def test_the_export_needs_sign_in(client, people):
    response = client.get(reverse("grants:personal_data_zip"))
    assert response.status_code == 302


def test_closing_an_account_removes_the_person_and_keeps_the_records(client, people):
    bob, organisation = people["bob"], people["organisation"]
    Notification.objects.create(user=bob, subject="Encore", body="…")
    client.force_login(bob)
    page = client.get(reverse("grants:close_account"))
    assert page.status_code == 200
    assert client.post(reverse("grants:close_account")).status_code == 400  # not confirmed
    response = client.post(reverse("grants:close_account"), {"confirm": "yes"})
    assert response.status_code == 302

    bob = get_user_model().objects.get(pk=bob.pk)
    assert (bob.first_name, bob.last_name, bob.email, bob.is_active) == ("", "", "", False)
    assert not bob.has_usable_password()
    assert not Membership.objects.filter(user=bob).exists()
    assert not Notification.objects.filter(user=bob).exists()
    # His application stays with the organisation; the change is recorded.
    assert Application.objects.filter(created_by=bob, organisation=organisation).exists()
    assert MembershipEvent.objects.filter(kind=MembershipEvent.Kind.LEFT, member=bob).exists()
    # Signed out, and cannot sign in again.
    assert client.get(reverse("grants:dashboard")).status_code == 302
    assert not client.login(username="bob@example.org", password="password")
    assert verify().ok


def test_the_last_owner_hands_over_before_closing(client, people):
    alice = people["alice"]
    client.force_login(alice)
    response = client.get(reverse("grants:personal_data"))
    assert "dernier responsable" in response.content.decode()
    client.post(reverse("grants:close_account"), {"confirm": "yes"})
    alice.refresh_from_db()
    assert alice.is_active and alice.email == "alice@example.org"
    assert Membership.objects.filter(user=alice).exists()


def test_the_sole_member_closes_and_the_organisation_stays(client, people):
    carol = people["carol"]
    client.force_login(carol)
    client.post(reverse("grants:close_account"), {"confirm": "yes"})
    assert Organisation.objects.filter(legal_name="Autre SAS").exists()
    carol.refresh_from_db()
    assert not carol.is_active


def test_invitations_to_a_closed_account_are_forgotten(client, people):
    dora = UserFactory(email="dora@example.org")
    client.force_login(dora)
    client.post(reverse("grants:close_account"), {"confirm": "yes"})
    assert not Invitation.objects.filter(email__iexact="dora@example.org").exists()


def test_the_personal_data_notice_is_a_cms_page(client, calls_index):
    load_demo()
    response = client.get("/donnees-personnelles/")
    assert response.status_code == 200
    text = response.content.decode()
    for heading in (
        "Finalités",
        "Base légale",
        "Durées de conservation",
        "Délégué à la protection",
    ):
        assert heading in text
    assert "5 ans" in text  # each operator's retention period, from the operators
    home = client.get("/").content.decode()
    assert 'href="/donnees-personnelles/"' in home


def test_upper_apps_add_their_parts(client, people):
    data, _archive, _raw = download(client, people["alice"])
    assert [t["transition"] for t in data["transitions_fired"]] == ["submit"]
    assert data["reviews_written"] == [] and data["reviewer_profile"] is None
    assert data["information_answers"] == [] and data["conflict_declarations"] == []


def test_an_expert_closing_their_account_leaves_the_pool(client, db):
    expert = UserFactory()
    ReviewerProfile.objects.create(user=expert, tracks=["ethics"], organisation_name="CHU")
    client.force_login(expert)
    client.post(reverse("grants:close_account"), {"confirm": "yes"})
    assert not ReviewerProfile.objects.filter(user=expert).exists()


def test_staff_accounts_are_closed_by_an_administrator(client, db):
    officer = UserFactory(is_staff=True)
    client.force_login(officer)
    client.post(reverse("grants:close_account"), {"confirm": "yes"})
    officer.refresh_from_db()
    assert officer.is_active
