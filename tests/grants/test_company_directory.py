"""Organisation from its SIRET: the company directory's recorded answers fill the form's empty
fields, and manual entry still works when the directory is unreachable, slow or silent."""

from __future__ import annotations

import time
from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from grants import directory
from grants.models import Membership, Organisation

from ..company_directory import closed_port_url
from ..grants_factories import OrganisationFactory, UserFactory, add_member
from ..html_forms import form_fields

pytestmark = pytest.mark.django_db

ESSOR_SIRET = "48744469700428"  # recorded: SARL, ETI, Dordogne
GANYMEDE_SIRET = "88087814500015"  # recorded: SAS, ceased trading
UNKNOWN_SIRET = "73282932000074"  # valid key, not recorded: the directory knows nothing
CREATE = "/espace/organisation/nouvelle/"
LOOKUP = "/espace/organisation/annuaire/"


@pytest.fixture
def applicant(client):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    return user


# The adapter


def test_a_siret_gives_the_company_in_our_vocabulary(company_directory):
    company = directory.find(ESSOR_SIRET)

    assert company == directory.Company(
        siren="487444697",
        siret=ESSOR_SIRET,
        legal_name="ESSOR ENERGIES",
        legal_form="sarl",
        naf_code="35.11Z",
        size="midcap",
        creation_date=date(2005, 12, 6),
        address="22 RUE MAISON BLANCHE",
        postcode="24330",
        city="BOULAZAC ISLE MANOIRE",
        region="75",
        closed=False,
    )
    assert company_directory.queries == [ESSOR_SIRET]


def test_legal_forms_and_sizes_follow_insee_categories(company_directory):
    ganymede = directory.find(GANYMEDE_SIRET)
    assert (ganymede.legal_form, ganymede.naf_code, ganymede.region) == ("sas", "62.02A", "11")
    assert ganymede.size == ""  # INSEE gives neither a category nor a headcount
    assert ganymede.closed

    theatre = directory.find("800329849")
    assert (theatre.legal_form, theatre.size) == ("association", "association")
    assert (theatre.address, theatre.postcode, theatre.city) == (
        "16 RUE DE TOLBIAC",
        "75013",
        "PARIS",
    )

    dinum = directory.find("130025265")
    assert (dinum.legal_form, dinum.size, dinum.naf_code) == ("public", "midcap", "84.11Z")
    assert dinum.legal_name == "DIRECTION INTERMINISTERIELLE DU NUMERIQUE"


def test_an_unknown_siret_is_none(company_directory):
    assert directory.find(UNKNOWN_SIRET) is None
    assert company_directory.queries == [UNKNOWN_SIRET]


def test_an_unreachable_directory_fails_fast(settings):
    settings.RUCHE_COMPANY_DIRECTORY_URL = closed_port_url()
    started = time.monotonic()
    with pytest.raises(directory.DirectoryUnavailable):
        directory.find(ESSOR_SIRET)
    assert time.monotonic() - started < 2


def test_a_slow_directory_is_given_up_after_the_timeout(company_directory, settings):
    settings.RUCHE_COMPANY_DIRECTORY_TIMEOUT = 0.3
    company_directory.delay = 3
    started = time.monotonic()
    with pytest.raises(directory.DirectoryUnavailable):
        directory.find(ESSOR_SIRET)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_directory_in_trouble_is_unavailable(company_directory, status):
    company_directory.status = status
    with pytest.raises(directory.DirectoryUnavailable):
        directory.find(ESSOR_SIRET)


# The page without JavaScript


def test_rechercher_fills_the_empty_fields_and_keeps_what_was_typed(
    client, applicant, company_directory
):
    page = client.post(
        CREATE,
        {"siret": "487 444 697 00428", "legal_name": "Solarsud", "directory_lookup": "1"},
    )

    assert page.status_code == 200
    assert not Organisation.objects.exists()
    shown = form_fields(page.text, "data-company-lookup")
    assert shown["legal_name"] == "Solarsud"  # typed: kept
    assert shown["siret"] == "487 444 697 00428"
    assert shown["siren"] == "487444697"
    assert (shown["legal_form"], shown["naf_code"], shown["size"]) == ("sarl", "35.11Z", "midcap")
    assert (shown["address"], shown["postcode"], shown["city"], shown["region"]) == (
        "22 RUE MAISON BLANCHE",
        "24330",
        "BOULAZAC ISLE MANOIRE",
        "75",
    )
    assert shown["creation_date"] == "2005-12-06"
    assert "« ESSOR ENERGIES » trouvée dans l&#x27;annuaire des entreprises" in page.text
    # Nothing was submitted yet: no error for the fields the applicant has not reached.
    assert "Le formulaire contient des erreurs" not in page.text

    # Saving the form as shown registers the organisation with the directory's values.
    response = client.post(CREATE, shown)
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert (organisation.legal_name, organisation.siren, organisation.naf_code) == (
        "Solarsud",
        "487444697",
        "35.11Z",
    )
    assert Membership.objects.get().user == applicant
    detail = client.get(reverse("grants:organisation_detail", args=[organisation.pk]))
    assert "<dt>Code NAF / APE</dt><dd>35.11Z</dd>" in detail.text


def test_a_ceased_company_is_flagged(client, applicant, company_directory):
    page = client.post(CREATE, {"siret": GANYMEDE_SIRET, "directory_lookup": "1"})
    assert "a cessé son activité" in page.text
    assert form_fields(page.text, "data-company-lookup")["legal_name"] == "GANYMEDE"


def test_an_unreachable_directory_leaves_manual_entry_and_keeps_the_input(
    client, applicant, settings
):
    settings.RUCHE_COMPANY_DIRECTORY_URL = closed_port_url()
    page = client.post(
        CREATE,
        {"siret": ESSOR_SIRET, "legal_name": "Essor", "city": "Périgueux", "directory_lookup": "1"},
    )

    assert "L&#x27;annuaire des entreprises ne répond pas pour le moment" in page.text
    shown = form_fields(page.text, "data-company-lookup")
    assert (shown["legal_name"], shown["city"], shown["siren"]) == (
        "Essor",
        "Périgueux",
        "487444697",
    )
    assert shown["address"] == ""


def test_an_unknown_siret_says_so(client, applicant, company_directory):
    page = client.post(CREATE, {"siret": UNKNOWN_SIRET, "directory_lookup": "1"})
    assert "L&#x27;annuaire des entreprises ne connaît pas ce SIRET" in page.text
    assert form_fields(page.text, "data-company-lookup")["legal_name"] == ""


def test_a_wrong_siret_is_explained_without_asking_the_directory(
    client, applicant, company_directory
):
    page = client.post(CREATE, {"siret": "48744469700429", "directory_lookup": "1"})
    assert "Ce SIRET n&#x27;existe pas : sa clé de contrôle est fausse." in page.text
    assert company_directory.queries == []


def test_editing_looks_up_without_touching_the_siren_or_the_typed_fields(
    client, applicant, company_directory
):
    organisation = OrganisationFactory(siren="487444697", siret="48744469700014", naf_code="")
    add_member(organisation, applicant, role=Membership.Role.OWNER)
    url = reverse("grants:organisation_edit", args=[organisation.pk])
    shown = form_fields(client.get(url).text, "data-company-lookup")
    shown.update({"siret": ESSOR_SIRET, "naf_code": "", "directory_lookup": "1"})

    page = client.post(url, shown)

    filled = form_fields(page.text, "data-company-lookup")
    assert filled["naf_code"] == "35.11Z"
    assert filled["legal_name"] == organisation.legal_name
    assert 'value="487444697"' in page.text and "disabled" in page.text
    organisation.refresh_from_db()
    assert organisation.naf_code == ""  # a lookup saves nothing


def test_without_a_directory_the_form_is_the_plain_manual_one(client, applicant):
    page = client.get(CREATE)
    assert page.status_code == 200
    assert "Rechercher" not in page.text
    assert "company-lookup.js" not in page.text


# The JSON endpoint of the page's script


def test_the_endpoint_answers_the_values_to_fill(client, applicant, company_directory):
    answer = client.get(LOOKUP, {"siret": ESSOR_SIRET}).json()

    assert (answer["outcome"], answer["level"]) == ("found", "success")
    assert answer["values"]["legal_name"] == "ESSOR ENERGIES"
    assert answer["values"]["region"] == "75"
    assert "trouvée dans l'annuaire" in answer["message"]


def test_the_endpoint_reports_an_unavailable_directory(client, applicant, settings):
    settings.RUCHE_COMPANY_DIRECTORY_URL = closed_port_url()
    answer = client.get(LOOKUP, {"siret": ESSOR_SIRET}).json()
    assert answer["outcome"] == "unavailable"
    assert answer["values"] == {"siret": ESSOR_SIRET, "siren": "487444697"}


def test_the_endpoint_is_for_signed_in_users_and_reads_only(client, company_directory):
    response = client.get(LOOKUP, {"siret": ESSOR_SIRET})
    assert response.status_code == 302
    assert response.url.startswith("/compte/login/")
    assert company_directory.queries == []

    client.force_login(UserFactory())
    assert client.post(LOOKUP, {"siret": ESSOR_SIRET}).status_code == 405


# The NAF code typed by hand


@pytest.mark.parametrize(
    ("typed", "stored"), [("6201z", "62.01Z"), (" 62.01 Z ", "62.01Z"), ("", "")]
)
def test_the_naf_code_is_stored_as_insee_writes_it(client, applicant, typed, stored):
    from .test_organisations import organisation_data

    response = client.post(CREATE, organisation_data(naf_code=typed))
    assert response.status_code == 302
    assert Organisation.objects.get().naf_code == stored


def test_a_malformed_naf_code_is_refused(client, applicant):
    from .test_organisations import organisation_data

    response = client.post(CREATE, organisation_data(naf_code="62A"))
    assert response.context["form"].errors["naf_code"] == [
        "Le code NAF comporte 4 chiffres et une lettre, par exemple 62.01Z."
    ]


# The mapping of INSEE's codes


@pytest.mark.parametrize(
    ("category", "form"),
    [
        ("5710", "sas"),
        ("5720", "sasu"),
        ("5785", "sas"),  # SELAS
        ("5499", "sarl"),
        ("5498", "eurl"),
        ("5458", "coop"),  # SARL SCOP
        ("5599", "sa"),
        ("5699", "sa"),
        ("7410", "gip"),
        ("7364", "public"),  # établissement d'hospitalisation
        ("7120", "public"),
        ("9220", "association"),
        ("1000", "other"),  # sole trader
        ("6540", "other"),  # société civile
        ("", ""),
    ],
)
def test_legal_categories_map_to_our_legal_forms(category, form):
    assert directory.legal_form(category) == form


@pytest.mark.parametrize(
    ("category", "naf", "company_category", "band", "size"),
    [
        ("5710", "62.01Z", "PME", "NN", "sme"),
        ("5710", "62.01Z", "GE", "53", "large"),
        ("5710", "62.01Z", None, "12", "sme"),  # 20 to 49 employees
        ("5710", "62.01Z", None, "32", "midcap"),  # 250 to 499
        ("5599", "62.01Z", None, "53", "large"),  # 10,000 and more
        ("5710", "62.01Z", None, None, ""),
        ("9220", "88.99B", "PME", "02", "association"),
        ("7364", "86.10Z", "GE", "53", "health_establishment"),
    ],
)
def test_sizes_follow_insee_category_then_headcount(category, naf, company_category, band, size):
    assert directory.size(category, naf, company_category, band) == size


def test_regions_are_insee_codes_we_know():
    assert [directory.region(code) for code in ("75", "1", "99", None)] == ["75", "01", "", ""]
