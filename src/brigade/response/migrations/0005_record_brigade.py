# Every record belongs to one brigade (issue 20): the column, the existing rows filled, then NOT NULL.

import django.db.models.deletion
from django.db import migrations, models

from brigade.core.migration_fill import filler


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0002_station_kind_micro'),
        ('response', '0004_incident_first_due_station'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalincident',
            name='brigade',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='留空时按镇街、消防站或系统中唯一的大队填写', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
        migrations.AddField(
            model_name='incident',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空时按镇街、消防站或系统中唯一的大队填写', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
        migrations.RunPython(filler('response', 'incident', (('street', 'org.Street', 'brigade'), ('first_due_station', 'org.Station', 'brigade'), ('unit', 'units.SocialUnit', 'street__brigade')), required=True), migrations.RunPython.noop),
        migrations.AlterField(
            model_name='incident',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空时按镇街、消防站或系统中唯一的大队填写', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
    ]
