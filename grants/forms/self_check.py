"""The eligibility self-check a visitor answers on a call's page, before any account."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from core.vocabulary import OrganisationSize

from ..services.eligibility import Facts

YES_NO = [("yes", _("Oui")), ("no", _("Non"))]


class SelfCheckForm(DsfrBaseForm):
    organisation_size = forms.ChoiceField(
        label=_("Catégorie de votre organisation"), choices=OrganisationSize.choices
    )
    amount_requested = forms.DecimalField(
        label=_("Aide demandée (€)"), min_value=0, max_digits=14, decimal_places=2
    )
    total_cost = forms.DecimalField(
        label=_("Coût total du projet (€)"), min_value=0, max_digits=14, decimal_places=2
    )
    hosts_health_data = forms.ChoiceField(
        label=_("Votre service héberge-t-il des données de santé ?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    has_hds_certificate = forms.ChoiceField(
        label=_("Si oui : votre hébergeur est-il certifié HDS ?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("hosts_health_data") == "yes" and not cleaned.get("has_hds_certificate"):
            self.add_error(
                "has_hds_certificate",
                _(
                    "Dites si votre hébergeur est certifié HDS, puisque vous hébergez des données "
                    "de santé."
                ),
            )
        return cleaned

    def facts(self) -> Facts:
        data = self.cleaned_data
        return Facts(
            at=timezone.now(),
            organisation_size=data["organisation_size"],
            amount_requested=data["amount_requested"],
            total_cost=data["total_cost"],
            hosts_health_data=data["hosts_health_data"] == "yes",
            has_hds_certificate=data.get("has_hds_certificate") == "yes",
        )
