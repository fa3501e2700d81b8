# Every record belongs to one brigade (issue 20): the column, the existing rows filled, then NOT NULL.

import django.db.models.deletion
from django.db import migrations, models

from brigade.core.migration_fill import filler


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0002_catalogue'),
        ('org', '0002_station_kind_micro'),
    ]

    operations = [
        migrations.AddField(
            model_name='activity',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空时按镇街、消防站或系统中唯一的大队填写', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
        migrations.RunPython(filler('ledger', 'activity', (('street', 'org.Street', 'brigade'), ('station', 'org.Station', 'brigade'), ('department', 'org.Department', 'brigade')), required=True), migrations.RunPython.noop),
        migrations.AlterField(
            model_name='activity',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空时按镇街、消防站或系统中唯一的大队填写', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
    ]
