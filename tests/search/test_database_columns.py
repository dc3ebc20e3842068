"""The database backend's in-memory columns: patched after each write, they must answer as a
fresh load would (the catalogue a visitor sees never depends on when the process started)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction

from cms.models import Theme
from search.backends import columns as memory
from search.backends.base import CatalogueQuery
from search.backends.database import DatabaseBackend
from search.models import PublicProject

from .sheets import sheet

pytestmark = pytest.mark.django_db

QUERIES = [
    CatalogueQuery(),
    CatalogueQuery(sort="amount"),
    CatalogueQuery(filters={"region": ("84",)}),
    CatalogueQuery(filters={"theme": ("imagerie",), "year": ("2025",)}),
    CatalogueQuery(text="imagerie"),
]


def numbered(n: int, region: str, year: int, amount: int, themes=()) -> PublicProject:
    """Odd n: « Imagerie médicale n », even n: « Téléconsultation n »."""
    title = f"Imagerie médicale {n}" if n % 2 else f"Téléconsultation {n}"
    return sheet(title, themes=themes, region=region, year=year, amount=amount)


def answers(columns) -> list:
    """What each query shows: ids in order, total, facets."""
    return [
        (
            s.ids,
            s.total,
            {k: sorted((v.value, v.count) for v in vs) for k, vs in s.facets.items()},
        )
        for s in (
            columns.select(None, q.filters, q.sort, 0, 20)
            if not q.text
            else columns.select(
                DatabaseBackend().engine.match(q.text, columns), q.filters, q.sort, 0, 20
            )
            for q in QUERIES
        )
    ]


def test_patched_columns_answer_as_a_fresh_load():
    imaging = Theme.objects.create(name="Imagerie", slug="imagerie")
    mental = Theme.objects.create(name="Santé mentale", slug="sante-mentale-col")
    backend = DatabaseBackend()
    first = [
        numbered(n, "84" if n % 3 else "11", 2024 + n % 2, 100_000 * n, [imaging])
        for n in range(1, 7)
    ]
    backend.rebuild()
    loaded = memory.current()
    assert len(loaded) == 6

    # writes after the load: a new sheet (new region, new theme), an edit, a removal
    added = numbered(7, "53", 2025, 2_000_000, [mental, imaging])
    backend.index([added.pk])
    first[0].region, first[0].amount_granted = "53", Decimal(5_000_000)
    first[0].save()
    backend.index([first[0].pk])
    backend.remove([first[1].pk])

    patched = memory.current()
    assert patched is not loaded and patched.token == loaded.token  # caught up, not reloaded
    fresh = memory.load(*memory.index_state())
    assert len(patched) == len(fresh) == 6
    assert answers(patched) == answers(fresh)
    assert first[1].pk not in patched.ids
    assert patched.select(None, {"region": ("53",)}, "amount", 0, 20).ids == [
        first[0].pk,
        added.pk,
    ]


@pytest.mark.parametrize("merge_at", [1, 1_000_000], ids=["merged", "deltas"])
def test_posting_deltas_and_their_merge_answer_alike(merge_at, monkeypatch):
    """On PostgreSQL a publication adds delta rows to the posting lists, merged into them in
    bulk: searches must not tell the difference."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("posting lists are PostgreSQL's (SQLite uses FTS5)")
    from search.backends import pg_engine

    monkeypatch.setattr(pg_engine, "MERGE_AT", merge_at)
    backend = DatabaseBackend()
    sheets = [numbered(n, "84", 2025, 100_000 * n, []) for n in range(1, 5)]
    backend.rebuild()
    # after the rebuild: a new sheet, an edit that drops a word and adds one, a removal
    added = numbered(9, "11", 2025, 900_000, [])
    backend.index([added.pk])
    sheets[0].title = "Télésurveillance cardiaque"
    sheets[0].save()
    backend.index([sheets[0].pk])
    backend.remove([sheets[2].pk])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_posting_delta")
        pending = cursor.fetchone()[0]
    assert (pending == 0) == (merge_at == 1)

    def found(text):
        return sorted(h.project_id for h in backend.search(CatalogueQuery(text=text)).hits)

    # odd n: "Imagerie médicale n", even: "Téléconsultation n"
    assert found("imagerie") == sorted([added.pk])  # sheets[0] lost it, sheets[2] removed
    assert found("télésurveillance cardiaque") == [sheets[0].pk]
    assert found("téléconsultation") == [sheets[1].pk, sheets[3].pk]


def test_columns_that_saw_a_rolled_back_write_are_reloaded():
    backend = DatabaseBackend()
    kept = numbered(1, "84", 2025, 100_000, [])
    backend.rebuild()
    undone = numbered(3, "84", 2025, 300_000, [])

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        backend.index([undone.pk])
        assert backend.search(CatalogueQuery()).total == 2  # seen inside the transaction
        raise Undo

    assert [h.project_id for h in backend.search(CatalogueQuery()).hits] == [kept.pk]
    # the next write gets the version the undone one had: it must be read, not assumed known
    later = numbered(5, "11", 2025, 500_000, [])
    backend.index([later.pk])
    assert sorted(h.project_id for h in backend.search(CatalogueQuery()).hits) == sorted(
        [kept.pk, later.pk]
    )
