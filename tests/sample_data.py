"""The tests' sample files, kept compressed in tests/data/ and unpacked once per machine when read."""

import gzip
import shutil
import tempfile
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@cache
def unpacked(name: str) -> Path:
    """``tests/data/<name>.gz`` as a plain file (the importers read files by path)."""
    source = DATA / f"{name}.gz"
    target = Path(tempfile.gettempdir()) / "brigade-test-data" / f"{source.stat().st_mtime_ns}-{name}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        with gzip.open(source, "rb") as fin, partial.open("wb") as fout:
            shutil.copyfileobj(fin, fout)
        partial.replace(target)
    return target


def sf_calls_csv() -> Path:
    return unpacked("sf_fire_calls_2016-12.csv")
