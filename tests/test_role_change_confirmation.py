"""Role changes ask for a fresh confirmation of identity when MFA is required (core/mfa.py):
an applicant organisation's owner changing a role, removing a member or handing the
organisation over, and administrators editing groups in the CMS admin or in Django's admin.
A stale sign-in is sent to confirm and nothing changes; a fresh one acts."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.urls import reverse

from core.roles import COMMITTEE_GROUP, PROGRAMME_STAFF_GROUP
from grants.models import Membership, MembershipEvent

from .grants_factories import OrganisationFactory, UserFactory, add_member
from .test_strong_authentication import PASSWORD, with_totp

pytestmark = pytest.mark.django_db

REAUTHENTICATE = "/compte/reauthenticate/"


@pytest.fixture(autouse=True)
def mfa_on(settings):
    settings.RUCHE_REQUIRE_MFA = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organisation():
    organisation = OrganisationFactory()
    owner = add_member(organisation, UserFactory(first_name="Alice"))
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    member = add_member(organisation, UserFactory(first_name="Bob"), "member")
    return organisation, owner, member


def membership_url(name, organisation, user):
    membership = Membership.objects.get(organisation=organisation, user=user)
    return reverse(name, args=[organisation.pk, membership.pk])


def role_of(organisation, user):
    return (
        Membership.objects.filter(organisation=organisation, user=user)
        .values_list("role", flat=True)
        .first()
    )


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("grants:member_role", {"role": "owner"}),
        ("grants:member_remove", {}),
        ("grants:ownership_transfer", {}),
    ],
)
def test_a_stale_owner_confirms_their_password_first_then_the_change_is_made(
    client, organisation, url_name, data
):
    organisation, owner, member = organisation
    client.force_login(owner)  # signed in, but not in the last few minutes
    url = membership_url(url_name, organisation, member)
    if url_name != "grants:member_role":
        assert client.get(url).status_code == 200  # the confirmation page asks nothing

    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTHENTICATE)
    assert role_of(organisation, member) == "member" and role_of(organisation, owner) == "owner"
    assert not MembershipEvent.objects.exists()

    # The password is asked, then allauth replays the suspended change.
    assert client.get(response["Location"]).status_code == 200
    client.post(REAUTHENTICATE, {"password": PASSWORD, "next": url})
    if url_name == "grants:member_remove":
        assert role_of(organisation, member) is None
    else:
        assert role_of(organisation, member) == "owner"
    assert MembershipEvent.objects.count() == 1


def test_a_fresh_confirmation_changes_the_role_at_once(client, organisation):
    organisation, owner, member = organisation
    client.force_login(owner)
    client.post(REAUTHENTICATE, {"password": PASSWORD})  # confirmed a minute ago
    response = client.post(
        membership_url("grants:member_role", organisation, member), {"role": "owner"}
    )
    assert response["Location"] == reverse("grants:organisation_detail", args=[organisation.pk])
    assert role_of(organisation, member) == "owner"


def test_a_plain_member_is_refused_before_any_confirmation(client, organisation):
    organisation, owner, member = organisation
    client.force_login(member)
    response = client.post(
        membership_url("grants:member_role", organisation, owner), {"role": "member"}
    )
    assert response.status_code == 403
    stranger = UserFactory()
    client.force_login(stranger)
    response = client.post(membership_url("grants:member_remove", organisation, member))
    assert response.status_code == 404
    assert role_of(organisation, owner) == "owner" and role_of(organisation, member) == "member"


@pytest.fixture
def administrator(client):
    admin = UserFactory()
    admin.is_superuser = admin.is_staff = True
    admin.save()
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    with_totp(admin)
    client.force_login(admin)
    return admin


def test_editing_a_group_in_the_cms_admin_asks_for_the_second_factor(client, administrator):
    group = Group.objects.get(name=PROGRAMME_STAFF_GROUP)
    before = set(group.permissions.values_list("pk", flat=True))
    for url in (
        reverse("wagtailusers_groups:edit", args=[group.pk]),
        reverse("wagtailusers_groups:delete", args=[group.pk]),
        reverse("wagtailusers_groups:add"),
    ):
        assert client.get(url).status_code == 200, url
        response = client.post(url, {"name": "Tout-puissants"})
        assert response["Location"].startswith("/compte/2fa/reauthenticate/"), url
    group.refresh_from_db()
    assert group.name == PROGRAMME_STAFF_GROUP
    assert set(group.permissions.values_list("pk", flat=True)) == before
    assert not Group.objects.filter(name="Tout-puissants").exists()


def test_assigning_a_role_in_bulk_in_the_cms_admin_asks_for_the_second_factor(
    client, administrator
):
    target = UserFactory()
    url = reverse("wagtail_bulk_action", args=["auth", "user", "assign_role"])
    committee = Group.objects.get(name=COMMITTEE_GROUP)
    response = client.post(f"{url}?id={target.pk}", {"role": committee.pk})
    assert response["Location"].startswith("/compte/2fa/reauthenticate/")
    assert not target.groups.exists()


def test_django_admin_user_and_group_edits_ask_for_the_second_factor(client, administrator):
    target = UserFactory()
    committee = Group.objects.get(name=COMMITTEE_GROUP)
    user_url = reverse("admin:auth_user_change", args=[target.pk])
    assert client.get(user_url).status_code == 200
    response = client.post(
        user_url,
        {"username": target.username, "groups": [committee.pk], "is_superuser": "on"},
    )
    assert response["Location"].startswith("/compte/2fa/reauthenticate/")
    target.refresh_from_db()
    assert not target.groups.exists() and not target.is_superuser

    group_url = reverse("admin:auth_group_change", args=[committee.pk])
    permission = Permission.objects.first()
    response = client.post(group_url, {"name": committee.name, "permissions": [permission.pk]})
    assert response["Location"].startswith("/compte/2fa/reauthenticate/")
    assert not committee.permissions.filter(pk=permission.pk).exists()

    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [target.pk], "post": "yes"},
    )
    assert response["Location"].startswith("/compte/2fa/reauthenticate/")
    target.refresh_from_db()
