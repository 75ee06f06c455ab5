"""Indexes of the search box and the lists at a million companies (see ``contacts.search``).

The window of the most recently contacted companies is read along ``company_recent_idx``;
on PostgreSQL the index carries the search text and the scope's columns, so the window never
touches the table. The name-prefix tiers of companies are ranges of
``company_search_prefix_idx`` (``text_pattern_ops``: a prefix ``LIKE`` under any collation).
"""

from django.db import migrations

POSTGRESQL = [
    (
        "company_recent_idx",
        "contacts_company (last_contact_at DESC NULLS LAST, id) INCLUDE (search_text,"
        " territory_id, inside_rep_id, field_rep_id, key_account_manager_id)",
    ),
    ("company_search_prefix_idx", "contacts_company (search_text text_pattern_ops)"),
    # People are ranked in the byte order of their search text (``search.Bytewise``): one
    # index for the prefix ranges and the order.
    ("person_search_order_idx", 'contacts_person ((search_text COLLATE "C"), id)'),
    # The list sorted by customer number, descending, numbers first (SQLite cannot say
    # NULLS LAST in an index; ascending is the model's company_number_sort_idx).
    ("company_number_desc_idx", "contacts_company (customer_number DESC NULLS LAST, id DESC)"),
]
# SQLite has neither covering indexes nor operator classes; its LIKE ignores case, so no
# index helps it with a prefix.
SQLITE = [
    ("company_recent_idx", "contacts_company (last_contact_at DESC, id)"),
    ("person_search_order_idx", "contacts_person (search_text, id)"),
]


def _indexes(schema_editor):
    return POSTGRESQL if schema_editor.connection.vendor == "postgresql" else SQLITE


def create_indexes(apps, schema_editor):
    for name, definition in _indexes(schema_editor):
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_indexes(apps, schema_editor):
    for name, _definition in _indexes(schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0005_company_last_contact")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
