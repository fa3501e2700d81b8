"""Configurable response standards and data-quality limits.

The standards (5 minutes from the dispatch order …) are settings taken from ``brigade/standards.yaml``
(``BRIGADE_RESPONSE_STANDARDS``); the rest (plausible limits, percentiles, the first-due method)
ships in ``rules.json``. A brigade changes them without touching code: ``settings.BRIGADE_RESPONSE_RULES``
(a dict) or the environment variable ``BRIGADE_RESPONSE_RULES`` (path of a JSON file) is merged over
the defaults, key by key; callers may pass their own overrides too.
"""

import copy
import json
import os
from functools import cache
from pathlib import Path

from brigade.core.errors import UserError

DEFAULTS_PATH = Path(__file__).with_name("rules.json")


class RulesError(UserError):
    """A rules file that cannot be read."""


@cache
def _defaults() -> dict:
    return json.loads(DEFAULTS_PATH.read_text(encoding="utf-8"))


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in (over or {}).items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def load_rules(overrides: dict | None = None) -> dict:
    """Defaults, then settings, then the environment's file, then ``overrides``."""
    from django.conf import settings

    shipped = {"standards": settings.BRIGADE_RESPONSE_STANDARDS, **_defaults()}
    rules = _merge(shipped, settings.BRIGADE_RESPONSE_RULES)
    path = os.environ.get("BRIGADE_RESPONSE_RULES")
    if path:
        try:
            rules = _merge(rules, json.loads(Path(path).read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise RulesError(f"无法读取响应标准配置文件“{path}”：{exc}") from exc
    return _merge(rules, overrides or {})


def percentiles(rules: dict | None = None) -> tuple[float, ...]:
    """The configured percentiles (``rules.json``: ``percentiles``), in the order given."""
    return tuple((rules or load_rules())["percentiles"])


def share_words(q: float) -> str:
    """Percentile ``q`` as a report says it: 50 → 一半, 90 → 九成, 95 → 95%."""
    if q == 50:
        return "一半"
    if q % 10 == 0 and 0 < q < 100:
        return "一二三四五六七八九"[int(q) // 10 - 1] + "成"
    return f"{q:g}%"
