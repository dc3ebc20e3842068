"""The one SQL statement of a database catalogue search: over the sheets a text matched (or
all of them), each facet's counts under every OTHER facet's filter, the total and the page.
Plain SQL that PostgreSQL and SQLite both run, but for what PostgreSQL does faster:

- it counts the column facets that share their filters in one GROUPING SETS pass;
- its theme facet and filter read each sheet's theme ids as indexed (SearchDocument
  .theme_ids): the sheets are grouped by their combination of themes (far fewer than the
  sheets), then each theme counted. SQLite joins the sheets to their theme links.
"""

from __future__ import annotations

from django.db import connection

from search.models import PublicProject, SearchDocument

from .base import FACETS, CatalogueQuery

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
# Typed NULLs: PostgreSQL resolves UNION ALL column types pairwise.
NO_SCORE = "CAST(NULL AS DOUBLE PRECISION)"
NO_DATE = "CAST(NULL AS TIMESTAMP WITH TIME ZONE)"
NO_AMOUNT = "CAST(NULL AS NUMERIC)"
NOTHING = f"{NO_SCORE}, {NO_DATE}, {NO_AMOUNT}"  # a count row's score, date and amount
SELECTED = "d.region, d.call_id, d.year, d.trl, d.amount, d.amount_band, d.published_at"


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def selected() -> str:
    """What the statement reads of each matched sheet, after its id and score."""
    return f"{SELECTED}, d.theme_ids" if _postgres() else SELECTED


def all_indexed() -> tuple[str, list]:
    """``matched`` when there is no text: every indexed sheet."""
    return f"SELECT d.project_id AS id, 0.0 AS score, {selected()} FROM {DOCUMENTS} d", []


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
            themes = f"SELECT t.id FROM {THEMES} t WHERE t.slug IN ({_placeholders(values)})"
            if _postgres():
                conditions[name] = (f"s.theme_ids && ARRAY({themes})", values)
            else:
                conditions[name] = (
                    f"s.id IN (SELECT st.publicproject_id FROM {SHEET_THEMES} st "
                    f"WHERE st.theme_id IN ({themes}))",
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

    - SQLite's theme filter, a subquery, is evaluated once per sheet, into a column
      ``f_theme``; the other filters stay plain comparisons, which the planner estimates well;
    - with two filters or more, a sheet failing two of them counts in no facet: left out."""
    sql, params = matched[0], list(matched[1])
    if "theme" in conditions and not _postgres():
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
    """The theme facet: sheets counted per theme id, then named (a join of the few counts).
    PostgreSQL counts the sheets per combination of themes first; SQLite joins the links."""
    if _postgres():
        counted = (
            "SELECT theme_id, CAST(sum(n) AS BIGINT) AS n FROM (SELECT s.theme_ids, count(*) AS n "
            f"FROM s WHERE {where} GROUP BY s.theme_ids) g, unnest(g.theme_ids) AS theme_id "
            "GROUP BY theme_id"
        )
    else:
        counted = (
            f"SELECT st.theme_id, count(*) AS n FROM s JOIN {SHEET_THEMES} st "
            f"ON st.publicproject_id = s.id WHERE {where} GROUP BY st.theme_id"
        )
    return (
        f"SELECT 'facet:theme', t.slug, c.n, {NOTHING} "
        f"FROM ({counted}) c JOIN {THEMES} t ON t.id = c.theme_id"
    )


def _column_counts(where: str, names: list[str], total: bool) -> list[str]:
    """The counts of these column facets (and the total) under one ``where``: one pass over
    the matched sheets where the database groups by sets (PostgreSQL), else one per facet."""
    if _postgres() and len(names) + total > 1:
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


def _counts(conditions: dict[str, tuple[str, list]]) -> tuple[list, list]:
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
        for part in _column_counts(where, names, where == total_where):
            parts.append(part)
            params += where_params
    return parts, params


def statement(
    matched: tuple[str, list], query: CatalogueQuery, counts: bool = True
) -> tuple[str, list]:
    """One statement over ``matched`` (a SELECT of id, score and selected() from SearchDocument
    ``d``): rows (kind, value, n, score, published_at, amount) for every facet value with its
    count ('facet:<name>') and the total ('total'), unless not ``counts``, and the page's
    sheets ('hit')."""
    matched_sql, params, conditions = _narrowed(matched, _conditions(query.filters))
    # The matched sheets are worked out once when that costs per sheet: a text's rank, SQLite's
    # theme filter (a subquery), PostgreSQL's when other filters narrow the sheets (its passes
    # then test it again and again). Else each pass reads the table again, which is cheaper:
    # PostgreSQL counts straight from it and reads the page through its sort's index.
    theme_once = "theme" in conditions and (len(conditions) > 1 or not _postgres())
    once = bool(query.text.strip()) or theme_once
    head = f"WITH s AS {'' if once else 'NOT '}MATERIALIZED ({matched_sql}) "
    parts = []
    if counts:
        parts, counts_params = _counts(conditions)
        params += counts_params
    where, where_params = _where(conditions)
    parts.append(
        "SELECT * FROM (SELECT 'hit', CAST(s.id AS TEXT), s.id, s.score, s.published_at, "
        f"s.amount FROM s WHERE {where} ORDER BY {ORDER_BY[query.ordering]} "
        "LIMIT %s OFFSET %s) page"
    )
    params += [*where_params, query.per_page, (query.page - 1) * query.per_page]
    return head + " UNION ALL ".join(parts), params


def put_in_order(page: list[tuple], ordering: str) -> None:
    """The page's rows (id, score, published_at, amount) in ORDER_BY's order: stable sorts,
    the last key first. (SQLite returns instants as ISO text, which sorts as well.)"""
    page.sort(key=lambda row: row[0], reverse=True)
    page.sort(key=lambda row: (row[2] is not None, row[2] or ""), reverse=True)
    if ordering == "amount":
        page.sort(key=lambda row: float(row[3] or 0), reverse=True)
    elif ordering == "relevance":
        page.sort(key=lambda row: float(row[1] or 0), reverse=True)
