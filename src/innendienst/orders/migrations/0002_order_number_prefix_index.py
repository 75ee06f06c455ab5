"""Order numbers are searched by their start ("AU24-00012"): on PostgreSQL a LIKE 'AU24%' can
use a btree index only with the pattern operator class (the database's collation is not C)."""

from django.db import migrations

INDEX = "order_number_prefix_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON orders_order (number varchar_pattern_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
