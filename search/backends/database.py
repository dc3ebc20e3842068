"""The embedded catalogue backend: the database's own full-text search, no server to run.

The index is SearchDocument (one row per indexed sheet) and the engine's text index:
PostgreSQL's weighted tsvector in that row (postgres.py), or SQLite's FTS5 table
(sqlite.py). The engine answers which sheets match the text and how well, and marks the
matched words; everything else is plain SQL over the sheets: one statement (statement.py)
gives the page, the total and every facet's counts, each facet counted with every OTHER
facet's filter.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, transaction

from search.models import IndexGeneration, PublicProject, SearchDocument

from . import postgres, sqlite
from .base import (
    FACETS,
    CatalogueQuery,
    CatalogueResults,
    FacetValue,
    Hit,
    Progress,
    SearchBackend,
    amount_band,
    band_facet,
    no_facets,
    sorted_facet,
)
from .statement import all_indexed, put_in_order, selected, statement

CHUNK = 500
# A search's total and facets depend on its text and filters only, not on its sort or page:
# they are cached under the index's generation, which every index write moves on, so turning
# the page or changing the sort counts nothing again (as the engine's request cache does).
COUNTS_CACHE = "search:counts:{generation}:{digest}"
COUNTS_SECONDS = 24 * 3600
FIELDS = ["region", "call_id", "year", "trl", "amount", "amount_band", "published_at"]


def counts_key(generation: str, query: CatalogueQuery) -> str:
    """The cache key of ``query``'s total and facets in this generation of the index."""
    wanted = (
        query.text.strip(),
        sorted((k, sorted(map(str, v))) for k, v in query.filters.items() if v),
    )
    digest = hashlib.sha256(repr(wanted).encode()).hexdigest()[:32]
    return COUNTS_CACHE.format(generation=generation, digest=digest)


def text_engine():
    return postgres if connection.vendor == "postgresql" else sqlite


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _published(ids: list[int]) -> list[PublicProject]:
    return list(
        PublicProject.objects.filter(pk__in=ids, status=PublicProject.Status.PUBLISHED)
        .prefetch_related("themes")
        .order_by("pk")
    )


def _document(sheet: PublicProject) -> SearchDocument:
    return SearchDocument(
        project_id=sheet.pk,
        region=sheet.region,
        call_id=sheet.call_id,
        year=sheet.year,
        trl=sheet.trl,
        amount=sheet.amount_granted,
        amount_band=amount_band(sheet.amount_granted),
        published_at=sheet.published_at,
    )


class DatabaseBackend(SearchBackend):
    """Catalogue search on PostgreSQL or SQLite, whichever the default connection is."""

    # -- indexing ---------------------------------------------------------------------------

    def index(self, project_ids: list[int]) -> None:
        for chunk in _chunks(sorted({int(pk) for pk in project_ids})):
            sheets = _published(chunk)
            published = {s.pk for s in sheets}
            with transaction.atomic(), connection.cursor() as cursor:
                self._delete(cursor, [pk for pk in chunk if pk not in published])
                self._write(cursor, sheets)

    def remove(self, project_ids: list[int]) -> None:
        for chunk in _chunks(sorted({int(pk) for pk in project_ids})):
            with transaction.atomic(), connection.cursor() as cursor:
                self._delete(cursor, chunk)

    def _delete(self, cursor, ids: list[int]) -> None:
        if ids:
            text_engine().delete(cursor, ids)
            self._moved_on()

    def _moved_on(self) -> None:
        """A new generation of the index (in the writing transaction)."""
        IndexGeneration.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})

    def _write(self, cursor, sheets: list[PublicProject]) -> None:
        if sheets:
            SearchDocument.objects.bulk_create(
                [_document(s) for s in sheets],
                update_conflicts=True,
                unique_fields=["project"],
                update_fields=FIELDS,
            )
            text_engine().write(cursor, sheets)
            self._moved_on()

    def rebuild(self, progress: Progress | None = None) -> int:
        """Every published sheet, in one transaction: readers keep the old index until it
        commits, and index writers wait for it (then apply their newer change), so no update
        made meanwhile is lost. Then, out of any transaction, the engine settles the table."""
        with transaction.atomic(), connection.cursor() as cursor:
            text_engine().lock(cursor)
            ids = list(
                PublicProject.objects.filter(status=PublicProject.Status.PUBLISHED)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            text_engine().clear(cursor)
            if progress:
                progress(0, len(ids))
            done = 0
            for chunk in _chunks(ids):
                self._write(cursor, _published(chunk))
                done += len(chunk)
                if progress:
                    progress(done, len(ids))
            text_engine().rebuilt(cursor)
            self._moved_on()
        if not connection.in_atomic_block:  # else the caller's transaction is still open
            with connection.cursor() as cursor:
                text_engine().settle(cursor)
        return len(ids)

    # -- searching --------------------------------------------------------------------------

    def search(self, query: CatalogueQuery) -> CatalogueResults:
        generation = IndexGeneration.objects.filter(pk=1).values_list("token", flat=True).first()
        key = counts_key(generation, query) if generation else None
        counts = cache.get(key) if key else None
        results = self._search(query, counts)
        if key and counts is None:
            cache.set(key, (results.total, results.facets), COUNTS_SECONDS)
        return results

    def _search(
        self, query: CatalogueQuery, counts: tuple[int, dict[str, list[FacetValue]]] | None
    ) -> CatalogueResults:
        """The search; with its ``counts`` known, only its page is read."""
        engine = text_engine()
        text = query.text.strip()
        with connection.cursor() as cursor:
            # The text's queries, worked out once for the matching and the highlighting.
            queries = engine.text_queries(cursor, text) if text else None
            if text and queries is None:  # only stop words, or a word found nowhere
                return CatalogueResults(total=0, hits=[], facets=no_facets())
            matched = engine.matched(queries, selected()) if queries else all_indexed()
            cursor.execute(*statement(matched, query, counts=counts is None))
            rows = cursor.fetchall()
            counted: dict[str, dict[str, int]] = {name: {} for name in FACETS}
            total, page = 0, []
            for kind, value, n, score, published, amount in rows:
                if kind == "hit":
                    page.append((n, score, published, amount))
                elif kind == "total":
                    total = n
                elif value is not None:
                    counted[kind.removeprefix("facet:")][value] = n
            put_in_order(page, query.ordering)
            ids = [row[0] for row in page]
            highlights = engine.highlights(cursor, queries, ids) if queries else {}
        hits = [Hit(pk, float(score or 0.0), highlights.get(pk, {})) for pk, score, *_ in page]
        if counts is not None:
            return CatalogueResults(total=counts[0], hits=hits, facets=counts[1])
        facets = {name: sorted_facet(counted[name]) for name in FACETS}
        facets["amount_band"] = band_facet(counted["amount_band"])
        return CatalogueResults(total=total, hits=hits, facets=facets)

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        prefix = prefix.strip()
        if not prefix:
            return []
        with connection.cursor() as cursor:
            return text_engine().suggest(cursor, prefix, limit)
