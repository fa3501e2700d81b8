"""Many-to-many travel times for siting: every candidate node to every network node within a cut-off.

Siting needs, for each candidate, the demand it reaches within the response standard (MCLP, LSCP)
and for p-median the time to each reachable point. The full n_candidates × n_nodes matrix is too
big to keep dense (2,000 × 100,000 doubles = 1.6 GB), and most of it lies beyond the cut-off, so
searches run in batches (scipy's Dijkstra with ``limit``, in C) and only pairs within the cut-off
are kept, as a sparse matrix of float32 seconds (8 bytes a pair with its index). Pairs at time 0
(the candidate's own node) are kept as explicit entries; use ``reach`` rather than ``!= 0`` tests.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import dijkstra

# Sources per Dijkstra batch: bounds the dense scratch block (batch × nodes doubles) to ~50 MB.
SCRATCH_CELLS = 6_000_000


@dataclass
class NodeTimes:
    """Travel seconds from ``sources`` (node ids) to every node within ``cutoff_s``: CSR rows per source."""

    sources: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray  # node ids (int32)
    seconds: np.ndarray  # float32
    n_nodes: int
    cutoff_s: float

    @property
    def pairs(self) -> int:
        return int(len(self.indices))

    def row(self, k: int) -> np.ndarray:
        """Dense seconds from the k-th source to every node (inf beyond the cut-off)."""
        out = np.full(self.n_nodes, np.inf)
        a, b = self.indptr[k], self.indptr[k + 1]
        out[self.indices[a:b]] = self.seconds[a:b]
        return out

    def within(self, seconds: float) -> sparse.csr_matrix:
        """Boolean (sources × nodes): reached within ``seconds`` (<= the cut-off)."""
        keep = self.seconds <= seconds
        rows = np.repeat(np.arange(len(self.sources)), np.diff(self.indptr))
        return sparse.csr_matrix((np.ones(int(keep.sum()), bool), (rows[keep], self.indices[keep])),
                                 shape=(len(self.sources), self.n_nodes))


def many_to_many(graph: sparse.spmatrix, sources, cutoff_s: float) -> NodeTimes:
    """Shortest times from each source node to all nodes within ``cutoff_s`` on an undirected graph."""
    src = np.asarray(sources, dtype=np.int64)
    n = graph.shape[0]
    batch = max(1, SCRATCH_CELLS // max(n, 1))
    indptr = [np.zeros(1, np.int64)]
    idx, secs = [], []
    total = 0
    for k in range(0, len(src), batch):
        d = dijkstra(graph, directed=False, indices=src[k:k + batch], limit=cutoff_s)
        r, c = np.nonzero(d <= cutoff_s)
        idx.append(c.astype(np.int32))
        secs.append(d[r, c].astype(np.float32))
        counts = np.bincount(r, minlength=d.shape[0])
        indptr.append(total + np.cumsum(counts))
        total += int(counts.sum())
    return NodeTimes(src, np.concatenate(indptr), np.concatenate(idx) if idx else np.zeros(0, np.int32),
                     np.concatenate(secs) if secs else np.zeros(0, np.float32), n, float(cutoff_s))
