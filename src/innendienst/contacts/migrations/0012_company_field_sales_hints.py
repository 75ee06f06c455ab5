"""Priority, success probability and acute need of a company, for field sales.

SQLite rebuilds the company table to add columns and loses the triggers of migration 0008 on
the way: they are taken down before and put back after (as in 0009 and 0011).
"""

import importlib

import django.core.validators
from django.conf import settings
from django.db import migrations, models

SCOPE_COPY = importlib.import_module("innendienst.contacts.migrations.0008_person_scope_copy")
drop_triggers = SCOPE_COPY.run_sql({"sqlite": SCOPE_COPY.SQLITE_BACKWARD})
create_triggers = SCOPE_COPY.run_sql({"sqlite": SCOPE_COPY.SQLITE_TRIGGERS})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("contacts", "0011_company_source_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers),
        migrations.AddField(
            model_name="company",
            name="acute_need",
            field=models.CharField(
                blank=True,
                help_text="What is needed now, and by when: the field rep acts on it first.",
                max_length=200,
                verbose_name="acute need",
            ),
        ),
        migrations.AddField(
            model_name="company",
            name="priority",
            field=models.CharField(
                blank=True,
                choices=[("a", "A – high"), ("b", "B – medium"), ("c", "C – low")],
                max_length=1,
                null=True,
                verbose_name="priority",
            ),
        ),
        migrations.AddField(
            model_name="company",
            name="success_probability",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="success probability (%)",
            ),
        ),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(fields=["priority", "name", "id"], name="company_priority_sort_idx"),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
