"""The catalogue seen from both sides: staff prepare and publish a funded project's public
sheet; visitors find it (pages, suggestions, open data, API) with its public fields only."""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from cms.models import Theme
from core.roles import PROGRAMME_WIDE_GROUP
from evaluation.services import submit_application
from grants.models import Application
from search.backends import get_backend
from search.backends.base import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
)
from search.models import PublicProject
from search.opendata import PROJECT_COLUMNS, SCDL_COLUMNS
from search.outbox import pending_count
from search.views.public import highlight

from ..factories import ThemeFactory, make_call
from ..grants_factories import UserFactory, complete_application

pytestmark = pytest.mark.django_db

PRIVATE_TEXTS = (
    "camille@tc.example",  # the lead's email
    "Réhospitalisations évitables",  # a private answer (problem)
    "aucune revente de données",  # a private answer (business model)
    "Ingénieurs",  # a budget line
)


@pytest.fixture(autouse=True)
def search_backend(settings):
    """The real embedded backend (the default without Elasticsearch)."""
    settings.RUCHE_SEARCH_BACKEND = "search.backends.database.DatabaseBackend"


def sync_index():
    """What the outbox worker would do after a publication."""
    get_backend().rebuild()


@pytest.fixture
def funded(calls_index):
    ThemeFactory(slug="telesurveillance-medicale", name="Télésurveillance médicale")
    now = timezone.now()
    call = make_call(
        calls_index, opens_at=now - timedelta(days=5), cutoffs=[now + timedelta(days=5)]
    )
    application = complete_application(call)
    application = submit_application(application, application.created_by)
    Application.objects.filter(pk=application.pk).update(status="funded")
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def staff_client(client):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    client.force_login(user)
    return client


def edit_url(application):
    return reverse("search:publication_edit", args=[application.pk])


def sheet_data(**changes):
    data = {
        "title": "TeleCardio",
        "summary": "Télésurveillance des insuffisants cardiaques à domicile.",
        "description": "Des alertes précoces pour éviter les réhospitalisations.",
        "organisation_name": "Santé Connectée SAS",
        "region": "11",
        "themes": [],
        "year": "2026",
        "amount_granted": "300000",
        "trl": "6",
        "partners": "CHU de Lille\nInstitut Pasteur",
        "website": "https://telecardio.example",
    }
    data.update(changes)
    return data


def publish_sheet(staff_client, application, **changes) -> PublicProject:
    assert staff_client.get(edit_url(application)).status_code == 200
    response = staff_client.post(
        edit_url(application), {**sheet_data(**changes), "action": "publish"}
    )
    assert response.status_code == 302
    sync_index()
    return PublicProject.objects.get(application=application)


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_staff_prepares_publishes_and_the_project_is_in_the_catalogue(staff_client, funded):
    listing = staff_client.get(reverse("search:publication_list"))
    assert listing.status_code == 200
    assert "TeleCardio" in text(listing) and "À préparer" in text(listing)

    page = staff_client.get(edit_url(funded))
    assert page.status_code == 200
    # The page shows the draft prepared from the application, and opening it saves nothing.
    theme = Theme.objects.get(slug="telesurveillance-medicale")
    assert page.context["form"]["themes"].value() == [theme.pk]
    assert "Publier" in text(page)
    assert not PublicProject.objects.exists()

    sheet = publish_sheet(staff_client, funded, themes=[str(theme.pk)])
    assert sheet.status == PublicProject.Status.PUBLISHED
    assert sheet.amount_granted == Decimal("300000")

    catalogue = staff_client.get(reverse("search:catalogue"))
    body = text(catalogue)
    assert catalogue.status_code == 200
    assert "TeleCardio" in body
    assert "Télésurveillance médicale (1)" in body  # facet with its count
    assert 'type="checkbox"' in body

    project = staff_client.get(reverse("search:project", args=[sheet.slug]))
    body = text(project)
    assert project.status_code == 200
    assert "CHU de Lille" in body and "Santé Connectée SAS" in body
    assert funded.organisation.siret not in body
    for private in PRIVATE_TEXTS:
        assert private not in body

    # Filters and search terms live in the URL.
    filtered = staff_client.get(reverse("search:catalogue"), {"region": "84"})
    assert filtered.context["total"] == 0 and filtered.context["items"] == []
    assert "0 projet" in text(filtered)
    found = staff_client.get(reverse("search:catalogue"), {"q": "TeleCardio", "theme": theme.slug})
    assert "<mark>" in found.content.decode()


def test_unpublishing_removes_the_project(staff_client, funded):
    sheet = publish_sheet(staff_client, funded)
    response = staff_client.post(edit_url(funded), {**sheet_data(), "action": "unpublish"})
    assert response.status_code == 302
    sync_index()
    assert client_get(staff_client, "search:project", sheet.slug).status_code == 404
    assert client_get(staff_client, "search:api_project", sheet.slug).status_code == 404
    data = json.loads(client_get(staff_client, "search:api_projects").content)
    assert data["count"] == 0 and data["results"] == []


def client_get(client, name, *args, **params):
    return client.get(reverse(name, args=args), params)


def test_a_draft_sheet_is_not_public(staff_client, funded, client):
    response = staff_client.post(edit_url(funded), {**sheet_data(), "action": "save"})
    assert response.status_code == 302
    sheet = PublicProject.objects.get(application=funded)
    assert sheet.status == PublicProject.Status.DRAFT
    sync_index()
    assert client_get(client, "search:project", sheet.slug).status_code == 404
    assert client_get(client, "search:api_project", sheet.slug).status_code == 404
    assert client_get(client, "search:catalogue").context["total"] == 0


def test_a_theme_edit_on_a_published_sheet_reaches_the_catalogue(
    staff_client, funded, django_capture_on_commit_callbacks
):
    """The outbox, not a rebuild, carries the edit: the sheet and its themes together."""
    first = Theme.objects.get(slug="telesurveillance-medicale")
    second = ThemeFactory(slug="prevention", name="Prévention")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            edit_url(funded), {**sheet_data(themes=[str(first.pk)]), "action": "publish"}
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            edit_url(funded), {**sheet_data(themes=[str(second.pk)]), "action": "save"}
        )
    assert response.status_code == 302
    assert pending_count() == 0

    def found(theme: Theme) -> int:
        return client_get(staff_client, "search:catalogue", theme=theme.slug).context["total"]

    assert (found(first), found(second)) == (0, 1)


def test_open_data_exports_hold_published_rows_only(staff_client, funded, calls_index):
    sheet = publish_sheet(staff_client, funded)
    PublicProject.objects.create(
        slug="brouillon",
        title="Projet en préparation",
        summary="Pas encore public.",
        organisation_name="Secret SAS",
        region="11",
        year=2026,
        amount_granted=Decimal("100000"),
    )

    response = client_get(staff_client, "search:projects_csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")), delimiter=";"))
    assert tuple(rows[0]) == PROJECT_COLUMNS
    assert [r[0] for r in rows[1:]] == [sheet.slug]
    assert "Secret SAS" not in response.content.decode()

    data = json.loads(client_get(staff_client, "search:projects_json").content)
    assert [p["slug"] for p in data["projects"]] == [sheet.slug]
    exported = json.dumps(data, ensure_ascii=False)
    assert funded.organisation.siret not in exported
    for private in PRIVATE_TEXTS:
        assert private not in exported

    response = client_get(staff_client, "search:scdl_csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert tuple(rows[0].keys()) == SCDL_COLUMNS
    assert len(rows) == 1
    row = rows[0]
    assert row["nomBeneficiaire"] == "Santé Connectée SAS"
    assert row["idBeneficiaire"] == funded.organisation.siret  # public for companies
    assert row["montant"] == "300000.00"
    assert row["nature"] == "aide en numéraire"
    assert row["conditionsVersement"] == "échelonné"
    assert row["notificationUE"] == "non"
    assert row["nomAttribuant"] == "Bpifrance"


def test_api_list_detail_openapi_and_suggestions(staff_client, funded, client):
    sheet = publish_sheet(staff_client, funded)
    data = json.loads(client_get(client, "search:api_projects", region="11").content)
    assert data["count"] == 1 and data["results"][0]["slug"] == sheet.slug
    assert "facets" in data and data["next"] is None
    assert json.loads(client_get(client, "search:api_projects", region="84").content)["count"] == 0

    detail = json.loads(client_get(client, "search:api_project", sheet.slug).content)
    assert detail["title"] == "TeleCardio"
    assert detail["partners"] == ["CHU de Lille", "Institut Pasteur"]
    assert "siret" not in json.dumps(detail).lower()

    spec = json.loads(client_get(client, "search:api_openapi").content)
    assert spec["openapi"].startswith("3.1")
    assert {"/projets/", "/projets/{slug}/"} <= set(spec["paths"])

    suggestions = json.loads(client_get(client, "search:suggestions", q="Tele").content)
    assert "TeleCardio" in suggestions["suggestions"]


def test_highlights_are_escaped_before_marking():
    marked = highlight(f"<b>{HIGHLIGHT_START}Télé{HIGHLIGHT_END}</b> & co")
    assert marked == "&lt;b&gt;<mark>Télé</mark>&lt;/b&gt; &amp; co"


def test_publication_pages_are_for_staff_only(client, funded):
    assert client.get(reverse("search:publication_list")).status_code == 302  # to login
    client.force_login(UserFactory())
    assert client.get(reverse("search:publication_list")).status_code == 403
    assert client.get(edit_url(funded)).status_code == 403
    assert client.post(edit_url(funded), {**sheet_data(), "action": "publish"}).status_code == 403
    assert not PublicProject.objects.exists()
