"""The database backend's text index on PostgreSQL: French full-text over posting lists.

``search_document`` keeps each sheet's weighted tsvector (``french`` configuration over
``unaccent``-ed text: A title, B summary, C body) and its accent-free title (trigram GIN, for
suggestions). ``search_posting`` keeps, per lexeme and weight, the sorted ids of the sheets
that hold it (big-endian int8, ``int8send``). A query is turned into lexemes by the same
configuration, then reads one posting row per lexeme: its cost follows the number of query
words, not the number of matching sheets, where ``@@`` over the tsvectors had to visit every
matching row (300 ms for a word found in 75,000 sheets out of 100,000).

A write adds delta rows (``search_posting_delta``: a sheet entering or leaving a list) rather
than rewriting long lists, which queries apply on the fly; they are merged into the lists once
MERGE_AT have piled up. A (lexeme, weight) never seen before gets its list at once.

Typos: a query word absent from the vocabulary is replaced by its closest lexemes (pg_trgm
similarity on ``search_posting.lexeme``). The last word also matches as a prefix, as typed.
Writers hold a transaction-level advisory lock, so posting lists are never updated twice at
once, and a rebuild runs in one transaction: readers see the old index until it commits.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import psycopg
from django.db import connection

from .columns import Columns, Match
from .text import WORD, normalise

LOCK_KEY = 7_202_611  # pg_advisory_xact_lock key of the catalogue index writers
# ts_rank's default weights for A, B, C: a word in the title counts most.
FIELD_WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2}
TYPO_SIMILARITY = 0.4
TYPO_CANDIDATES = 3
PREFIX_MIN = 3
PREFIX_LEXEMES = 50
# Delta rows (one per sheet and changed lexeme, about 100 per publication) merged into the
# posting lists once this many have piled up: a merge rewrites the long lists once, where
# rewriting them at each publication cost 2.8 s at 100,000 sheets.
MERGE_AT = 5_000

WRITE_DOCUMENT = (
    "INSERT INTO search_document (project_id, document, title_norm) VALUES (%s, "
    "setweight(to_tsvector('french', unaccent(%s)), 'A') || "
    "setweight(to_tsvector('french', unaccent(%s)), 'B') || "
    "setweight(to_tsvector('french', unaccent(%s)), 'C'), lower(unaccent(%s))) "
    "ON CONFLICT (project_id) DO UPDATE SET document = EXCLUDED.document, "
    "title_norm = EXCLUDED.title_norm"
)
# (project, lexeme, weight) triples of some documents.
ENTRIES = (
    "SELECT DISTINCT d.project_id, u.lexeme, w.field "
    "FROM search_document d, unnest(d.document) u, unnest(u.weights) AS w(field) "
    "WHERE d.project_id = ANY(%s)"
)
BUILD_POSTINGS = (
    "INSERT INTO search_posting (lexeme, field, df, docs) "
    "SELECT lexeme, field, count(*), string_agg(int8send(project_id), ''::bytea "
    "ORDER BY project_id) FROM (SELECT DISTINCT d.project_id, u.lexeme, w.field "
    "FROM search_document d, unnest(d.document) u, unnest(u.weights) AS w(field)) entries "
    "GROUP BY lexeme, field"
)
QUERY_LEXEMES = (
    "SELECT lexeme FROM unnest(to_tsvector('french', unaccent(%s))) ORDER BY positions[1]"
)
POSTINGS = "SELECT lexeme, field::text, docs FROM search_posting WHERE lexeme = ANY(%s)"
DELTAS = (
    "SELECT lexeme, field::text, project_id, added FROM search_posting_delta "
    "WHERE lexeme = ANY(%s) ORDER BY id"
)
TYPOS = (
    "SELECT lexeme, similarity(lexeme, %s) AS close FROM search_posting WHERE lexeme %% %s "
    "GROUP BY lexeme ORDER BY close DESC, lexeme LIMIT %s"
)
PREFIXED = (
    "SELECT lexeme FROM search_posting WHERE lexeme LIKE %s "
    "GROUP BY lexeme ORDER BY sum(df) DESC LIMIT %s"
)


def unpack(docs: bytes) -> np.ndarray:
    return np.frombuffer(docs, dtype=">i8").astype(np.int64)


def pack(ids: np.ndarray) -> bytes:
    return np.asarray(ids, dtype=">i8").tobytes()


def _binary_rows(sql: str, params: list) -> list[tuple]:
    """Rows in binary format, through a server-side-binding cursor (Django's binds client-side,
    which allows text results only): bytea in text format travels as hex, 3x slower."""
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as raw:
        raw.execute(sql, params, binary=True)
        return raw.fetchall()


# -- writing ----------------------------------------------------------------------------------


def lock(cursor) -> None:
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _entries(cursor, ids: list[int]) -> set[tuple[int, str, str]]:
    if not ids:
        return set()
    cursor.execute(ENTRIES, [ids])
    return {(pid, lexeme, field) for pid, lexeme, field in cursor.fetchall()}


def write(cursor, documents: list[tuple], removed: list[int]) -> None:
    """Index ``documents`` (project id, title, summary, body) and drop ``removed``; posting
    lists change by the difference between the old and new (lexeme, weight) entries."""
    lock(cursor)
    written = [doc[0] for doc in documents]
    before = _entries(cursor, written + removed)
    if removed:
        cursor.execute("DELETE FROM search_document WHERE project_id = ANY(%s)", [removed])
    if documents:
        cursor.executemany(WRITE_DOCUMENT, [(*doc, doc[1]) for doc in documents])
    after = _entries(cursor, written)
    changes: dict[tuple[str, str], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for pid, lexeme, field in after - before:
        changes[(lexeme, field)][0].append(pid)
    for pid, lexeme, field in before - after:
        changes[(lexeme, field)][1].append(pid)
    if not changes:
        return
    keys = sorted(changes)
    cursor.execute(
        "SELECT lexeme, field::text FROM search_posting "
        "WHERE (lexeme, field::text) IN (SELECT * FROM unnest(%s::text[], %s::text[]))",
        [[k[0] for k in keys], [k[1] for k in keys]],
    )
    listed = set(cursor.fetchall())
    # A new (lexeme, weight) gets its short list at once; a listed one a delta row per sheet.
    new_lists = [
        (key[0], key[1], len(changes[key][0]), pack(np.unique(changes[key][0])))
        for key in keys
        if key not in listed and changes[key][0]
    ]
    if new_lists:
        cursor.executemany(
            "INSERT INTO search_posting (lexeme, field, df, docs) VALUES (%s, %s, %s, %s)",
            new_lists,
        )
    deltas = [
        (key[0], key[1], pid, is_added)
        for key in keys
        if key in listed
        for is_added, pids in ((True, changes[key][0]), (False, changes[key][1]))
        for pid in pids
    ]
    if deltas:
        cursor.executemany(
            "INSERT INTO search_posting_delta (lexeme, field, project_id, added) "
            "VALUES (%s, %s, %s, %s)",
            deltas,
        )
        cursor.execute("SELECT count(*) FROM search_posting_delta")
        if cursor.fetchone()[0] >= MERGE_AT:
            merge(cursor)


def merge(cursor) -> None:
    """Fold every delta row into its posting list (under the writers' lock)."""
    cursor.execute(
        "SELECT lexeme, field::text, project_id, added FROM search_posting_delta ORDER BY id"
    )
    final: dict[tuple[str, str], dict[int, bool]] = defaultdict(dict)
    for lexeme, field, pid, is_added in cursor.fetchall():
        final[(lexeme, field)][pid] = is_added  # the last change of a sheet wins
    keys = sorted(final)
    rows = _binary_rows(
        "SELECT lexeme, field::text, docs FROM search_posting "
        "WHERE (lexeme, field::text) IN (SELECT * FROM unnest(%s::text[], %s::text[]))",
        [[k[0] for k in keys], [k[1] for k in keys]],
    )
    current = {(lexeme, field): unpack(docs) for lexeme, field, docs in rows}
    upserts, deletes = [], []
    for key in keys:
        changes = final[key]
        added = np.asarray([pid for pid, a in changes.items() if a], dtype=np.int64)
        dropped = np.asarray([pid for pid, a in changes.items() if not a], dtype=np.int64)
        docs = current.get(key, np.zeros(0, dtype=np.int64))
        docs = np.union1d(np.setdiff1d(docs, dropped, assume_unique=True), added)
        if len(docs):
            upserts.append((key[0], key[1], len(docs), pack(docs)))
        else:
            deletes.append(key)
    if upserts:
        cursor.executemany(
            "INSERT INTO search_posting (lexeme, field, df, docs) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (lexeme, field) DO UPDATE SET df = EXCLUDED.df, docs = EXCLUDED.docs",
            upserts,
        )
    if deletes:
        cursor.executemany("DELETE FROM search_posting WHERE lexeme = %s AND field = %s", deletes)
    cursor.execute("DELETE FROM search_posting_delta")


def rebuild(cursor, documents_in_chunks) -> None:
    """Replace the whole text index (inside the caller's transaction)."""
    lock(cursor)
    cursor.execute("DELETE FROM search_document")
    for documents in documents_in_chunks:
        cursor.executemany(WRITE_DOCUMENT, [(*doc, doc[1]) for doc in documents])
    # Built from the documents as they are now, edits made meanwhile by this session included.
    cursor.execute("DELETE FROM search_posting_delta")
    cursor.execute("DELETE FROM search_posting")
    cursor.execute(BUILD_POSTINGS)
    # Fresh statistics, or the planner may scan every posting list for a few lexemes.
    cursor.execute("ANALYZE search_posting")
    cursor.execute("SELECT gin_clean_pending_list('search_document_trgm'::regclass)")


# -- searching --------------------------------------------------------------------------------


def _term_options(cursor, terms: list[str], prefix: str) -> list[set[str]]:
    """For each query lexeme, the vocabulary lexemes that stand for it: itself, or its closest
    lexemes when it is absent (a typo); the last one also by prefix."""
    cursor.execute("SELECT DISTINCT lexeme FROM search_posting WHERE lexeme = ANY(%s)", [terms])
    known = {row[0] for row in cursor.fetchall()}
    options = []
    for term in terms:
        if term in known:
            options.append({term})
            continue
        cursor.execute(TYPOS, [term, term, TYPO_CANDIDATES])
        options.append({lexeme for lexeme, close in cursor.fetchall() if close >= TYPO_SIMILARITY})
    if prefix:
        cursor.execute(
            PREFIXED, [prefix.replace("%", "").replace("_", r"\_") + "%", PREFIX_LEXEMES]
        )
        widened = {row[0] for row in cursor.fetchall()}
        if options:
            options[-1] |= widened
        else:
            options.append(widened)
    return options


@dataclass
class Posting:
    """One (lexeme, weight) posting list as a query sees it: the merged list and the deltas
    not merged yet (``added`` ids are not in ``base``, ``removed`` ids are)."""

    field: str
    base: np.ndarray  # sorted sheet ids
    added: np.ndarray
    removed: np.ndarray

    def __len__(self) -> int:
        return len(self.base) + len(self.added) - len(self.removed)

    def spread(self, weight: np.ndarray, columns: Columns) -> None:
        """Add this list's field weight to the slots of its sheets."""
        value = FIELD_WEIGHTS.get(self.field, 0.1)
        weight[columns.slots(self.base)] += value
        weight[columns.slots(self.removed)] -= value
        weight[columns.slots(self.added)] += value

    def holds(self, ids: np.ndarray) -> np.ndarray:
        """Which of these sheet ids the list holds."""
        held = _in_sorted(self.base, ids)
        if len(self.removed):
            held &= ~np.isin(ids, self.removed)
        if len(self.added):
            held |= np.isin(ids, self.added)
        return held


def _in_sorted(sorted_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    if not len(sorted_ids):
        return np.zeros(len(ids), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
    return sorted_ids[at] == ids


def _postings(wanted: list[str]) -> dict[str, list[Posting]]:
    """The posting lists of these lexemes, with their pending deltas."""
    lists = {
        (lexeme, field): unpack(docs) for lexeme, field, docs in _binary_rows(POSTINGS, [wanted])
    }
    final: dict[tuple[str, str], dict[int, bool]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(DELTAS, [wanted])
        for lexeme, field, pid, is_added in cursor.fetchall():
            final[(lexeme, field)][pid] = is_added  # the last change of a sheet wins
    found: dict[str, list[Posting]] = defaultdict(list)
    empty = np.zeros(0, dtype=np.int64)
    for (lexeme, field), base in lists.items():
        added = removed = empty
        if (lexeme, field) in final:
            changes = final[(lexeme, field)]
            added = np.asarray([p for p, a in changes.items() if a], dtype=np.int64)
            removed = np.asarray([p for p, a in changes.items() if not a], dtype=np.int64)
            added = added[~_in_sorted(base, added)]
            removed = removed[_in_sorted(base, removed)]
        found[lexeme].append(Posting(field, base, added, removed))
    return found


def _fetch_postings(text: str) -> list[list[Posting]]:
    """Per query word, the posting lists that stand for it."""
    words = WORD.findall(normalise(text))
    # The last word, as typed, also matches as a prefix (the visitor may not have finished).
    prefix = words[-1] if words and len(words[-1]) >= PREFIX_MIN else ""
    with connection.cursor() as cursor:
        cursor.execute(QUERY_LEXEMES, [text])
        terms = list(dict.fromkeys(row[0] for row in cursor.fetchall()))
        options = _term_options(cursor, terms, prefix)
    wanted = sorted(set().union(*options)) if options else []
    postings = _postings(wanted) if wanted else {}
    return [[p for lexeme in lexemes for p in postings.get(lexeme, ())] for lexemes in options]


def match(text: str, columns: Columns) -> Match:
    """Sheets holding every query word (AND), scored by the words' rarity (idf) times the
    weight of the fields they are in."""
    n = len(columns)
    per_word = _fetch_postings(text)
    mask = np.zeros(n, dtype=bool)
    scores = np.zeros(n, dtype=np.float64)
    if not per_word:
        return Match(mask=mask, scores=scores)
    # Rarest word first: once few sheets remain, a common word's long posting lists are only
    # probed for those sheets (binary search) instead of being spread over every slot.
    per_word.sort(key=lambda lists: sum(len(p) for p in lists))
    candidates: np.ndarray | None = None  # slots still matching, after the first word
    for lists in per_word:
        df = sum(len(p) for p in lists)
        if candidates is None or len(candidates) * 16 > df:
            weight = np.zeros(n, dtype=np.float64)
            for posting in lists:
                posting.spread(weight, columns)
            present = weight > 0
            mask = present if candidates is None else mask & present
            candidates = np.flatnonzero(mask)
            word_weight = weight[candidates]
        else:
            wanted = columns.ids[candidates]
            word_weight = np.zeros(len(candidates), dtype=np.float64)
            for posting in lists:
                word_weight[posting.holds(wanted)] += FIELD_WEIGHTS.get(posting.field, 0.1)
            keep = word_weight > 0
            mask[candidates[~keep]] = False
            candidates, word_weight = candidates[keep], word_weight[keep]
        # idf from the word's document frequency in the whole catalogue
        scores[candidates] += math.log(1 + n / max(df, 1)) * word_weight
        if not len(candidates):
            break
    scores[~mask] = 0.0
    return Match(mask=mask, scores=scores)
