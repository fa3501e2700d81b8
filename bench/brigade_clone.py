"""Copy every brigade of a PostgreSQL database many times over, in SQL (for bench_detachment).

Generating a province of 150 brigades at a real brigade's size record by record takes most of a
day on two cores; copying a few generated brigades with ``INSERT … SELECT`` takes minutes. Each copy
is a brigade of its own: every row owned by a brigade (``brigade_path`` not shared) is inserted
again with its id and the ids it points to shifted by one span per copy, the brigade renamed and
identifiers that must stay unique across brigades (plates, client ids, credit codes …) rewritten.
Shared reference data, users and the audit trail's historical copies are not copied; the incident
column cache is emptied so it is rebuilt from the records.

The copies share their source's streets' outlines and coordinates: enough to time queries over
a province, not to draw a map of one.
"""

from django.apps import apps
from django.db import connection, models, transaction


def owned_models() -> list:
    """The models whose rows belong to a brigade, and the many-to-many tables between them."""
    from brigade.core.tenancy import declared_models, is_shared

    owned = [m for m in declared_models() if not is_shared(m)]
    labels = {m._meta.label for m in owned}
    through = [f.remote_field.through for m in owned for f in m._meta.local_many_to_many
               if f.remote_field.through._meta.auto_created and f.related_model._meta.label in labels]
    return owned + through


def _spans(owned) -> dict[str, int]:
    """Per table, the id step between two copies: the largest id there is now."""
    out = {}
    with connection.cursor() as cursor:
        for model in owned:
            table = model._meta.db_table
            cursor.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"')
            out[table] = cursor.fetchone()[0]
    return out


def _unique_sets(model) -> list[tuple[str, ...]]:
    """The field names that must be unique together (single-field ``unique`` included)."""
    sets = [(f.name,) for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    # Partial constraints are left alone: the generated brigades' rows fall outside their conditions.
    sets += [tuple(c.fields) for c in model._meta.constraints
             if isinstance(c, models.UniqueConstraint) and c.fields and c.condition is None]
    sets += [tuple(t) for t in model._meta.unique_together]
    return sets


def _rewrite(field, copy: str) -> str:
    """A column expression that differs between copies and from the source row."""
    column = f'"{field.column}"'
    if isinstance(field, models.UUIDField):
        return f"md5({column}::text || '-' || {copy})::uuid"
    if isinstance(field, models.CharField):
        keep = max(0, (field.max_length or 40) - 9)
        return f"left({column}, {keep}) || '~' || left(md5({column} || '-' || {copy}), 8)"
    if field.null:
        return "NULL"
    raise ValueError(f"{field.model.__name__}.{field.name}: no way to make it unique per copy")


def _target(field, spans) -> str | None:
    """The copied table a foreign key (or one-to-one key) points to, if any."""
    if field.is_relation and (field.many_to_one or field.one_to_one):
        table = field.related_model._meta.db_table
        return table if table in spans else None
    return None


def _select_list(model, spans: dict[str, int], copy: str) -> tuple[list[str], list[str]]:
    """(columns, expressions) that insert copy ``copy`` (an SQL integer) of each row."""
    table = model._meta.db_table
    rewritten = {}
    for names in _unique_sets(model):
        fields = [model._meta.get_field(n) for n in names]
        if any(f.primary_key or _target(f, spans) for f in fields):
            continue  # the copy's shifted key already keeps it apart
        field = next((f for f in fields if not f.is_relation), fields[0])
        rewritten[field.name] = "NULL" if field.is_relation else _rewrite(field, copy)
    columns, exprs = [], []
    for field in model._meta.concrete_fields:
        columns.append(f'"{field.column}"')
        if field.primary_key:
            exprs.append(f'"{field.column}" + {spans[table]} * {copy}')
        elif field.name in rewritten:
            exprs.append(rewritten[field.name])
        elif _target(field, spans):
            exprs.append(f'"{field.column}" + {spans[_target(field, spans)]} * {copy}')
        else:
            exprs.append(f'"{field.column}"')
    return columns, exprs


def clone_brigades(copies: int, *, names=None, progress=print) -> None:
    """Add ``copies`` copies of every brigade now in the database; ``names(source_name, k)`` names them."""
    owned = owned_models()
    spans = _spans(owned)
    name_of = names or (lambda source, k: f"{source}（{k}）")
    Brigade = apps.get_model("org", "Brigade")
    sources = list(Brigade.objects.order_by("pk").values_list("pk", "name"))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # foreign keys hold by construction
        for model in owned:
            table = model._meta.db_table
            columns, exprs = _select_list(model, spans, "g.k")
            cursor.execute(f'INSERT INTO "{table}" ({", ".join(columns)}) SELECT {", ".join(exprs)} '
                           f'FROM "{table}" CROSS JOIN generate_series(1, %s) AS g(k)', [copies])
            progress(f"  {table}: +{cursor.rowcount:,}")
        step = spans[Brigade._meta.db_table]
        for k in range(1, copies + 1):
            for pk, name in sources:
                cursor.execute(f'UPDATE "{Brigade._meta.db_table}" SET name = %s WHERE id = %s', [name_of(name, k), pk + step * k])
        for model in owned:
            table = model._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                           f'(SELECT coalesce(max(id), 1) FROM "{table}"))')
        cursor.execute(f'DELETE FROM "{apps.get_model("response", "IncidentColumns")._meta.db_table}"')
