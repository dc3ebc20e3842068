"""Organisations that apply, their members and invitations to join them."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.vocabulary import LegalForm, OrganisationSize, Region

from ..validators import validate_siren, validate_siret

INVITATION_VALIDITY = timedelta(days=14)
# NAF rév. 2 code as INSEE writes it (the APE code of the legal unit), e.g. « 62.01Z ».
NAF_CODE = RegexValidator(
    r"^\d{2}\.\d{2}[A-Z]$",
    _("Le code NAF comporte 4 chiffres et une lettre, par exemple 62.01Z."),
    code="naf_code",
)


class Organisation(models.Model):
    legal_name = models.CharField(_("raison sociale"), max_length=200)
    siren = models.CharField(_("SIREN"), max_length=9, unique=True, validators=[validate_siren])
    siret = models.CharField(
        _("SIRET du siège ou de l'établissement porteur"),
        max_length=14,
        validators=[validate_siret],
    )
    legal_form = models.CharField(_("forme juridique"), max_length=20, choices=LegalForm.choices)
    naf_code = models.CharField(
        _("code NAF / APE"), max_length=6, blank=True, default="", validators=[NAF_CODE]
    )
    size = models.CharField(_("catégorie"), max_length=30, choices=OrganisationSize.choices)
    creation_date = models.DateField(_("date de création"))
    region = models.CharField(_("région"), max_length=2, choices=Region.choices)
    address = models.CharField(_("adresse"), max_length=300)
    postcode = models.CharField(_("code postal"), max_length=5)
    city = models.CharField(_("commune"), max_length=120)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations"
    )
    # Owners decide whether plain members may submit the organisation's applications: a
    # submission commits the organisation, so by default only its owners do it.
    members_may_submit = models.BooleanField(
        _("les co-candidats peuvent déposer les dossiers"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["legal_name"]

    def __str__(self) -> str:
        return self.legal_name

    def clean(self) -> None:
        super().clean()
        if self.siren and self.siret and not self.siret.startswith(self.siren):
            raise ValidationError(
                {"siret": _("Le SIRET doit commencer par le SIREN de l'organisation.")}
            )

    @property
    def email_domains(self) -> set[str]:
        return {m.email.rsplit("@", 1)[-1].lower() for m in self.members.all() if m.email}

    def member_emails(self) -> list[str]:
        """The addresses of the active members, for the organisation's essential emails."""
        return sorted({m.email for m in self.members.filter(is_active=True) if m.email})


class Membership(models.Model):
    """A person's place in an organisation. Owners (the legal representative or their
    delegates) act for it; members prepare its applications. grants.permissions says who may
    do what, grants.services.membership changes memberships under the organisation's lock."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Responsable")
        MEMBER = "member", _("Co-candidat")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation}"

    @property
    def is_owner(self) -> bool:
        return self.role == self.Role.OWNER


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An owner invites a colleague by email; the link lets them join, as a member, after
    signing in, until it is accepted, revoked or ``INVITATION_VALIDITY`` has passed."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("courriel"))
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def expires_at(self):
        return self.created_at + INVITATION_VALIDITY

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and timezone.now() < self.expires_at
        )


def pending_invitations(organisation: Organisation) -> models.QuerySet[Invitation]:
    """Invitations of ``organisation`` that can still be accepted (same rule as is_usable)."""
    return organisation.invitations.filter(
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        created_at__gt=timezone.now() - INVITATION_VALIDITY,
    )


class MembershipEvent(models.Model):
    """The organisation's record of who joined, left, was removed or changed role, and of its
    invitations and submission policy: owners read it on the organisation's page. People are
    referred to by account (set to null when an account is closed), never by name."""

    class Kind(models.TextChoices):
        INVITED = "invited", _("invitation envoyée")
        INVITATION_REVOKED = "invitation_revoked", _("invitation révoquée")
        JOINED = "joined", _("arrivée")
        REMOVED = "removed", _("retrait par un responsable")
        LEFT = "left", _("départ")
        ROLE_CHANGED = "role_changed", _("changement de rôle")
        OWNERSHIP_TRANSFERRED = "ownership_transferred", _("responsabilité transmise")
        POLICY_CHANGED = "policy_changed", _("règle de dépôt modifiée")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="membership_events"
    )
    kind = models.CharField(_("évènement"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The new role, or the new policy ("members_may_submit"/"owners_only").
    detail = models.CharField(max_length=30, blank=True)
    at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("évènement de l'organisation")
        verbose_name_plural = _("évènements de l'organisation")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.kind}"
