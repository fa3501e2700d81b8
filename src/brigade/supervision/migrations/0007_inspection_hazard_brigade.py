# Inspections and hazards carry their brigade (issue 20, scale): a brigade's figures of a period are
# read from an index that leads with the brigade instead of through every unit of its streets.

import django.db.models.deletion
from django.db import migrations, models

from brigade.core.migration_fill import filler

HELP = '留空时按镇街、消防站或系统中唯一的大队填写'


def own(null):
    return models.ForeignKey(blank=True, help_text=HELP, null=null, on_delete=django.db.models.deletion.PROTECT,
                             related_name='+', to='org.brigade', verbose_name='大队')


def historical():
    return models.ForeignKey(blank=True, db_constraint=False, help_text=HELP, null=True,
                             on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='org.brigade',
                             verbose_name='大队')


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0003_brigade_population'),
        ('units', '0002_historicalsocialunit'),
        ('supervision', '0006_record_brigade'),
    ]

    operations = [
        migrations.AddField(model_name='inspection', name='brigade', field=own(True)),
        migrations.AddField(model_name='historicalinspection', name='brigade', field=historical()),
        migrations.AddField(model_name='hazard', name='brigade', field=own(True)),
        migrations.AddField(model_name='historicalhazard', name='brigade', field=historical()),
        migrations.RunPython(filler('supervision', 'inspection', (('unit', 'units.SocialUnit', 'street__brigade'),)),
                             migrations.RunPython.noop),
        migrations.RunPython(filler('supervision', 'hazard', (('unit', 'units.SocialUnit', 'street__brigade'),)),
                             migrations.RunPython.noop),
        migrations.AlterField(model_name='inspection', name='brigade', field=own(False)),
        migrations.AlterField(model_name='hazard', name='brigade', field=own(False)),
        migrations.AddIndex(model_name='inspection',
                            index=models.Index(fields=['brigade', 'inspected_on'], name='inspection_brigade_idx')),
        migrations.AddIndex(model_name='hazard',
                            index=models.Index(fields=['brigade', 'found_on'], name='hazard_brigade_idx')),
    ]
