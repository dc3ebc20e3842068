"""The placeholders of a convention template: ``{{ name }}`` in the rich text staff edit.

The template is never run through Django's template engine (staff would then be writing code):
each known placeholder is replaced by its value, escaped unless it is a fragment Ruche built
(a table, a list). Unknown names are refused when the template is saved.
"""

from __future__ import annotations

import re

from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")

# Name → what it becomes, as the admin's help lists them.
PLACEHOLDERS = {
    "beneficiaire": _("raison sociale du bénéficiaire"),
    "siret": _("SIRET du bénéficiaire"),
    "adresse": _("adresse du bénéficiaire"),
    "representant": _("responsable du projet"),
    "projet": _("titre du projet"),
    "reference": _("référence du dossier"),
    "convention": _("référence de la convention"),
    "appel": _("appel à projets"),
    "operateur": _("opérateur du programme"),
    "montant_total": _("montant total de l'aide"),
    "montant_subvention": _("part versée en subvention"),
    "montant_avance": _("part versée en avance remboursable"),
    "taux_aide": _("taux d'aide (aide / coûts éligibles)"),
    "couts_eligibles": _("coûts éligibles du projet"),
    "duree_mois": _("durée du projet en mois"),
    "jalons": _("liste des jalons et rapports"),
    "echeancier": _("tableau des versements"),
    "remboursement": _("échéancier de remboursement de l'avance"),
    "indicateurs": _("indicateurs à renseigner"),
    "obligations_rapports": _("obligations de compte rendu"),
}


def unknown_placeholders(html: str) -> list[str]:
    return sorted({name for name in PLACEHOLDER.findall(html) if name not in PLACEHOLDERS})


def fill(html: str, values: dict[str, object]) -> str:
    """``html`` with each known placeholder replaced by its escaped value (fragments marked
    safe stay as they are); unknown ones are left visible for staff to notice."""

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        return str(conditional_escape(values[name]))

    return PLACEHOLDER.sub(replace, html)
