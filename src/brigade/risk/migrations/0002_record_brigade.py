# Every record belongs to one brigade (issue 20): one active draw a month per brigade.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0002_station_kind_micro'),
        ('risk', '0001_risk_grades_and_draws'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='draw',
            name='draw_one_active_per_month',
        ),
        migrations.AddConstraint(
            model_name='draw',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'active')), fields=('brigade', 'month'), name='draw_one_active_per_month'),
        ),
    ]
