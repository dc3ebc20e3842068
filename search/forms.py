"""The staff edit of a public sheet, and the labels of the visitors' search."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from cms.models import Theme

from .models import PublicProject

PUBLIC_FIELDS = (
    "title",
    "summary",
    "description",
    "organisation_name",
    "region",
    "themes",
    "year",
    "amount_granted",
    "trl",
    "partners",
    "website",
)

SORT_LABELS = {
    "relevance": _("Pertinence"),
    "newest": _("Plus récents"),
    "amount": _("Montant décroissant"),
}
AMOUNT_BAND_LABELS = {
    "lt-250k": _("Moins de 250 000 €"),
    "250k-500k": _("De 250 000 € à 500 000 €"),
    "500k-1m": _("De 500 000 € à 1 M€"),
    "1m-plus": _("1 M€ et plus"),
}


class PublicProjectForm(DsfrBaseForm, forms.ModelForm):
    """Only the public fields of a sheet; nothing else from the application is editable."""

    website = forms.URLField(
        label=PublicProject._meta.get_field("website").verbose_name,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = PublicProject
        fields = PUBLIC_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5, "maxlength": 1500}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "partners": forms.Textarea(attrs={"rows": 3}),
            "themes": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "summary": _("1 500 caractères au plus."),
            "partners": _("Noms des partenaires, un par ligne (aucune donnée personnelle)."),
            "trl": _("De 1 à 9."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.order_by("name")
        self.fields["trl"].validators += [MinValueValidator(1), MaxValueValidator(9)]
        self.fields["year"].validators += [MinValueValidator(2000), MaxValueValidator(2100)]
