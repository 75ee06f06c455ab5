"""The fair or campaign an address came from ("LogiMAT 2027").

SQLite rebuilds the company table to add a column with a default and loses the triggers of
migration 0008 on the way: they are taken down before and put back after (as in 0009).
"""

import importlib

from django.db import migrations, models

SCOPE_COPY = importlib.import_module("innendienst.contacts.migrations.0008_person_scope_copy")
drop_triggers = SCOPE_COPY.run_sql({"sqlite": SCOPE_COPY.SQLITE_BACKWARD})
create_triggers = SCOPE_COPY.run_sql({"sqlite": SCOPE_COPY.SQLITE_TRIGGERS})


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0010_person_email_index"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers),
        migrations.AddField(
            model_name="company",
            name="source_name",
            field=models.CharField(blank=True, max_length=100, verbose_name="fair or campaign"),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
