"""Indexes for a rep's company list by postcode, merged per territory (``selectors.company_page``):
the postcode order per territory, and the responsible reps with the territory (replacing their
single-column indexes, which the planner preferred and then read every account of a rep).

SQLite rebuilds the company table to change its columns' indexes, and loses the triggers of
migration 0008 on the way: they are taken down before and put back after.
"""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SCOPE_COPY = importlib.import_module("innendienst.contacts.migrations.0008_person_scope_copy")
drop_triggers = SCOPE_COPY.run_sql({"sqlite": SCOPE_COPY.SQLITE_BACKWARD})
create_triggers = SCOPE_COPY.run_sql({"sqlite": SCOPE_COPY.SQLITE_TRIGGERS})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("contacts", "0008_person_scope_copy"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers),
        migrations.AlterField(
            model_name="company",
            name="field_rep",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="field_companies",
                to=settings.AUTH_USER_MODEL,
                verbose_name="field sales rep",
            ),
        ),
        migrations.AlterField(
            model_name="company",
            name="inside_rep",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="inside_companies",
                to=settings.AUTH_USER_MODEL,
                verbose_name="inside sales rep",
            ),
        ),
        migrations.AlterField(
            model_name="company",
            name="key_account_manager",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="key_accounts",
                to=settings.AUTH_USER_MODEL,
                verbose_name="key-account manager",
            ),
        ),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(
                fields=["territory", "postcode", "name", "id"],
                name="company_territory_postcode_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(fields=["inside_rep", "territory"], name="company_inside_rep_idx"),
        ),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(fields=["field_rep", "territory"], name="company_field_rep_idx"),
        ),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(fields=["key_account_manager", "territory"], name="company_kam_idx"),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
