"""Demo social units: ~3,000 premises beside the roads, with valid credit codes and ~10 % key units."""

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np

from brigade.core.validators import CREDIT_CODE_ALPHABET, credit_code_check_char
from brigade.demo.generator import Build, bulk_with_history
from brigade.demo.geography import sample_near_roads
from brigade.demo.names import PLACE_WORDS, TRADE_WORDS, person_name, phone_number
from brigade.units.models import SocialUnit

# (share of units, probability of being a key unit, credit-code prefix, spread into the countryside)
CATEGORIES = {
    "mixed_use": (20.0, 0.01, "92", False),
    "factory": (11.0, 0.08, "91", True),
    "gathering": (9.0, 0.1, "91", False),
    "residential": (9.0, 0.03, "91", False),
    "retail": (8.0, 0.1, "91", False),
    "logistics": (7.0, 0.15, "91", True),
    "workshop": (6.0, 0.0, "92", True),
    "other": (6.0, 0.03, "91", False),
    "high_rise": (4.5, 0.3, "91", False),
    "construction": (4.0, 0.03, "91", False),
    "property": (3.5, 0.05, "91", False),
    "school": (3.5, 0.4, "12", False),
    "sublet_park": (2.0, 0.25, "91", True),
    "hospital": (1.5, 0.6, "12", False),
    "elderly_care": (1.5, 0.5, "52", False),
    "hazmat": (1.5, 0.8, "91", True),
    "heritage": (0.5, 0.5, "12", False),
}
COMPANY_PREFIX = {"factory": "临沂", "logistics": "山东", "hazmat": "临沂", "sublet_park": "河东", "property": "临沂"}


def credit_code(rng, prefix: str, used: set[str]) -> str:
    """A unique, valid 统一社会信用代码 for a unit registered in 河东区 (371312)."""
    while True:
        body = "MA" + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(7)) if prefix == "91" else \
            "".join(rng.choice(CREDIT_CODE_ALPHABET[:10]) for _ in range(8)) + rng.choice(CREDIT_CODE_ALPHABET)
        first17 = prefix + "371312" + body
        code = first17 + credit_code_check_char(first17)
        if code not in used:
            used.add(code)
            return code


def unit_name(rng, category: str, street_name: str, used: set[str]) -> str:
    short = street_name.removesuffix("街道").removesuffix("镇")
    for attempt in range(8):
        word = rng.choice(PLACE_WORDS)
        trade = rng.choice(TRADE_WORDS[category])
        if category in COMPANY_PREFIX:
            name = COMPANY_PREFIX[category] + word + trade
        elif category in ("school", "hospital"):
            name = f"河东区{short if rng.random() < 0.4 else word}{trade}"
        elif category in ("heritage", "construction"):
            name = f"{short}{word}{trade}"
        else:
            name = word + trade
        if attempt >= 4:
            name = f"{name}（{short}店）" if category in ("mixed_use", "retail", "gathering") else f"{short}{name}"
        if name not in used:
            used.add(name)
            return name
    name = f"{name}{len(used)}"
    used.add(name)
    return name


def build_units(b: Build) -> None:
    rng, d = b.rng, b.district
    streets = b.objects["streets"]
    by_street = b.objects["communities_by_street"]
    n = b.count(2_800, 3_200)
    cats = list(CATEGORIES)
    shares = [CATEGORIES[c][0] for c in cats]
    categories = rng.choices(cats, weights=shares, k=n)
    spread = np.array([CATEGORIES[c][3] for c in categories])
    # Town-spread trades draw from a flatter road weighting than city trades.
    xy = np.empty((n, 2))
    street_idx = np.empty(n, dtype=int)
    edge_idx = np.empty(n, dtype=int)
    for flag, weights in ((False, b.district.edge_weights), (True, b.district.edge_weights ** 0.35)):
        rows = np.flatnonzero(spread == flag)
        if len(rows):
            p, s, e = sample_near_roads(rng, d, len(rows), weights)
            xy[rows], street_idx[rows], edge_idx[rows] = p, s, e
    lonlat = d.to_ll(xy)

    used_codes: set[str] = set()
    used_names: set[str] = set()
    units = []
    for k, category in enumerate(categories):
        share, key_p, prefix, _spread = CATEGORIES[category]
        street = streets[street_idx[k]]
        communities = by_street[street.pk]
        community = rng.choice(communities) if communities and (not _spread or rng.random() < 0.6) else None
        road = d.edges[edge_idx[k]].name
        responsible = person_name(rng)
        units.append(SocialUnit(
            name=unit_name(rng, category, street.name, used_names),
            credit_code=credit_code(rng, prefix, used_codes),
            site_category=category,
            is_key_unit=rng.random() < key_p,
            street=street,
            community=community,
            address=f"临沂市河东区{street.name}{road}{rng.randint(1, 399)}号",
            responsible_person=responsible,
            manager=person_name(rng) if rng.random() < 0.8 else responsible,
            phone=phone_number(rng),
            lon=float(lonlat[k, 0]),
            lat=float(lonlat[k, 1]),
        ))
    units = bulk_with_history(SocialUnit, units, dt.datetime(b.year, 1, 1, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    b.objects.update(units=units, unit_xy=xy, unit_street=street_idx, unit_edge=edge_idx)
