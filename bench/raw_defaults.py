"""The columns a raw bulk insert left out, with the values Django would have written for them.

The benches insert millions of rows with executemany / COPY (ten times faster than the ORM). A
NOT NULL column added to a model later (a raw-record field, a brigade) would then break them;
filling every omitted column from the field's default keeps them in step with the models.
"""


def omitted(model, columns: list[str]) -> tuple[list[str], tuple]:
    """(column names, values) of the NOT NULL columns not in ``columns``, from the fields' defaults."""
    from django.db import connection

    names, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.null or field.column in columns or field.name in ("created_at", "updated_at"):
            continue
        names.append(field.column)
        values.append(field.get_db_prep_save(field.get_default(), connection=connection))
    return names, tuple(values)
