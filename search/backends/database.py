"""The embedded catalogue backend: the database's own full-text search, no server to run.

The index is SearchDocument (one row per indexed sheet) and the engine's text index:
PostgreSQL's weighted tsvector in that row (postgres.py), or SQLite's FTS5 table
(sqlite.py). The engine answers which sheets match the text and how well, and marks the
matched words; everything else is plain SQL over the sheets: one statement gives the page,
the total and every facet's counts, each facet counted with every OTHER facet's filter.
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

CHUNK = 500
# A search's total and facets depend on its text and filters only, not on its sort or page:
# they are cached under the index's generation, which every index write moves on, so turning
# the page or changing the sort counts nothing again (as the engine's request cache does).
# The unfiltered catalogue's page is then read through the sort's index (SearchDocument's Meta).
COUNTS_CACHE = "search:counts:{generation}:{digest}"
COUNTS_SECONDS = 24 * 3600
DOCUMENTS = SearchDocument._meta.db_table
SHEET_THEMES = PublicProject.themes.through._meta.db_table
THEMES = PublicProject.themes.field.related_model._meta.db_table
# The page's sort keys; its rows come back with them and are put in order here.
ORDER_BY = {
    "relevance": "s.score DESC, s.published_at DESC, s.id DESC",
    "newest": "s.published_at DESC, s.id DESC",
    "amount": "s.amount DESC, s.published_at DESC, s.id DESC",
}
# Facet name -> the SearchDocument column it counts.
COLUMNS = {
    "region": "region",
    "call": "call_id",
    "year": "year",
    "trl": "trl",
    "amount_band": "amount_band",
}
INTEGERS = ("call", "year", "trl")
FIELDS = ["region", "call_id", "year", "trl", "amount", "amount_band", "published_at"]
# Typed NULLs: PostgreSQL resolves UNION ALL column types pairwise.
NO_SCORE = "CAST(NULL AS DOUBLE PRECISION)"
NO_DATE = "CAST(NULL AS TIMESTAMP WITH TIME ZONE)"
NO_AMOUNT = "CAST(NULL AS NUMERIC)"
NOTHING = f"{NO_SCORE}, {NO_DATE}, {NO_AMOUNT}"  # a count row's score, date and amount
# What the statement reads of each matched sheet, after its id and score.
SELECTED = "d.region, d.call_id, d.year, d.trl, d.amount, d.amount_band, d.published_at"
ALL_INDEXED = (f"SELECT d.project_id AS id, 0.0 AS score, {SELECTED} FROM {DOCUMENTS} d", [])


def is_unfiltered(query: CatalogueQuery) -> bool:
    return not query.text.strip() and not any(query.filters.values())


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


def _placeholders(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def _conditions(filters: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, list]]:
    """Facet name -> (SQL condition on the matched sheets ``s``, its parameters)."""
    conditions = {}
    for name in FACETS:
        if not filters.get(name):
            continue
        values: list = [str(v) for v in filters[name] if str(v).strip()]
        if name in INTEGERS:
            values = [int(v) for v in values if v.isdigit()]
        if not values:  # only invalid values: nothing passes
            conditions[name] = ("1 = 0", [])
        elif name == "theme":
            conditions[name] = (
                f"s.id IN (SELECT st.publicproject_id FROM {SHEET_THEMES} st "
                f"JOIN {THEMES} t ON t.id = st.theme_id WHERE t.slug IN ({_placeholders(values)}))",
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


def _narrowed(
    matched: tuple[str, list], conditions: dict[str, tuple[str, list]]
) -> tuple[str, list, dict[str, tuple[str, list]]]:
    """``matched`` made cheaper to count from, and the conditions to apply to it:

    - the theme filter, a subquery, is evaluated once per sheet, into a column ``f_theme``;
      the other filters stay plain comparisons, which the planner estimates well;
    - with two filters or more, a sheet failing two of them counts in no facet: left out."""
    sql, params = matched[0], list(matched[1])
    if "theme" in conditions:
        theme_sql, theme_params = conditions["theme"]
        sql = f"SELECT s.*, ({theme_sql}) AS f_theme FROM ({sql}) s"
        params = [*theme_params, *params]
        conditions = {**conditions, "theme": ("s.f_theme", [])}
    if len(conditions) > 1:
        passed = " + ".join(
            f"CAST(({condition}) AS INTEGER)" for condition, _ in conditions.values()
        )
        sql = f"SELECT * FROM ({sql}) s WHERE {passed} >= {len(conditions) - 1}"
        params += [p for _, condition_params in conditions.values() for p in condition_params]
    return sql, params, conditions


def _theme_counts(where: str) -> str:
    """The theme facet: links counted per theme id, then named (a join of the few counts)."""
    return (
        f"SELECT 'facet:theme', t.slug, c.n, {NOTHING} FROM (SELECT st.theme_id, count(*) AS n "
        f"FROM s JOIN {SHEET_THEMES} st ON st.publicproject_id = s.id WHERE {where} "
        f"GROUP BY st.theme_id) c JOIN {THEMES} t ON t.id = c.theme_id"
    )


def _column_counts(where: str, names: list[str], total: bool, grouping_sets: bool) -> list[str]:
    """The counts of these column facets (and the total) under one ``where``: one pass over
    the matched sheets where the database groups by sets (PostgreSQL), else one per facet."""
    if grouping_sets and len(names) + total > 1:
        columns = [f"s.{COLUMNS[name]}" for name in names]
        kind = " ".join(
            f"WHEN GROUPING({column}) = 0 THEN 'facet:{name}'"
            for name, column in zip(names, columns, strict=True)
        )
        value = " ".join(
            f"WHEN GROUPING({column}) = 0 THEN CAST({column} AS TEXT)" for column in columns
        )
        sets = ", ".join([f"({column})" for column in columns] + (["()"] if total else []))
        return [
            f"SELECT CASE {kind} ELSE 'total' END, CASE {value} END, count(*), {NOTHING} "
            f"FROM s WHERE {where} GROUP BY GROUPING SETS ({sets})"
        ]
    parts = [
        f"SELECT 'facet:{name}', CAST(s.{COLUMNS[name]} AS TEXT), count(*), {NOTHING} "
        f"FROM s WHERE {where} GROUP BY s.{COLUMNS[name]}"
        for name in names
    ]
    if total:
        parts.append(f"SELECT 'total', NULL, count(*), {NOTHING} FROM s WHERE {where}")
    return parts


def _counts(conditions: dict[str, tuple[str, list]], grouping_sets: bool) -> tuple[list, list]:
    """SELECTs of every facet's counts, each under every OTHER facet's filter, and of the
    total under them all; their parameters. Facets under the same filters share a pass."""
    passes: dict[str, tuple[list, list[str]]] = {}  # where -> (its params, column facets)
    parts, params = [], []
    for name in FACETS:
        where, where_params = _where(conditions, skip=name)
        if name == "theme":
            parts.append(_theme_counts(where))
            params += where_params
        else:
            passes.setdefault(where, (where_params, []))[1].append(name)
    total_where, total_params = _where(conditions)
    passes.setdefault(total_where, (total_params, []))
    for where, (where_params, names) in passes.items():
        for part in _column_counts(where, names, where == total_where, grouping_sets):
            parts.append(part)
            params += where_params
    return parts, params


def statement(
    matched: tuple[str, list], query: CatalogueQuery, counts: bool = True
) -> tuple[str, list]:
    """One statement over ``matched`` (a SELECT of id, score and SELECTED from SearchDocument
    ``d``): rows (kind, value, n, score, published_at, amount) for every facet value with its
    count ('facet:<name>') and the total ('total'), unless not ``counts``, and the page's
    sheets ('hit')."""
    matched_sql, params, conditions = _narrowed(matched, _conditions(query.filters))
    # The matched sheets are worked out once when that costs per sheet (a text's rank, the
    # theme filter's subquery). Plain columns are cheaper read again by each pass: PostgreSQL
    # then counts straight from the table and reads the page through its sort's index.
    once = matched != ALL_INDEXED or "theme" in conditions
    head = f"WITH s AS {'' if once else 'NOT '}MATERIALIZED ({matched_sql}) "
    parts = []
    if counts:
        parts, counts_params = _counts(conditions, connection.vendor == "postgresql")
        params += counts_params
    where, where_params = _where(conditions)
    parts.append(
        "SELECT * FROM (SELECT 'hit', CAST(s.id AS TEXT), s.id, s.score, s.published_at, "
        f"s.amount FROM s WHERE {where} ORDER BY {ORDER_BY[query.ordering]} "
        "LIMIT %s OFFSET %s) page"
    )
    params += [*where_params, query.per_page, (query.page - 1) * query.per_page]
    return head + " UNION ALL ".join(parts), params


def unfiltered_page(query: CatalogueQuery) -> tuple[str, list]:
    """The ids of the unfiltered catalogue's page, in order (no text: no score)."""
    return (
        "SELECT s.id FROM (SELECT d.project_id AS id, d.published_at, d.amount "
        f"FROM {DOCUMENTS} d) s ORDER BY {ORDER_BY[query.ordering]} LIMIT %s OFFSET %s",
        [query.per_page, (query.page - 1) * query.per_page],
    )


def put_in_order(page: list[tuple], ordering: str) -> None:
    """The page's rows (id, score, published_at, amount) in ORDER_BY's order: stable sorts,
    the last key first. (SQLite returns instants as ISO text, which sorts as well.)"""
    page.sort(key=lambda row: row[0], reverse=True)
    page.sort(key=lambda row: (row[2] is not None, row[2] or ""), reverse=True)
    if ordering == "amount":
        page.sort(key=lambda row: float(row[3] or 0), reverse=True)
    elif ordering == "relevance":
        page.sort(key=lambda row: float(row[1] or 0), reverse=True)


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
            self._moved_on()
        return len(ids)

    # -- searching --------------------------------------------------------------------------

    def search(self, query: CatalogueQuery) -> CatalogueResults:
        generation = IndexGeneration.objects.filter(pk=1).values_list("token", flat=True).first()
        key = counts_key(generation, query) if generation else None
        counts = cache.get(key) if key else None
        if counts is not None and is_unfiltered(query):
            with connection.cursor() as cursor:
                cursor.execute(*unfiltered_page(query))
                hits = [Hit(row[0], 0.0) for row in cursor.fetchall()]
            return CatalogueResults(total=counts[0], hits=hits, facets=counts[1])
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
            matched = engine.matched(queries, SELECTED) if queries else ALL_INDEXED
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
