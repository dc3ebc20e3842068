"""A visitor searches the public catalogue of funded projects, filters by region and theme,
shares the link, and opens a project. The results page and the project page pass axe-core.
Screenshots go to test-results/journey/3N-*.png."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.vocabulary import Region
from search.backends.database import DatabaseBackend
from search.models import PublicProject
from search.outbox import pending_count
from search.publication import publish

from ..factories import ThemeFactory, build_site
from ..grants_factories import UserFactory
from .test_applicant_journey import shot

TARGET = "Télésurveillance médicale des insuffisants cardiaques"

# (title, organisation, region, theme slugs, amount in euros); every sheet is published.
SHEETS = [
    (TARGET, "Santé Connectée SAS", Region.HAUTS_DE_FRANCE, ["telesurveillance"], 350_000),
    (
        "Télésurveillance des patients diabétiques",
        "GlycoSuivi",
        Region.HAUTS_DE_FRANCE,
        ["maladies-chroniques"],
        180_000,
    ),
    (
        "Plateforme de télésurveillance des grossesses à risque",
        "MaterniLien",
        Region.ILE_DE_FRANCE,
        ["telesurveillance"],
        420_000,
    ),
    (
        "Télésurveillance respiratoire après une chirurgie",
        "Souffle Numérique",
        Region.AUVERGNE_RHONE_ALPES,
        ["telesurveillance", "maladies-chroniques"],
        610_000,
    ),
    (
        "Dossier de liaison numérique en Ehpad",
        "Lien Aînés",
        Region.HAUTS_DE_FRANCE,
        ["medico-social"],
        150_000,
    ),
    (
        "Jumeau numérique pour la rééducation de la main",
        "Kiné Twin",
        Region.BRETAGNE,
        ["intelligence-artificielle"],
        900_000,
    ),
]
THEMES = {
    "telesurveillance": "Télésurveillance médicale",
    "maladies-chroniques": "Maladies chroniques",
    "medico-social": "Médico-social",
    "intelligence-artificielle": "Intelligence artificielle",
}
MATCHING = [s[0] for s in SHEETS if "élésurveillance" in s[0]]
OTHERS = [s[0] for s in SHEETS if s[0] not in MATCHING]


@pytest.fixture
def catalogue(wagtail_root, settings):
    """Six published sheets, indexed by the embedded database backend through the real
    publication path: publish() queues an outbox row, the immediate task applies it."""
    settings.RUCHE_SEARCH_BACKEND = "search.backends.database.DatabaseBackend"
    build_site()
    themes = {slug: ThemeFactory(slug=slug, name=name) for slug, name in THEMES.items()}
    staff = UserFactory()
    now = timezone.now()
    for n, (title, organisation, region, theme_slugs, amount) in enumerate(SHEETS):
        sheet = PublicProject.objects.create(
            slug=f"projet-{n}",
            title=title,
            summary=f"{title} : un projet soutenu par le programme, porté par {organisation}.",
            description="Un suivi à distance, au plus près des soignants.",
            organisation_name=organisation,
            region=region,
            year=2025,
            amount_granted=Decimal(amount),
            trl=6,
            published_at=now - timedelta(days=n),
        )
        sheet.themes.set([themes[s] for s in theme_slugs])
        publish(sheet, by=staff)
    assert pending_count() == 0
    # The index holds exactly the published sheets (and nothing left by an earlier test).
    assert DatabaseBackend().rebuild() == len(SHEETS)
    return PublicProject.objects.get(title=TARGET)


def results(page):
    return page.get_by_role("list", name=re.compile(r"^\d+ projets?$"))


def result_titles(page):
    return results(page).get_by_role("heading", level=3)


def count_heading(page):
    return page.locator("#results-heading")


def facet(page, legend: str):
    return page.get_by_role("group", name=legend)


def option(page, legend: str, label: str):
    """A facet's checkbox, whatever its count: "Hauts-de-France (2)"."""
    name = re.compile(rf"^{re.escape(label)} \(\d+\)$")
    return facet(page, legend).get_by_role("checkbox", name=name)


def dd(page, term: str):
    """The value of a <dt> term in the project's "En bref" list."""
    return page.locator("dt", has_text=re.compile(f"^{term}$")).locator(
        "xpath=following-sibling::dd[1]"
    )


def test_visitor_searches_filters_shares_and_opens_a_project(
    catalogue, browser_page, assert_accessible
):
    page = browser_page
    page.goto("/catalogue/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalogue des projets financés")
    expect(count_heading(page)).to_have_text("6 projets")

    # Suggestions as the visitor types, accents left out.
    box = page.get_by_role("combobox", name="Rechercher un projet")
    box.press_sequentially("telesurveillance", delay=20)
    suggestions = page.locator("#catalogue-suggestions option")
    expect(suggestions).to_have_count(len(MATCHING))
    suggested = [o.get_attribute("value") for o in suggestions.all()]
    assert sorted(suggested) == sorted(MATCHING)
    shot(page, "30-catalogue-suggestions")

    # The search: the four télésurveillance projects, the match highlighted.
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=telesurveillance(&|$)"))
    expect(count_heading(page)).to_have_text("4 projets")
    expect(result_titles(page)).to_have_count(4)
    assert sorted(result_titles(page).all_inner_texts()) == sorted(MATCHING)
    target_title = result_titles(page).filter(has_text=TARGET)
    expect(target_title.locator("mark")).to_have_text("Télésurveillance")
    for title in OTHERS:
        expect(page.get_by_role("link", name=title)).to_have_count(0)
    expect(box).to_have_value("telesurveillance")
    shot(page, "31-catalogue-recherche")
    assert_accessible(page)

    # Region facet: counts are those of the current search.
    region = option(page, "Région", "Hauts-de-France")
    expect(region).to_have_accessible_name("Hauts-de-France (2)")
    expect(option(page, "Région", "Île-de-France")).to_have_accessible_name("Île-de-France (1)")
    expect(option(page, "Région", "Bretagne")).to_have_count(0)  # no match there
    region.check(force=True)  # the DSFR label draws the box over the input
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"[?&]region=32(&|$)"))
    expect(count_heading(page)).to_have_text("2 projets")
    expect(result_titles(page)).to_have_count(2)  # in relevance order, engine-dependent
    assert sorted(result_titles(page).all_inner_texts()) == sorted(
        [TARGET, "Télésurveillance des patients diabétiques"]
    )
    expect(option(page, "Région", "Hauts-de-France")).to_be_checked()
    expect(page.get_by_role("link", name=re.compile("grossesses à risque"))).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("respiratoire"))).to_have_count(0)

    # Theme facet on top: only the target project remains.
    theme = option(page, "Thématique", "Télésurveillance médicale")
    expect(theme).to_have_accessible_name("Télésurveillance médicale (1)")
    theme.check(force=True)
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"[?&]theme=telesurveillance(&|$)"))
    expect(count_heading(page)).to_have_text("1 projet")
    expect(result_titles(page)).to_have_text([TARGET], use_inner_text=True)
    expect(page.get_by_role("link", name=re.compile("diabétiques"))).to_have_count(0)
    # Each facet counts under the other facets' filters.
    expect(option(page, "Région", "Hauts-de-France")).to_have_accessible_name("Hauts-de-France (1)")
    expect(option(page, "Région", "Hauts-de-France")).to_be_checked()
    shot(page, "32-catalogue-filtres")
    assert_accessible(page)

    # The URL is the search: a new visitor opening it sees the same results.
    shared = page.url
    assert "q=telesurveillance" in shared and "region=32" in shared
    assert "theme=telesurveillance" in shared
    other = page.context.browser.new_context(locale="fr-FR")
    try:
        visitor = other.new_page()
        visitor.goto(shared)
        expect(count_heading(visitor)).to_have_text("1 projet")
        expect(result_titles(visitor)).to_have_text([TARGET], use_inner_text=True)
        expect(result_titles(visitor).locator("mark")).to_have_text("Télésurveillance")
        expect(visitor.get_by_role("combobox", name="Rechercher un projet")).to_have_value(
            "telesurveillance"
        )
        expect(option(visitor, "Région", "Hauts-de-France")).to_be_checked()
        expect(option(visitor, "Thématique", "Télésurveillance médicale")).to_be_checked()
    finally:
        other.close()

    # The project page: its public fields.
    page.get_by_role("link", name=TARGET).click()
    expect(page).to_have_url(re.compile(f"/catalogue/projets/{catalogue.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TARGET)
    expect(dd(page, "Organisation")).to_have_text("Santé Connectée SAS")
    expect(dd(page, "Région")).to_have_text("Hauts-de-France")
    expect(dd(page, "Montant accordé")).to_have_text(re.compile(r"^350\s000\s€$"))
    expect(page.get_by_role("link", name="Télésurveillance médicale", exact=True)).to_be_visible()
    shot(page, "33-projet")
    assert_accessible(page)

    page.get_by_role("link", name="Retour au catalogue").click()
    expect(count_heading(page)).to_have_text("6 projets")


def test_on_a_phone_results_come_first_and_filters_fold(
    catalogue, chromium_browser, live_server, assert_accessible
):
    context = chromium_browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.goto("/catalogue/")
    first = result_titles(page).first
    expect(first).to_be_visible()
    box = first.bounding_box()
    assert box["y"] + box["height"] <= 844, box  # a result on the first screen
    expect(facet(page, "Région")).to_be_hidden()
    assert_accessible(page)
    shot(page, "34-catalogue-telephone")

    page.get_by_text("Affiner", exact=True).click()
    option(page, "Région", "Bretagne").check(force=True)
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(count_heading(page)).to_have_text("1 projet")
    context.close()
