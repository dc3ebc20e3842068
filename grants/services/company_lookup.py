"""Filling the organisation form from its SIRET, with the company directory's answer.

The same lookup serves the page without JavaScript (the « Rechercher » button reloads the form)
and with it (a JSON answer the page applies). Only empty fields are filled: what the applicant
typed always wins, and when the directory is unreachable, slow or silent the applicant is told
so and keeps everything they typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import directory
from ..validators import clean_siret


class Outcome(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not_found"
    UNAVAILABLE = "unavailable"
    INVALID = "invalid"


@dataclass(frozen=True)
class Lookup:
    outcome: Outcome
    message: str
    # Form field name → value, for every field the directory (or the SIRET itself) gives.
    values: dict[str, str] = field(default_factory=dict)

    @property
    def level(self) -> str:
        """The DSFR alert type that fits the message."""
        return {
            Outcome.FOUND: "success",
            Outcome.NOT_FOUND: "info",
            Outcome.UNAVAILABLE: "warning",
            Outcome.INVALID: "error",
        }[self.outcome]


def look_up(raw_siret: str) -> Lookup:
    try:
        siret = clean_siret(raw_siret)
    except ValidationError as error:
        return Lookup(Outcome.INVALID, error.messages[0])
    # The SIREN is the SIRET's first nine digits, whatever the directory says.
    values = {"siret": siret, "siren": siret[:9]}
    try:
        company = directory.find(siret)
    except directory.DirectoryUnavailable:
        return Lookup(
            Outcome.UNAVAILABLE,
            _(
                "L'annuaire des entreprises ne répond pas pour le moment. Remplissez les champs "
                "vous-même : ce que vous avez déjà saisi est conservé."
            ),
            values,
        )
    if company is None:
        return Lookup(
            Outcome.NOT_FOUND,
            _(
                "L'annuaire des entreprises ne connaît pas ce SIRET. Vérifiez-le, ou remplissez "
                "les champs vous-même."
            ),
            values,
        )
    values.update(
        {
            "legal_name": company.legal_name,
            "legal_form": company.legal_form,
            "naf_code": company.naf_code,
            "size": company.size,
            "creation_date": company.creation_date.isoformat() if company.creation_date else "",
            "address": company.address,
            "postcode": company.postcode,
            "city": company.city,
            "region": company.region,
        }
    )
    message = _(
        "« %(name)s » trouvée dans l'annuaire des entreprises : les champs vides sont remplis. "
        "Vérifiez-les avant d'enregistrer."
    ) % {"name": company.legal_name}
    if company.closed:
        message += " " + _(
            "Attention : l'annuaire indique que cette entreprise a cessé son activité."
        )
    return Lookup(Outcome.FOUND, message, {k: v for k, v in values.items() if v})


def fill_empty(typed: Mapping[str, str], lookup: Lookup) -> dict[str, str]:
    """What the form shows after a lookup: the typed values, the directory's in the blanks."""
    merged = {name: typed.get(name, "") for name in typed}
    for name, value in lookup.values.items():
        if not (merged.get(name) or "").strip():
            merged[name] = value
    return merged
