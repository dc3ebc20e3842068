"""Forms of the catalogue: the staff edit of a public sheet, and the visitors' search."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from cms.models import Theme

from .backends.base import AMOUNT_BANDS, FACETS, SORTS, CatalogueQuery
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
PER_PAGE = 20
MAX_PAGE = 500


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


def _clean_list(values: list[str], allowed: set[str] | None = None) -> tuple[str, ...]:
    seen: list[str] = []
    for value in values:
        value = value.strip()[:120]
        if value and value not in seen and (allowed is None or value in allowed):
            seen.append(value)
    return tuple(seen[:30])


def catalogue_query(params, per_page: int = PER_PAGE) -> CatalogueQuery:
    """The search as the URL states it (GET parameters): every state lives in the URL."""
    allowed = {"amount_band": {key for key, _low, _high in AMOUNT_BANDS}}
    filters = {}
    for facet in FACETS:
        values = _clean_list(params.getlist(facet), allowed.get(facet))
        if facet in ("call", "year", "trl"):
            values = tuple(v for v in values if v.isdigit())
        if values:
            filters[facet] = values
    sort = params.get("sort", "relevance")
    if sort not in SORTS:
        sort = "relevance"
    try:
        page = min(max(int(params.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        page = 1
    return CatalogueQuery(
        text=params.get("q", "").strip()[:200],
        filters=filters,
        sort=sort,
        page=page,
        per_page=per_page,
    )
