"""Sparse coverage by great-circle distance: every (demand, candidate) pair within a radius in metres.

A k-d tree on locally projected metres finds the pairs within the radius plus a margin (the local
projection distorts a few metres over a city); each pair's haversine distance then decides, so
the result is exact in great-circle metres. Memory and time follow the number of pairs, not n × m.
"""

import numpy as np
from scipy import sparse
from scipy.spatial import cKDTree

from brigade.analysis.network import LocalProjection, haversine_m
from brigade.analysis.siting.problem import check_radius

# Relative slack of the projected search radius before the exact great-circle test.
PROJECTION_MARGIN = 0.02


def coverage_within_m(demand_lon, demand_lat, cand_lon, cand_lat, radius_m: float) -> sparse.csr_matrix:
    """(n_demand, n_candidates) boolean CSR: great-circle distance <= radius_m (inclusive, as spopt)."""
    r = check_radius(radius_m)
    dl, da = np.asarray(demand_lon, float), np.asarray(demand_lat, float)
    cl, ca = np.asarray(cand_lon, float), np.asarray(cand_lat, float)
    proj = LocalProjection(float(np.mean(np.concatenate([dl, cl]))), float(np.mean(np.concatenate([da, ca]))))
    dxy = np.column_stack(proj.to_xy(dl, da))
    cxy = np.column_stack(proj.to_xy(cl, ca))
    # "ndarray" output keeps pairs at distance zero (a sparse matrix output would drop them)
    pairs = cKDTree(dxy).sparse_distance_matrix(cKDTree(cxy), r * (1 + PROJECTION_MARGIN) + 1.0,
                                                output_type="ndarray")
    i, j = pairs["i"].astype(np.int64), pairs["j"].astype(np.int64)
    ok = haversine_m(dl[i], da[i], cl[j], ca[j]) <= r
    cov = sparse.csr_matrix((np.ones(int(ok.sum()), bool), (i[ok], j[ok])), shape=(len(dl), len(cl)))
    cov.sum_duplicates()
    return cov.astype(bool)
