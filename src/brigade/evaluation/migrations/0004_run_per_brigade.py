# Issue 20: a monthly evaluation run belongs to one brigade and scores only that brigade's streets
# (or departments). Two kinds of earlier runs hold other brigades' scores: a run computed for the
# whole detachment (brigade empty), and a brigade's run that other brigades' scores were added to.
# Each score moves to its own brigade's run of the same rubric and month (made if missing; where
# that brigade already scored the same street, its own score stays), and every run touched is
# ranked again among its own streets. A run left with no brigade and no scores is removed.

import django.db.models.deletion
from django.db import migrations, models


def _ranks(scores):
    """1, 1, 3 …: equal scores share a rank (best first), as brigade.evaluation.services ranks them."""
    ranks = []
    for i, score in enumerate(scores):
        ranks.append(ranks[-1] if i and score == scores[i - 1] else i + 1)
    return ranks


def _brigade_of(score):
    owner = score.street or score.department
    return owner.brigade_id if owner is not None else None


def split_runs(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Checked now, not at commit: PostgreSQL refuses the ALTER TABLE that follows while checks are pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Run = apps.get_model("evaluation", "EvaluationRun")
    Score = apps.get_model("evaluation", "EvaluationScore")
    mixed = set(Run.objects.filter(brigade__isnull=True).values_list("pk", flat=True))
    for owner in ("street", "department"):
        mixed |= set(Score.objects.filter(**{f"{owner}__isnull": False, "run__brigade__isnull": False})
                     .exclude(**{f"{owner}__brigade_id": models.F("run__brigade_id")})
                     .values_list("run_id", flat=True))
    touched = set()
    for run in Run.objects.filter(pk__in=mixed).order_by("pk"):
        groups = {}
        for s in Score.objects.filter(run=run).select_related("street", "department"):
            groups.setdefault(_brigade_of(s), []).append(s)
        if run.brigade_id is None and groups:
            home = next((b for b in sorted(groups, key=lambda b: (b is None, b)) if b is not None
                         and not Run.objects.filter(brigade_id=b, rubric_id=run.rubric_id, month=run.month).exists()),
                        None)
            if home is not None:
                Run.objects.filter(pk=run.pk).update(brigade_id=home)
                run.brigade_id = home
        for brigade, scores in groups.items():
            if brigade is None or brigade == run.brigade_id:
                continue
            target = Run.objects.filter(brigade_id=brigade, rubric_id=run.rubric_id, month=run.month).first()
            if target is None:
                target = Run.objects.create(rubric_id=run.rubric_id, month=run.month, run_by_id=run.run_by_id,
                                            warnings=run.warnings, brigade_id=brigade)
            scored = set(Score.objects.filter(run=target).values_list("street_id", "department_id"))
            for s in scores:
                if (s.street_id, s.department_id) in scored:
                    Score.objects.filter(pk=s.pk).delete()  # the brigade's own score of that street stays
                else:
                    Score.objects.filter(pk=s.pk).update(run_id=target.pk)
            touched.add(target.pk)
        touched.add(run.pk)
    Run.objects.filter(brigade__isnull=True).delete()  # every brigade had its own run already
    for pk in touched:
        rows = sorted(Score.objects.filter(run_id=pk), key=lambda s: -s.score)
        for rank, s in zip(_ranks([s.score for s in rows]), rows, strict=True):
            if s.rank != rank:
                Score.objects.filter(pk=s.pk).update(rank=rank)


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
