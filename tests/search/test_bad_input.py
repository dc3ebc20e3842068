"""Whatever a URL holds, the catalogue answers: a clean page for the HTML, a 400 naming the
parameter for the API, never a server error. The API is fuzzed from its own OpenAPI
description (schemathesis): no server error, no response outside the description."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, settings

from ruche.wsgi import application
from search.backends.database import DatabaseBackend

from .sheets import sheet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue(settings):
    settings.RUCHE_SEARCH_BACKEND = "search.backends.database.DatabaseBackend"
    sheet("Télésurveillance médicale", "Suivi à domicile.", trl=6)
    sheet("Téléexpertise en dermatologie", "Avis d'un dermatologue en 48 heures.")
    DatabaseBackend().rebuild()


@pytest.mark.parametrize("name", ["search:catalogue", "search:api_projects", "search:suggestions"])
def test_a_nul_byte_in_the_query_is_no_server_error(client, name):
    response = client.get(reverse(name), {"q": "télé\x00surveillance"})
    assert response.status_code == (400 if name == "search:api_projects" else 200)


def test_the_page_drops_what_it_cannot_read(client):
    response = client.get(
        reverse("search:catalogue"),
        {"q": "télé\x00", "sort": "hasard", "page": "-3", "year": "deux mille", "region": "99"},
    )
    assert response.status_code == 200
    assert response.context["total"] == 2
    assert response.context["query"].sort == "relevance" and response.context["query"].page == 1


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"sort": "hasard"}, "sort"),
        ({"page": "0"}, "page"),
        ({"page": "douze"}, "page"),
        ({"trl": "10"}, "trl"),
        ({"year": "2025", "call": "x"}, "call"),
        ({"region": "99"}, "region"),
        ({"amount_band": "enorme"}, "amount_band"),
        ({"theme": "pas un slug !"}, "theme"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_the_api_refuses_an_invalid_parameter_and_names_it(client, params, named):
    response = client.get(reverse("search:api_projects"), params)
    assert response.status_code == 400
    assert list(json.loads(response.content)["errors"]) == [named]


def test_the_api_accepts_every_valid_value(client):
    response = client.get(
        reverse("search:api_projects"),
        {"q": "télé", "sort": "amount", "page": "1", "trl": ["6", "7"], "region": "53"},
    )
    assert response.status_code == 200
    assert json.loads(response.content)["count"] == 1


@pytest.fixture
def open_connection():
    """The WSGI handler closes the database connection after each request, as in production;
    the test's transaction needs it open (Django's test client does the same)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


# The description as the app serves it (the view reads no database), through WSGI.
schema = schemathesis.openapi.from_wsgi("/catalogue/api/openapi.json", application)


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_openapi_description(case, open_connection):
    case.call_and_validate()


@pytest.mark.parametrize("slug", ["inconnu", "a\nb", "%00", "é/è"])
def test_an_unknown_project_is_a_json_404(client, slug):
    response = client.get(f"/catalogue/api/projets/{slug}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
