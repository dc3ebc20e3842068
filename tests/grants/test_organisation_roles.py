"""Organisation roles: owners act for the organisation, members prepare its applications.

The permission matrix runs every organisation view and action as an owner, a member and an
outsider: the allowed ones do what they say; the forbidden ones answer 403 (a member) or 404
(an outsider) and leave the database as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from core.vocabulary import ApplicationStatus
from evaluation.services import submit_application
from grants.models import (
    Application,
    Invitation,
    Membership,
    MembershipEvent,
    Message,
    Organisation,
)

from ..factories import make_call
from ..grants_factories import (
    OrganisationFactory,
    UserFactory,
    add_member,
    complete_application,
    signed_declarations,
)

pytestmark = pytest.mark.django_db

OWNER, MEMBER = Membership.Role.OWNER, Membership.Role.MEMBER


@dataclass
class World:
    organisation: Organisation
    owner: object
    member: object
    colleague: object  # a second member, the target of the owners' actions
    outsider: object
    invitation: Invitation
    draft: Application
    submitted: Application

    def membership(self, user) -> Membership:
        return Membership.objects.get(organisation=self.organisation, user=user)


@pytest.fixture
def world(calls_index) -> World:
    now = timezone.now()
    call = make_call(
        calls_index, opens_at=now - timedelta(days=5), cutoffs=[now + timedelta(days=20)]
    )
    organisation = OrganisationFactory()
    owner = add_member(organisation, role=OWNER)
    member = add_member(organisation, role=MEMBER)
    colleague = add_member(organisation, role=MEMBER)
    outsider = UserFactory()
    add_member(OrganisationFactory(), outsider, role=OWNER)  # owns another organisation
    invitation = Invitation.objects.create(
        organisation=organisation, email="invitee@example.org", invited_by=owner
    )
    submitted = submit_application(complete_application(call, organisation, owner), owner)
    draft = complete_application(call, organisation, owner)
    return World(organisation, owner, member, colleague, outsider, invitation, draft, submitted)


def state(world: World) -> dict:
    """What any action could change, to compare before and after a refusal."""
    organisation = Organisation.objects.get(pk=world.organisation.pk)
    return {
        "organisation": {
            field.attname: getattr(organisation, field.attname)
            for field in Organisation._meta.concrete_fields
        },
        "members": sorted(
            Membership.objects.filter(organisation=organisation).values_list("user_id", "role")
        ),
        "invitations": sorted(
            Invitation.objects.filter(organisation=organisation).values_list(
                "pk", "email", "accepted_at", "revoked_at"
            )
        ),
        "applications": sorted(
            Application.objects.filter(organisation=organisation).values_list("pk", "status")
        ),
        "events": MembershipEvent.objects.count(),
        "messages": Message.objects.filter(application__organisation=organisation).count(),
    }


def organisation_data(organisation: Organisation, **overrides) -> dict:
    data = {
        "legal_name": organisation.legal_name,
        "siren": organisation.siren,
        "siret": organisation.siret,
        "legal_form": organisation.legal_form,
        "size": organisation.size,
        "creation_date": organisation.creation_date.isoformat(),
        "region": organisation.region,
        "address": organisation.address,
        "postcode": organisation.postcode,
        "city": organisation.city,
    }
    return {**data, **overrides}


# Each action: (method, url, data) from the world. The member and colleague rows are the
# targets of the owners' actions (the colleague, never the person acting).
def _org(name: str, *extra):
    return lambda w: reverse(name, args=[w.organisation.pk, *extra])


ACTIONS = {
    "detail": ("get", _org("grants:organisation_detail"), None),
    "edit_form": ("get", _org("grants:organisation_edit"), None),
    "edit": (
        "post",
        _org("grants:organisation_edit"),
        lambda w: organisation_data(w.organisation, legal_name="Nouveau nom SAS"),
    ),
    "invite": (
        "post",
        _org("grants:organisation_invite"),
        lambda w: {"email": "new-colleague@example.org"},
    ),
    "revoke_invitation": (
        "post",
        lambda w: reverse("grants:invitation_revoke", args=[w.organisation.pk, w.invitation.pk]),
        lambda w: {},
    ),
    "remove_form": (
        "get",
        lambda w: reverse(
            "grants:member_remove", args=[w.organisation.pk, w.membership(w.colleague).pk]
        ),
        None,
    ),
    "remove": (
        "post",
        lambda w: reverse(
            "grants:member_remove", args=[w.organisation.pk, w.membership(w.colleague).pk]
        ),
        lambda w: {},
    ),
    "promote": (
        "post",
        lambda w: reverse(
            "grants:member_role", args=[w.organisation.pk, w.membership(w.colleague).pk]
        ),
        lambda w: {"role": OWNER},
    ),
    "transfer_form": (
        "get",
        lambda w: reverse(
            "grants:ownership_transfer", args=[w.organisation.pk, w.membership(w.colleague).pk]
        ),
        None,
    ),
    "transfer": (
        "post",
        lambda w: reverse(
            "grants:ownership_transfer", args=[w.organisation.pk, w.membership(w.colleague).pk]
        ),
        lambda w: {},
    ),
    "submission_policy": (
        "post",
        _org("grants:submission_policy"),
        lambda w: {"members_may_submit": "on"},
    ),
    "draft_section": (
        "get",
        lambda w: reverse("grants:section", args=[w.draft.pk, "projet"]),
        None,
    ),
    "submit_form": ("get", lambda w: reverse("evaluation:submit", args=[w.draft.pk]), None),
    "submit": (
        "post",
        lambda w: reverse("evaluation:submit", args=[w.draft.pk]),
        lambda w: signed_declarations(),
    ),
    "withdraw": (
        "post",
        lambda w: reverse("evaluation:withdraw", args=[w.submitted.pk]),
        lambda w: {"confirm": "yes", "comment": ""},
    ),
    # The thread of a submitted application: owners and members alike write to the programme.
    "message": (
        "post",
        lambda w: reverse("evaluation:message_post", args=[w.submitted.pk]),
        lambda w: {"message-text": "Une question sur le calendrier."},
    ),
}

OWNER_ONLY = {
    "edit_form",
    "edit",
    "invite",
    "revoke_invitation",
    "remove_form",
    "remove",
    "promote",
    "transfer_form",
    "transfer",
    "submission_policy",
    "submit_form",
    "submit",
    "withdraw",
}
MEMBERS = {"detail", "draft_section", "message"}
READS = {name for name, (method, _, _) in ACTIONS.items() if method == "get"}


def effect(name: str, world: World) -> None:
    """What an allowed action must have done."""
    organisation = Organisation.objects.get(pk=world.organisation.pk)
    events = MembershipEvent.objects.filter(organisation=organisation)
    if name == "edit":
        assert organisation.legal_name == "Nouveau nom SAS"
    elif name == "invite":
        assert organisation.invitations.filter(email="new-colleague@example.org").exists()
        assert events.filter(kind=MembershipEvent.Kind.INVITED).exists()
    elif name == "revoke_invitation":
        world.invitation.refresh_from_db()
        assert world.invitation.revoked_at is not None and not world.invitation.is_usable
        assert events.filter(kind=MembershipEvent.Kind.INVITATION_REVOKED).exists()
    elif name == "remove":
        assert not organisation.memberships.filter(user=world.colleague).exists()
        assert events.filter(kind=MembershipEvent.Kind.REMOVED, member=world.colleague).exists()
    elif name == "promote":
        assert world.membership(world.colleague).role == OWNER
        assert events.filter(kind=MembershipEvent.Kind.ROLE_CHANGED, detail=OWNER).exists()
    elif name == "transfer":
        assert world.membership(world.colleague).role == OWNER
        assert world.membership(world.owner).role == MEMBER
    elif name == "submission_policy":
        assert organisation.members_may_submit
    elif name == "submit":
        world.draft.refresh_from_db()
        assert world.draft.status == ApplicationStatus.SUBMITTED
    elif name == "withdraw":
        world.submitted.refresh_from_db()
        assert world.submitted.status == ApplicationStatus.WITHDRAWN
    elif name == "message":
        assert Message.objects.filter(application=world.submitted).count() == 1


@pytest.mark.parametrize("role", ["owner", "member", "outsider"])
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_permission_matrix(client, world, role, action):
    user = {"owner": world.owner, "member": world.member, "outsider": world.outsider}[role]
    method, url, data = ACTIONS[action]
    client.force_login(user)
    before = state(world)

    response = getattr(client, method)(url(world), data(world) if data else None)

    allowed = role == "owner" or (role == "member" and action in MEMBERS)
    if allowed:
        assert response.status_code in (200, 302), response.status_code
        if action in READS:
            assert response.status_code == 200
            assert state(world) == before
        else:
            effect(action, world)
    else:
        assert response.status_code == (403 if role == "member" else 404)
        assert state(world) == before


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    before = state(world)
    for method, url, data in ACTIONS.values():
        response = getattr(client, method)(url(world), data(world) if data else None)
        assert response.status_code == 302
        assert response.url.startswith(resolve_url(settings.LOGIN_URL))
    assert state(world) == before


def test_members_submit_when_the_owners_allow_it(client, world):
    client.force_login(world.owner)
    client.post(
        reverse("grants:submission_policy", args=[world.organisation.pk]),
        {"members_may_submit": "on"},
    )
    client.force_login(world.member)
    assert client.get(reverse("grants:review", args=[world.draft.pk])).context["may_submit"]
    client.post(reverse("evaluation:submit", args=[world.draft.pk]), signed_declarations())
    world.draft.refresh_from_db()
    assert world.draft.status == ApplicationStatus.SUBMITTED
    # Withdrawing stays the owners' decision.
    response = client.post(
        reverse("evaluation:withdraw", args=[world.draft.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 403


def test_a_member_leaves_and_is_recorded(client, world):
    client.force_login(world.member)
    response = client.post(reverse("grants:organisation_leave", args=[world.organisation.pk]))
    assert response.status_code == 302
    assert not world.organisation.memberships.filter(user=world.member).exists()
    event = MembershipEvent.objects.get(kind=MembershipEvent.Kind.LEFT)
    assert (event.actor, event.member) == (world.member, world.member)


def test_the_last_owner_cannot_leave_nor_be_demoted(client, world):
    client.force_login(world.owner)
    before = state(world)
    client.post(reverse("grants:organisation_leave", args=[world.organisation.pk]))
    client.post(
        reverse(
            "grants:member_role", args=[world.organisation.pk, world.membership(world.owner).pk]
        ),
        {"role": MEMBER},
    )
    assert state(world) == before
    response = client.get(reverse("grants:organisation_detail", args=[world.organisation.pk]))
    assert "Dernier responsable" in response.content.decode()


def test_a_second_owner_lets_the_first_one_leave(client, world):
    Membership.objects.filter(user=world.colleague).update(role=OWNER)
    client.force_login(world.owner)
    client.post(reverse("grants:organisation_leave", args=[world.organisation.pk]))
    assert not world.organisation.memberships.filter(user=world.owner).exists()


def test_outsider_cannot_reach_a_membership_of_another_organisation(client, world):
    """An owner of one organisation names a membership of another in the URL of their own."""
    other = Organisation.objects.exclude(pk=world.organisation.pk).get()
    client.force_login(world.outsider)
    before = state(world)
    response = client.post(
        reverse("grants:member_remove", args=[other.pk, world.membership(world.colleague).pk])
    )
    assert response.status_code == 404
    response = client.post(
        reverse("grants:invitation_revoke", args=[other.pk, world.invitation.pk])
    )
    assert response.status_code == 404
    assert state(world) == before


def test_membership_changes_are_emailed(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse(
                "grants:member_role",
                args=[world.organisation.pk, world.membership(world.colleague).pk],
            ),
            {"role": OWNER},
        )
        client.post(
            reverse(
                "grants:member_remove",
                args=[world.organisation.pk, world.membership(world.member).pk],
            )
        )
    subjects = {(m.to[0], m.subject) for m in mailoutbox}
    assert (
        world.colleague.email,
        f"[Ruche] Votre rôle dans {world.organisation.legal_name} a changé",
    ) in subjects
    assert (
        world.member.email,
        f"[Ruche] Vous ne faites plus partie de {world.organisation.legal_name}",
    ) in subjects


def test_revoked_and_expired_invitations_cannot_be_accepted(client, world):
    from allauth.account.models import EmailAddress

    invitee = UserFactory(email="invitee@example.org")
    EmailAddress.objects.create(user=invitee, email=invitee.email, verified=True, primary=True)
    world.invitation.revoked_at = timezone.now()
    world.invitation.save()
    client.force_login(invitee)
    url = reverse("grants:invitation_accept", args=[world.invitation.token])
    assert client.post(url).status_code == 403
    expired = Invitation.objects.create(
        organisation=world.organisation, email=invitee.email, invited_by=world.owner
    )
    Invitation.objects.filter(pk=expired.pk).update(created_at=timezone.now() - timedelta(days=15))
    assert client.post(reverse("grants:invitation_accept", args=[expired.token])).status_code == 403
    assert not world.organisation.memberships.filter(user=invitee).exists()


def test_accepting_an_invitation_joins_as_member_and_is_recorded(client, world):
    from allauth.account.models import EmailAddress

    invitee = UserFactory(email="invitee@example.org")
    EmailAddress.objects.create(user=invitee, email=invitee.email, verified=True, primary=True)
    client.force_login(invitee)
    client.post(reverse("grants:invitation_accept", args=[world.invitation.token]))
    assert world.membership(invitee).role == MEMBER
    assert MembershipEvent.objects.filter(kind=MembershipEvent.Kind.JOINED, member=invitee).exists()
