"""The ProConnect round trip in chromium: Ruche's sign-in page → the provider's sign-in and
consent pages → back to Ruche, signed in, on the person's space.

The live server serves both sites: Ruche is browsed at 127.0.0.1 and the provider at
localhost, so that each keeps its own session cookie, as two real sites would.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from ..grants_factories import OrganisationFactory, add_member
from ..oidc_provider.testing import PASSWORD, point_proconnect_at, provider_person, register_ruche
from .test_applicant_journey import shot

AGENT = "camille.martin@sante.gouv.fr"


@pytest.fixture
def sites(wagtail_root, live_server, settings):
    """(Ruche's origin, the provider's origin) on the one live server."""
    provider = live_server.url
    ruche = provider.replace("localhost", "127.0.0.1")
    assert ruche != provider
    register_ruche(ruche)
    point_proconnect_at(settings, provider)
    return ruche, provider


@pytest.fixture
def agent_with_an_organisation():
    user = get_user_model().objects.create_user("camille", AGENT, "Mot-de-passe-Ruche-2026")
    EmailAddress.objects.create(user=user, email=AGENT, verified=True, primary=True)
    organisation = OrganisationFactory(legal_name="CHU de Nantes — Innovation")
    add_member(organisation, user)
    provider_person(AGENT)
    return user


def sign_in_at_the_provider(page, provider: str) -> None:
    expect(page).to_have_url(re.compile("^" + re.escape(provider) + "/fournisseur-oidc/connexion/"))
    page.get_by_label("Adresse électronique professionnelle").fill(AGENT)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter au fournisseur").click()


def test_proconnect_round_trip_lands_on_the_persons_space(
    sites, agent_with_an_organisation, chromium_browser, assert_accessible
):
    ruche, provider = sites
    context = chromium_browser.new_context(locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()

    page.goto(ruche + "/compte/login/")
    assert_accessible(page)
    shot(page, "proconnect-login")
    page.get_by_role("button", name="S'identifier avec ProConnect").click()
    sign_in_at_the_provider(page, provider)
    page.get_by_role("button", name=re.compile("^(Autoriser|Authorize)$")).click()

    expect(page).to_have_url(ruche + "/espace/")
    expect(page.get_by_text("CHU de Nantes — Innovation").first).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    assert_accessible(page)
    account = SocialAccount.objects.get(provider="proconnect")
    assert account.user == agent_with_an_organisation
    context.close()


def test_refusing_at_the_provider_comes_back_signed_out(
    sites, agent_with_an_organisation, chromium_browser, assert_accessible
):
    ruche, provider = sites
    context = chromium_browser.new_context(locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()

    page.goto(ruche + "/compte/login/")
    page.get_by_role("button", name="S'identifier avec ProConnect").click()
    sign_in_at_the_provider(page, provider)
    page.get_by_role("button", name=re.compile("^(Annuler|Cancel)$")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion annulée")
    assert page.url.startswith(ruche)
    assert_accessible(page)
    page.get_by_role("link", name="Retour à la page de connexion").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    assert not SocialAccount.objects.exists()
    context.close()
