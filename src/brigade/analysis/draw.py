"""The monthly random inspection draw (双随机): which units, which two inspectors, from one seed.

Pure and deterministic: the same seed and the same inputs (in the same order) give the same list,
so anyone holding the published seed and inputs can re-draw it. Units due on their statutory cycle
come first; the other places are filled by weighted sampling without replacement (Efraimidis and
Spirakis: the k largest ``log(u) / w``), and each check gets two inspectors with no declared
conflict, the least-loaded first.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass
class DrawInput:
    unit_ids: np.ndarray  # int, in a fixed order (by id)
    weights: np.ndarray  # float > 0: the drawing weight of each unit (by its risk level)
    must: np.ndarray  # bool: due on the statutory cycle this month
    eligible: np.ndarray  # bool: may be drawn by chance (not drawn within the window, or high-risk)
    priority: np.ndarray  # float: how late a due unit is (larger first when they do not all fit)
    unit_streets: np.ndarray  # int street id of each unit
    officer_ids: Sequence[int]  # in a fixed order (by id)
    conflict_streets: Sequence[frozenset[int]]  # per officer: streets they may not inspect
    conflict_units: Sequence[frozenset[int]]  # per officer: units they may not inspect
    checks: int  # how many checks to draw
    per_officer: int  # the most checks one officer takes part in


@dataclass
class DrawResult:
    units: list[int] = field(default_factory=list)  # unit ids, in draw order
    due: list[bool] = field(default_factory=list)  # drawn because due on the cycle
    pairs: list[tuple[int, int] | None] = field(default_factory=list)  # officer ids, None: no free pair
    due_left_out: int = 0  # due units that did not fit


def draw_sample(data: DrawInput, seed: int) -> DrawResult:
    rng = np.random.default_rng(seed)
    n = len(data.unit_ids)
    u = rng.random(n)  # one number per unit, drawn whatever the month holds, so the seed fixes them all
    result = DrawResult()
    due = np.flatnonzero(data.must)
    if len(due) > data.checks:
        # The latest first; ties in unit order (stable sort).
        due = due[np.argsort(-data.priority[due], kind="stable")]
        result.due_left_out = len(due) - data.checks
        due = due[:data.checks]
    rest = data.checks - len(due)
    pool = np.flatnonzero(data.eligible & ~data.must & (data.weights > 0))
    if rest > 0 and len(pool):
        keys = np.log(np.maximum(u[pool], 1e-300)) / data.weights[pool]
        take = min(rest, len(pool))
        top = np.argpartition(-keys, take - 1)[:take] if take < len(pool) else np.arange(len(pool))
        chosen = pool[top[np.argsort(-keys[top], kind="stable")]]
    else:
        chosen = np.zeros(0, dtype=int)
    picked = np.concatenate([due, chosen]).astype(int)
    result.units = [int(data.unit_ids[i]) for i in picked]
    result.due = [True] * len(due) + [False] * len(chosen)
    result.pairs = _pairs(data, picked, rng)
    return result


def _pairs(data: DrawInput, picked: np.ndarray, rng: np.random.Generator) -> list[tuple[int, int] | None]:
    officers = list(data.officer_ids)
    load = np.zeros(len(officers), dtype=int)
    pairs: list[tuple[int, int] | None] = []
    for i in picked:
        unit, street = int(data.unit_ids[i]), int(data.unit_streets[i])
        free = np.array([load[k] < data.per_officer and street not in data.conflict_streets[k]
                         and unit not in data.conflict_units[k] for k in range(len(officers))], dtype=bool)
        chosen: list[int] = []
        for _ in range(2):
            candidates = np.flatnonzero(free)
            if not len(candidates):
                break
            least = candidates[load[candidates] == load[candidates].min()]
            k = int(rng.choice(least))
            chosen.append(k)
            free[k] = False
        if len(chosen) < 2:
            pairs.append(None)
            continue
        load[chosen] += 1
        a, b = sorted(officers[k] for k in chosen)
        pairs.append((a, b))
    return pairs


def required_officers(checks: int, per_officer: int) -> int:
    """Officers needed for ``checks`` two-person checks when each takes part in ``per_officer``."""
    if per_officer <= 0:
        return 0
    return max(2, -(-2 * checks // per_officer)) if checks else 0
