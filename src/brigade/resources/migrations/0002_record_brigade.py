# Every record belongs to one brigade (issue 20): the column, the existing rows filled, then NOT NULL.

import django.db.models.deletion
from django.db import migrations, models

from brigade.core.migration_fill import filler


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0002_station_kind_micro'),
        ('resources', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='hydrant',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空时按镇街、消防站或系统中唯一的大队填写', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
        migrations.AddField(
            model_name='road',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空时按镇街、消防站或系统中唯一的大队填写', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
        migrations.AddField(
            model_name='watersource',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空时按镇街、消防站或系统中唯一的大队填写', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
        migrations.RunPython(filler('resources', 'hydrant', (('street', 'org.Street', 'brigade'),), required=True), migrations.RunPython.noop),
        migrations.RunPython(filler('resources', 'watersource', (('street', 'org.Street', 'brigade'),), required=True), migrations.RunPython.noop),
        migrations.RunPython(filler('resources', 'road', (), required=True), migrations.RunPython.noop),
        migrations.AlterField(
            model_name='hydrant',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空时按镇街、消防站或系统中唯一的大队填写', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
        migrations.AlterField(
            model_name='watersource',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空时按镇街、消防站或系统中唯一的大队填写', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
        migrations.AlterField(
            model_name='road',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空时按镇街、消防站或系统中唯一的大队填写', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
    ]
