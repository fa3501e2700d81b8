"""One place for standards: brigade/standards.yaml, one declared setting per figure, no hidden defaults."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from brigade import settings as settings_module
from brigade.analysis import coverage, fleet, network, water
from brigade.analysis.siting import hydrants
from brigade.core import standards

SRC = Path(__file__).resolve().parents[2] / "src" / "brigade"
SHIPPED = standards.load()

# Setting → the figure of the standards file it declares.
DECLARED = {
    "BRIGADE_COVERAGE_MINUTES": "coverage.response_minutes",
    "BRIGADE_TURNOUT_S": "coverage.turnout_s",
    "BRIGADE_ROAD_SPEEDS_KPH": "coverage.road_speeds_kph",
    "BRIGADE_OFFROAD_SPEED_KPH": "coverage.offroad_speed_kph",
    "BRIGADE_SITING_HAZARD_BUFFER_M": "coverage.hazard_buffer_m",
    "BRIGADE_HYDRANT_RADIUS_M": "water.hydrant_radius_m",
    "BRIGADE_HYDRANT_SPACING_M": "water.hydrant_spacing_m",
    "BRIGADE_HYDRANT_MAX_SNAP_M": "water.hydrant_max_snap_m",
    "BRIGADE_HYDRANT_CHECK_DAYS": "water.hydrant_check_days",
    "BRIGADE_DEFAULT_SERVICE_LIFE_YEARS": "fleet.service_life_years",
    "BRIGADE_SCBA_PER_PERSON": "fleet.scba_per_person",
    "BRIGADE_SCBA_SPARE_RATIO": "fleet.scba_spare_ratio",
    "BRIGADE_RECURRENCE_MONTHS": "supervision.recurrence_months",
    "BRIGADE_DEADLINE_RULES": "supervision.deadlines",
    "BRIGADE_RISK_TRAVEL_SPEED_KPH": "risk.travel_speed_kph",
    "BRIGADE_RISK_DETOUR_FACTOR": "risk.detour_factor",
}


def test_every_figure_carries_its_source_and_confidence():
    figures = [(g, c, e) for g, group in SHIPPED.items() for c, e in group.items() if isinstance(e, dict)]
    assert len(figures) >= 19
    for group, code, entry in figures:
        assert entry["source"] and entry["confidence"] in standards.CONFIDENCE, f"{group}.{code}"
    # The seal-up limit and the working-day deadlines are in the file, each with its source.
    deadlines = {r["code"]: r for r in standards.value(SHIPPED, "supervision.deadlines")}
    assert deadlines["seal_up_max"]["amount"] == 1 and deadlines["seal_up_max"]["unit"] == "months"
    assert all(r["source"] for r in deadlines.values())


def test_settings_declare_every_figure_of_the_file():
    declared = set(DECLARED.values()) | {"fleet.vehicles_by_station_kind"} | {f"response.{c}" for c in SHIPPED["response"]}
    in_file = {f"{g}.{c}" for g, group in SHIPPED.items() for c in group}
    assert in_file == declared, "a figure of standards.yaml has no setting (or a setting names a figure gone)"
    for name, code in DECLARED.items():
        assert getattr(settings, name) == standards.value(SHIPPED, code), name
    assert settings.BRIGADE_VEHICLES_BY_STATION_KIND == {
        k: tuple(v) for k, v in standards.value(SHIPPED, "fleet.vehicles_by_station_kind").items()}
    assert settings.BRIGADE_RESPONSE_STANDARDS["first_arrival"]["limit_s"] == 300


def test_analysis_fallbacks_equal_the_file():
    """brigade.analysis cannot read settings; its documented fallbacks must not drift from the file."""
    v = lambda code: standards.value(SHIPPED, code)  # noqa: E731
    assert coverage.DEFAULT_MINUTES == v("coverage.response_minutes")
    assert network.DEFAULT_TURNOUT_S == v("coverage.turnout_s")
    assert network.DEFAULT_OFFROAD_SPEED_KPH == v("coverage.offroad_speed_kph")
    assert {**network.DEFAULT_SPEEDS_KPH, "other": network.DEFAULT_SPEED_KPH} == v("coverage.road_speeds_kph")
    assert water.DEFAULT_RADIUS_M == hydrants.RADIUS_M == v("water.hydrant_radius_m")
    assert water.DEFAULT_SPACING_M == hydrants.SPACING_M == v("water.hydrant_spacing_m")
    assert water.DEFAULT_HYDRANT_MAX_SNAP_M == v("water.hydrant_max_snap_m")
    assert water.DEFAULT_CHECK_DAYS == v("water.hydrant_check_days")
    assert fleet.DEFAULT_SERVICE_LIFE_YEARS == v("fleet.service_life_years")
    assert fleet.DEFAULT_SCBA_PER_PERSON == v("fleet.scba_per_person")
    assert {**fleet.DEFAULT_SCBA_SPARE_RATIO, "other": fleet.DEFAULT_SCBA_SPARE_RATIO_OTHER} == v(
        "fleet.scba_spare_ratio")
    assert {k: list(span) for k, span in fleet.DEFAULT_VEHICLES_BY_STATION_KIND.items()} == v(
        "fleet.vehicles_by_station_kind")


def test_code_reads_only_declared_settings():
    """No ``getattr(settings, "BRIGADE_…", default)``: every BRIGADE_* setting code reads is declared."""
    sources = {p: p.read_text(encoding="utf-8") for p in SRC.rglob("*.py") if p.name != "settings.py"}
    hidden = [str(p) for p, text in sources.items() if re.search(r"getattr\(\s*(settings|config)\s*,\s*[\"']BRIGADE_", text)]
    assert hidden == []
    read = {name for text in sources.values() for name in re.findall(r"\b(?:settings|config)\.(BRIGADE_\w+)", text)}
    assert read and read <= set(vars(settings_module)), sorted(read - set(vars(settings_module)))


def test_a_broken_standards_file_is_refused_with_its_place(tmp_path):
    bad = tmp_path / "standards.yaml"
    bad.write_text("water:\n  hydrant_radius_m:\n    value: 150\n", encoding="utf-8")
    with pytest.raises(standards.StandardsError, match="water.hydrant_radius_m"):
        standards.load(bad)
    with pytest.raises(standards.StandardsError, match="找不到标准取值文件"):
        standards.load(tmp_path / "missing.yaml")
