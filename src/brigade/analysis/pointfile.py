"""Read named points (stations, hydrants) from a CSV file with name, lon, lat columns."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from brigade.analysis.errors import AnalysisError

NAME_COLUMNS = ("name", "code", "名称", "编号")
LON_COLUMNS = ("lon", "lng", "longitude", "经度")
LAT_COLUMNS = ("lat", "latitude", "纬度")


class PointFileError(AnalysisError):
    """A points CSV that cannot be read."""


@dataclass(frozen=True)
class PointTable:
    """Named points with any further columns kept as text."""

    names: list[str]
    lon: np.ndarray
    lat: np.ndarray
    extra: dict[str, list[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.names)


def _pick(header: list[str], options: tuple[str, ...]) -> str | None:
    lower = {h.strip().lower(): h for h in header}
    return next((lower[o] for o in options if o in lower), None)


def read_points_csv(path: str | Path, *, what: str = "点位") -> PointTable:
    """Read a CSV with a header ``name,lon,lat`` (Chinese headers 名称,经度,纬度 also accepted).

    Raises
    ------
    PointFileError
        naming the file and row when a column is missing or a coordinate is not a number.
    """
    path = Path(path)
    if not path.is_file():
        raise PointFileError(f"{what}文件“{path}”不存在。")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        raise PointFileError(f"无法读取{what}文件“{path.name}”：请使用 UTF-8 编码的 CSV（{exc}）。") from exc
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise PointFileError(f"{what}文件“{path.name}”是空文件。")
    header = [h.strip() for h in rows[0]]
    cols = {k: _pick(header, opts) for k, opts in (("name", NAME_COLUMNS), ("lon", LON_COLUMNS), ("lat", LAT_COLUMNS))}
    missing = [k for k, c in cols.items() if c is None]
    if missing:
        raise PointFileError(f"{what}文件“{path.name}”缺少列：{'、'.join(missing)}（表头应为 name,lon,lat）。")
    index = {h: i for i, h in enumerate(header)}
    names, lon, lat = [], [], []
    extra: dict[str, list[str]] = {h: [] for h in header if h not in cols.values()}
    for line_no, row in enumerate(rows[1:], start=2):
        row = row + [""] * (len(header) - len(row))
        name = row[index[cols["name"]]].strip()
        try:
            x, y = float(row[index[cols["lon"]]]), float(row[index[cols["lat"]]])
        except ValueError as exc:
            raise PointFileError(f"{what}文件“{path.name}”第 {line_no} 行的经纬度不是数字。") from exc
        if not (np.isfinite(x) and np.isfinite(y)):
            raise PointFileError(f"{what}文件“{path.name}”第 {line_no} 行的经纬度不是有效数字。")
        names.append(name or f"第{line_no}行")
        lon.append(x)
        lat.append(y)
        for h in extra:
            extra[h].append(row[index[h]].strip())
    if not names:
        raise PointFileError(f"{what}文件“{path.name}”中没有数据行。")
    return PointTable(names, np.asarray(lon), np.asarray(lat), extra)
