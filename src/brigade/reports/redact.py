"""Redaction (脱敏) of a document: each digit becomes ``*`` and each sensitive name ``**``.

Rules, as in the masked summary the brigade circulates:

- Every decimal digit, ASCII or full-width (any Unicode ``Nd``), becomes one ``*``, so the digit count
  stays visible (``3562份 → ****份``, ``1.2万余份 → *.*万余份``). Chinese numerals (``一``、``二十大``、
  ``三等功``) are words and stay. Years are digits too and are masked unless ``keep_years=True``
  (the circulated summary kept ``2022年`` in its title; the issue asks for no digit at all).
- Each sensitive name (street, road, community, unit, person, media outlet) becomes ``**`` whatever its
  length. Longer names are matched first, so ``兰山街道`` is replaced whole rather than leaving ``**街道``
  from a shorter ``兰山``. Names are replaced before digits, so a name containing digits (``第1中学``)
  still matches.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from functools import lru_cache

from brigade.reports.document import Block, Document

DIGIT_MASK = "*"
NAME_MASK = "**"

_DIGIT = re.compile(r"\d")
# A year as written in prose: 19xx/20xx directly followed by 年 (kept with keep_years=True).
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=年)")


@lru_cache(maxsize=64)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation of the names, longest first (regex alternation takes the first that matches)."""
    if not names:
        return None
    return re.compile("|".join(re.escape(name) for name in names))


def _normalise_names(names: Iterable[str]) -> tuple[str, ...]:
    cleaned = {name.strip() for name in names if name and name.strip()}
    return tuple(sorted(cleaned, key=lambda name: (-len(name), name)))


def redact_text(text: str, names: Iterable[str] = (), *, keep_years: bool = False) -> str:
    """``text`` with sensitive names replaced by ``**`` and each digit by ``*``.

    Parameters
    ----------
    text : any text (a title, a sentence, a signature line).
    names : the sensitive names; blanks are ignored, order does not matter.
    keep_years : leave years written as ``2025年`` readable.
    """
    return _redact(text, _normalise_names(names), keep_years)


def _redact(text: str, names: tuple[str, ...], keep_years: bool) -> str:
    """:func:`redact_text` with ``names`` already cleaned and sorted longest first."""
    # Only the names that occur: a brigade has thousands of units and people, a sentence mentions few.
    present = tuple(name for name in names if name in text)
    pattern = _names_pattern(present)
    if pattern is not None:
        text = pattern.sub(NAME_MASK, text)
    if not keep_years:
        return _DIGIT.sub(DIGIT_MASK, text)
    # Mask digit by digit, skipping the ones inside a year.
    kept = {i for match in _YEAR.finditer(text) for i in range(match.start(1), match.end(1))}
    return "".join(DIGIT_MASK if ch.isdecimal() and i not in kept else ch for i, ch in enumerate(text))


def _redact_names(text: str, names: tuple[str, ...]) -> str:
    """Names only: a metric code keeps its digits (``H1``) but not a unit's name inside it."""
    pattern = _names_pattern(tuple(name for name in names if name in text))
    return pattern.sub(NAME_MASK, text) if pattern is not None else text


def _redact_value(value, names: tuple[str, ...], keep_years: bool):
    if isinstance(value, str):
        return _redact(value, names, keep_years)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _redact(str(value), (), keep_years)
    return value


def redact_document(document: Document, *, keep_years: bool = False) -> Document:
    """The redacted twin of ``document`` (a new object; the original is unchanged).

    Title, every block, every signature line and the values in each block's ``sources`` are redacted
    (the source keys, metric codes, lose only the names in them).
    The twin's ``sensitive_names`` is empty: it holds no name any more, and redacting it again changes
    nothing.
    """
    names = _normalise_names(document.sensitive_names)
    blocks = [
        Block(
            kind=block.kind,
            text=_redact(block.text, names, keep_years),
            sources={
                _redact_names(key, names): _redact_value(value, names, keep_years)
                for key, value in block.sources.items()
            },
            rows=[[_redact(cell, names, keep_years) for cell in row] for row in block.rows],
        )
        for block in document.blocks
    ]
    twin = copy.copy(document)
    twin.title = _redact(document.title, names, keep_years)
    twin.blocks = blocks
    twin.signature = [_redact(line, names, keep_years) for line in document.signature]
    twin.sensitive_names = set()
    return twin
