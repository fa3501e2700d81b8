"""The risk grade's straight-line minutes to the nearest station."""

import numpy as np


def test_nearest_minutes_is_the_brute_force_nearest():
    from brigade.analysis.network import haversine_m
    from brigade.analysis.risk import nearest_minutes

    rng = np.random.default_rng(5)
    ulon, ulat = 118 + rng.random(300), 35 + rng.random(300)
    ulon[[3, 40]] = np.nan  # units without a point
    slon, slat = 118 + rng.random(40), 35 + rng.random(40)
    got = nearest_minutes(ulon, ulat, slon, slat, speed_kph=30.0, detour=1.3)
    brute = np.min([haversine_m(ulon, ulat, lo, la) for lo, la in zip(slon, slat, strict=True)], axis=0)
    want = brute * 1.3 / (30.0 * 1000 / 60)
    assert np.isnan(got[[3, 40]]).all()
    ok = np.isfinite(ulon)
    assert np.allclose(got[ok], want[ok], rtol=1e-12)
    assert np.isnan(nearest_minutes(ulon, ulat, [], [], speed_kph=30.0, detour=1.3)).all()
