"""The database backend made plain: one stored tsvector per indexed sheet (PostgreSQL) or an
FTS5 row (SQLite), facets counted in SQL. Drops the posting lists, their deltas, the
in-memory columns' tables and the old text tables; ``manage.py rebuild_search_index`` fills
the new index after this migration.

SearchDocument keeps, per indexed sheet, what facets, filters and sorts read.

PostgreSQL: ``ruche_french``, the ``french`` configuration with ``unaccent`` before the
stemmer (so ``ts_headline`` marks the accented words of the original text); a GIN index on
the tsvectors; ``search_lexeme``, the index's vocabulary with a trigram index, for typos.
SQLite: ``search_fts`` (FTS5, porter over unicode61 without diacritics) and its vocabulary.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

PG = [
    "DROP TABLE IF EXISTS search_posting",
    "DROP TABLE IF EXISTS search_posting_delta",
    "DROP TABLE IF EXISTS search_document",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS ruche_french",
    "CREATE TEXT SEARCH CONFIGURATION ruche_french (COPY = french)",
    "ALTER TEXT SEARCH CONFIGURATION ruche_french "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem",
    "CREATE INDEX search_document_gin ON search_searchdocument USING gin (document)",
    # Meant to keep the tsvectors out of line; without effect: PostgreSQL only moves values
    # out of a row longer than about 2 kB, whatever toast_tuple_target says, and a sheet's
    # tsvector is about 1 kB. Kept so that the migration stays as it ran.
    "ALTER TABLE search_searchdocument ALTER COLUMN document SET STORAGE EXTERNAL",
    "ALTER TABLE search_searchdocument SET (toast_tuple_target = 128)",
    "CREATE TABLE search_lexeme (lexeme text PRIMARY KEY)",
    "CREATE INDEX search_lexeme_trgm ON search_lexeme USING gin (lexeme gin_trgm_ops)",
]
SQLITE = [
    "DROP TABLE IF EXISTS search_fts_title",
    "DROP TABLE IF EXISTS search_fts_vocab",
    "DROP TABLE IF EXISTS search_fts",
    # compounds: the sheet's hyphenated words joined (« télé-expertise » → « téléexpertise »)
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, summary, body, compounds, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')",
]


def replace_text_tables(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": PG, "sqlite": SQLITE}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_columns_and_postings"),
    ]

    operations = [
        migrations.DeleteModel(name="IndexedProject"),
        migrations.DeleteModel(name="IndexState"),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "project",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="search.publicproject",
                    ),
                ),
                ("document", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("region", models.CharField(max_length=2)),
                ("call_id", models.BigIntegerField(null=True)),
                ("year", models.PositiveSmallIntegerField()),
                ("trl", models.PositiveSmallIntegerField(null=True)),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14)),
                ("amount_band", models.CharField(max_length=10)),
                ("published_at", models.DateTimeField(null=True)),
            ],
        ),
        migrations.CreateModel(
            name="IndexGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(replace_text_tables, migrations.RunPython.noop),
    ]
