"""The database backend's text search on SQLite: FTS5.

``search_fts`` (rowid: the sheet's id) holds the title, summary, the rest and the joined
hyphenated compounds, tokenized by FTS5 itself (porter over unicode61, accents removed);
``bm25`` ranks (the title counts most) and ``highlight`` marks the matched words.

A query: every word must match (AND). A word that matches nothing is widened to the index
terms it is a variant of: the start of the word (« médicaux » → medic) or one typo away,
found in the vocabulary (``search_fts_vocab``). The last word also matches as a prefix. The
score is the rank of the exact words, plus a tenth of the rank with prefixes: « INS » ranks
the INS sheets before « insuline ».
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata

from search.models import PublicProject, SearchDocument

from .base import HIGHLIGHT_END, HIGHLIGHT_START
from .words import joined_compounds

WORD = re.compile(r"\w+(?:-\w+)*")
# FTS5 knows no French stop words: these are not required in a sheet.
STOP_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
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
    ]
)
RANK = "-bm25(search_fts, 10.0, 3.0, 1.0, 2.0)"
PREFIX_MIN = 3
PREFIX_WEIGHT = 0.1
VARIANT_RATIO = 0.8
VARIANTS = 5
DELETE = "DELETE FROM search_fts WHERE rowid IN (SELECT value FROM json_each(%s))"


def fold(word: str) -> str:
    """Lower case without accents, as FTS5's tokenizer sees it (for vocabulary look-ups)."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


# -- writing ----------------------------------------------------------------------------------


def lock(cursor) -> None:
    """SQLite lets one writer at a time: nothing to do."""


def clear(cursor) -> None:
    cursor.execute("DELETE FROM search_fts")
    SearchDocument.objects.all().delete()


def rebuilt(cursor) -> None:
    cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")


def settle(cursor) -> None:
    """SQLite reuses the pages a rebuild freed: nothing to do."""


def delete(cursor, ids: list[int]) -> None:
    cursor.execute(DELETE, [json.dumps(ids)])
    SearchDocument.objects.filter(project_id__in=ids).delete()


def write(cursor, sheets: list[PublicProject]) -> None:
    """The text of these sheets (their SearchDocument rows are written by the caller)."""
    cursor.execute(DELETE, [json.dumps([s.pk for s in sheets])])
    rows = []
    for s in sheets:
        themes = " ".join(t.name for t in s.themes.all())
        body = f"{s.organisation_name} {s.description} {s.call_title} {s.partners} {themes}"
        compounds = joined_compounds(f"{s.title} {s.summary} {body}")
        rows.append((s.pk, s.title, s.summary, body, compounds))
    cursor.executemany(
        "INSERT INTO search_fts (rowid, title, summary, body, compounds) "
        "VALUES (%s, %s, %s, %s, %s)",
        rows,
    )


# -- searching --------------------------------------------------------------------------------


def _matches_anything(cursor, expression: str) -> bool:
    cursor.execute("SELECT 1 FROM search_fts WHERE search_fts MATCH %s LIMIT 1", [expression])
    return cursor.fetchone() is not None


def _variants(cursor, word: str) -> list[str]:
    """Index terms that ``word`` is a variant of: their word with an ending (« médicaux »,
    medic) or one typo away (« alzeimer », alzheim)."""
    folded = fold(word)
    if len(folded) < 4:
        return []
    cursor.execute(
        "SELECT term FROM search_fts_vocab WHERE term >= %s AND term < %s",
        [folded[:2], folded[:2] + "\uffff"],
    )
    scored = []
    for (term,) in cursor.fetchall():
        start = folded[: len(term) + 1]
        ratio = max(
            difflib.SequenceMatcher(None, term, folded).ratio(),
            difflib.SequenceMatcher(None, term, start).ratio() if len(term) >= 5 else 0,
        )
        if (len(term) >= 4 and folded.startswith(term)) or ratio >= VARIANT_RATIO:
            scored.append((-ratio, term))
    return [term for _ratio, term in sorted(scored)[:VARIANTS]]


def text_queries(cursor, text: str) -> tuple[str, str] | None:
    """(exact, with prefix) FTS5 queries for ``text``; None when no sheet can match."""
    words = [w for w in WORD.findall(text) if fold(w) not in STOP_WORDS]
    if not words:
        return None
    exact, widened = [], []
    for i, word in enumerate(words):
        options = [_quoted(word.replace("-", " "))]
        if "-" in word:
            options.append(_quoted(word.replace("-", "")))
        if not _matches_anything(cursor, " OR ".join(options)):
            options = [_quoted(term) for term in _variants(cursor, word)]
        prefixed = list(options)
        if i == len(words) - 1 and len(word) >= PREFIX_MIN:
            prefixed.append(_quoted(word.replace("-", " ")) + "*")
        if not prefixed:
            return None  # a word found nowhere: no sheet matches
        exact.append(options)
        widened.append(prefixed)
    both = (
        " AND ".join("(" + " OR ".join(options) + ")" for options in group if options)
        for group in (exact, widened)
    )
    return next(both), next(both)


def matched(queries: tuple[str, str], selected: str) -> tuple[str, list]:
    """The SearchDocument rows ``d`` matching ``queries`` (text_queries): their id, score and
    ``selected`` columns, as a subquery."""
    exact, full = queries
    if not exact:
        ranked = (
            f"SELECT rowid AS id, {PREFIX_WEIGHT} * {RANK} AS score FROM search_fts "
            "WHERE search_fts MATCH %s",
            [full],
        )
    else:
        ranked = (
            f"SELECT f.rowid AS id, {PREFIX_WEIGHT} * {RANK} + COALESCE(e.score, 0) AS score "
            f"FROM search_fts f LEFT JOIN (SELECT rowid AS id, {RANK} AS score FROM search_fts "
            "WHERE search_fts MATCH %s) e ON e.id = f.rowid WHERE search_fts MATCH %s",
            [exact, full],
        )
    return (
        f"SELECT d.project_id AS id, m.score AS score, {selected} "
        f"FROM {SearchDocument._meta.db_table} d JOIN ({ranked[0]}) m ON m.id = d.project_id",
        ranked[1],
    )


def highlights(cursor, queries: tuple[str, str], ids: list[int]) -> dict[int, dict[str, str]]:
    """Title and summary of these sheets with the words of ``queries`` marked."""
    if not ids:
        return {}
    cursor.execute(
        "SELECT rowid, highlight(search_fts, 0, %s, %s), highlight(search_fts, 1, %s, %s) "
        "FROM search_fts WHERE search_fts MATCH %s "
        "AND rowid IN (SELECT value FROM json_each(%s))",
        [*(HIGHLIGHT_START, HIGHLIGHT_END) * 2, queries[1], json.dumps(ids)],
    )
    return {pk: {"title": title, "summary": summary} for pk, title, summary in cursor.fetchall()}


def suggest(cursor, prefix: str, limit: int) -> list[str]:
    """Titles holding every typed word as the start of a word."""
    words = WORD.findall(prefix)
    if not words:
        return []
    expression = " AND ".join(f"title : {_quoted(w.replace('-', ' '))}*" for w in words)
    cursor.execute(
        f"SELECT p.title FROM search_fts f JOIN {PublicProject._meta.db_table} p "
        "ON p.id = f.rowid WHERE search_fts MATCH %s ORDER BY p.title LIMIT %s",
        [expression, limit],
    )
    return [row[0] for row in cursor.fetchall()]
