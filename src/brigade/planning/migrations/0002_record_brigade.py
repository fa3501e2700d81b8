# Every record belongs to one brigade (issue 20): the column, the existing rows filled, then NOT NULL.

import django.db.models.deletion
from django.db import migrations, models

from brigade.core.migration_fill import filler


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0002_station_kind_micro'),
        ('planning', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='analysisrun',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空表示支队（全部大队）', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
        migrations.RunPython(filler('planning', 'analysisrun', (), required=False), migrations.RunPython.noop),
    ]
