"""The database backend's text search on PostgreSQL.

Each indexed sheet's SearchDocument holds a weighted tsvector (A title, B summary and
organisation, C the rest) in ``ruche_french``: the ``french`` configuration with
``unaccent`` (migration search.0004), so that stemming, accent folding and the marking of
matched words (``ts_headline``) are PostgreSQL's. A GIN index serves ``@@``.

A query: every word must match (AND). A word absent from the index's vocabulary
(``search_lexeme``) is replaced by its closest lexemes by trigram similarity (a typo); the
last word also matches as a prefix, as typed, when the vocabulary holds a word it would add.
The score is the rank of the exact words, plus a tenth of the rank with the prefix: « INS »
ranks the INS sheets before « insuline ».
"""

from __future__ import annotations

from search.models import PublicProject, SearchDocument

from .base import HIGHLIGHT_END, HIGHLIGHT_START
from .words import join_hyphens, joined_compounds

CONFIG = "ruche_french"
DOCUMENTS = SearchDocument._meta.db_table
SHEETS = PublicProject._meta.db_table
SHEET_THEMES = PublicProject.themes.through._meta.db_table
TYPO_SIMILARITY = 0.4
TYPO_CANDIDATES = 3
PREFIX_MIN = 3
PREFIX_WEIGHT = 0.1

WRITE = (
    f"UPDATE {DOCUMENTS} d SET document = "
    f"setweight(to_tsvector('{CONFIG}', v.title), 'A') || "
    f"setweight(to_tsvector('{CONFIG}', v.summary), 'B') || "
    f"setweight(to_tsvector('{CONFIG}', v.body), 'C'), "
    f"theme_ids = ARRAY(SELECT st.theme_id FROM {SHEET_THEMES} st "
    "WHERE st.publicproject_id = v.id ORDER BY st.theme_id) "
    "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) AS v(id, title, summary, body) "
    "WHERE d.project_id = v.id"
)
VOCABULARY = (
    "INSERT INTO search_lexeme (lexeme) SELECT DISTINCT unnest(tsvector_to_array(document)) "
    f"FROM {DOCUMENTS} WHERE project_id = ANY(%s) ON CONFLICT DO NOTHING"
)
# The query's words in order: each token folded, and its lexemes ({} for a stop word); 12 is
# the parser's "blank" (spaces, punctuation). (ts_debug would show unaccent's output, not the
# stemmer's: it stops at the first dictionary.)
WORDS = (
    f"SELECT lower(unaccent(token)), tsvector_to_array(to_tsvector('{CONFIG}', token)) "
    "FROM ts_parse('default', %s) WHERE tokid <> 12"
)
TYPOS = (
    "SELECT lexeme FROM search_lexeme WHERE lexeme %% %s AND similarity(lexeme, %s) >= %s "
    "ORDER BY similarity(lexeme, %s) DESC, lexeme LIMIT %s"
)
# The query's lexemes found in the vocabulary; and a NULL row when the vocabulary holds a
# lexeme that begins with the last word as typed and is not one of that word's own.
KNOWN = (
    "SELECT lexeme FROM search_lexeme WHERE lexeme = ANY(%s) UNION ALL SELECT NULL WHERE "
    "EXISTS (SELECT 1 FROM search_lexeme WHERE lexeme LIKE %s AND NOT lexeme = ANY(%s))"
)
HEADLINE = f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, HighlightAll=true"


def _text(sheet: PublicProject) -> tuple[str, str, str]:
    """Title, summary and organisation, the rest; each with its compounds joined."""
    themes = " ".join(t.name for t in sheet.themes.all())
    parts = (
        sheet.title,
        f"{sheet.summary} {sheet.organisation_name}",
        f"{sheet.description} {sheet.call_title} {sheet.partners} {themes}",
    )
    title, summary, body = (f"{part} {joined_compounds(part)}" for part in parts)
    return title, summary, body


# -- writing ----------------------------------------------------------------------------------


def lock(cursor) -> None:
    """Index writers wait for a rebuild (and a rebuild for them); readers never wait."""
    cursor.execute(f"LOCK TABLE {DOCUMENTS} IN SHARE ROW EXCLUSIVE MODE")


def clear(cursor) -> None:
    cursor.execute(f"DELETE FROM {DOCUMENTS}")
    cursor.execute("DELETE FROM search_lexeme")


def rebuilt(cursor) -> None:
    cursor.execute(f"ANALYZE {DOCUMENTS}")


def settle(cursor) -> None:
    """After a rebuild has committed (VACUUM runs in no transaction; rebuilt() has analysed):
    reclaim the row versions it left, each sheet's old row and its row before its text was
    written. Until autovacuum passes, every search would read them: twice the pages, 3 ms
    more at 10,000 sheets."""
    cursor.execute(f"VACUUM {DOCUMENTS}")


def delete(cursor, ids: list[int]) -> None:
    """Take these sheets out of the index."""
    cursor.execute(f"DELETE FROM {DOCUMENTS} WHERE project_id = ANY(%s)", [ids])


def write(cursor, sheets: list[PublicProject]) -> None:
    """The text and theme ids of these sheets, into their SearchDocument rows (written by the
    caller)."""
    texts = [_text(s) for s in sheets]
    cursor.execute(
        WRITE, [[s.pk for s in sheets], *(list(column) for column in zip(*texts, strict=True))]
    )
    cursor.execute(VOCABULARY, [[s.pk for s in sheets]])


# -- searching --------------------------------------------------------------------------------


def _lexeme(value: str, prefix: bool = False) -> str:
    """A tsquery operand, quoted (a lexeme never holds a quote, but a typed word might)."""
    quoted = "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + (":*" if prefix else "")


def _like_prefix(raw: str) -> str:
    return raw.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def text_queries(cursor, text: str) -> tuple[str, str] | None:
    """(exact, with prefix) tsquery texts for ``text``, in the ``simple`` configuration
    (operands are lexemes already); None when no sheet can match: no word left to look for
    (stop words only), or a word found nowhere, not even as a typo."""
    cursor.execute(WORDS, [join_hyphens(text)])
    words = cursor.fetchall()
    wanted = [lexemes for _raw, lexemes in words if lexemes]
    if not wanted:
        return None
    last_raw = words[-1][0] if words[-1][1] else ""
    cursor.execute(
        KNOWN,
        [[lexeme for lexemes in wanted for lexeme in lexemes], _like_prefix(last_raw), wanted[-1]],
    )
    rows = cursor.fetchall()
    known = {row[0] for row in rows if row[0] is not None}
    # The last word as a prefix, when it finds more words than its own: else it would match
    # the same sheets, and ranking it apart would only cost time.
    widens = len(last_raw) >= PREFIX_MIN and any(row[0] is None for row in rows)
    exact, widened = [], []
    for i, lexemes in enumerate(wanted):
        options = []
        for lexeme in lexemes:
            if lexeme in known:
                options.append(lexeme)
                continue
            cursor.execute(TYPOS, [lexeme, lexeme, TYPO_SIMILARITY, lexeme, TYPO_CANDIDATES])
            options += [row[0] for row in cursor.fetchall()]
        exact.append(options)
        prefixed = list(map(_lexeme, options))
        if i == len(wanted) - 1 and widens:
            prefixed.append(_lexeme(last_raw, prefix=True))
        widened.append(prefixed)
    if any(not options for options in widened):
        return None  # a word found nowhere: no sheet matches
    exact_query = " & ".join(
        "(" + " | ".join(map(_lexeme, options)) + ")" for options in exact if options
    )
    return exact_query, " & ".join("(" + " | ".join(options) + ")" for options in widened)


def matched(queries: tuple[str, str], selected: str) -> tuple[str, list]:
    """The SearchDocument rows ``d`` matching ``queries`` (text_queries): their id, score and
    ``selected`` columns, as a subquery."""
    exact, full = queries
    score = f"{PREFIX_WEIGHT} * ts_rank(document, to_tsquery('simple', %s))"
    params = [full]
    if exact == full:  # no prefix to widen it: the same rank, worked out once
        score = f"{1 + PREFIX_WEIGHT} * ts_rank(document, to_tsquery('simple', %s))"
    elif exact:
        score = f"ts_rank(document, to_tsquery('simple', %s)) + {score}"
        params.insert(0, exact)
    return (
        f"SELECT d.project_id AS id, {score} AS score, {selected} FROM {DOCUMENTS} d "
        "WHERE d.document @@ to_tsquery('simple', %s)",
        [*params, full],
    )


def highlights(cursor, queries: tuple[str, str], ids: list[int]) -> dict[int, dict[str, str]]:
    """Title and summary of these sheets with the words of ``queries`` marked."""
    if not ids:
        return {}
    cursor.execute(
        f"SELECT id, ts_headline('{CONFIG}', title, q, %s), "
        f"ts_headline('{CONFIG}', summary, q, %s) "
        f"FROM {SHEETS}, to_tsquery('simple', %s) q WHERE id = ANY(%s)",
        [HEADLINE, HEADLINE, queries[1], ids],
    )
    return {pk: {"title": title, "summary": summary} for pk, title, summary in cursor.fetchall()}


def suggest(cursor, prefix: str, limit: int) -> list[str]:
    """Titles holding every typed word as the start of a word (stemmed or as typed)."""
    cursor.execute(WORDS, [join_hyphens(prefix)])
    parts = []
    for raw, lexemes in cursor.fetchall():
        options = [_lexeme(raw, prefix=True) + "A"] + [
            _lexeme(lexeme, prefix=True) + "A" for lexeme in lexemes or ()
        ]
        parts.append("(" + " | ".join(options) + ")")
    if not parts:
        return []
    cursor.execute(
        f"SELECT p.title FROM {DOCUMENTS} d JOIN {SHEETS} p ON p.id = d.project_id "
        "WHERE d.document @@ to_tsquery('simple', %s) "
        "ORDER BY lower(unaccent(p.title)) LIKE lower(unaccent(%s)) || '%%' DESC, p.title "
        "LIMIT %s",
        [" & ".join(parts), prefix.replace("%", "").replace("_", ""), limit],
    )
    return [row[0] for row in cursor.fetchall()]
