"""The database search backend's index tables, per engine.

PostgreSQL: the unaccent and pg_trgm extensions and ``search_document`` (a stored tsvector with
a GIN index, and the accent-free title with a trigram GIN index).
SQLite: ``search_fts``, an FTS5 table (unicode61, diacritics removed), and its vocabulary.
"""

import sqlite3

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

PG_CREATE = [
    """CREATE TABLE IF NOT EXISTS search_document (
        project_id bigint PRIMARY KEY,
        document tsvector NOT NULL,
        title_norm text NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS search_document_fts ON search_document USING gin (document)",
    "CREATE INDEX IF NOT EXISTS search_document_trgm ON search_document "
    "USING gin (title_norm gin_trgm_ops)",
]
PG_DROP = ["DROP TABLE IF EXISTS search_document"]

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, summary, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_vocab USING fts5vocab(search_fts, 'row')",
]
# Accent-free titles for suggestions; the trigram tokenizer (SQLite >= 3.34) speeds up LIKE.
SQLITE_TITLES = "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_title USING fts5(title_norm%s)"
SQLITE_DROP = [
    "DROP TABLE IF EXISTS search_fts_title",
    "DROP TABLE IF EXISTS search_fts_vocab",
    "DROP TABLE IF EXISTS search_fts",
]


def create_index_tables(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": PG_CREATE, "sqlite": SQLITE_CREATE}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)
    if vendor == "sqlite":
        trigram = sqlite3.sqlite_version_info >= (3, 34, 0)
        schema_editor.execute(SQLITE_TITLES % (", tokenize = 'trigram'" if trigram else ""))


def drop_index_tables(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        # Both operations do nothing on other engines than PostgreSQL.
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create_index_tables, drop_index_tables),
    ]
