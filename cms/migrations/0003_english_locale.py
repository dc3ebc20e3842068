"""The English locale, so that every database can hold the English translation of the pages.

Wagtail's own migrations create only the locale of LANGUAGE_CODE (French)."""

from django.db import migrations


def create_english_locale(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Locale.objects.get_or_create(language_code="en")


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_callpage_eligible_organisation_sizes"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(create_english_locale, migrations.RunPython.noop)]
