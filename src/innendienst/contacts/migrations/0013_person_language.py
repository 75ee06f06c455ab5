"""The language to write and call a contact in.

SQLite rebuilds the person table to add a column and loses the triggers of migration 0008 on
the way: they are taken down before and put back after (as in 0009, 0011 and 0012).
"""

import importlib

from django.db import migrations, models

SCOPE_COPY = importlib.import_module("innendienst.contacts.migrations.0008_person_scope_copy")
drop_triggers = SCOPE_COPY.run_sql({"sqlite": SCOPE_COPY.SQLITE_BACKWARD})
create_triggers = SCOPE_COPY.run_sql({"sqlite": SCOPE_COPY.SQLITE_TRIGGERS})


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0012_company_field_sales_hints"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers),
        migrations.AddField(
            model_name="person",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("de", "German"), ("fr", "French"), ("it", "Italian"), ("en", "English")],
                help_text="The language to write and call in, where the country does not say it.",
                max_length=2,
                verbose_name="language",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
