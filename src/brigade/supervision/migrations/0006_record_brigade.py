# Every record belongs to one brigade (issue 20): the column, the existing rows filled, then NOT NULL.

import django.db.models.deletion
from django.db import migrations, models

from brigade.core.migration_fill import filler


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0002_station_kind_micro'),
        ('supervision', '0005_field_sync_and_photos'),
    ]

    operations = [
        migrations.AddField(
            model_name='campaign',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空时按镇街、消防站或系统中唯一的大队填写', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
        migrations.AddField(
            model_name='enforcementaction',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空时按镇街、消防站或系统中唯一的大队填写', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
        migrations.AddField(
            model_name='historicalenforcementaction',
            name='brigade',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='留空时按镇街、消防站或系统中唯一的大队填写', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
        migrations.AddField(
            model_name='interview',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空时按镇街、消防站或系统中唯一的大队填写', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
        migrations.AddField(
            model_name='notice',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空时按镇街、消防站或系统中唯一的大队填写', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
        migrations.AlterField(
            model_name='campaign',
            name='name',
            field=models.CharField(max_length=120, verbose_name='行动名称'),
        ),
        migrations.AddConstraint(
            model_name='campaign',
            constraint=models.UniqueConstraint(fields=('brigade', 'name'), name='campaign_unique_name'),
        ),
        migrations.RunPython(filler('supervision', 'campaign', (), required=True), migrations.RunPython.noop),
        migrations.RunPython(filler('supervision', 'enforcementaction', (('unit', 'units.SocialUnit', 'street__brigade'),), required=True), migrations.RunPython.noop),
        migrations.RunPython(filler('supervision', 'interview', (('street', 'org.Street', 'brigade'),), required=True), migrations.RunPython.noop),
        migrations.RunPython(filler('supervision', 'notice', (), required=True), migrations.RunPython.noop),
        migrations.AlterField(
            model_name='campaign',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空时按镇街、消防站或系统中唯一的大队填写', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
        migrations.AlterField(
            model_name='enforcementaction',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空时按镇街、消防站或系统中唯一的大队填写', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
        migrations.AlterField(
            model_name='interview',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空时按镇街、消防站或系统中唯一的大队填写', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
        migrations.AlterField(
            model_name='notice',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空时按镇街、消防站或系统中唯一的大队填写', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
    ]
