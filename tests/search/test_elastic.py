"""The Elasticsearch backend against a real server; skipped when ELASTICSEARCH_URL is empty."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings

from search.backends.base import HIGHLIGHT_END, HIGHLIGHT_START, CatalogueQuery

if not settings.ELASTICSEARCH_URL:
    pytest.skip(
        "ELASTICSEARCH_URL is empty: no Elasticsearch server to test against",
        allow_module_level=True,
    )

from cms.models import Theme  # noqa: E402
from search.backends.elastic import ElasticsearchBackend  # noqa: E402
from search.models import PublicProject  # noqa: E402

from .sheets import sheet  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def backend():
    alias = f"ruche-test-{uuid.uuid4().hex[:8]}"
    backend = ElasticsearchBackend(alias=alias)
    yield backend
    backend.client.indices.delete(index=f"{alias}-*", ignore_unavailable=True)


def project(n, title, summary, region="11", year=2025, amount="300000", themes=()):
    return sheet(title, summary, themes=themes, region=region, year=year, amount=amount)


@pytest.fixture
def catalogue():
    tele = Theme.objects.create(name="Télésurveillance médicale", slug="telesurveillance")
    mental = Theme.objects.create(name="Santé mentale", slug="sante-mentale")
    return [
        project(1, "Télésurveillance des insuffisants cardiaques",
                "Suivi à domicile des patients.", "11", 2024, "300000", [tele]),
        project(2, "Plateforme de télésurveillance du diabète",
                "Les glycémies transmises à l'équipe.", "84", 2025, "1200000", [tele]),
        project(3, "Thérapies numériques de l'anxiété",
                "Santé mentale des adolescents.", "84", 2025, "150000", [mental]),
    ]  # fmt: skip


def test_index_and_search_in_french(backend, catalogue):
    backend.index([p.pk for p in catalogue])

    # accents folded, plural stemmed, typo tolerated
    for text in ("télésurveillance", "telesurveillance", "télésurveillances", "telesurveilance"):
        results = backend.search(CatalogueQuery(text=text))
        assert {h.project_id for h in results.hits} == {catalogue[0].pk, catalogue[1].pk}, text
    hit = backend.search(CatalogueQuery(text="télésurveillance")).hits[0]
    assert HIGHLIGHT_START in hit.highlights["title"] and HIGHLIGHT_END in hit.highlights["title"]
    # elision: « l'anxiété » finds « anxiété »
    assert [h.project_id for h in backend.search(CatalogueQuery(text="anxiete")).hits] == [
        catalogue[2].pk
    ]
    assert backend.suggest("télés") and all("élé" in t for t in backend.suggest("télés"))

    backend.remove([catalogue[0].pk])
    assert backend.search(CatalogueQuery(text="télésurveillance")).total == 1


def test_facets_count_with_the_other_facets_filters(backend, catalogue):
    backend.index([p.pk for p in catalogue])

    results = backend.search(
        CatalogueQuery(filters={"region": ("84",), "theme": ("telesurveillance",)})
    )

    assert [h.project_id for h in results.hits] == [catalogue[1].pk]
    regions = {f.value: f.count for f in results.facets["region"]}
    themes = {f.value: f.count for f in results.facets["theme"]}
    assert regions == {"11": 1, "84": 1}  # theme filter applied, not the region one
    assert themes == {"telesurveillance": 1, "sante-mentale": 1}  # region filter applied
    assert {f.value: f.count for f in results.facets["amount_band"]} == {
        "lt-250k": 0,
        "250k-500k": 0,
        "500k-1m": 0,
        "1m-plus": 1,
    }
    years = backend.search(CatalogueQuery(sort="amount")).facets["year"]
    assert {f.value: f.count for f in years} == {"2024": 1, "2025": 2}


def test_rebuild_swaps_the_alias_and_deletes_the_old_version(backend, catalogue):
    assert backend.rebuild() == 3
    first = backend.current_index()
    assert first.startswith(f"{backend.alias}-")

    catalogue[2].status = PublicProject.Status.DRAFT
    catalogue[2].save()
    assert backend.rebuild() == 2

    second = backend.current_index()
    assert second != first
    assert not backend.client.indices.exists(index=first)
    assert backend.search(CatalogueQuery()).total == 2


def test_an_edit_made_while_the_index_is_rebuilt_is_kept(backend, catalogue):
    from search.publication import save_sheet

    backend.rebuild()
    anxiety = catalogue[2]

    def edit_after_the_sheets_were_read(done, total):
        if done == total and anxiety.title != "Prévention du burn-out":
            anxiety.title = "Prévention du burn-out"
            save_sheet(anxiety)  # queues its outbox row
            backend.index([anxiety.pk])  # the worker writes to the alias: the old version

    assert backend.rebuild(progress=edit_after_the_sheets_were_read) == 3
    hits = backend.search(CatalogueQuery(text="burn-out")).hits
    assert [h.project_id for h in hits] == [anxiety.pk]
