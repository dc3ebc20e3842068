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


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """A member invites a colleague by email; the link lets them join after signing in."""

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

    class Meta:
        verbose_name = _("invitation")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and timezone.now() < self.created_at + INVITATION_VALIDITY
