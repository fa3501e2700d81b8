# Every record belongs to one brigade (issue 20): the column, the existing rows filled, then NOT NULL.

import django.db.models.deletion
from django.db import migrations, models

from brigade.core.migration_fill import filler


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0002_default_rubrics'),
        ('org', '0002_station_kind_micro'),
    ]

    operations = [
        migrations.AddField(
            model_name='evaluationrun',
            name='brigade',
            field=models.ForeignKey(blank=True, help_text='留空表示支队（全部大队）', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
        migrations.RunPython(filler('evaluation', 'evaluationrun', (), required=False), migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='evaluationrun',
            name='evaluation_run_unique_month',
        ),
        migrations.AddConstraint(
            model_name='evaluationrun',
            constraint=models.UniqueConstraint(condition=models.Q(('brigade__isnull', False)), fields=('brigade', 'rubric', 'month'), name='evaluation_run_unique_month'),
        ),
        migrations.AddConstraint(
            model_name='evaluationrun',
            constraint=models.UniqueConstraint(condition=models.Q(('brigade__isnull', True)), fields=('rubric', 'month'), name='evaluation_run_unique_month_detachment'),
        ),
    ]
