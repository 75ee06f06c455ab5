"""The company's scope columns on its people, kept by the database.

Who may see a person is decided by the person's company: its territory and its inside rep,
field rep and key-account manager. A list of people in one of its orders used to read each
person's company to decide that; at three million people the rep's list read thousands of
companies a page. The columns are copied onto the person instead, by triggers, so that every
write path keeps them: the services, imports, a merge that moves people, a bulk update.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SCOPE = ("territory_id", "inside_rep_id", "field_rep_id", "key_account_manager_id")

POSTGRESQL_FORWARD = [
    # Filled before the triggers and the index exist: one pass over the table.
    "UPDATE contacts_person p SET "
    + ", ".join(f"{column} = c.{column}" for column in SCOPE)
    + " FROM contacts_company c WHERE c.id = p.company_id",
    """
    CREATE FUNCTION contacts_person_copy_scope() RETURNS trigger AS $$
    BEGIN
        SELECT territory_id, inside_rep_id, field_rep_id, key_account_manager_id
          INTO NEW.territory_id, NEW.inside_rep_id, NEW.field_rep_id, NEW.key_account_manager_id
          FROM contacts_company WHERE id = NEW.company_id;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER person_scope_copy BEFORE INSERT OR UPDATE OF company_id, "
    + ", ".join(SCOPE)
    + " ON contacts_person FOR EACH ROW EXECUTE FUNCTION contacts_person_copy_scope()",
    """
    CREATE FUNCTION contacts_company_scope_to_people() RETURNS trigger AS $$
    BEGIN
        UPDATE contacts_person SET territory_id = NEW.territory_id,
               inside_rep_id = NEW.inside_rep_id, field_rep_id = NEW.field_rep_id,
               key_account_manager_id = NEW.key_account_manager_id
         WHERE company_id = NEW.id;
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER company_scope_to_people AFTER UPDATE OF "
    + ", ".join(SCOPE)
    + " ON contacts_company FOR EACH ROW WHEN ("
    + " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in SCOPE)
    + ") EXECUTE FUNCTION contacts_company_scope_to_people()",
    # The window of the people search filters by the scope inside the index.
    "DROP INDEX IF EXISTS person_search_order_idx",
    'CREATE INDEX person_search_order_idx ON contacts_person ((search_text COLLATE "C"), id)'
    " INCLUDE (" + ", ".join(SCOPE) + ")",
]
POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS company_scope_to_people ON contacts_company",
    "DROP FUNCTION IF EXISTS contacts_company_scope_to_people()",
    "DROP TRIGGER IF EXISTS person_scope_copy ON contacts_person",
    "DROP FUNCTION IF EXISTS contacts_person_copy_scope()",
    "DROP INDEX IF EXISTS person_search_order_idx",
    'CREATE INDEX person_search_order_idx ON contacts_person ((search_text COLLATE "C"), id)',
]

# SQLite cannot change the row being written in a trigger: it updates it right after.
_SQLITE_COPY = (
    "UPDATE contacts_person SET "
    + ", ".join(
        f"{column} = (SELECT {column} FROM contacts_company WHERE id = NEW.company_id)"
        for column in SCOPE
    )
    + " WHERE id = NEW.id;"
)
SQLITE_FILL = "UPDATE contacts_person SET " + ", ".join(
    f"{column} = (SELECT c.{column} FROM contacts_company c WHERE c.id = contacts_person.company_id)"
    for column in SCOPE
)
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER person_scope_insert AFTER INSERT ON contacts_person BEGIN {_SQLITE_COPY} END",
    "CREATE TRIGGER person_scope_update AFTER UPDATE OF company_id, "
    + ", ".join(SCOPE)
    + f" ON contacts_person BEGIN {_SQLITE_COPY} END",
    "CREATE TRIGGER company_scope_to_people AFTER UPDATE OF "
    + ", ".join(SCOPE)
    + " ON contacts_company WHEN "
    + " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in SCOPE)
    + " BEGIN UPDATE contacts_person SET "
    + ", ".join(f"{column} = NEW.{column}" for column in SCOPE)
    + " WHERE company_id = NEW.id; END",
]
SQLITE_FORWARD = [SQLITE_FILL, *SQLITE_TRIGGERS]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS company_scope_to_people",
    "DROP TRIGGER IF EXISTS person_scope_update",
    "DROP TRIGGER IF EXISTS person_scope_insert",
]


def run_sql(statements_by_vendor):
    """A migration step that runs its vendor's statements (none for a vendor not named)."""

    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


forward = run_sql({"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD})
backward = run_sql({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("contacts", "0007_list_sort_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="field_rep",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="inside_rep",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="key_account_manager",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="territory",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="accounts.territory",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
