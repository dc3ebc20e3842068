"""The database index on PostgreSQL: a rebuild leaves no dead rows for searches to read, and
an index built before the theme ids were stored counts its themes once migrated."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from cms.models import Theme
from search.backends.base import CatalogueQuery
from search.backends.database import DatabaseBackend

from .sheets import sheet

pytestmark = pytest.mark.django_db(transaction=True)


def dead_rows() -> int:
    """The row versions left in SearchDocument's pages (pgstattuple reads the pages; the
    statistics views count them late)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
        cursor.execute("SELECT dead_tuple_count FROM pgstattuple('search_searchdocument')")
        return cursor.fetchone()[0]


def test_a_rebuild_leaves_only_the_live_rows():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's row versions")
    sheets = [sheet(f"Télésurveillance numéro {n}") for n in range(30)]
    backend = DatabaseBackend()
    backend.rebuild()
    backend.rebuild()  # the first rebuild's rows are now all old versions

    assert dead_rows() == 0
    assert backend.search(CatalogueQuery(text="télésurveillance")).total == len(sheets)


def test_an_index_built_before_the_theme_ids_counts_its_themes_once_migrated():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL stores the theme ids")
    cardio = Theme.objects.create(slug="cardio-test", name="Cardiologie")
    mental = Theme.objects.create(slug="mental-test", name="Santé mentale")
    sheet("Télésurveillance cardiaque", themes=[cardio])
    sheet("Télésurveillance et écoute", themes=[cardio, mental])
    backend = DatabaseBackend()
    backend.rebuild()
    with connection.cursor() as cursor:  # as an index written before migration 0006
        cursor.execute("UPDATE search_searchdocument SET theme_ids = NULL")
    migration = importlib.import_module("search.migrations.0006_searchdocument_theme_ids")
    with connection.schema_editor() as schema_editor:
        migration.fill_theme_ids(None, schema_editor)

    query = CatalogueQuery(text="télésurveillance", filters={"theme": ("mental-test",)})
    results = backend.search(query)
    assert results.total == 1
    counts = {facet.value: facet.count for facet in results.facets["theme"]}
    assert counts == {"cardio-test": 2, "mental-test": 1}
