"""SearchDocument.theme_ids: on PostgreSQL, each indexed sheet's theme ids, which the theme
facet and filter read (search.backends.statement). Filled here from the sheets' theme links,
so that an index built before needs no rebuild; SQLite leaves it empty."""

from django.db import migrations

import search.models

FILL = (
    "UPDATE search_searchdocument d SET theme_ids = ARRAY(SELECT st.theme_id "
    "FROM search_publicproject_themes st WHERE st.publicproject_id = d.project_id "
    "ORDER BY st.theme_id)"
)


def fill_theme_ids(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_unfiltered_page_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="theme_ids",
            field=search.models.ThemeIds(null=True),
        ),
        migrations.RunPython(fill_theme_ids, migrations.RunPython.noop),
    ]
