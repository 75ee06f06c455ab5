"""Trigram indexes for "contains" search on PostgreSQL.

SQLite scans the folded search text, which is fast enough at the sizes SQLite is meant
for; PostgreSQL needs pg_trgm so that LIKE '%mueller%' uses an index on a million rows.
"""

from django.db import migrations

INDEXES = [
    ("contacts_company", "company_search_trgm_idx"),
    ("contacts_person", "person_search_trgm_idx"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, name in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
