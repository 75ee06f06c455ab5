"""The consent ledger now belongs to the privacy app (privacy 0001 took over the table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0002_search_trigram_indexes"),
        ("privacy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Consent")],
            database_operations=[],
        ),
    ]
