"""Forms of an applicant organisation: its identity (SIREN, SIRET…) and invitations to join it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from allauth.account.models import EmailAddress
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from ..models import Membership, Organisation
from ..models.organisations import pending_invitations
from ..validators import clean_siren, clean_siret

DUPLICATE_SIREN = _(
    "Cette organisation est déjà inscrite : demandez à l'un de ses membres de vous inviter."
)
POSTCODE = re.compile(r"\d{5}")
NAF = re.compile(r"(\d{2})\.?(\d{2})([A-Z])")


class OrganisationForm(DsfrBaseForm, forms.ModelForm):
    # Declared here rather than generated from the model: people paste « 812 345 678 », longer
    # than the stored 9 digits, and clean_siren/clean_siret reduce it to digits.
    siren = forms.CharField(
        label=_("SIREN"),
        max_length=20,
        help_text=_("9 chiffres"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"unique": DUPLICATE_SIREN},
    )
    siret = forms.CharField(
        label=_("SIRET du siège ou de l'établissement porteur"),
        max_length=25,
        help_text=_("14 chiffres, commence par le SIREN"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    naf_code = forms.CharField(
        label=_("Code NAF / APE"),
        required=False,
        max_length=10,
        help_text=_("4 chiffres et une lettre, par exemple 62.01Z (avis de situation Insee)"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    postcode = forms.CharField(
        label=_("Code postal"),
        max_length=5,
        help_text=_("5 chiffres"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )

    class Meta:
        model = Organisation
        # The SIRET first: typing it fills the rest from the company directory.
        fields = [
            "siret",
            "siren",
            "legal_name",
            "legal_form",
            "naf_code",
            "size",
            "creation_date",
            "region",
            "address",
            "postcode",
            "city",
        ]
        widgets = {
            "legal_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            # ISO format: what <input type="date"> sends and expects back.
            "creation_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "address": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }
        help_texts = {"creation_date": _("Telle qu'indiquée sur l'extrait Kbis ou au RNE.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("legal_form", "size", "region"):
            choices = list(self.fields[name].choices)
            self.fields[name].choices = [("", _("Sélectionnez une option")), *choices[1:]]
        if self.instance.pk:
            # The SIREN identifies the legal entity: another SIREN is another organisation.
            self.fields["siren"].disabled = True
            self.fields["siren"].help_text = _("9 chiffres — il ne peut plus être modifié.")
            # DsfrBaseForm.__init__ already bound the field, with the former help text.
            self._bound_fields_cache.pop("siren", None)

    def clean_siren(self) -> str:
        siren = clean_siren(self.cleaned_data["siren"])
        same = Organisation.objects.filter(siren=siren).exclude(pk=self.instance.pk)
        if same.exists():
            raise ValidationError(DUPLICATE_SIREN, code="unique")
        return siren

    def clean_siret(self) -> str:
        # « Starts with the SIREN » is checked by Organisation.clean, reported on this field.
        return clean_siret(self.cleaned_data["siret"])

    def clean_naf_code(self) -> str:
        typed = re.sub(r"\s", "", self.cleaned_data["naf_code"]).upper()
        if not typed:
            return ""
        match = NAF.fullmatch(typed)
        if not match:
            raise ValidationError(
                _("Le code NAF comporte 4 chiffres et une lettre, par exemple 62.01Z."),
                code="naf_code",
            )
        return "{}.{}{}".format(*match.groups())

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data["postcode"].strip()
        if not POSTCODE.fullmatch(postcode):
            raise ValidationError(_("Le code postal doit comporter 5 chiffres."), code="postcode")
        return postcode

    def clean_creation_date(self) -> date:
        creation_date = self.cleaned_data["creation_date"]
        if creation_date > timezone.localdate():
            raise ValidationError(
                _("La date de création ne peut pas être dans le futur."), code="future"
            )
        return creation_date


class SubmissionPolicyForm(DsfrBaseForm):
    members_may_submit = forms.BooleanField(
        label=_("Les co-candidats peuvent déposer les dossiers de l'organisation"),
        help_text=_(
            "Sinon, seuls les responsables déposent ; les co-candidats préparent les brouillons."
        ),
        required=False,
    )


class InvitationForm(DsfrBaseForm):
    email = forms.EmailField(
        label=_("Adresse électronique de la personne à inviter"),
        help_text=_("Format attendu : nom@domaine.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        self.organisation = organisation
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        # A member may have signed in with any of their addresses: check all of them.
        members = Membership.objects.filter(organisation=self.organisation)
        already_member = members.filter(
            Q(user__email__iexact=email)
            | Q(user__in=EmailAddress.objects.filter(email__iexact=email).values("user"))
        ).exists()
        if already_member:
            raise ValidationError(
                _("Cette personne est déjà membre de l'organisation."), code="member"
            )
        if pending_invitations(self.organisation).filter(email__iexact=email).exists():
            raise ValidationError(
                _("Une invitation est déjà en attente pour cette adresse."), code="pending"
            )
        return email
