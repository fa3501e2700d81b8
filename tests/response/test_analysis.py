"""The pure response-time and fire-grade library: checked against numpy/pandas and hand-worked cases."""

import datetime as dt
import subprocess
import sys

import numpy as np
import pytest

from brigade.analysis import response_stats as rs
from brigade.analysis.fire_grade import FIRE_GRADE_RULES, FireGradeError, fire_grade, rule_for

NAN = np.nan


def test_the_library_does_not_load_django():
    code = ("import sys; import brigade.analysis.response_stats, brigade.analysis.fire_grade; "
            "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django loaded'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_grouped_percentiles_equal_numpy_linear_and_pandas():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(5)
    values = rng.gamma(2.0, 150.0, 5000).round()
    values[rng.random(5000) < 0.05] = NAN
    groups = rng.integers(0, 40, 5000)
    groups[:3] = -1  # no group
    table, counts = rs.percentiles_by_group(values, groups, 42, (50, 90))
    for g in range(42):
        vals = values[(groups == g) & np.isfinite(values)]
        assert counts[g] == vals.size
        if vals.size == 0:
            assert np.isnan(table[g]).all()  # empty: NaN ("无数据"), never 0
        else:
            np.testing.assert_allclose(table[g], np.percentile(vals, [50, 90], method="linear"), rtol=0, atol=1e-9)
    frame = pd.DataFrame({"g": groups, "v": values})
    p90 = frame[frame.g >= 0].groupby("g").v.quantile(0.9)
    np.testing.assert_allclose(table[p90.index, 1], p90.to_numpy(), atol=1e-9)


def test_percentiles_of_nothing_are_nan():
    assert np.isnan(rs.percentiles(np.array([NAN, NAN]))).all()
    assert np.isnan(rs.percentiles(np.empty(0))).all()
    assert rs.percentiles(np.array([10.0]))[1] == 10.0


def test_first_arrival_uses_the_earliest_arrival_and_breaks_ties_by_departure():
    call = np.array([0, 0, 0, 1, 1, 2])
    arrived = np.array([500, 400, 400, NAN, 900, NAN])
    departed = np.array([100, 160, 150, 100, 200, 100])
    dispatched = np.array([60, 60, 60, 60, 60, 60])
    first = rs.first_arrival(call, arrived, departed, dispatched, 4)
    assert first.tolist() == [2, 4, -1, -1]


def test_call_intervals_take_the_first_arriving_vehicle_and_fill_dispatch_times():
    received = np.array([0.0, 1000.0])
    call_dispatched = np.array([60.0, NAN])  # the second call's order comes from its vehicles
    cleared = np.array([3000.0, NAN])
    call = np.array([0, 0, 1])
    veh_dispatched = np.array([NAN, 90.0, 1100.0])  # the first vehicle takes the call's 60
    departed = np.array([120.0, 100.0, 1150.0])
    arrived = np.array([400.0, 420.0, 1500.0])
    ci = rs.call_intervals(received, call_dispatched, cleared, call, veh_dispatched, departed, arrived)
    assert ci.first.tolist() == [0, 2]
    assert ci.intervals["alarm_handling"].tolist() == [60.0, 100.0]
    assert ci.intervals["turnout"].tolist() == [60.0, 50.0]
    assert ci.intervals["travel"].tolist() == [280.0, 350.0]
    assert ci.intervals["total_response"].tolist() == [400.0, 500.0]
    assert ci.intervals["on_scene"][0] == 2600.0 and np.isnan(ci.intervals["on_scene"][1])


def test_share_within_counts_known_values_only():
    within, known = rs.share_within(np.array([100, 300, 301, NAN]), 300, np.array([0, 0, 0, 0]), 2)
    assert within.tolist() == [2, 0] and known.tolist() == [3, 0]


def test_concurrency_counts_calls_received_while_another_is_active():
    start = np.array([0, 100, 150, 1000, 2000, 5000])
    end = np.array([200, 300, 160, 1100, NAN, 5001])
    c = rs.concurrency(start, end)
    assert c.simultaneous_calls == 2  # received at 100 (0 active) and at 150 (0 and 100 active)
    assert c.peak == 3 and c.peak_at_s == 150
    assert c.calls_without_end == 1
    assert c.active_at_start.tolist() == [0, 1, 2, 0, -1, 0]


def test_busy_seconds_per_vehicle():
    seconds, counted, missing = rs.busy_seconds(np.array([0, 0, 1, -1, 1]), np.array([0, 100, 0, 0, 50]),
                                                np.array([60, 160, NAN, 10, 20]), 2)
    assert seconds.tolist() == [120.0, 0.0] and counted.tolist() == [2, 0] and missing.tolist() == [0, 2]


def test_local_calendar_shifts_to_local_time():
    # 2025-03-02 (Sunday) 20:30 UTC is Monday 2025-03-03 04:30 in Beijing (UTC+8).
    epoch = dt.datetime(2025, 3, 2, 20, 30, tzinfo=dt.UTC).timestamp()
    cal = rs.local_calendar(np.array([epoch]), 8 * 3600)
    assert cal.hour.tolist() == [4] and cal.weekday.tolist() == [0] and cal.month.tolist() == [2025 * 12 + 2]


def test_nearest_by_straight_line():
    idx = rs.nearest_by_straight_line(np.array([118.41, 118.49, NAN]), np.array([35.0, 35.0, NAN]),
                                      np.array([118.4, NAN, 118.5]), np.array([35.0, NAN, 35.0]))
    assert idx.tolist() == [0, 2, -1]


def test_flag_outside():
    assert rs.flag_outside(np.array([-1, 0, 50, 101, NAN]), 0, 100).tolist() == [True, False, False, True, False]


# --- fire grades --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "figures", "grade"),
    [
        # ¥20M: 较大 under the 2007 rule (≥ ¥10M), 一般 under the 2025 rule (< ¥30M).
        (dt.date(2025, 4, 30), {"loss_yuan": 20_000_000}, "major"),
        (dt.date(2025, 5, 1), {"loss_yuan": 20_000_000}, "ordinary"),
        (dt.date(2025, 5, 1), {"loss_yuan": 30_000_000}, "major"),
        (dt.date(2024, 1, 1), {"loss_yuan": 50_000_000}, "serious"),
        (dt.date(2024, 1, 1), {"loss_yuan": 100_000_000}, "especially_serious"),
        (dt.date(2026, 1, 1), {"loss_yuan": 299_999_999}, "serious"),
        (dt.date(2026, 1, 1), {"loss_yuan": 300_000_000}, "especially_serious"),
        (dt.date(2026, 1, 1), {"deaths": 3}, "major"),
        (dt.date(2026, 1, 1), {"injuries": 50}, "serious"),
        (dt.date(2026, 1, 1), {"deaths": 30, "loss_yuan": 5}, "especially_serious"),
        # 轻微火灾 exists only from 2025-05-01: no casualties and loss under ¥1,000.
        (dt.date(2026, 1, 1), {"loss_yuan": 999}, "minor"),
        (dt.date(2026, 1, 1), {"loss_yuan": 1000}, "ordinary"),
        (dt.date(2026, 1, 1), {"injuries": 1, "loss_yuan": 0}, "ordinary"),
        (dt.date(2025, 4, 30), {"loss_yuan": 0}, "ordinary"),
        (dt.date(2001, 1, 1), {"deaths": 2}, "ordinary"),
    ],
)
def test_fire_grade_by_the_rule_in_force_on_the_day(day, figures, grade):
    assert fire_grade(day, **figures) == grade


def test_every_rule_row_carries_its_source():
    assert all(rule["source"] and rule["name"] for rule in FIRE_GRADE_RULES)
    assert rule_for(dt.date(2025, 5, 1))["effective_from"] == "2025-05-01"


def test_fire_grade_refuses_negative_figures():
    with pytest.raises(FireGradeError):
        fire_grade(dt.date(2025, 1, 1), deaths=-1)


def test_vectorised_grades_equal_the_scalar_rule():
    from brigade.analysis.fire_grade import GRADE_ORDER, grade_codes

    rng = np.random.default_rng(1)
    days = np.datetime64("2024-11-01") + rng.integers(0, 400, 3000).astype("timedelta64[D]")
    deaths = rng.choice([0, 0, 0, 1, 3, 10, 30], 3000)
    injuries = rng.choice([0, 0, 0, 1, 10, 50, 100], 3000)
    loss = rng.choice([0, 500, 999, 1000, 9_999_999, 10_000_000, 30_000_000, 50_000_000, 100_000_000,
                       300_000_000], 3000)
    codes = grade_codes(days, deaths, injuries, loss)
    for i in range(3000):
        day = days[i].astype(dt.date)
        assert GRADE_ORDER[codes[i]] == fire_grade(day, deaths=int(deaths[i]), injuries=int(injuries[i]),
                                                   loss_yuan=int(loss[i]))


def test_first_arrival_and_call_intervals_match_a_pandas_sort_on_random_calls():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(11)
    n_calls, n_rows = 3000, 9000
    call = rng.integers(0, n_calls, n_rows)
    dispatched = rng.integers(0, 50, n_rows).astype(float)
    departed = dispatched + rng.integers(0, 5, n_rows)
    arrived = departed + rng.integers(0, 5, n_rows)  # many ties on arrival
    departed[rng.random(n_rows) < 0.1] = NAN
    arrived[rng.random(n_rows) < 0.1] = NAN
    first = rs.first_arrival(call, arrived, departed, dispatched, n_calls)
    frame = pd.DataFrame({"call": call, "arr": arrived, "dep": departed, "disp": dispatched})
    best = (frame[frame.arr.notna()].sort_values(["call", "arr", "dep", "disp"], na_position="last")
            .drop_duplicates("call").set_index("call"))
    assert ((first >= 0) == np.isin(np.arange(n_calls), best.index)).all()
    got = first[best.index.to_numpy()]
    np.testing.assert_array_equal(arrived[got], best.arr.to_numpy())
    np.testing.assert_array_equal(departed[got], best.dep.to_numpy())
    np.testing.assert_array_equal(dispatched[got], best.disp.to_numpy())


def test_dense_codes_for_small_and_large_ids():
    keys, codes = rs.dense_codes(np.array([7, NAN, 3, 7, -1]))
    assert keys.tolist() == [3, 7] and codes.tolist() == [1, -1, 0, 1, -1]
    keys, codes = rs.dense_codes(np.array([5e12, 3.0]))
    assert keys.tolist() == [3, 5_000_000_000_000] and codes.tolist() == [1, 0]
