"""The pure risk scorer and draw on plain arrays, checked by hand and with pandas."""

import numpy as np
import pandas as pd

from brigade.analysis.draw import DrawInput, draw_sample, required_officers
from brigade.analysis.risk import CountWeight, RiskWeights, UnitEvidence, score_units

W = RiskWeights(category_points={"a": 10, "b": 0}, key_unit_points=5,
                counts={"open": CountWeight(2, 6), "self_inspections": CountWeight(-1, 2)},
                travel_free_minutes=5, travel_per_minute=1, travel_cap=3, since_free_months=12, since_per_month=1,
                since_cap=4, never_inspected_points=7, high_at=20, medium_at=10)


def test_scores_by_hand():
    ev = UnitEvidence(category=np.array(["a", "b", "zzz"], dtype=object), is_key=np.array([True, False, False]),
                      counts={"open": np.array([5, 1, 0]), "self_inspections": np.array([0, 3, 0])},
                      minutes=np.array([9.0, np.nan, 6.0]), months_since=np.array([13.0, np.nan, 40.0]))
    s = score_units(ev, W)
    # a: 10 + 5 + min(10, 6) + min(4, 3) + 1 = 25; b: 2 - 2 + 7 = 7; zzz: 0 + 1 + min(28, 4) = 5
    assert s.score.tolist() == [25.0, 7.0, 5.0]
    assert s.level.tolist() == [2, 0, 0]


def test_scores_agree_with_pandas_on_random_units():
    rng = np.random.default_rng(0)
    n = 2000
    df = pd.DataFrame({"category": rng.choice(["a", "b"], n), "key": rng.random(n) < 0.2,
                       "open": rng.integers(0, 6, n), "selfs": rng.integers(0, 4, n),
                       "minutes": rng.uniform(0, 15, n), "months": rng.uniform(0, 30, n)})
    ev = UnitEvidence(category=df.category.to_numpy(object), is_key=df.key.to_numpy(),
                      counts={"open": df.open.to_numpy(), "self_inspections": df.selfs.to_numpy()},
                      minutes=df.minutes.to_numpy(), months_since=df.months.to_numpy())
    expected = (df.category.map({"a": 10, "b": 0}) + df.key * 5 + (df.open * 2).clip(upper=6) - df.selfs.clip(upper=2)
                + (df.minutes - 5).clip(lower=0, upper=3) + (df.months - 12).clip(lower=0, upper=4)).clip(lower=0)
    assert np.allclose(score_units(ev, W).score, expected.round(1), atol=0.051)


def _input(n=200, checks=20, officers=6):
    rng = np.random.default_rng(1)
    return DrawInput(unit_ids=np.arange(1, n + 1), weights=np.where(np.arange(n) < 20, 5.0, 1.0),
                     must=np.arange(n) < 3, eligible=np.ones(n, bool), priority=np.zeros(n),
                     unit_streets=rng.integers(1, 4, n), officer_ids=list(range(100, 100 + officers)),
                     conflict_streets=[frozenset({1})] + [frozenset()] * (officers - 1),
                     conflict_units=[frozenset()] * officers, checks=checks, per_officer=8)


def test_draw_is_a_function_of_the_seed_and_keeps_the_rules():
    data = _input()
    a, b = draw_sample(data, 9), draw_sample(data, 9)
    assert a.units == b.units and a.pairs == b.pairs
    assert a.units[:3] == [1, 2, 3] and a.due == [True] * 3 + [False] * 17
    assert len(set(a.units)) == 20
    streets = dict(zip(data.unit_ids.tolist(), data.unit_streets.tolist(), strict=True))
    for unit, pair in zip(a.units, a.pairs, strict=True):
        assert pair is not None and pair[0] != pair[1]
        if streets[unit] == 1:
            assert 100 not in pair
    assert draw_sample(data, 10).units != a.units


def test_required_officers():
    assert required_officers(36, 8) == 9 and required_officers(1, 8) == 2 and required_officers(0, 8) == 0
