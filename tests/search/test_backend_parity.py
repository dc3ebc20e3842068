"""The database and the search engine give the same answers for the same sheets: ids, totals,
facet counts and order, ties included (the one ordering rule of search/backends/base.py).
Relevance scores differ between engines, so a text query sorted by relevance is compared as
a set; sorted by date or amount, in order."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cms.models import Theme
from search.backends.base import CatalogueQuery
from search.backends.database import DatabaseBackend
from search.models import PublicProject

from .conftest import engine_backend

pytestmark = pytest.mark.django_db

TITLES = [
    "Télésurveillance de l'insuffisance cardiaque",
    "Télésurveillance du diabète de l'enfant",
    "Téléexpertise des plaies chroniques",
    "Prévention des chutes en EHPAD",
    "Diabète : éducation thérapeutique en ligne",
    "Insuffisance rénale : dialyse à domicile",
]


@pytest.fixture
def backends():
    """Both backends over 24 sheets with many ties: four publication instants, three
    amounts, so that only the tie-break orders most of them."""
    themes = [Theme.objects.create(name=n, slug=n.lower()) for n in ("Cardio", "Diabete")]
    instant = timezone.now().replace(microsecond=0)
    for n in range(24):
        sheet = PublicProject.objects.create(
            slug=f"parite-{n}",
            title=TITLES[n % len(TITLES)],
            summary="Un projet soutenu : suivi des patients à domicile.",
            organisation_name=f"Organisation {n % 5}",
            region=("11", "84", "53")[n % 3],
            year=2022 + n % 4,
            trl=3 + n % 5,
            amount_granted=Decimal((150_000, 400_000, 1_200_000)[n % 3]),
            status=PublicProject.Status.PUBLISHED,
            published_at=instant - timedelta(days=n % 4),
        )
        sheet.themes.set(themes[: n % 3])
    database, engine = DatabaseBackend(), engine_backend()
    assert database.rebuild() == engine.rebuild() == 24
    yield database, engine
    engine.drop()


QUERIES = [
    CatalogueQuery(),
    CatalogueQuery(page=2, per_page=10),
    CatalogueQuery(sort="amount"),
    CatalogueQuery(sort="amount", page=3, per_page=10),
    CatalogueQuery(filters={"region": ("84",)}),
    CatalogueQuery(filters={"region": ("84", "53"), "theme": ("cardio",)}),
    CatalogueQuery(filters={"amount_band": ("1m-plus", "lt-250k"), "year": ("2023",)}),
    CatalogueQuery(filters={"trl": ("4", "5"), "theme": ("diabete",)}, sort="amount"),
    CatalogueQuery(text="télésurveillance", sort="newest"),
    CatalogueQuery(text="diabète", sort="amount", filters={"region": ("11",)}),
    CatalogueQuery(text="insuffisance", sort="newest", page=2, per_page=5),
    CatalogueQuery(text="télésurveillance"),
    CatalogueQuery(text="téléexpertise", filters={"year": ("2024", "2025")}),
    CatalogueQuery(text="dialyse domicile"),
]


def answer(backend, query: CatalogueQuery) -> dict:
    results = backend.search(query)
    ids = [h.project_id for h in results.hits]
    return {
        "total": results.total,
        "ids": sorted(ids) if query.ordering == "relevance" else ids,
        "facets": {name: [(v.value, v.count) for v in values]
                   for name, values in results.facets.items()},
    }  # fmt: skip


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: repr(q)[14:70])
def test_same_sheets_same_answers(backends, query):
    database, engine = backends
    expected, got = answer(database, query), answer(engine, query)
    assert got["ids"] == expected["ids"], f"{got['ids']} {expected['ids']}"
    assert got == expected
