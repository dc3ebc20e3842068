"""Organisations: creation with checked SIREN/SIRET, members only, invitations by email."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from grants.models import Invitation, Membership, Organisation
from grants.models.organisations import INVITATION_VALIDITY

from ..grants_factories import OrganisationFactory, UserFactory, add_member, luhn_complete

SIREN = luhn_complete("81234567")
SIRET = luhn_complete(SIREN + "0001")
DUPLICATE = "Cette organisation est déjà inscrite : demandez à l'un de ses membres de vous inviter."

pytestmark = pytest.mark.django_db


def verified_user(email: str | None = None):
    user = UserFactory(**({"email": email} if email else {}))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def organisation_data(**overrides: str) -> dict[str, str]:
    data = {
        "legal_name": "CardioLien SAS",
        "siren": SIREN,
        "siret": SIRET,
        "legal_form": "sas",
        "size": "startup",
        "creation_date": "2021-03-15",
        "region": "11",
        "address": "12 rue de la Santé",
        "postcode": "75013",
        "city": "Paris",
    }
    return {**data, **overrides}


@pytest.fixture
def owner(client):
    user = verified_user()
    client.force_login(user)
    return user


@pytest.fixture
def organisation(owner):
    organisation = OrganisationFactory()
    add_member(organisation, owner, role=Membership.Role.OWNER)
    return organisation


# Creation


def test_creating_an_organisation_makes_the_user_its_owner(client, owner):
    response = client.get(reverse("grants:organisation_create"))
    assert response.status_code == 200
    assert "9 chiffres" in response.text
    assert "14 chiffres, commence par le SIREN" in response.text

    # Spaces as printed on a Kbis are accepted and stored as digits.
    spaced = f"{SIREN[:3]} {SIREN[3:6]} {SIREN[6:]}"
    response = client.post(reverse("grants:organisation_create"), organisation_data(siren=spaced))

    assert response.status_code == 302
    assert response.url == reverse("grants:dashboard")
    organisation = Organisation.objects.get()
    assert (organisation.siren, organisation.siret) == (SIREN, SIRET)
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (owner, Membership.Role.OWNER)


def test_creation_follows_a_local_next_but_not_a_foreign_one(client, owner):
    url = reverse("grants:organisation_create")
    response = client.post(url, {**organisation_data(), "next": "/appels/"})
    assert response.url == "/appels/"

    data = organisation_data(siren=luhn_complete("81234568"))
    data["siret"] = luhn_complete(data["siren"] + "0001")
    response = client.post(url, {**data, "next": "https://evil.example/"})
    assert response.url == reverse("grants:dashboard")


def test_invalid_siren_checksum_is_refused_in_french_and_the_input_kept(client, owner):
    wrong = SIREN[:-1] + str((int(SIREN[-1]) + 1) % 10)
    response = client.post(reverse("grants:organisation_create"), organisation_data(siren=wrong))

    assert response.status_code == 200
    assert response.context["form"].errors["siren"] == [
        "Ce SIREN n'existe pas : sa clé de contrôle est fausse."
    ]
    assert f'value="{wrong}"' in response.text
    assert 'value="CardioLien SAS"' in response.text
    assert 'aria-describedby="id_siren-desc-error"' in response.text
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


def test_siret_must_start_with_the_siren(client, owner):
    other_siret = luhn_complete(luhn_complete("73282932") + "0001")
    response = client.post(
        reverse("grants:organisation_create"), organisation_data(siret=other_siret)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["siret"] == [
        "Le SIRET doit commencer par le SIREN de l'organisation."
    ]
    assert not Organisation.objects.exists()


def test_a_siren_already_registered_is_refused_with_a_clear_message(client, owner):
    OrganisationFactory(siren=SIREN, siret=SIRET)
    response = client.post(reverse("grants:organisation_create"), organisation_data())

    assert response.status_code == 200
    assert response.context["form"].errors["siren"] == [DUPLICATE]
    assert "demandez à l&#x27;un de ses membres de vous inviter" in response.text
    assert Organisation.objects.count() == 1
    assert not Membership.objects.exists()


def test_postcode_and_creation_date_are_checked(client, owner):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        reverse("grants:organisation_create"),
        organisation_data(postcode="7501", creation_date=tomorrow),
    )

    errors = response.context["form"].errors
    assert errors["postcode"] == ["Le code postal doit comporter 5 chiffres."]
    assert errors["creation_date"] == ["La date de création ne peut pas être dans le futur."]
    assert not Organisation.objects.exists()


def test_anonymous_user_is_sent_to_the_login_page(client):
    organisation = OrganisationFactory()
    invitation = Invitation.objects.create(
        organisation=organisation, email="x@example.fr", invited_by=add_member(organisation)
    )
    for url in [
        reverse("grants:organisation_create"),
        reverse("grants:organisation_detail", args=[organisation.pk]),
        reverse("grants:organisation_edit", args=[organisation.pk]),
        reverse("grants:invitation_accept", args=[invitation.token]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/compte/login/?next=")


# Members only


def test_members_see_their_organisation(client, organisation, owner):
    response = client.get(reverse("grants:organisation_detail", args=[organisation.pk]))

    assert response.status_code == 200
    assert response.text.count("<h1") == 1
    assert owner.email in response.text
    assert "Responsable" in response.text


def test_a_non_member_gets_404_everywhere(client, owner):
    other = OrganisationFactory()
    add_member(other)
    detail = reverse("grants:organisation_detail", args=[other.pk])
    edit = reverse("grants:organisation_edit", args=[other.pk])
    invite = reverse("grants:organisation_invite", args=[other.pk])

    assert client.get(detail).status_code == 404
    assert client.get(edit).status_code == 404
    assert client.post(edit, organisation_data(legal_name="Pris")).status_code == 404
    assert client.post(invite, {"email": "intrus@example.fr"}).status_code == 404
    # Same answer as for an organisation that does not exist.
    assert (
        client.get(reverse("grants:organisation_detail", args=[other.pk + 1000])).status_code == 404
    )
    other.refresh_from_db()
    assert other.legal_name != "Pris"
    assert not Invitation.objects.exists()


def test_editing_keeps_the_siren(client, organisation):
    url = reverse("grants:organisation_edit", args=[organisation.pk])
    assert "disabled" in client.get(url).text
    original = organisation.siren
    siret = luhn_complete(original + "0002")

    response = client.post(
        url,
        organisation_data(legal_name="Nouveau nom", siren=SIREN, siret=siret, city="Lyon"),
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.legal_name, organisation.siren, organisation.siret) == (
        "Nouveau nom",
        original,
        siret,
    )


# Invitations


def invite(client, organisation, email: str):
    return client.post(
        reverse("grants:organisation_invite", args=[organisation.pk]), {"email": email}
    )


def test_invitation_is_emailed_with_a_working_link_and_accepted(
    client, organisation, owner, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILADMIN_BASE_URL = "https://ruche.example"
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, organisation, "Ines@CardioLien.example")
    assert response.status_code == 302
    assert response.url == reverse("grants:organisation_detail", args=[organisation.pk])

    invitation = Invitation.objects.get()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["Ines@CardioLien.example"]
    assert mail.subject == f"[Ruche] Invitation à rejoindre {organisation.legal_name}"
    link = "https://ruche.example" + reverse("grants:invitation_accept", args=[invitation.token])
    assert link in mail.body

    detail = client.get(reverse("grants:organisation_detail", args=[organisation.pk]))
    assert "Ines@CardioLien.example" in detail.text

    invitee = verified_user("ines@cardiolien.example")  # same address, other case
    client.force_login(invitee)
    path = link.removeprefix("https://ruche.example")
    page = client.get(path)
    assert page.status_code == 200
    assert organisation.legal_name in page.text
    assert owner.email in page.text

    response = client.post(path)
    assert response.status_code == 302
    membership = Membership.objects.get(user=invitee, organisation=organisation)
    assert membership.role == Membership.Role.MEMBER
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert (
        client.get(reverse("grants:organisation_detail", args=[organisation.pk])).status_code == 200
    )

    # The link is spent: a second visit just leads the new member to the organisation.
    assert client.get(path).url == reverse("grants:organisation_detail", args=[organisation.pk])


def test_invitation_refuses_members_and_pending_duplicates(client, organisation, owner):
    response = invite(client, organisation, owner.email.upper())
    assert response.context["invite_form"].errors["email"] == [
        "Cette personne est déjà membre de l'organisation."
    ]

    assert invite(client, organisation, "ines@cardiolien.example").status_code == 302
    response = invite(client, organisation, "INES@cardiolien.example")
    assert response.context["invite_form"].errors["email"] == [
        "Une invitation est déjà en attente pour cette adresse."
    ]
    assert Invitation.objects.count() == 1

    # Once expired, the address can be invited again.
    Invitation.objects.update(created_at=timezone.now() - INVITATION_VALIDITY)
    assert invite(client, organisation, "ines@cardiolien.example").status_code == 302
    assert Invitation.objects.count() == 2


def test_invite_is_post_only(client, organisation):
    url = reverse("grants:organisation_invite", args=[organisation.pk])
    assert client.get(url).status_code == 405


@pytest.fixture
def invitation(organisation, owner):
    return Invitation.objects.create(
        organisation=organisation, email="ines@cardiolien.example", invited_by=owner
    )


def test_another_account_cannot_use_the_link(client, invitation):
    stranger = verified_user("someone@else.example")
    # Holding the invited address unverified is not enough either.
    EmailAddress.objects.create(user=stranger, email=invitation.email, verified=False)
    client.force_login(stranger)
    url = reverse("grants:invitation_accept", args=[invitation.token])

    page = client.get(url)
    assert page.status_code == 403
    assert "n&#x27;est pas une adresse vérifiée de votre compte" in page.text
    assert client.post(url).status_code == 403
    assert not Membership.objects.filter(user=stranger).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_expired_invitation_is_refused(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - INVITATION_VALIDITY - timedelta(minutes=1)
    )
    invitee = verified_user(invitation.email)
    client.force_login(invitee)
    url = reverse("grants:invitation_accept", args=[invitation.token])

    page = client.get(url)
    assert page.status_code == 403
    assert "n&#x27;est plus valable" in page.text
    assert client.post(url).status_code == 403
    assert not Membership.objects.filter(user=invitee).exists()


def test_an_unknown_token_is_404(client, owner):
    assert client.get(reverse("grants:invitation_accept", args=["inconnu"])).status_code == 404
