"""The demo catalogue: a visitor of the demo finds funded projects at /catalogue/, and loading
the demo again duplicates nothing."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.text import slugify

from cms import demo_data as cms_demo_data
from cms.demo import load_demo
from cms.models import CallPage
from evaluation.demo import load_demo_workflow
from grants.models import Application
from search import demo_data
from search.backends.base import AMOUNT_BANDS
from search.demo import load_demo_catalogue
from search.models import PublicProject, SearchDocument

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def search_backend(settings):
    """The real embedded backend (the default without Elasticsearch)."""
    settings.RUCHE_SEARCH_BACKEND = "search.backends.database.DatabaseBackend"


def snapshot() -> dict[str, object]:
    return {
        "sheets": sorted(PublicProject.objects.values_list("slug", flat=True)),
        "themes": PublicProject.themes.through.objects.count(),
        "indexed": SearchDocument.objects.count(),
    }


@pytest.fixture
def catalogue() -> int:
    load_demo()
    count = load_demo_catalogue()
    first = snapshot()
    assert load_demo_catalogue() == count
    assert snapshot() == first
    return count


def text(response) -> str:
    return html.unescape(response.content.decode())


def catalogue_page(client, **params):
    response = client.get(reverse("search:catalogue"), params)
    assert response.status_code == 200
    return response


def test_demo_catalogue_is_loaded_once(catalogue):
    assert catalogue == len(demo_data.SHEETS) >= 20
    published = PublicProject.objects.filter(status=PublicProject.Status.PUBLISHED)
    assert published.count() == catalogue
    assert PublicProject.objects.values("slug").distinct().count() == catalogue


def test_sheets_use_the_demo_themes_calls_and_ranges(catalogue):
    demo_themes = {slugify(name) for name in cms_demo_data.THEMES}
    demo_calls = {call["slug"] for call in cms_demo_data.CALLS}
    for sheet in PublicProject.objects.select_related("call").prefetch_related("themes"):
        themes = {theme.slug for theme in sheet.themes.all()}
        assert 1 <= len(themes) <= 3 and themes <= demo_themes, sheet.slug
        assert sheet.call.slug in demo_calls and sheet.call_title == sheet.call.title
        assert sheet.amount_granted <= CallPage.objects.get(pk=sheet.call_id).max_amount_per_project
        assert Decimal(80_000) <= sheet.amount_granted <= Decimal(2_500_000)
        assert 2021 <= sheet.year <= 2026 and 3 <= sheet.trl <= 9
        assert sheet.published_at.year >= sheet.year
        assert not sheet.website or sheet.website.endswith(".example.org")
    # Every theme named in the data exists among the demo themes (none silently dropped).
    named = {slugify(name) for data in demo_data.SHEETS for name in data["themes"]}
    assert named <= demo_themes


def test_anonymous_visitor_sees_the_demo_projects(client, catalogue):
    response = catalogue_page(client)
    assert response.context["total"] == catalogue
    assert f"{catalogue} projets" in text(response)
    assert "Télésurveillance de l'insuffisance cardiaque" in text(response)
    project = client.get(reverse("search:project", args=["cardioveille"]))
    assert project.status_code == 200
    assert "Veille Cardio SAS" in text(project) and "Hauts-de-France" in text(project)


def test_a_french_query_with_a_typo_finds_the_telesurveillance_project(client, catalogue):
    response = catalogue_page(client, q="telesurveilance")
    assert 1 <= response.context["total"] < catalogue
    assert reverse("search:project", args=["cardioveille"]) in text(response)
    assert reverse("search:project", args=["orthobotix"]) not in text(response)


def test_facets_show_several_regions_and_every_amount_band(client, catalogue):
    response = catalogue_page(client)
    facets = {facet["name"]: facet["options"] for facet in response.context["facets"]}
    assert len(facets["region"]) >= 10
    assert {option["value"] for option in facets["amount_band"]} == {
        key for key, _low, _high in AMOUNT_BANDS
    }
    assert len(facets["call"]) == len(demo_data.CALLS)
    assert {int(option["value"]) for option in facets["year"]} == set(range(2021, 2027))
    region_facet = re.search(r'id="facet-region".*?</fieldset>', text(response), re.S).group()
    assert region_facet.count('type="checkbox"') >= 10
    assert "Île-de-France (" in region_facet and "La Réunion (" in region_facet


def test_a_funded_application_of_the_workflow_demo_gets_its_sheet(catalogue):
    load_demo_workflow("demo-123456")
    application = Application.objects.get(project_title="NeuroVeille")
    Application.objects.filter(pk=application.pk).update(status="funded")

    assert load_demo_catalogue() == catalogue + 1
    assert load_demo_catalogue() == catalogue + 1
    sheet = PublicProject.objects.get(application=application)
    assert sheet.status == PublicProject.Status.PUBLISHED
    assert sheet.organisation_name == "NeuroVeille SAS" and sheet.amount_granted > 0
    assert PublicProject.objects.count() == catalogue + 1
