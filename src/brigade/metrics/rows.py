"""A metric table as plain rows: for the CLI, the API, the dashboard and the report's appendix."""

from brigade.metrics.registry import MetricTable


def metric_rows(table: MetricTable) -> list[dict]:
    """One dict per metric: code, label, unit, definition, value, previous, change, change_pct."""
    rows = []
    for code, mv in table.values.items():
        m = mv.metric
        rows.append({
            "code": code,
            "seed_ref": m.seed_ref,
            "label": m.label,
            "unit": m.unit,
            "definition": m.definition,
            "value": mv.value,
            "previous": mv.previous,
            "change": mv.change,
            "change_pct": None if mv.change_pct is None else round(mv.change_pct, 1),
        })
    return rows
