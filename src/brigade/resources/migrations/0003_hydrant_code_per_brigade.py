# Hydrant codes are unique within a brigade, not across the detachment (issue 20).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0003_brigade_population'),
        ('resources', '0002_record_brigade'),
    ]

    operations = [
        migrations.AlterField(
            model_name='hydrant',
            name='code',
            field=models.CharField(max_length=30, verbose_name='编号'),
        ),
        migrations.AddConstraint(
            model_name='hydrant',
            constraint=models.UniqueConstraint(fields=('brigade', 'code'), name='hydrant_unique_code'),
        ),
    ]
