"""The embedded catalogue backend: the database's own full-text search, no server to run.

The index is SearchDocument (one row per indexed sheet) and the engine's text index:
PostgreSQL's weighted tsvector in that row (postgres.py), or SQLite's FTS5 table
(sqlite.py). The engine answers which sheets match the text and how well, and marks the
matched words; everything else is plain SQL over the sheets: one statement gives the page,
the total and every facet's counts, each facet counted with every OTHER facet's filter.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from search.models import PublicProject, SearchDocument

from . import postgres, sqlite
from .base import (
    AMOUNT_BANDS,
    FACETS,
    CatalogueQuery,
    CatalogueResults,
    FacetValue,
    Hit,
    Progress,
    SearchBackend,
    band_facet,
    sorted_facet,
)

CHUNK = 500
SHEETS = PublicProject._meta.db_table
SHEET_THEMES = PublicProject.themes.through._meta.db_table
THEMES = PublicProject.themes.field.related_model._meta.db_table
# Qualified: PostgreSQL would sort by an output column of the same name (the id as text).
ORDER_BY = {
    "relevance": "s.score DESC, s.published_at DESC, s.id DESC",
    "newest": "s.published_at DESC, s.id DESC",
    "amount": "s.amount DESC, s.published_at DESC, s.id DESC",
}
BAND = (
    "CASE "
    + " ".join(
        f"WHEN p.amount_granted < {high} THEN '{key}'" for key, _l, high in AMOUNT_BANDS[:-1]
    )
    + f" ELSE '{AMOUNT_BANDS[-1][0]}' END"
)
# Facet name -> the column of the matched sheets it counts.
COLUMNS = {
    "region": "region",
    "call": "call_id",
    "year": "year",
    "trl": "trl",
    "amount_band": "band",
}
INTEGERS = ("call", "year", "trl")
NO_SCORE = "CAST(NULL AS DOUBLE PRECISION)"  # typed, for UNION ALL on PostgreSQL


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


def _placeholders(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def _conditions(filters: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, list]]:
    """Facet name -> (SQL condition on the matched sheets, its parameters)."""
    conditions = {}
    for name in FACETS:
        values = [str(v) for v in filters.get(name, ()) if str(v).strip()]
        if name in INTEGERS:
            values = [int(v) for v in values if v.isdigit()]
        if not filters.get(name):
            continue
        if not values:  # only invalid values: nothing passes
            conditions[name] = ("1 = 0", [])
        elif name == "theme":
            conditions[name] = (
                f"EXISTS (SELECT 1 FROM {SHEET_THEMES} st JOIN {THEMES} t ON t.id = st.theme_id "
                f"WHERE st.publicproject_id = s.id AND t.slug IN ({_placeholders(values)}))",
                values,
            )
        else:
            conditions[name] = (f"s.{COLUMNS[name]} IN ({_placeholders(values)})", values)
    return conditions


def _where(conditions: dict[str, tuple[str, list]], skip: str = "") -> tuple[str, list]:
    parts = [(sql, params) for name, (sql, params) in conditions.items() if name != skip]
    if not parts:
        return "1 = 1", []
    return " AND ".join(sql for sql, _ in parts), [p for _, params in parts for p in params]


def statement(matched: tuple[str, list], query: CatalogueQuery) -> tuple[str, list]:
    """One statement: rows (kind, value, n, score) for every facet value with its count
    ('facet:<name>'), the total ('total') and the page ('hit': id, rank, score)."""
    matched_sql, params = matched
    sql = [
        f"WITH matched AS MATERIALIZED ({matched_sql}), "
        "s AS MATERIALIZED (SELECT m.id, m.score, p.region, p.call_id, p.year, p.trl, "
        f"p.amount_granted AS amount, p.published_at, {BAND} AS band "
        f"FROM matched m JOIN {SHEETS} p ON p.id = m.id) "
    ]
    params = list(params)
    conditions = _conditions(query.filters)
    parts = []
    for name in FACETS:
        where, where_params = _where(conditions, skip=name)
        if name == "theme":
            parts.append(
                f"SELECT 'facet:theme', t.slug, count(*), {NO_SCORE} FROM s "
                f"JOIN {SHEET_THEMES} st ON st.publicproject_id = s.id "
                f"JOIN {THEMES} t ON t.id = st.theme_id WHERE {where} GROUP BY t.slug"
            )
        else:
            column = COLUMNS[name]
            parts.append(
                f"SELECT 'facet:{name}', CAST(s.{column} AS TEXT), count(*), {NO_SCORE} FROM s "
                f"WHERE {where} GROUP BY s.{column}"
            )
        params += where_params
    where, where_params = _where(conditions)
    parts.append(f"SELECT 'total', NULL, count(*), {NO_SCORE} FROM s WHERE {where}")
    params += where_params
    order = ORDER_BY[query.ordering]
    parts.append(
        "SELECT * FROM (SELECT 'hit', CAST(s.id AS TEXT), "
        f"row_number() OVER (ORDER BY {order}), score FROM s WHERE {where} "
        f"ORDER BY {order} LIMIT %s OFFSET %s) page"
    )
    params += [*where_params, query.per_page, (query.page - 1) * query.per_page]
    return sql[0] + " UNION ALL ".join(parts), params


ALL_INDEXED = (f"SELECT project_id AS id, 0.0 AS score FROM {SearchDocument._meta.db_table}", [])


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

    def _write(self, cursor, sheets: list[PublicProject]) -> None:
        if sheets:
            text_engine().write(cursor, sheets)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Every published sheet, in one transaction: readers keep the old index until it
        commits, and index writers wait for it (then apply their newer change), so no update
        made meanwhile is lost."""
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
        return len(ids)

    # -- searching --------------------------------------------------------------------------

    def search(self, query: CatalogueQuery) -> CatalogueResults:
        engine = text_engine()
        text = query.text.strip()
        with connection.cursor() as cursor:
            matched = engine.matched(cursor, text) if text else ALL_INDEXED
            if matched is None:  # no word to look for (only stop words)
                return CatalogueResults(total=0, hits=[], facets=band_free_facets())
            sql, params = statement(matched, query)
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
            total, page = 0, []
            for kind, value, n, score in rows:
                if kind == "hit":
                    page.append((n, int(value), float(score or 0.0)))
                elif kind == "total":
                    total = n
                elif value is not None:
                    counts[kind.removeprefix("facet:")][value] = n
            page.sort()
            highlights = engine.highlights(cursor, text, [pk for _, pk, _ in page]) if text else {}
        facets = {name: sorted_facet(counts[name]) for name in FACETS}
        facets["amount_band"] = band_facet(counts["amount_band"])
        hits = [Hit(pk, score, highlights.get(pk, {})) for _, pk, score in page]
        return CatalogueResults(total=total, hits=hits, facets=facets)

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        prefix = prefix.strip()
        if not prefix:
            return []
        with connection.cursor() as cursor:
            return text_engine().suggest(cursor, prefix, limit)


def band_free_facets() -> dict[str, list[FacetValue]]:
    """Facets of no result: nothing counted, every amount band shown empty."""
    facets: dict[str, list[FacetValue]] = {name: [] for name in FACETS}
    facets["amount_band"] = band_facet({})
    return facets
