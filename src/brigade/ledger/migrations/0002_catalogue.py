from django.db import migrations

from brigade.ledger.catalogue import load_catalogue


def forwards(apps, schema_editor):
    load_catalogue(apps.get_model("ledger", "ActivityKind"))


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
