"""The consent ledger moves from contacts to privacy: the table stays, only the model's home
changes (0002 then gives the table the privacy app's name)."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contacts", "0002_search_trigram_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Consent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "channel",
                            models.CharField(
                                choices=[
                                    ("phone", "Phone"),
                                    ("mobile", "Mobile"),
                                    ("email", "E-mail"),
                                    ("postal", "Postal"),
                                ],
                                max_length=10,
                                verbose_name="channel",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("granted", "granted"), ("withdrawn", "withdrawn")],
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "recorded_on",
                            models.DateField(
                                default=django.utils.timezone.localdate, verbose_name="date"
                            ),
                        ),
                        ("source", models.CharField(max_length=200, verbose_name="source")),
                        (
                            "legal_basis",
                            models.CharField(
                                choices=[
                                    ("consent", "Consent (Art. 6(1)(a) GDPR)"),
                                    ("contract", "Contract (Art. 6(1)(b) GDPR)"),
                                    (
                                        "legitimate_interest",
                                        "Legitimate interest (Art. 6(1)(f) GDPR)",
                                    ),
                                    ("existing_customer", "Existing customer (§ 7(3) UWG)"),
                                ],
                                max_length=30,
                                verbose_name="legal basis",
                            ),
                        ),
                        (
                            "note",
                            models.TextField(
                                blank=True,
                                validators=[django.core.validators.MaxLengthValidator(10000)],
                                verbose_name="note",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="recorded by",
                            ),
                        ),
                        (
                            "person",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="consents",
                                to="contacts.person",
                                verbose_name="person",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "consent",
                        "verbose_name_plural": "consents",
                        "ordering": ["-recorded_on", "-id"],
                        "db_table": "contacts_consent",
                        "indexes": [
                            models.Index(
                                fields=["person", "channel", "-recorded_on"], name="consent_idx"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
