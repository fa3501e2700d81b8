# Incident numbers are unique within a brigade, not across the detachment; a brigade's calls
# are read from the brigade down (issue 20).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0003_brigade_population'),
        ('response', '0005_record_brigade'),
        ('units', '0002_historicalsocialunit'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalincident',
            name='number',
            field=models.CharField(max_length=40, verbose_name='警情编号'),
        ),
        migrations.AlterField(
            model_name='incident',
            name='number',
            field=models.CharField(max_length=40, verbose_name='警情编号'),
        ),
        migrations.AddIndex(
            model_name='incident',
            index=models.Index(fields=['brigade', 'received_at'], name='incident_brigade_received_idx'),
        ),
        migrations.AddConstraint(
            model_name='incident',
            constraint=models.UniqueConstraint(fields=('brigade', 'number'), name='incident_unique_number'),
        ),
    ]
