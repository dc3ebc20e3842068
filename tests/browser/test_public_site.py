"""A visitor finds a call from the home page, filters the index, and reads the call page.
Each page passes axe-core with no serious or critical violation."""

import re

import pytest
from playwright.sync_api import expect

from cms.demo import load_demo


@pytest.fixture
def demo_site(wagtail_root):
    load_demo()


def test_visitor_browses_calls_and_pages_are_accessible(demo_site, browser_page, assert_accessible):
    page = browser_page
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Les appels à projets de la santé numérique"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Voir les appels à projets").click()
    expect(page).to_have_url(re.compile(r"/appels-a-projets/$"))
    cards = page.locator(".fr-card")
    expect(cards).to_have_count(2)  # the two calls open on the demo's dates
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^Clos \(2\)")).click()
    expect(page).to_have_url(re.compile(r"statut=closed"))
    expect(cards).to_have_count(2)
    expect(page.get_by_text("Clos par anticipation")).to_be_visible()

    page.get_by_role("link", name=re.compile(r"^À venir")).click()
    page.get_by_role("link", name="Numérique en santé dans le secteur médico-social").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Numérique en santé dans le secteur médico-social"
    )
    expect(page.get_by_text("Relève finale")).to_be_visible()
    assert_accessible(page)


def test_call_page_countdown_faq_and_specification(demo_site, browser_page, assert_accessible):
    page = browser_page
    page.goto("/appels-a-projets/dispositifs-medicaux-numeriques/")
    expect(page.get_by_text("En deux étapes").first).to_be_visible()
    expect(page.locator("[data-countdown]").first).to_have_text(re.compile(r"^dans "))

    question = page.get_by_role("button", name="Mon hébergeur doit-il être certifié HDS ?")
    question.click()
    expect(page.get_by_text("certificat de l'hébergeur")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Cahier des charges")).click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert_accessible(page)


def test_on_a_phone_the_way_to_apply_is_on_the_first_screen(
    demo_site, chromium_browser, live_server, assert_accessible
):
    context = chromium_browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.goto("/appels-a-projets/")
    page.locator(".fr-card a").first.click()
    button = page.get_by_role("button", name="Déposer un dossier").first
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["y"] + box["height"] <= 844, box
    assert_accessible(page)
    # The main menu leads to the catalogue of funded projects.
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("link", name="Projets financés")).to_be_visible()
    context.close()
