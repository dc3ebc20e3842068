"""A rebuild of the database index on PostgreSQL leaves no dead rows for searches to read."""

from __future__ import annotations

import pytest
from django.db import connection

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
