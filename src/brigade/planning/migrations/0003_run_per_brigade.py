# Issue 20: a saved analysis belongs to one brigade. A run left without a brigade was computed over
# several brigades' roads and stations at once: it answers for none of them, so it is removed
# (``brigade analyse`` computes each brigade's again). With one brigade it simply becomes that one's.

import django.db.models.deletion
from django.db import migrations, models


def settle(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Checked now, not at commit: PostgreSQL refuses the ALTER TABLE that follows while checks are pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Run = apps.get_model("planning", "AnalysisRun")
    left = Run.objects.filter(brigade__isnull=True)
    if not left.exists():
        return
    ids = list(apps.get_model("org", "Brigade").objects.order_by("pk").values_list("pk", flat=True)[:2])
    if len(ids) == 1:
        left.update(brigade_id=ids[0])
    else:
        left.delete()


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0003_brigade_population'),
        ('planning', '0002_record_brigade'),
    ]

    operations = [
        migrations.RunPython(settle, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='analysisrun',
            name='brigade',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
    ]
