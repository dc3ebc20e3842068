"""Changing who belongs to an organisation and in which role.

Every change locks the organisation's row first: two owners demoting each other at the same
instant, or the last two owners leaving together, are serialised, so an organisation never
ends up without an owner while it has members. Who may act is checked again under the lock
(someone demoted a second ago is no longer an owner); a refusal of a rule says why.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.refusals import Refused

from .. import emails
from ..models import Invitation, Membership, MembershipEvent, Organisation
from ..models.organisations import pending_invitations
from ..permissions import membership_of

LAST_OWNER = _(
    "L'organisation doit garder au moins un responsable : désignez d'abord un autre responsable."
)


Kind = MembershipEvent.Kind


def _record(organisation: Organisation, kind: str, actor, **fields) -> None:
    MembershipEvent.objects.create(organisation=organisation, kind=kind, actor=actor, **fields)


def _lock(organisation: Organisation) -> Organisation:
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _owner_membership(user, organisation: Organisation) -> Membership:
    membership = membership_of(user, organisation)
    if membership is None or not membership.is_owner:
        raise PermissionDenied
    return membership


def _owner_count(organisation: Organisation) -> int:
    return organisation.memberships.filter(role=Membership.Role.OWNER).count()


def _target(organisation: Organisation, membership_id: int) -> Membership:
    membership = organisation.memberships.select_related("user").filter(pk=membership_id).first()
    if membership is None:
        raise Refused([_("Cette personne n'est plus membre de l'organisation.")])
    return membership


@transaction.atomic
def invite(organisation: Organisation, by, email: str) -> Invitation:
    """Invite ``email`` to join as a member; the email leaves after the commit."""
    organisation = _lock(organisation)
    _owner_membership(by, organisation)
    invitation = Invitation.objects.create(organisation=organisation, email=email, invited_by=by)
    _record(organisation, Kind.INVITED, by, invitation=invitation)
    emails.send_invitation(invitation)
    return invitation


@transaction.atomic
def revoke_invitation(organisation: Organisation, by, invitation_id: int) -> Invitation:
    """The link stops working at once; revoking twice changes nothing."""
    organisation = _lock(organisation)
    _owner_membership(by, organisation)
    invitation = organisation.invitations.select_for_update().filter(pk=invitation_id).first()
    if invitation is None:
        raise Refused([_("Cette invitation n'existe pas.")])
    if invitation.accepted_at is not None:
        raise Refused([_("Cette invitation a déjà été acceptée : retirez plutôt le membre.")])
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        _record(organisation, Kind.INVITATION_REVOKED, by, invitation=invitation)
    return invitation


@transaction.atomic
def remove_member(organisation: Organisation, by, membership_id: int) -> Membership:
    """An owner removes someone else; the last owner cannot be removed."""
    organisation = _lock(organisation)
    mine = _owner_membership(by, organisation)
    target = _target(organisation, membership_id)
    if target.pk == mine.pk:
        raise Refused([_("Pour vous retirer vous-même, quittez l'organisation.")])
    if target.is_owner and _owner_count(organisation) == 1:
        raise Refused([LAST_OWNER])
    target.delete()
    _record(organisation, Kind.REMOVED, by, member=target.user)
    emails.send_membership_change(target.user, organisation, emails.REMOVED)
    return target


@transaction.atomic
def change_role(organisation: Organisation, by, membership_id: int, role: str) -> Membership:
    """Make a member an owner, or an owner a member, as long as one owner remains."""
    if role not in Membership.Role.values:
        raise Refused([_("Ce rôle n'existe pas.")])
    organisation = _lock(organisation)
    _owner_membership(by, organisation)
    target = _target(organisation, membership_id)
    if target.role == role:
        return target
    if target.is_owner and _owner_count(organisation) == 1:
        raise Refused([LAST_OWNER])
    target.role = role
    target.save(update_fields=["role"])
    _record(organisation, Kind.ROLE_CHANGED, by, member=target.user, detail=role)
    emails.send_membership_change(target.user, organisation, emails.ROLE_CHANGED)
    return target


@transaction.atomic
def transfer_ownership(organisation: Organisation, by, membership_id: int) -> Membership:
    """Hand the organisation over: the member becomes owner, the owner becomes a member."""
    organisation = _lock(organisation)
    mine = _owner_membership(by, organisation)
    target = _target(organisation, membership_id)
    if target.pk == mine.pk:
        raise Refused([_("Vous êtes déjà responsable de l'organisation.")])
    target.role = Membership.Role.OWNER
    target.save(update_fields=["role"])
    mine.role = Membership.Role.MEMBER
    mine.save(update_fields=["role"])
    _record(organisation, Kind.OWNERSHIP_TRANSFERRED, by, member=target.user)
    emails.send_membership_change(target.user, organisation, emails.OWNERSHIP_RECEIVED)
    return target


@transaction.atomic
def leave(organisation: Organisation, user) -> None:
    """Anyone leaves, except the last owner of an organisation that has other members (they
    hand over first). The last member of all may leave: the organisation and its records stay,
    with nobody to act for it until its legal representative signs up again."""
    organisation = _lock(organisation)
    mine = membership_of(user, organisation)
    if mine is None:
        raise PermissionDenied
    others = organisation.memberships.exclude(pk=mine.pk)
    if mine.is_owner and others.exists() and _owner_count(organisation) == 1:
        raise Refused([LAST_OWNER])
    mine.delete()
    _record(organisation, Kind.LEFT, user, member=user)


@transaction.atomic
def set_submission_policy(organisation: Organisation, by, members_may_submit: bool) -> None:
    organisation = _lock(organisation)
    _owner_membership(by, organisation)
    organisation.members_may_submit = members_may_submit
    organisation.save(update_fields=["members_may_submit"])
    policy = "members_may_submit" if members_may_submit else "owners_only"
    _record(organisation, Kind.POLICY_CHANGED, by, detail=policy)


@transaction.atomic
def accept_invitation(invitation: Invitation, user) -> bool:
    """Join as a member. Conditional update: two simultaneous clicks accept the invitation
    once; revoked or expired meanwhile, nothing is accepted (returns False)."""
    organisation = invitation.organisation
    accepted = (
        pending_invitations(organisation)
        .filter(pk=invitation.pk)
        .update(accepted_at=timezone.now())
    )
    if not accepted:
        return False
    _membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": Membership.Role.MEMBER}
    )
    if created:
        _record(organisation, Kind.JOINED, user, member=user, invitation=invitation)
    return True
