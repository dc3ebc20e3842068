"""The embedded catalogue backend: the database's own full-text search, no server to run.

Two parts, whatever the engine:
- the text index, engine-specific: PostgreSQL's ``french`` configuration with unaccent and
  trigram typos over posting lists (pg_engine.py), or SQLite FTS5 (sqlite_engine.py); it
  answers which sheets match a query and how well;
- the columns that filters, facets and sorts read (IndexedProject), held in memory by each
  process and kept current with the index (columns.py).

Both are written in one transaction per batch, with the next IndexState version (a new token
for a rebuild). Highlighting is computed in Python for both engines, with the same markers.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator

from django.db import connection, transaction

from search.models import IndexedProject, IndexState, PublicProject

from . import columns as memory
from . import pg_engine, sqlite_engine
from .base import CatalogueQuery, CatalogueResults, Hit, SearchBackend
from .text import highlight, normalise, query_terms

CHUNK = 500
PG_SUGGEST = (
    "SELECT p.title FROM search_document d JOIN search_publicproject p ON p.id = d.project_id "
    "WHERE p.status = %s AND d.title_norm LIKE %s "
    "ORDER BY (d.title_norm LIKE %s) DESC, p.title LIMIT %s"
)
SQLITE_SUGGEST = (
    "SELECT p.title FROM search_fts_title f JOIN search_publicproject p ON p.id = f.rowid "
    "WHERE p.status = %s AND f.title_norm LIKE %s "
    "ORDER BY (f.title_norm LIKE %s) DESC, p.title LIMIT %s"
)


def _body(sheet: PublicProject) -> str:
    themes = " ".join(t.name for t in sheet.themes.all())
    return " ".join(
        [sheet.description, sheet.organisation_name, sheet.call_title, sheet.partners, themes]
    )


def _document(sheet: PublicProject) -> tuple[int, str, str, str]:
    return (sheet.pk, sheet.title, sheet.summary, _body(sheet))


def _columns(sheet: PublicProject, version: int = 0) -> IndexedProject:
    return IndexedProject(
        version=version,
        project_id=sheet.pk,
        region=sheet.region,
        call_id=sheet.call_id,
        year=sheet.year,
        trl=sheet.trl,
        amount=sheet.amount_granted,
        published_at=sheet.published_at,
        theme_ids=",".join(str(t.pk) for t in sheet.themes.all()),
    )


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _published(ids: list[int]) -> list[PublicProject]:
    return list(
        PublicProject.objects.filter(
            pk__in=ids, status=PublicProject.Status.PUBLISHED
        ).prefetch_related("themes")
    )


def _next_version(rebuilt: bool = False) -> int:
    """The version of this write (one more than the last), with a new token for a rebuild.
    Called under the writers' lock, so versions follow commit order."""
    state = IndexState.objects.select_for_update().filter(pk=1).first()
    if state is None:
        state = IndexState(pk=1, token=uuid.uuid4().hex, version=0)
    state.version += 1
    if rebuilt:
        state.token = uuid.uuid4().hex
    state.save()
    return state.version


class DatabaseBackend(SearchBackend):
    """Catalogue search on PostgreSQL or SQLite, whichever the default connection is."""

    @property
    def engine(self):
        return pg_engine if connection.vendor == "postgresql" else sqlite_engine

    # -- indexing ---------------------------------------------------------------------------

    def index(self, project_ids: list[int]) -> None:
        for chunk in _chunks(sorted({int(pk) for pk in project_ids})):
            sheets = _published(chunk)
            published = {s.pk for s in sheets}
            self._write(sheets, [pk for pk in chunk if pk not in published])

    def remove(self, project_ids: list[int]) -> None:
        for chunk in _chunks(sorted({int(pk) for pk in project_ids})):
            self._write([], chunk)

    def _write(self, sheets: list[PublicProject], removed: list[int]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            self.engine.write(cursor, [_document(s) for s in sheets], removed)
            version = _next_version()
            IndexedProject.objects.filter(project_id__in=removed).update(
                removed=True, version=version
            )
            IndexedProject.objects.bulk_create(
                [_columns(s, version) for s in sheets],
                update_conflicts=True,
                unique_fields=["project_id"],
                update_fields=[
                    f.name for f in IndexedProject._meta.fields if f.name != "project_id"
                ],
            )

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Every published sheet, in one transaction: readers keep the old index until it
        commits, and (on PostgreSQL) index writers wait for it, so no update is lost."""
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                pg_engine.lock(cursor)
            ids = list(
                PublicProject.objects.filter(status=PublicProject.Status.PUBLISHED)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            IndexedProject.objects.all().delete()

            def documents() -> Iterator[list[tuple]]:
                done = 0
                if progress:
                    progress(0, len(ids))
                for chunk in _chunks(ids):
                    sheets = _published(chunk)
                    IndexedProject.objects.bulk_create([_columns(s) for s in sheets])
                    yield [_document(s) for s in sheets]
                    done += len(chunk)
                    if progress:
                        progress(done, len(ids))

            self.engine.rebuild(cursor, documents())
            _next_version(rebuilt=True)
        return len(ids)

    # -- searching --------------------------------------------------------------------------

    def search(self, query: CatalogueQuery) -> CatalogueResults:
        text = query.text.strip()
        terms = query_terms(text)
        columns = memory.current()
        match = self.engine.match(text, columns) if terms else None
        per_page = max(1, min(int(query.per_page), 100))
        page = max(1, int(query.page))
        selection = columns.select(
            match, query.filters, query.sort, (page - 1) * per_page, per_page
        )
        sheets = PublicProject.objects.only("title", "summary").in_bulk(selection.ids)
        hits = []
        for pk, score in zip(selection.ids, selection.scores, strict=True):
            sheet = sheets.get(pk)
            if sheet is None:  # deleted since it was indexed
                continue
            highlights = {}
            if terms:
                highlights = {
                    "title": highlight(sheet.title, terms),
                    "summary": highlight(sheet.summary, terms),
                }
            hits.append(Hit(project_id=pk, score=score, highlights=highlights))
        return CatalogueResults(total=selection.total, hits=hits, facets=selection.facets)

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        typed = normalise(prefix).strip().replace("%", "").replace("_", "")
        if not typed:
            return []
        sql = PG_SUGGEST if connection.vendor == "postgresql" else SQLITE_SUGGEST
        with connection.cursor() as cursor:
            cursor.execute(
                sql, [PublicProject.Status.PUBLISHED, f"%{typed}%", f"{typed}%", int(limit)]
            )
            return [row[0] for row in cursor.fetchall()]
