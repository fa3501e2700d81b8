"""Hydrant siting along roads (GB 50974-2014 7.2.5): greedy interval cover is optimal per road."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brigade.analysis.siting import SitingError
from brigade.analysis.siting.hydrants import place_on_segment, plan_hydrants


def brute_min_new(length, existing, radius, spacing):
    """Dynamic programme over integer positions: the fewest new hydrants meeting the rules."""
    ex = set(existing)
    inf = float("inf")
    best = [inf] * (length + 1)
    for pos in range(length + 1):
        cost = 0 if pos in ex else 1
        if pos <= radius and not any(e < pos for e in ex):
            best[pos] = cost
        for q in range(max(0, pos - spacing), pos):
            if best[q] < inf and not any(q < e < pos for e in ex):
                best[pos] = min(best[pos], best[q] + cost)
    ends = [best[pos] for pos in range(length + 1) if pos >= length - radius and not any(e > pos for e in ex)]
    return min(ends)


def valid(length, hydrants, radius, spacing):
    h = sorted(hydrants)
    return (h[0] <= radius + 1e-9 and h[-1] >= length - radius - 1e-9
            and all(b - a <= spacing + 1e-9 for a, b in zip(h, h[1:], strict=False)))


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 60), st.lists(st.integers(0, 60), max_size=4), st.integers(2, 15), st.integers(1, 12))
def test_greedy_is_optimal_and_valid(length, existing, radius, spacing):
    spacing = min(spacing, 2 * radius)
    existing = sorted({e for e in existing if e <= length})
    new = place_on_segment(length, existing, radius_m=radius, spacing_m=spacing)
    assert valid(length, existing + new, radius, spacing)
    assert len(new) == brute_min_new(length, existing, radius, spacing)


def test_standard_figures():
    assert place_on_segment(300, []) == [150.0]  # one hydrant protects 300 m of road
    assert len(place_on_segment(1000, [])) == 7  # 150, 270, …, 870
    assert place_on_segment(500, [0, 400]) == [120.0, 240.0, 360.0]  # spacing rule fills the gap


def test_plan_snaps_existing_hydrants_and_reports_positions():
    road = np.array([[0.0, 0.0], [400.0, 0.0], [400.0, 300.0]])
    plan = plan_hydrants([road], np.array([[200.0, 10.0], [900.0, 900.0]]), names=["环路"])
    r = plan.roads[0]
    assert r.existing_s == [200.0] and r.length_m == 700.0
    assert valid(700.0, r.existing_s + r.new_s, 150, 120)
    x, y = r.new_xy[-1]
    assert x == 400.0 and 0 <= y <= 300
    assert plan.as_dict()["new_hydrants"] == plan.new_count


def test_bad_rules_and_roads_in_chinese():
    with pytest.raises(SitingError, match="间距"):
        place_on_segment(100, [], radius_m=50, spacing_m=120)
    with pytest.raises(SitingError, match="坐标不足两个"):
        plan_hydrants([np.array([[0.0, 0.0]])], names=["断头路"])
