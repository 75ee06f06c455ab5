"""The person's name key now carries his firm's name: the people's keys are written anew, so
that an entry check finds by the new key what is stored. Runs the application's own code (the
keys are whatever it computes today); at a million people it takes a few minutes, once."""

from django.db import migrations


def rekey_people(apps, schema_editor) -> None:
    from innendienst.matching import keys
    from innendienst.matching.models import MatchKey, RecordKind

    if MatchKey.objects.filter(kind=RecordKind.PERSON).exists():
        keys.refresh_all(RecordKind.PERSON)


class Migration(migrations.Migration):
    dependencies = [("matching", "0003_scan_heartbeat_key_once")]

    operations = [migrations.RunPython(rekey_people, migrations.RunPython.noop)]
