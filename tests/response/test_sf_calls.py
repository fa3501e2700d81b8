"""Real data: the San Francisco Fire Department calls-for-service export (2016-12-31 … 2017-01-07).

The export goes in through the shipped import profile (``brigade import FILE --profile
sf_fire_calls``). Brigade's per-station figures must then agree, to the second, with an
independent pandas computation from the raw CSV: the count of calls and the 90th-percentile travel
and total response per ``Station Area`` (the first-due station). Both sides use linear
interpolation (numpy's and pandas' default) and the same documented rules:

- the call's figures come from its first-arriving unit (earliest ``On Scene``; ties: earlier
  ``Response``, then earlier ``Dispatch``; a missing time sorts last);
- the importer keeps every row but empties a timestamp that precedes the one before it in the
  timeline (received → dispatch → response → on scene → available) — the notebook does the same;
- intervals beyond the plausible limits of ``rules.json`` stay out of the percentiles.

The import keeps each call's ``Station Area`` as its first-due station, and the statistics group by
it by default: no hook, the figures a chief reads after ``brigade import`` and ``brigade incidents stats``.
"""


import numpy as np
import pytest
from django.utils import timezone

from tests.sample_data import sf_calls_csv

pd = pytest.importorskip("pandas")
pytestmark = pytest.mark.django_db

CSV = sf_calls_csv()
SF_TZ = "America/Los_Angeles"
TIMELINE = ["Received DtTm", "Dispatch DtTm", "Response DtTm", "On Scene DtTm", "Available DtTm"]


def read_raw() -> "pd.DataFrame":
    df = pd.read_csv(CSV)
    for col in TIMELINE:
        df[col] = pd.to_datetime(df[col], format="%m/%d/%Y %I:%M:%S %p")
    return df


def pandas_reference(limits: dict) -> "pd.DataFrame":
    """The analyst's notebook: calls, p90 travel and p90 total response per Station Area."""
    df = read_raw()
    # An impossible timestamp (earlier than the last known one before it) is emptied, as on import.
    last = df["Received DtTm"].copy()
    for col in TIMELINE[1:]:
        df.loc[df[col] < last, col] = pd.NaT
        last = df[col].fillna(last)
    arrived = df[df["On Scene DtTm"].notna()].sort_values(
        ["Call Number", "On Scene DtTm", "Response DtTm", "Dispatch DtTm"], na_position="last")
    first = arrived.groupby("Call Number").head(1).copy()
    first["travel"] = (first["On Scene DtTm"] - first["Response DtTm"]).dt.total_seconds()
    first["total"] = (first["On Scene DtTm"] - first["Received DtTm"]).dt.total_seconds()
    for col, name in (("travel", "travel"), ("total", "total_response")):
        low, high = limits[name]["min_s"], limits[name]["max_s"]
        first.loc[(first[col] < low) | (first[col] > high), col] = np.nan
    out = pd.DataFrame({"calls": df.groupby("Station Area")["Call Number"].nunique()})
    out["p90_travel"] = first.groupby("Station Area")["travel"].quantile(0.9)
    out["p90_total"] = first.groupby("Station Area")["total"].quantile(0.9)
    out.index = out.index.astype(int)
    return out


def test_sf_station_area_figures_agree_with_pandas_to_the_second():
    from brigade.io.profiles.run import import_with_profile
    from brigade.response.rules import load_rules
    from brigade.response.stats import incident_stats

    report = import_with_profile(str(CSV), profile="sf_fire_calls")
    assert report.ok, report.summary()
    with timezone.override(SF_TZ):  # the export's local time: the period's days are San Francisco days
        d = incident_stats("2016-12-31..2017-01-07", "brigade")
    assert d["first_due"]["method"] == "stored"
    assert d["first_due"]["by_method"]["stored"] == read_raw().dropna(subset=["Station Area"])["Call Number"].nunique()
    ref = pandas_reference(load_rules()["implausible"])
    raw = read_raw()
    assert d["summary"]["calls"] == raw["Call Number"].nunique() == 3560
    assert d["summary"]["vehicles"] == len(raw) == 7704
    rows = {int(r["station"].removesuffix("号站")): r for r in d["stations"] if r["station"].endswith("号站")
            and r["station"].removesuffix("号站").isdigit()}
    assert set(ref.index) <= set(rows)
    for area, expected in ref.iterrows():
        got = rows[area]
        assert got["calls"] == expected["calls"], area
        for key, col in (("travel", "p90_travel"), ("total_response", "p90_total")):
            value = got["p90"][key]
            if np.isnan(expected[col]):
                assert value is None, (area, key)
            else:
                assert abs(value - expected[col]) < 1.0, (area, key, value, expected[col])
    # Calls without a station area are counted (under an undetermined area), not dropped.
    assert sum(r["calls"] for r in d["stations"]) == 3560
    per_month = raw.groupby(raw["Received DtTm"].dt.strftime("%Y-%m")).agg(
        calls=("Call Number", "nunique"), vehicles=("Unit ID", "size"))
    assert d["months"] == [{"month": m, "calls": int(r.calls), "vehicles": int(r.vehicles)}
                           for m, r in per_month.iterrows()]
