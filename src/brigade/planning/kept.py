"""Analyses kept with the data: coverage, first-due zones, water gaps and siting, stored as runs.

``analyses_refresh`` runs them all on one brigade's records and saves each as an AnalysisRun of
that brigade, stamped with the date of the brigade's latest record it saw (``params["data_as_of"]``);
the demo calls it, and ``brigade analyse`` lets a deployment schedule it nightly for every brigade.
Plan items built from a run compare that stamp with the data they describe (``basis_note``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import transaction

from brigade.core.period import parse_period
from brigade.planning.coverage import coverage_run
from brigade.planning.network_store import PlanningError, analysis_brigade, of_brigade
from brigade.planning.siting import DEFAULTS, hydrant_siting_run, station_siting_run
from brigade.planning.water import water_run

# Defaults a brigade may change in settings (our own choices, not from a standard):
# BRIGADE_ANALYSE_NEW_STATIONS — how many new stations the nightly siting run proposes;
# BRIGADE_ANALYSE_CANDIDATE_SPACING_M — one candidate site per grid cell of this size on main roads;
# BRIGADE_ANALYSE_TIME_LIMIT_S — the solver's time limit (a run that hits it reports its gap).
RUN_NAME = "定期分析"
NO_ROADS = ("{brigade}还没有道路数据，无法分析出警时间覆盖、水源和选址：请先导入本大队的道路"
            "（资源 › 道路）。")


def latest_record_date(brigade=None) -> dt.date | None:
    """The date of the latest business record (incident, inspection, hazard, ledger row) of the
    brigade (a Brigade or its id; None: of the whole database)."""
    from django.db.models import Max

    from brigade.ledger.models import Activity
    from brigade.response.models import Incident
    from brigade.supervision.models import Hazard, Inspection

    days = [
        of_brigade(Inspection.objects.all(), brigade).aggregate(d=Max("inspected_on"))["d"],
        of_brigade(Hazard.objects.all(), brigade).aggregate(d=Max("found_on"))["d"],
        of_brigade(Activity.objects.all(), brigade).aggregate(d=Max("occurred_on"))["d"],
    ]
    received = of_brigade(Incident.objects.all(), brigade).aggregate(d=Max("received_at"))["d"]
    if received is not None:
        from django.utils import timezone

        days.append(timezone.localtime(received).date())
    days = [d for d in days if d is not None]
    return max(days) if days else None


@dataclass
class Refreshed:
    """The runs one refresh saved for a brigade, by kind, and the data date they were stamped with."""

    data_as_of: dt.date | None
    runs: dict
    brigade: object = None


def _stamp(run, as_of: dt.date | None, label: str):
    run.params = {**(run.params or {}), "data_as_of": as_of.isoformat() if as_of else None}
    run.name = f"{RUN_NAME}·{label}（数据截至{as_of.isoformat()}）" if as_of else f"{RUN_NAME}·{label}"
    return run


def analyses_refresh(*, brigade=None, new_stations: int | None = None, time_limit_s: float | None = None,
                     progress=None) -> Refreshed:
    """Run coverage (with isochrones and first-due zones), water, station and hydrant siting on one
    brigade's records and store each as an AnalysisRun of that brigade stamped with its latest record
    date (service). ``brigade``: a Brigade or its name (None: the only brigade)."""
    from brigade.resources.models import Road

    brigade = analysis_brigade(brigade)
    p = int(new_stations if new_stations is not None
            else settings.BRIGADE_ANALYSE_NEW_STATIONS)
    if p < 1:
        raise PlanningError(f"新建消防站数应为正整数（收到 {p}）。")
    limit = float(time_limit_s if time_limit_s is not None
                  else settings.BRIGADE_ANALYSE_TIME_LIMIT_S)
    if not limit > 0:
        raise PlanningError(f"选址求解时限应为正数（收到 {limit:g} 秒）。")
    if not of_brigade(Road.objects.all(), brigade).exists():
        raise PlanningError(NO_ROADS.format(brigade=brigade.name))
    as_of = latest_record_date(brigade)
    spacing = settings.BRIGADE_ANALYSE_CANDIDATE_SPACING_M
    runs = {}

    def step(label):
        if progress:
            progress(label)

    coverage, _cov = coverage_run(save=False, brigade=brigade)
    runs["coverage"] = _stamp(coverage, as_of, "出警时间覆盖和辖区站责任区")
    step("出警时间覆盖和辖区站责任区")
    runs["water"] = _stamp(water_run(save=False, brigade=brigade), as_of, "消防水源")
    step("消防水源")
    # Demand for siting: the last twelve months of incidents up to the data date, units and roads.
    period = None
    if as_of is not None:
        start = as_of - dt.timedelta(days=364)
        period = parse_period(f"{start.isoformat()}..{as_of.isoformat()}")
    siting = replace(DEFAULTS, candidate_spacing_m=spacing, time_limit_s=limit)
    runs["station_siting"] = _stamp(
        station_siting_run(model="mclp", p=p, settings=siting, period=period, save=False, brigade=brigade),
        as_of, "消防站选址")
    step("消防站选址")
    runs["hydrant_siting"] = _stamp(hydrant_siting_run(save=False, brigade=brigade), as_of, "消火栓补建")
    step("消火栓补建")
    with transaction.atomic():  # the four are saved together, or none (a failed step saved nothing)
        for run in runs.values():
            run.save()
    return Refreshed(as_of, runs, brigade)


def run_data_date(run) -> dt.date | None:
    """The data date a run was stamped with (None for a run made before stamping existed)."""
    value = (run.params or {}).get("data_as_of")
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def basis_note(run, period_end: dt.date | None) -> str:
    """"" when the run saw the data the period describes, else a clause saying what it was based on."""
    seen = run_data_date(run)
    latest = latest_record_date(run.brigade_id)
    wanted = min(d for d in (period_end, latest) if d is not None) if (period_end or latest) else None
    if seen is None:
        ran = run.created_at.date().isoformat() if run.created_at else "未知日期"
        return f"（该分析于{ran}运行，未记录所依据数据的日期）"
    if wanted is not None and seen < wanted:
        return f"（分析基于{seen.isoformat()}的数据，此后的记录未纳入，请重新运行 brigade analyse）"
    return ""
