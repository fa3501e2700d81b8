"""OR-Library p-median instances (Beasley 1990): read ``pmedN.txt[.gz]`` into a shortest-path cost matrix.

Format: a first line "n edges p", then one line "i j cost" per undirected edge (nodes 1..n). As the
OR-Library notes say, an edge listed more than once takes the cost given last. Costs between all
nodes are shortest-path lengths; every node is both a demand point (weight 1) and a candidate.
"""

import gzip
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import shortest_path

DATA = Path(__file__).parent / "data" / "orlib"


def read_pmed(path) -> tuple[np.ndarray, int]:
    """(n, n) shortest-path costs and p of one instance file (plain or gzip)."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt") as fh:
        tokens = fh.read().split()
    n, edges, p = (int(t) for t in tokens[:3])
    cost: dict[tuple[int, int], float] = {}
    body = tokens[3:3 + 3 * edges]
    for k in range(0, len(body), 3):
        i, j, c = int(body[k]) - 1, int(body[k + 1]) - 1, float(body[k + 2])
        if i != j:
            cost[(min(i, j), max(i, j))] = c  # the last listing of an edge wins
    ij = np.array(list(cost), dtype=np.int64).reshape(-1, 2)
    val = np.array(list(cost.values()))
    graph = sparse.csr_matrix((val, (ij[:, 0], ij[:, 1])), shape=(n, n))
    return shortest_path(graph, directed=False), p


def optima() -> dict[str, float]:
    """Published optimal values, from PROVENANCE.md's table."""
    out = {}
    for line in (DATA / "PROVENANCE.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0].startswith("pmed") and cells[3].isdigit():
            out[cells[0]] = float(cells[3])
    return out


def available() -> list[Path]:
    """The shipped instance files, in pmed number order."""
    files = list(DATA.glob("pmed*.txt.gz")) + list(DATA.glob("pmed*.txt"))
    return sorted(files, key=lambda f: int(f.name.split(".")[0][4:]))


def like_pmed(n: int, p: int, seed: int) -> np.ndarray:
    """A generated instance built the way the OR-Library ones were: a ring through all n nodes plus
    random edges up to n²/50 in all, costs uniform 1..100; returns the shortest-path matrix.

    Used for sizes whose published file is not shipped; it has no published optimum.
    """
    rng = np.random.default_rng(seed)
    edges = max(n, n * n // 50)
    ring = np.arange(n)
    i = np.concatenate([ring, rng.integers(0, n, edges - n)])
    j = np.concatenate([(ring + 1) % n, rng.integers(0, n, edges - n)])
    c = rng.integers(1, 101, edges).astype(float)
    keep = i != j
    cost: dict[tuple[int, int], float] = {}
    for a, b, v in zip(i[keep], j[keep], c[keep], strict=True):
        cost[(min(a, b), max(a, b))] = v
    ij = np.array(list(cost), dtype=np.int64)
    graph = sparse.csr_matrix((np.array(list(cost.values())), (ij[:, 0], ij[:, 1])), shape=(n, n))
    return shortest_path(graph, directed=False)
