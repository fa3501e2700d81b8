"""Likely values for a choice or reference Brigade does not know, each with a confidence and its reason.

Ways a brigade's ledger writes a value Brigade has, from the surest to the loosest: the same words in
traditional characters or other widths; a synonym the choice declares (value_synonyms.yaml); one name
containing the other ("地下" → "地下式消火栓"); the same sound (同音字); the same pinyin initials
("jqjd" → "九曲街道"); close in writing (edit distance). A suggestion is only offered: nothing uses it
until the user accepts it.
"""

import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from brigade.io.cells import half_width

SYNONYMS_FILE = Path(__file__).with_name("value_synonyms.yaml")
MAX_SUGGESTIONS = 3
CLOSE_CUTOFF = 0.6  # difflib ratio below which two names are not offered as the same


@dataclass(frozen=True)
class Suggestion:
    target: str  # the value as Brigade writes it (a choice's label, a record's name)
    confidence: float  # 0–1
    reason: str  # Chinese: why it is offered

    def text(self) -> str:
        return f"{self.target}（{self.reason}，置信度 {self.confidence:.2f}）"


@functools.cache
def declared_synonyms() -> dict[str, dict[str, tuple[str, ...]]]:
    """"Model.field" → label → the words declared for it."""
    data = yaml.safe_load(SYNONYMS_FILE.read_text(encoding="utf-8")) or {}
    return {key: {label: tuple(str(w) for w in words or ()) for label, words in labels.items()}
            for key, labels in data.items()}


def synonyms_for(model, field: str) -> dict[str, tuple[str, ...]]:
    return declared_synonyms().get(f"{model.__name__}.{field}", {}) if model is not None else {}


@functools.cache
def _t2s():
    from opencc_purepy import OpenCC

    return OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional characters → simplified (臨沂 → 临沂); ASCII text is returned as it is."""
    return text if text.isascii() else _t2s().convert(text)


def norm(text: str) -> str:
    """Half-width, simplified, lower case, without spaces and bracket/separator marks."""
    return re.sub(r"[\s（）()·、,，._\-/]", "", simplified(half_width(str(text)))).lower()


@functools.lru_cache(maxsize=50_000)
def _pinyin(text: str) -> tuple[str, str]:
    """(full pinyin without tones, initials) of the Chinese in ``text``."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="ignore")
    return "".join(syllables), "".join(s[0] for s in syllables if s)


class Suggester:
    """Suggestions among one column's values (``targets``), with its declared synonyms."""

    def __init__(self, targets, synonyms: dict[str, tuple[str, ...]] | None = None):
        self.targets = list(dict.fromkeys(str(t) for t in targets if t))
        self.by_norm = {}
        for t in self.targets:
            self.by_norm.setdefault(norm(t), t)
        self.synonyms = {}
        for label, words in (synonyms or {}).items():
            for w in words:
                self.synonyms.setdefault(norm(w), label)
        self._sounds = None

    def sounds(self):
        if self._sounds is None:
            self._sounds = [(t, *_pinyin(norm(t))) for t in self.targets]
        return self._sounds

    def suggest(self, value: str) -> list[Suggestion]:
        key = norm(value)
        if not key:
            return []
        found: dict[str, Suggestion] = {}

        def offer(target, confidence, reason):
            if target not in found or found[target].confidence < confidence:
                found[target] = Suggestion(target, round(confidence, 2), reason)

        if key in self.by_norm:
            offer(self.by_norm[key], 0.95, "繁简或全半角写法不同")
        if key in self.synonyms and self.synonyms[key] in self.targets:
            offer(self.synonyms[key], 0.9, "同义词")
        containing = [t for t in self.targets if key in norm(t) or norm(t) in key]
        for t in containing:
            prefix = norm(t).startswith(key) or key.startswith(norm(t))
            share = min(len(key), len(norm(t))) / max(len(key), len(norm(t)))
            base = (0.85 if prefix else 0.75) if len(containing) == 1 else 0.5
            offer(t, base + 0.1 * share if len(containing) == 1 else base * (0.5 + share / 2), "名称包含")
        if len(self.targets) <= 5000:
            self._by_sound(key, offer)
            for t in difflib.get_close_matches(key, list(self.by_norm), n=MAX_SUGGESTIONS, cutoff=CLOSE_CUTOFF):
                ratio = difflib.SequenceMatcher(None, key, t).ratio()
                offer(self.by_norm[t], 0.7 * ratio, "写法相近")
        return sorted(found.values(), key=lambda s: (-s.confidence, s.target))[:MAX_SUGGESTIONS]

    def _by_sound(self, key: str, offer) -> None:
        if key.isascii():  # "jqjd": pinyin initials (or the whole pinyin) typed for a name
            if len(key) < 2 or not key.isalpha():
                return
            for t, full, initials in self.sounds():
                if key == initials:
                    offer(t, 0.7, "拼音首字母相同")
                elif key == full:
                    offer(t, 0.8, "拼音相同")
            return
        full, initials = _pinyin(key)
        if not full:
            return
        for t, t_full, t_initials in self.sounds():
            if full == t_full:
                offer(t, 0.8, "同音字")
            elif len(initials) >= 3 and initials == t_initials:
                offer(t, 0.55, "拼音首字母相同")
