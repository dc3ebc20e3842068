"""An English-speaking visitor: the language selector on a French call page leads to the same
call in English; the English pages pass axe-core; applying from the English page files on
the French call."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from cms.demo import load_demo
from grants.models import Application

from ..grants_factories import OrganisationFactory, add_member


@pytest.fixture
def demo_site(wagtail_root):
    load_demo()


def test_the_language_selector_leads_to_the_english_call(
    demo_site, browser_page, assert_accessible
):
    page = browser_page
    page.goto("/appels-a-projets/dispositifs-medicaux-numeriques/")
    page.get_by_role("button", name=re.compile("Sélectionner une langue|^FR")).first.click()
    page.get_by_role("link", name="EN - English").first.click()
    expect(page).to_have_url(re.compile(r"/en/calls-for-projects/digital-medical-devices/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Digital medical devices: clinical and health-economic evaluation"
    )
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Does my hosting provider need HDS certification?").click()
    expect(page.get_by_text("hosting provider’s certificate")).to_be_visible()
    assert_accessible(page)

    # The menu and the breadcrumb lead through the English pages.
    breadcrumb = page.locator(".fr-breadcrumb")
    expect(breadcrumb.get_by_role("link", name="Home page")).to_have_attribute("href", "/en/")
    breadcrumb.get_by_role("link", name="Calls for projects").click()
    expect(page).to_have_url(re.compile(r"/en/calls-for-projects/$"))
    expect(page.locator(".fr-card")).to_have_count(2)  # the two calls open on the demo's dates
    assert_accessible(page)

    page.goto("/en/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Calls for projects in digital health"
    )
    assert_accessible(page)
    page.goto("/en/accessibility/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    assert_accessible(page)
    # And back to French: the translation, not the French home.
    page.get_by_role("button", name=re.compile("Select a language|^EN")).first.click()
    page.get_by_role("link", name="FR - Français").first.click()
    expect(page).to_have_url(re.compile(r"/accessibilite/$"))


def test_applying_from_the_english_page_files_on_the_french_call(
    demo_site, browser_page, assert_accessible
):
    user = add_member(OrganisationFactory())
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page = browser_page
    page.goto("/en/compte/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill("mot-de-passe-solide")
    page.locator("main").get_by_role("button", name=re.compile("Sign in", re.I)).click()

    page.goto("/en/calls-for-projects/living-labs-experimentation/")
    page.get_by_role("button", name="Submit an application").last.click()
    expect(page).to_have_url(re.compile(r"/en/espace/candidatures/\d+/sections/projet/$"))
    expect(
        page.get_by_role("link", name="Living labs for digital health experimentation")
    ).to_be_visible()
    assert_accessible(page)
    application = Application.objects.get()
    assert application.call.slug == "tiers-lieux-experimentation"
