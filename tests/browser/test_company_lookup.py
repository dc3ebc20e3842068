"""Organisation from its SIRET in chromium: the company directory (a local server answering
with recorded real responses) fills the empty fields, with and without JavaScript; when it is
unreachable the applicant is told so and enters everything by hand."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from grants.models import Organisation

from ..company_directory import RecordedDirectory, closed_port_url
from ..grants_factories import UserFactory
from .test_applicant_journey import shot
from .test_draft_safety import sign_in

ESSOR_SIRET = "48744469700428"  # recorded: ESSOR ENERGIES, SARL, Dordogne


@pytest.fixture
def applicant(wagtail_root):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def company_directory(settings):
    with RecordedDirectory() as server:
        settings.RUCHE_COMPANY_DIRECTORY_URL = server.url
        yield server


def open_form(page, applicant) -> None:
    page.goto("/espace/organisation/nouvelle/")
    sign_in(page, applicant.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscrire mon organisation")


def status(page):
    return page.locator("#company-lookup-status")


def test_typing_the_siret_fills_the_empty_fields(
    applicant, company_directory, browser_page, assert_accessible
):
    page = browser_page
    open_form(page, applicant)
    page.get_by_label("Raison sociale").fill("Solarsud")
    page.get_by_label("SIRET du siège").fill(ESSOR_SIRET)
    page.get_by_label("SIRET du siège").press("Tab")

    expect(status(page)).to_contain_text("« ESSOR ENERGIES » trouvée dans l'annuaire")
    expect(page.get_by_label("Raison sociale")).to_have_value("Solarsud")  # typed: kept
    expect(page.locator("#id_siren")).to_have_value("487444697")
    expect(page.locator("#id_address")).to_have_value("22 RUE MAISON BLANCHE")
    expect(page.locator("#id_city")).to_have_value("BOULAZAC ISLE MANOIRE")
    expect(page.locator("#id_region")).to_have_value("75")
    expect(page.locator("#id_legal_form")).to_have_value("sarl")
    expect(page.locator("#id_naf_code")).to_have_value("35.11Z")
    assert company_directory.queries == [ESSOR_SIRET]
    assert_accessible(page)
    shot(page, "organisation-siret-filled")

    page.get_by_role("button", name="Inscrire l'organisation").click()
    expect(page).to_have_url(re.compile(r"/espace/$"))
    organisation = Organisation.objects.get()
    assert (organisation.legal_name, organisation.siret, organisation.size) == (
        "Solarsud",
        ESSOR_SIRET,
        "midcap",
    )
    assert (organisation.postcode, organisation.naf_code) == ("24330", "35.11Z")


def test_an_unreachable_directory_leaves_the_applicant_to_type(
    applicant, settings, browser_page, assert_accessible
):
    settings.RUCHE_COMPANY_DIRECTORY_URL = closed_port_url()
    page = browser_page
    open_form(page, applicant)
    page.get_by_label("Raison sociale").fill("Essor Énergies")
    page.get_by_label("SIRET du siège").fill(ESSOR_SIRET)
    page.get_by_label("SIRET du siège").press("Enter")  # searches, does not save

    expect(status(page)).to_contain_text("L'annuaire des entreprises ne répond pas")
    expect(page.get_by_label("Raison sociale")).to_have_value("Essor Énergies")
    expect(page.locator("#id_siren")).to_have_value("487444697")
    expect(page.locator("#id_address")).to_have_value("")
    expect(page.get_by_text("Le formulaire contient des erreurs")).to_have_count(0)
    assert_accessible(page)
    shot(page, "organisation-siret-directory-unreachable")

    page.locator("#id_legal_form").select_option("sarl")
    page.locator("#id_size").select_option("midcap")
    page.locator("#id_creation_date").fill("2005-12-06")
    page.locator("#id_region").select_option("75")
    page.locator("#id_address").fill("22 rue Maison Blanche")
    page.locator("#id_postcode").fill("24330")
    page.locator("#id_city").fill("Boulazac Isle Manoire")
    page.get_by_role("button", name="Inscrire l'organisation").click()
    expect(page).to_have_url(re.compile(r"/espace/$"))
    assert Organisation.objects.get().legal_name == "Essor Énergies"


def test_without_javascript_rechercher_reloads_the_form_filled(
    applicant, company_directory, chromium_browser, live_server
):
    context = chromium_browser.new_context(
        base_url=live_server.url, locale="fr-FR", java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    open_form(page, applicant)
    page.get_by_label("SIRET du siège").fill(ESSOR_SIRET)
    page.get_by_role("button", name=re.compile("^Rechercher")).click()

    expect(status(page)).to_contain_text("« ESSOR ENERGIES » trouvée dans l'annuaire")
    expect(page.get_by_label("Raison sociale")).to_have_value("ESSOR ENERGIES")
    expect(page.locator("#id_region")).to_have_value("75")
    assert not Organisation.objects.exists()

    # Enter in a field saves the form, as in any form (it does not search again).
    page.locator("#id_city").press("Enter")
    expect(page).to_have_url(re.compile(r"/espace/$"))
    assert Organisation.objects.get().naf_code == "35.11Z"
    assert company_directory.queries == [ESSOR_SIRET]
    context.close()
