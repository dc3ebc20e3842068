"""The embedded catalogue backend: the database's own full-text search.

PostgreSQL: ``search_document`` holds a stored tsvector (``french`` configuration over
``unaccent``-ed text, GIN-indexed) ranked with ``ts_rank``, and the accent-free title with a
trigram GIN index, so that a small typo still finds the project (``%>`` word similarity).

SQLite: ``search_fts`` is an FTS5 table (``unicode61 remove_diacritics 2``) holding text that
is already accent-folded and lightly stemmed here (plural and feminine endings), ranked with
``bm25``; a query word missing from the index vocabulary is widened to close words (one typo)
found with difflib; ``search_fts_title`` (trigram tokenizer when available) serves
suggestions.

The tables are created by the migration ``search.0002_search_index``. Highlighting is computed
in Python for both engines, with the same markers.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from search.models import PublicProject

from .base import (
    AMOUNT_BANDS,
    FACETS,
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    CatalogueQuery,
    CatalogueResults,
    FacetValue,
    Hit,
    SearchBackend,
)

WORD = re.compile(r"\w+")
STOP_WORDS = frozenset(
    {
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "cette",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "ou",
        "par",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "un",
        "une",
    }
)
CHUNK = 500

# Fixed SQL fragments (search_publicproject is PublicProject's table); text goes in params.
PG_INDEXED = "search_publicproject.id IN (SELECT project_id FROM search_document)"
# The full-text match alone, so that the GIN index on the stored tsvector serves it.
PG_TEXT_IDS = (
    "SELECT project_id FROM search_document "
    "WHERE document @@ websearch_to_tsquery('french', unaccent(%s)) LIMIT %s"
)
PG_TEXT_MATCH = (
    "search_publicproject.id IN (SELECT project_id FROM search_document "
    "WHERE document @@ websearch_to_tsquery('french', unaccent(%s)))"
)
# Typo fallback, only when the full-text match finds nothing: the trigram GIN index.
PG_TYPO_MATCH = (
    "search_publicproject.id IN (SELECT project_id FROM search_document "
    "WHERE title_norm %%> lower(unaccent(%s)))"
)
PG_TYPO_IDS = (
    "SELECT project_id FROM search_document WHERE title_norm %%> lower(unaccent(%s)) LIMIT %s"
)
# A small match set, materialised once as an array of ids.
PG_IDS = "search_publicproject.id = ANY(%s)"
PG_SCORE = (
    "(SELECT ts_rank(document, websearch_to_tsquery('french', unaccent(%s))) "
    "+ word_similarity(lower(unaccent(%s)), title_norm) "
    "FROM search_document WHERE project_id = search_publicproject.id)"
)
PG_JOINED_SCORE = (
    "ts_rank(search_document.document, websearch_to_tsquery('french', unaccent(%s))) "
    "+ word_similarity(lower(unaccent(%s)), search_document.title_norm)"
)
PG_PAGE_SCORES = (
    "SELECT project_id, ts_rank(document, websearch_to_tsquery('french', unaccent(%s))) "
    "+ word_similarity(lower(unaccent(%s)), title_norm) "
    "FROM search_document WHERE project_id = ANY(%s)"
)
# Above this many full-text matches, the match stays a subquery rather than a list of ids.
PG_MATERIALISE = 20_000
PG_SUGGEST = (
    "SELECT p.title FROM search_document d JOIN search_publicproject p ON p.id = d.project_id "
    "WHERE p.status = %s AND d.title_norm LIKE %s "
    "ORDER BY (d.title_norm LIKE %s) DESC, p.title LIMIT %s"
)
SQLITE_INDEXED = "search_publicproject.id IN (SELECT rowid FROM search_fts)"
SQLITE_MATCH = "search_publicproject.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
SQLITE_SCORE = (
    "(SELECT -bm25(search_fts, 10.0, 3.0, 1.0) FROM search_fts "
    "WHERE search_fts MATCH %s AND rowid = search_publicproject.id)"
)
SQLITE_SUGGEST = (
    "SELECT p.title FROM search_fts_title f JOIN search_publicproject p ON p.id = f.rowid "
    "WHERE p.status = %s AND f.title_norm LIKE %s "
    "ORDER BY (f.title_norm LIKE %s) DESC, p.title LIMIT %s"
)
SQLITE_DELETE = "DELETE FROM %s WHERE rowid IN (SELECT value FROM json_each(%%s))"
TYPO_RATIO = 0.8


def normalise(text: str) -> str:
    """Lower case, without accents (é → e, œ → oe)."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A light French stemmer on a normalised word: plural and feminine endings."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("eaux"):
        word = word[:-1]
    elif word.endswith("aux"):
        word = word[:-3] + "al"
    elif word.endswith(("s", "x")) and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def stems(text: str) -> list[str]:
    return [stem(w) for w in WORD.findall(normalise(text))]


def query_terms(text: str) -> list[str]:
    """The stemmed words of a query, stop words left out."""
    words = [w for w in WORD.findall(normalise(text)) if w not in STOP_WORDS]
    return [stem(w) for w in words]


def _similar(a: str, b: str) -> bool:
    if len(a) < 4 or len(b) < 4 or abs(len(a) - len(b)) > 2:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= TYPO_RATIO


def highlight(text: str, terms: list[str]) -> str:
    """``text`` with every word matching a query term wrapped in the highlight markers.

    A word matches when its stem equals a term, starts with the last term (as typed), or is
    one typo away from a term."""
    if not terms:
        return text
    wanted = set(terms)
    last = terms[-1]

    def mark(match: re.Match) -> str:
        word = match.group(0)
        s = stem(normalise(word))
        if (
            s in wanted
            or (len(last) >= 3 and s.startswith(last))
            or any(_similar(s, t) for t in wanted)
        ):
            return f"{HIGHLIGHT_START}{word}{HIGHLIGHT_END}"
        return word

    return WORD.sub(mark, text)


def _body(sheet: PublicProject) -> str:
    themes = " ".join(t.name for t in sheet.themes.all())
    return " ".join(
        [
            sheet.description,
            sheet.organisation_name,
            sheet.call_title,
            sheet.partners,
            themes,
        ]
    )


def _extra(qs: QuerySet, **kwargs) -> QuerySet:
    """QuerySet.extra() with the fixed SQL fragments above; user input only goes in params."""
    return qs.extra(**kwargs)  # noqa: S610


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


class DatabaseBackend(SearchBackend):
    """Catalogue search on PostgreSQL or SQLite, whichever the default connection is."""

    @property
    def vendor(self) -> str:
        return connection.vendor

    # -- indexing ---------------------------------------------------------------------------

    def index(self, project_ids: list[int]) -> None:
        ids = sorted({int(pk) for pk in project_ids})
        for chunk in _chunks(ids):
            sheets = list(
                PublicProject.objects.filter(
                    pk__in=chunk, status=PublicProject.Status.PUBLISHED
                ).prefetch_related("themes")
            )
            published = {s.pk for s in sheets}
            with transaction.atomic():
                self._delete([pk for pk in chunk if pk not in published])
                self._write(sheets)

    def remove(self, project_ids: list[int]) -> None:
        ids = sorted({int(pk) for pk in project_ids})
        for chunk in _chunks(ids):
            with transaction.atomic():
                self._delete(chunk)

    def rebuild(self) -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("DELETE FROM search_document")
            else:
                cursor.execute("DELETE FROM search_fts")
                cursor.execute("DELETE FROM search_fts_title")
        ids = list(
            PublicProject.objects.filter(status=PublicProject.Status.PUBLISHED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        self.index(ids)
        return len(ids)

    def _delete(self, ids: list[int]) -> None:
        if not ids:
            return
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("DELETE FROM search_document WHERE project_id = ANY(%s)", [ids])
            else:
                listed = json.dumps(ids)
                cursor.execute(SQLITE_DELETE % "search_fts", [listed])
                cursor.execute(SQLITE_DELETE % "search_fts_title", [listed])

    def _write(self, sheets: list[PublicProject]) -> None:
        if not sheets:
            return
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.executemany(
                    "INSERT INTO search_document (project_id, document, title_norm) VALUES (%s, "
                    "setweight(to_tsvector('french', unaccent(%s)), 'A') || "
                    "setweight(to_tsvector('french', unaccent(%s)), 'B') || "
                    "setweight(to_tsvector('french', unaccent(%s)), 'C'), lower(unaccent(%s))) "
                    "ON CONFLICT (project_id) DO UPDATE SET document = EXCLUDED.document, "
                    "title_norm = EXCLUDED.title_norm",
                    [(s.pk, s.title, s.summary, _body(s), s.title) for s in sheets],
                )
            else:
                self._delete([s.pk for s in sheets])
                cursor.executemany(
                    "INSERT INTO search_fts (rowid, title, summary, body) VALUES (%s, %s, %s, %s)",
                    [
                        (
                            s.pk,
                            " ".join(stems(s.title)),
                            " ".join(stems(s.summary)),
                            " ".join(stems(_body(s))),
                        )
                        for s in sheets
                    ],
                )
                cursor.executemany(
                    "INSERT INTO search_fts_title (rowid, title_norm) VALUES (%s, %s)",
                    [(s.pk, normalise(s.title)) for s in sheets],
                )

    # -- searching --------------------------------------------------------------------------

    def _sqlite_match(self, terms: list[str]) -> str:
        """An FTS5 query: every term (AND), each widened to the close words of the index
        vocabulary when it is not in it; the last one also as a prefix."""
        parts = []
        with connection.cursor() as cursor:
            for i, term in enumerate(terms):
                options = {term}
                cursor.execute("SELECT 1 FROM search_fts_vocab WHERE term = %s", [term])
                known = cursor.fetchone() is not None
                if not known and len(term) >= 4:
                    cursor.execute(
                        "SELECT term FROM search_fts_vocab WHERE term >= %s AND term < %s "
                        "AND length(term) BETWEEN %s AND %s",
                        [term[0], chr(ord(term[0]) + 1), len(term) - 2, len(term) + 2],
                    )
                    vocabulary = [row[0] for row in cursor.fetchall()]
                    options.update(
                        difflib.get_close_matches(term, vocabulary, n=5, cutoff=TYPO_RATIO)
                    )
                quoted = [f'"{o}"' for o in sorted(options)]
                if i == len(terms) - 1:
                    quoted.append(f'"{term}"*')
                parts.append("(" + " OR ".join(quoted) + ")")
        return " AND ".join(parts)

    def _base(self, text: str, terms: list[str]) -> tuple[QuerySet, tuple[str, list] | None]:
        """Published, indexed sheets matching the text; with the SQL of their score."""
        qs = PublicProject.objects.filter(status=PublicProject.Status.PUBLISHED)
        if self.vendor == "postgresql":
            if not terms:
                return _extra(qs, where=[PG_INDEXED]), None
            score = (PG_SCORE, [text, text])
            with connection.cursor() as cursor:
                cursor.execute(PG_TEXT_IDS, [text, PG_MATERIALISE + 1])
                found = [row[0] for row in cursor.fetchall()]
            if not found:
                found = self._pg_typo_ids(text)
                if len(found) <= PG_MATERIALISE:
                    return _extra(qs, where=[PG_IDS], params=[found]), score
                return _extra(qs, where=[PG_TYPO_MATCH], params=[text]), score
            if len(found) <= PG_MATERIALISE:
                return _extra(qs, where=[PG_IDS], params=[found]), score
            return _extra(qs, where=[PG_TEXT_MATCH], params=[text]), score
        if not terms:
            return _extra(qs, where=[SQLITE_INDEXED]), None
        match = self._sqlite_match(terms)
        return _extra(qs, where=[SQLITE_MATCH], params=[match]), (SQLITE_SCORE, [match])

    @staticmethod
    def _pg_typo_ids(text: str) -> list[int]:
        """Titles word-similar to the text, through the trigram GIN index (the planner
        misjudges ``%>`` and would scan the whole table)."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_seqscan')")
            (previous,) = cursor.fetchone()
            cursor.execute("SELECT set_config('enable_seqscan', 'off', true)")
            cursor.execute(PG_TYPO_IDS, [text, PG_MATERIALISE + 1])
            found = [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])
        return found

    @staticmethod
    def _facet_filter(name: str, values: tuple[str, ...]) -> Q | Exists | None:
        values = tuple(str(v) for v in values if str(v).strip())
        if not values:
            return None
        numbers = [int(v) for v in values if v.isdigit()]
        if name == "theme":
            through = PublicProject.themes.through
            return Exists(
                through.objects.filter(publicproject_id=OuterRef("pk"), theme__slug__in=values)
            )
        if name == "region":
            return Q(region__in=values)
        if name == "call":
            return Q(call_id__in=numbers)
        if name == "year":
            return Q(year__in=numbers)
        if name == "trl":
            return Q(trl__in=numbers)
        if name == "amount_band":
            q = Q(pk__in=[])
            for key, low, high in AMOUNT_BANDS:
                if key in values:
                    band = Q(amount_granted__gte=low)
                    if high is not None:
                        band &= Q(amount_granted__lt=high)
                    q |= band
            return q
        return None

    @staticmethod
    def _amount_counts(qs: QuerySet, amount_filter: Q | None) -> tuple[list[FacetValue], int]:
        """The amount bands and the total (under the amount filter) in one aggregation."""
        aggregates = {}
        for key, low, high in AMOUNT_BANDS:
            band = Q(amount_granted__gte=low)
            if high is not None:
                band &= Q(amount_granted__lt=high)
            aggregates[key] = Count("pk", filter=band)
        if amount_filter is None:
            aggregates["_total"] = Count("pk")
        else:
            aggregates["_total"] = Count("pk", filter=amount_filter)
        counts = qs.aggregate(**aggregates)
        bands = [FacetValue(key, counts[key]) for key, _low, _high in AMOUNT_BANDS]
        return bands, counts["_total"]

    @staticmethod
    def _counts(qs: QuerySet, name: str) -> list[FacetValue]:
        field = {
            "theme": "themes__slug",
            "region": "region",
            "call": "call_id",
            "year": "year",
            "trl": "trl",
        }[name]
        rows = (
            qs.filter(**{f"{field}__isnull": False})
            .order_by()
            .values(field)
            # only the theme join can repeat a sheet
            .annotate(n=Count("pk", distinct=name == "theme"))
        )
        values = [FacetValue(str(row[field]), row["n"]) for row in rows]
        return sorted(values, key=lambda v: (-v.count, v.value))

    def search(self, query: CatalogueQuery) -> CatalogueResults:
        text = query.text.strip()
        terms = query_terms(text)
        base, score = self._base(text, terms)

        filters = {}
        for name in FACETS:
            condition = self._facet_filter(name, tuple(query.filters.get(name, ())))
            if condition is not None:
                filters[name] = condition

        def narrowed(qs: QuerySet, skip: str | None = None) -> QuerySet:
            for name, condition in filters.items():
                if name != skip:
                    qs = qs.filter(condition)
            return qs

        # One query per facet, each with every OTHER facet's filter; the total comes with the
        # amount bands (one conditional aggregation), under the amount filter.
        facets = {}
        for name in FACETS:
            if name == "amount_band":
                facets[name], total = self._amount_counts(
                    narrowed(base, skip=name), filters.get(name)
                )
            else:
                facets[name] = self._counts(narrowed(base, skip=name), name)

        results = narrowed(base)
        newest = [F("published_at").desc(nulls_last=True), "-pk"]
        by_score = query.sort == "relevance" and score is not None
        if query.sort == "amount":
            ordering = ["-amount_granted", *newest]
        elif by_score:
            ordering = ["-score", *newest]
        else:
            ordering = newest
        pg = self.vendor == "postgresql"
        if score is not None and by_score and pg:
            # rank in SQL, joined once, for the ORDER BY ... LIMIT/OFFSET of the page
            results = _extra(
                results,
                tables=["search_document"],
                where=["search_document.project_id = search_publicproject.id"],
                select={"score": PG_JOINED_SCORE},
                select_params=score[1],
            )
        elif score is not None and not pg:
            results = _extra(results, select={"score": score[0]}, select_params=score[1])
        per_page = max(1, min(int(query.per_page), 100))
        page = max(1, int(query.page))
        start = (page - 1) * per_page
        rows = list(results.order_by(*ordering)[start : start + per_page])
        if score is not None and pg and not by_score and rows:
            # the rank of the returned page only
            with connection.cursor() as cursor:
                cursor.execute(PG_PAGE_SCORES, [*score[1], [r.pk for r in rows]])
                scores = dict(cursor.fetchall())
            for sheet in rows:
                sheet.score = scores.get(sheet.pk, 0.0)

        hits = []
        for sheet in rows:
            highlights = {}
            if terms:
                highlights = {
                    "title": highlight(sheet.title, terms),
                    "summary": highlight(sheet.summary, terms),
                }
            hits.append(
                Hit(
                    project_id=sheet.pk,
                    score=float(getattr(sheet, "score", 0.0) or 0.0),
                    highlights=highlights,
                )
            )
        return CatalogueResults(total=total, hits=hits, facets=facets)

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        typed = normalise(prefix).strip().replace("%", "").replace("_", "")
        if not typed:
            return []
        sql = PG_SUGGEST if self.vendor == "postgresql" else SQLITE_SUGGEST
        with connection.cursor() as cursor:
            cursor.execute(
                sql, [PublicProject.Status.PUBLISHED, f"%{typed}%", f"{typed}%", int(limit)]
            )
            return [row[0] for row in cursor.fetchall()]
