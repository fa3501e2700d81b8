"""Fleet and protective equipment against allocation rules: vehicle age, vehicle counts, SCBA sets."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Fallbacks for a caller that passes no figures. Brigade itself passes its settings, whose values
# and sources are in brigade/standards.yaml ("fleet"); tests/core/test_standards.py keeps these
# equal to that file. Service life, years (a local figure: no retirement rule was found).
DEFAULT_SERVICE_LIFE_YEARS = 15.0
# Age bands for the fleet table, years (lower bounds).
AGE_BANDS_YEARS = (0, 5, 10, 15)
# Vehicles per station type, (minimum, maximum).
DEFAULT_VEHICLES_BY_STATION_KIND: dict[str, tuple[int, int]] = {
    "level1": (5, 7), "level2": (2, 4), "small": (2, 2), "special": (8, 11), "support": (8, 11),
}
# SCBA: sets per on-duty person; in service : spare by station kind ("other" for the rest); a
# fractional spare rounds up.
DEFAULT_SCBA_PER_PERSON = 1.0
DEFAULT_SCBA_SPARE_RATIO: dict[str, float] = {"special": 4.0}
DEFAULT_SCBA_SPARE_RATIO_OTHER = 5.0


@dataclass(frozen=True)
class VehicleRow:
    """One vehicle as the analysis needs it."""

    plate: str
    kind: str
    station: str
    age_years: float
    in_service: bool = True  # still in the fleet (not retired)
    on_duty: bool = True  # counted among the station's duty vehicles (执勤)


def vehicle_age_bands(vehicles: Sequence[VehicleRow], bands: Sequence[float] = AGE_BANDS_YEARS) -> list[dict]:
    """Count of in-service vehicles per age band (``[lo, next lo)``, last band open)."""
    counts = [0] * len(bands)
    for v in vehicles:
        if not v.in_service:
            continue
        i = max((j for j, lo in enumerate(bands) if v.age_years >= lo), default=0)
        counts[i] += 1
    labels = [f"{lo:g}–{hi:g} 年" for lo, hi in zip(bands, bands[1:], strict=False)] + [f"{bands[-1]:g} 年以上"]
    return [{"band": label, "vehicles": n} for label, n in zip(labels, counts, strict=True)]


def over_age_vehicles(
    vehicles: Sequence[VehicleRow], *, service_life_years: Mapping[str, float] | None = None,
    default_years: float = DEFAULT_SERVICE_LIFE_YEARS,
) -> list[dict]:
    """In-service vehicles older than their type's service life, oldest first."""
    table = dict(service_life_years or {})
    rows = [
        {"plate": v.plate, "kind": v.kind, "station": v.station, "age_years": round(v.age_years, 1),
         "service_life_years": table.get(v.kind, default_years)}
        for v in vehicles
        if v.in_service and v.age_years > table.get(v.kind, default_years)
    ]
    return sorted(rows, key=lambda r: -r["age_years"])


def vehicle_shortfalls(
    station_kind: Mapping[str, str], vehicles_in_service: Mapping[str, int], *,
    table: Mapping[str, tuple[int, int]] | None = None,
) -> list[dict]:
    """Stations with fewer in-service vehicles than their type's minimum."""
    rules = {**DEFAULT_VEHICLES_BY_STATION_KIND, **(table or {})}
    rows = []
    for station, kind in station_kind.items():
        if kind not in rules:
            continue
        need, have = rules[kind][0], int(vehicles_in_service.get(station, 0))
        if have < need:
            rows.append({"station": station, "kind": kind, "required": need, "actual": have, "short": need - have})
    return sorted(rows, key=lambda r: -r["short"])


def scba_requirement(on_duty: int, station_kind: str, *, per_person: float = DEFAULT_SCBA_PER_PERSON,
                     spare_ratio: Mapping[str, float] | None = None) -> tuple[int, int]:
    """(sets in service, spare sets) a station needs for its on-duty staff; spares round up."""
    ratios = {**DEFAULT_SCBA_SPARE_RATIO, **(spare_ratio or {})}
    in_service = math.ceil(on_duty * per_person)
    ratio = ratios.get(station_kind, ratios.get("other", DEFAULT_SCBA_SPARE_RATIO_OTHER))
    return in_service, math.ceil(in_service / ratio) if in_service else 0


def scba_shortfalls(
    stations: Sequence[dict], *, per_person: float = DEFAULT_SCBA_PER_PERSON,
    spare_ratio: Mapping[str, float] | None = None,
) -> list[dict]:
    """Stations short of SCBA sets.

    Parameters
    ----------
    stations : dicts with ``station``, ``kind``, ``on_duty``, ``scba_in_service``, ``scba_spare``
    """
    rows = []
    for s in stations:
        need_in, need_spare = scba_requirement(int(s["on_duty"]), s["kind"], per_person=per_person,
                                               spare_ratio=spare_ratio)
        short_in = max(0, need_in - int(s["scba_in_service"]))
        short_spare = max(0, need_spare - int(s["scba_spare"]))
        if short_in or short_spare:
            rows.append({**s, "required_in_service": need_in, "required_spare": need_spare,
                         "short_in_service": short_in, "short_spare": short_spare})
    return sorted(rows, key=lambda r: -(r["short_in_service"] + r["short_spare"]))
