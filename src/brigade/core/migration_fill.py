"""The data step of the migrations that gave records their own ``brigade`` column (record_brigade).

Existing rows take the brigade of their street, station, department or unit; the rest (and records
with none of those) the database's first brigade — a database before these migrations held one.
"""

from django.db.models import OuterRef, Subquery


def filler(app_label: str, model_name: str, via: tuple[tuple[str, str, str], ...] = (), *, required: bool = True):
    """A RunPython function. ``via``: (field, "app.Model" of the related record, its path to the brigade)."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # Checked now, not at commit: PostgreSQL refuses the NOT NULL that follows while checks are pending.
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        model = apps.get_model(app_label, model_name)
        brigades = apps.get_model("org", "Brigade").objects.order_by("pk").values_list("pk", flat=True)
        for field, target, path in via:
            related = apps.get_model(*target.split("."))
            model.objects.filter(brigade__isnull=True, **{f"{field}__isnull": False}).update(
                brigade=Subquery(related.objects.filter(pk=OuterRef(field)).values(path)[:1]))
        left = model.objects.filter(brigade__isnull=True)
        if not left.exists():
            return
        ids = list(brigades[:2])
        if not required and len(ids) != 1:
            return  # optional: empty means the whole detachment
        if not ids:
            raise RuntimeError(f"{model._meta.verbose_name}已有记录，但系统中没有消防救援大队：请先建立大队再升级。")
        left.update(brigade=ids[0])

    return run
