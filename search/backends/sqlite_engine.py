"""The database backend's text index on SQLite: FTS5.

``search_fts`` holds text already accent-folded and lightly stemmed here (text.py), ranked
with ``bm25`` (title counts most); a query word missing from the index vocabulary is widened
to close words (one typo) found with difflib; the last word also matches as a prefix.
``search_fts_title`` (trigram tokenizer when available) serves suggestions.
"""

from __future__ import annotations

import difflib
import json

import numpy as np
from django.db import connection

from .columns import Columns, Match
from .text import TYPO_RATIO, normalise, query_terms, stems

DELETE = "DELETE FROM %s WHERE rowid IN (SELECT value FROM json_each(%%s))"
MATCH = "SELECT rowid, -bm25(search_fts, 10.0, 3.0, 1.0) FROM search_fts WHERE search_fts MATCH %s"


def delete(cursor, ids: list[int]) -> None:
    if ids:
        listed = json.dumps(ids)
        cursor.execute(DELETE % "search_fts", [listed])
        cursor.execute(DELETE % "search_fts_title", [listed])


def write(cursor, documents: list[tuple], removed: list[int]) -> None:
    """Index ``documents`` (project id, title, summary, body) and drop ``removed``."""
    delete(cursor, removed + [doc[0] for doc in documents])
    cursor.executemany(
        "INSERT INTO search_fts (rowid, title, summary, body) VALUES (%s, %s, %s, %s)",
        [
            (pk, " ".join(stems(title)), " ".join(stems(summary)), " ".join(stems(body)))
            for pk, title, summary, body in documents
        ],
    )
    cursor.executemany(
        "INSERT INTO search_fts_title (rowid, title_norm) VALUES (%s, %s)",
        [(doc[0], normalise(doc[1])) for doc in documents],
    )


def rebuild(cursor, documents_in_chunks) -> None:
    cursor.execute("DELETE FROM search_fts")
    cursor.execute("DELETE FROM search_fts_title")
    for documents in documents_in_chunks:
        write(cursor, documents, [])


def fts_query(cursor, terms: list[str]) -> str:
    """An FTS5 query: every term (AND), each widened to the close words of the index
    vocabulary when it is not in it; the last one also as a prefix."""
    parts = []
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
            options.update(difflib.get_close_matches(term, vocabulary, n=5, cutoff=TYPO_RATIO))
        quoted = [f'"{o}"' for o in sorted(options)]
        if i == len(terms) - 1:
            quoted.append(f'"{term}"*')
        parts.append("(" + " OR ".join(quoted) + ")")
    return " AND ".join(parts)


def match(text: str, columns: Columns) -> Match:
    n = len(columns)
    mask = np.zeros(n, dtype=bool)
    scores = np.zeros(n, dtype=np.float64)
    terms = query_terms(text)
    if not terms:
        return Match(mask=mask, scores=scores)
    with connection.cursor() as cursor:
        cursor.execute(MATCH, [fts_query(cursor, terms)])
        rows = cursor.fetchall()
    if rows:
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        ranks = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
        slots, held = columns.locate(ids)
        mask[slots] = True
        scores[slots] = ranks[held]
    return Match(mask=mask, scores=scores)
