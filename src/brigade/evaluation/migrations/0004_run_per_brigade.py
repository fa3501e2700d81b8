# Issue 20: a monthly evaluation run belongs to one brigade. A run computed before for the whole
# detachment (brigade empty) is split into one run per brigade: each brigade's scores move to its
# own run and are ranked again among that brigade's streets (or departments).

import django.db.models.deletion
from django.db import migrations, models


def _ranks(scores):
    """1, 1, 3 …: equal scores share a rank (best first), as brigade.evaluation.services ranks them."""
    ranks = []
    for i, score in enumerate(scores):
        ranks.append(ranks[-1] if i and score == scores[i - 1] else i + 1)
    return ranks


def split_runs(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Checked now, not at commit: PostgreSQL refuses the ALTER TABLE that follows while checks are pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Run = apps.get_model("evaluation", "EvaluationRun")
    Score = apps.get_model("evaluation", "EvaluationScore")
    Brigade = apps.get_model("org", "Brigade")
    left = Run.objects.filter(brigade__isnull=True)
    if not left.exists():
        return
    first = Brigade.objects.order_by("pk").values_list("pk", flat=True).first()
    if first is None:
        raise RuntimeError("已有月度考评记录，但系统中没有消防救援大队：请先建立大队再升级。")
    for run in list(left):
        by_brigade = {}
        for s in Score.objects.filter(run=run).select_related("street", "department"):
            owner = s.street or s.department
            by_brigade.setdefault(owner.brigade_id if owner else first, []).append(s)
        brigades = sorted(by_brigade) or [first]
        for n, brigade in enumerate(brigades):
            if Run.objects.filter(brigade_id=brigade, rubric_id=run.rubric_id, month=run.month).exists():
                # The brigade already has its own run of that month: the detachment's scores give way.
                Score.objects.filter(pk__in=[s.pk for s in by_brigade.get(brigade, [])]).delete()
                continue
            target = run
            if n:
                target = Run.objects.create(rubric_id=run.rubric_id, month=run.month, run_by_id=run.run_by_id,
                                            warnings=run.warnings, brigade_id=brigade)
            else:
                Run.objects.filter(pk=run.pk).update(brigade_id=brigade)
            rows = sorted(by_brigade.get(brigade, []), key=lambda s: -s.score)
            for rank, s in zip(_ranks([s.score for s in rows]), rows, strict=True):
                Score.objects.filter(pk=s.pk).update(run_id=target.pk, rank=rank)
        if Run.objects.filter(pk=run.pk, brigade__isnull=True).exists():
            Run.objects.filter(pk=run.pk).delete()  # every brigade had its own run: nothing left here


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0003_record_brigade'),
        ('org', '0003_brigade_population'),
    ]

    operations = [
        migrations.RunPython(split_runs, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='evaluationrun',
            name='evaluation_run_unique_month_detachment',
        ),
        migrations.RemoveConstraint(
            model_name='evaluationrun',
            name='evaluation_run_unique_month',
        ),
        migrations.AlterField(
            model_name='evaluationrun',
            name='brigade',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.brigade', verbose_name='大队'),
        ),
        migrations.AddConstraint(
            model_name='evaluationrun',
            constraint=models.UniqueConstraint(fields=('brigade', 'rubric', 'month'), name='evaluation_run_unique_month'),
        ),
    ]
