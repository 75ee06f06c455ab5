from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("contacts", "0003_consent_moves_to_privacy"),
    ]

    operations = [migrations.AlterModelTable(name="consent", table=None)]
