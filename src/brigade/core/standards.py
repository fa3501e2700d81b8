"""The standards file (``brigade/standards.yaml``): every figure taken from a standard, with its source.

settings.py reads it once and declares a setting per figure; nothing else reads the file. Plain
Python (no Django), so settings.py can import it.
"""

from pathlib import Path

import yaml

SHIPPED = Path(__file__).resolve().parents[1] / "standards.yaml"
CONFIDENCE = ("verified", "stated", "recalled", "local")
NO_FILE = "找不到标准取值文件：{path}"
BAD_FILE = "标准取值文件“{path}”不是有效的 YAML：{problem}"
BAD_ENTRY = "标准取值文件“{path}”中“{code}”须有 value、source 和 confidence（{allowed}之一）。"


class StandardsError(ValueError):
    """A standards file that cannot be used (raised while the settings load: the server does not start)."""


def load(path: str | Path | None = None) -> dict:
    """The file's groups as plain data; each figure checked to carry a value, a source and a confidence."""
    path = Path(path or SHIPPED)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError:
        raise StandardsError(NO_FILE.format(path=path)) from None
    except yaml.YAMLError as exc:
        raise StandardsError(BAD_FILE.format(path=path, problem=exc)) from None
    for group, figures in data.items():
        for code, entry in figures.items():
            if isinstance(entry, list):  # a table of its own shape (the deadlines)
                continue
            if not isinstance(entry, dict) or "value" not in entry or not entry.get("source") \
                    or entry.get("confidence") not in CONFIDENCE:
                raise StandardsError(BAD_ENTRY.format(path=path, code=f"{group}.{code}", allowed="、".join(CONFIDENCE)))
    return data


def value(data: dict, code: str):
    """The value of ``group.figure`` (``water.hydrant_radius_m``), or the list of a table."""
    group, name = code.split(".", 1)
    entry = data[group][name]
    return entry if isinstance(entry, list) else entry["value"]
