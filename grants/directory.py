"""The State's public company directory, the « API Recherche d'entreprises », behind one call.

``find(number)`` asks the directory about a SIREN or a SIRET and answers in Ruche's vocabulary
(legal forms, sizes, regions), or None when the directory knows no such company. Any failure
(unreachable, slow, an answer that is not what the API documents) raises
``DirectoryUnavailable``: callers fall back to manual entry. The base URL and the timeout come
from the settings (``RUCHE_COMPANY_DIRECTORY_URL``, ``RUCHE_COMPANY_DIRECTORY_TIMEOUT``); an
empty URL turns the directory off.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import requests
from django.conf import settings

from core.vocabulary import LegalForm, OrganisationSize, Region

logger = logging.getLogger(__name__)


class DirectoryUnavailable(Exception):
    """The directory did not answer in time, or not in the documented format."""


@dataclass(frozen=True)
class Company:
    siren: str
    siret: str
    legal_name: str
    legal_form: str  # a LegalForm value, "" when the directory does not say
    naf_code: str  # NAF rév. 2, e.g. "62.01Z"
    size: str  # an OrganisationSize value or ""
    creation_date: date | None
    # The head office's address: the organisation form asks for it whatever SIRET is given.
    address: str
    postcode: str
    city: str
    region: str  # a Region value (INSEE code) or ""
    # The legal unit has ceased trading (« cessée ») or the given establishment is closed.
    closed: bool


def is_enabled() -> bool:
    return bool(settings.RUCHE_COMPANY_DIRECTORY_URL)


def find(number: str) -> Company | None:
    """The company whose SIREN (9 digits) or SIRET (14 digits) is ``number``."""
    if not is_enabled():
        raise DirectoryUnavailable("no directory configured")
    url = settings.RUCHE_COMPANY_DIRECTORY_URL.rstrip("/") + "/search"
    try:
        response = requests.get(
            url,
            params={"q": number},
            headers={"Accept": "application/json"},
            timeout=settings.RUCHE_COMPANY_DIRECTORY_TIMEOUT,
        )
        response.raise_for_status()
        results = response.json()["results"]
        return _company(number, results)
    except (requests.RequestException, ValueError, KeyError, TypeError, AttributeError) as error:
        logger.warning("Company directory unavailable for %s: %r", number, error)
        raise DirectoryUnavailable(str(error)) from error


def _company(number: str, results: list[dict]) -> Company | None:
    # A full-text search: keep the legal unit the number designates, nothing merely similar.
    unit = next((r for r in results if r["siren"] == number[:9]), None)
    if unit is None:
        return None
    siege = unit.get("siege") or {}
    establishment = siege
    if len(number) == 14:
        establishments = [siege, *(unit.get("matching_etablissements") or [])]
        establishment = next((e for e in establishments if e.get("siret") == number), None)
        if establishment is None:
            return None
    legal_category = unit.get("nature_juridique") or ""
    naf_code = unit.get("activite_principale") or ""
    return Company(
        siren=unit["siren"],
        siret=establishment.get("siret") or "",
        legal_name=unit.get("nom_raison_sociale") or unit.get("nom_complet") or "",
        legal_form=legal_form(legal_category),
        naf_code=naf_code,
        size=size(
            legal_category,
            naf_code,
            unit.get("categorie_entreprise"),
            unit.get("tranche_effectif_salarie"),
        ),
        creation_date=_date(unit.get("date_creation")),
        address=street_address(siege),
        postcode=siege.get("code_postal") or "",
        city=siege.get("libelle_commune") or "",
        region=region(siege.get("region")),
        closed=(
            unit.get("etat_administratif") == "C" or establishment.get("etat_administratif") == "F"
        ),
    )


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


# INSEE legal categories (« catégories juridiques », 4 digits; the first two give the family).
_LEGAL_FORM_BY_CATEGORY = {
    "5498": LegalForm.EURL,  # SARL unipersonnelle
    "5720": LegalForm.SASU,  # SAS à associé unique
    "5458": LegalForm.COOPERATIVE,  # SARL coopérative ouvrière de production (SCOP)
    "5460": LegalForm.COOPERATIVE,  # autre SARL coopérative
    "5547": LegalForm.COOPERATIVE,  # SA SCOP à conseil d'administration
    "5560": LegalForm.COOPERATIVE,  # autre SA coopérative à conseil d'administration
    "5647": LegalForm.COOPERATIVE,  # SA SCOP à directoire
    "5660": LegalForm.COOPERATIVE,  # autre SA coopérative à directoire
    "7410": LegalForm.GIP,  # groupement d'intérêt public
}
_LEGAL_FORM_BY_FAMILY = {
    "41": LegalForm.PUBLIC_BODY,  # établissement public ou régie industriel et commercial
    "51": LegalForm.COOPERATIVE,  # société coopérative commerciale particulière
    "54": LegalForm.SARL,
    "55": LegalForm.SA,  # SA à conseil d'administration
    "56": LegalForm.SA,  # SA à directoire
    "57": LegalForm.SAS,
    "71": LegalForm.PUBLIC_BODY,  # administration de l'État
    "72": LegalForm.PUBLIC_BODY,  # collectivité territoriale
    "73": LegalForm.PUBLIC_BODY,  # établissement public administratif
    "74": LegalForm.PUBLIC_BODY,  # autre personne morale de droit public administratif
    "92": LegalForm.ASSOCIATION,  # association loi 1901 ou assimilé
}


def legal_form(category: str) -> str:
    """Our legal form for an INSEE legal category; « Autre » for a known category we do not
    list (sole traders, civil companies, foundations…), "" when the directory is silent."""
    if not category:
        return ""
    form = _LEGAL_FORM_BY_CATEGORY.get(category) or _LEGAL_FORM_BY_FAMILY.get(category[:2])
    return form or LegalForm.OTHER


# INSEE headcount bands (« tranches d'effectif salarié »): 250 employees and more is no longer
# an SME, 5,000 and more is a large company.
_MIDCAP_BANDS = {"32", "41", "42", "51"}
_LARGE_BANDS = {"52", "53"}
_SME_BANDS = {"00", "01", "02", "03", "11", "12", "21", "22", "31"}
_SIZE_BY_CATEGORY = {
    "PME": OrganisationSize.SME,
    "ETI": OrganisationSize.MIDCAP,
    "GE": OrganisationSize.LARGE,
}


def size(
    legal_category: str, naf_code: str, company_category: str | None, headcount_band: str | None
) -> str:
    """Our size: associations and hospitals by what they are, companies by INSEE's category
    (PME, ETI, GE), or by their headcount when INSEE has not classified them. Whether a company
    is a start-up is the applicant's to say."""
    if legal_category.startswith("92"):
        return OrganisationSize.ASSOCIATION
    if naf_code == "86.10Z":  # activités hospitalières
        return OrganisationSize.HEALTH_ESTABLISHMENT
    if company_category in _SIZE_BY_CATEGORY:
        return _SIZE_BY_CATEGORY[company_category]
    if headcount_band in _SME_BANDS:
        return OrganisationSize.SME
    if headcount_band in _MIDCAP_BANDS:
        return OrganisationSize.MIDCAP
    if headcount_band in _LARGE_BANDS:
        return OrganisationSize.LARGE
    return ""


def region(code: str | None) -> str:
    """The region for its INSEE code, "" for an establishment abroad or an unknown code."""
    code = (code or "").zfill(2)
    return code if code in Region.values else ""


def street_address(siege: dict) -> str:
    """The street part of the directory's one-line address (« 22 RUE MAISON BLANCHE »): the
    form asks for the postcode and the city in fields of their own."""
    line = (siege.get("adresse") or "").strip()
    postcode = siege.get("code_postal") or ""
    cut = line.rfind(f" {postcode} ") if postcode else -1
    if cut > 0:
        return line[:cut].strip()
    parts = (
        siege.get("complement_adresse"),
        siege.get("numero_voie"),
        siege.get("indice_repetition"),
        siege.get("type_voie"),
        siege.get("libelle_voie"),
    )
    return " ".join(p for p in parts if p) or line
