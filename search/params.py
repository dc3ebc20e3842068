"""The catalogue's public search parameters, validated in one place and described in the API's
OpenAPI document from the same rules: what the API refuses with a 400, the HTML page drops
(a visitor gets a clean page, never an error, for a mangled URL)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _

from core.vocabulary import Region

from .backends.base import AMOUNT_BANDS, FACETS, SORTS, CatalogueQuery

TEXT_MAX = 200
VALUES_MAX = 30  # values of one facet
PER_PAGE = 20
MAX_PAGE = 500
SLUG = r"^[-a-zA-Z0-9_]{1,50}$"
DIGITS = re.compile(r"[0-9]{1,10}")
# facet -> JSON schema of one of its values (the OpenAPI document shows these)
FACET_VALUES: dict[str, dict] = {
    "theme": {"type": "string", "pattern": SLUG},
    "region": {"type": "string", "enum": [code for code, _label in Region.choices]},
    "call": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    "year": {"type": "integer", "minimum": 2000, "maximum": 2100},
    "trl": {"type": "integer", "minimum": 1, "maximum": 9},
    "amount_band": {"type": "string", "enum": [key for key, _low, _high in AMOUNT_BANDS]},
}
assert set(FACET_VALUES) == set(FACETS)
# PostgreSQL refuses NUL in text: a query holding one is refused (API) or cleaned (page).
TEXT_PATTERN = "^[^\\x00]*$"


def _valid_value(schema: dict, value: str) -> bool:
    if schema["type"] == "integer":
        return bool(DIGITS.fullmatch(value)) and (
            schema["minimum"] <= int(value) <= schema["maximum"]
        )
    if "enum" in schema:
        return value in schema["enum"]
    return re.fullmatch(schema["pattern"].strip("^$"), value) is not None


@dataclass
class SearchParameters:
    query: CatalogueQuery
    # parameter name -> what is wrong with it (French, for the API's 400)
    errors: dict[str, list[str]] = field(default_factory=dict)


def parse(params: QueryDict, per_page: int = PER_PAGE) -> SearchParameters:
    """The search a URL states, with every invalid parameter noted and left out."""
    errors: dict[str, list[str]] = {}
    text = params.get("q", "")
    if "\x00" in text:
        errors["q"] = [_("Le texte recherché contient un caractère interdit.")]
        text = text.replace("\x00", "")
    if len(text) > TEXT_MAX:
        errors.setdefault("q", []).append(
            _("Le texte recherché dépasse %(max)d caractères.") % {"max": TEXT_MAX}
        )
        text = text[:TEXT_MAX]

    filters: dict[str, tuple[str, ...]] = {}
    for facet, schema in FACET_VALUES.items():
        values = params.getlist(facet)
        valid = [v for v in values if _valid_value(schema, v)]
        if len(valid) < len(values):
            errors[facet] = [_("Valeur inconnue ou mal formée.")]
        if len(values) > VALUES_MAX:
            errors.setdefault(facet, []).append(_("%(max)d valeurs au plus.") % {"max": VALUES_MAX})
        kept = tuple(dict.fromkeys(str(int(v)) if DIGITS.fullmatch(v) else v for v in valid))
        if kept:
            filters[facet] = kept[:VALUES_MAX]

    sort = params.get("sort", "relevance")
    if sort not in SORTS:
        errors["sort"] = [_("Tri inconnu : %(choices)s.") % {"choices": ", ".join(SORTS)}]
        sort = "relevance"
    page_text = params.get("page", "1")
    page = int(page_text) if DIGITS.fullmatch(page_text) else 0
    if not 1 <= page <= MAX_PAGE:
        errors["page"] = [_("Un numéro de page de 1 à %(max)d.") % {"max": MAX_PAGE}]
        page = min(max(page, 1), MAX_PAGE)

    query = CatalogueQuery(
        text=text.strip(), filters=filters, sort=sort, page=page, per_page=per_page
    )
    return SearchParameters(query=query, errors=errors)


def openapi_parameters() -> list[dict]:
    """The list operation's query parameters, for the OpenAPI document."""
    descriptions = {
        "theme": "Slug d'une thématique",
        "region": "Code INSEE d'une région",
        "call": "Identifiant d'un appel à projets",
        "year": "Année",
        "trl": "Maturité technologique (1 à 9)",
        "amount_band": "Tranche de montant accordé",
    }
    return [
        {
            "name": "q",
            "in": "query",
            "description": "Texte recherché",
            "schema": {"type": "string", "maxLength": TEXT_MAX, "pattern": TEXT_PATTERN},
        },
        *(
            {
                "name": name,
                "in": "query",
                "description": descriptions[name]
                + " (répétable : OU au sein d'une facette, ET entre facettes).",
                "schema": {"type": "array", "items": schema, "maxItems": VALUES_MAX},
                "style": "form",
                "explode": True,
            }
            for name, schema in FACET_VALUES.items()
        ),
        {"name": "sort", "in": "query", "schema": {"type": "string", "enum": list(SORTS)}},
        {
            "name": "page",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        },
    ]
