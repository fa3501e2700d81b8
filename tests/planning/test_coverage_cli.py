"""`brigade coverage` / `brigade water` on files: JSON output, and bad input as one Chinese line, exit 2."""

import bz2
import json
import os
import subprocess
import sys

import pytest

from brigade.planning.management.commands.coverage import Command as CoverageCommand
from brigade.planning.management.commands.water import Command as WaterCommand

STEP = 0.0009  # ≈ 100 m of latitude


@pytest.fixture
def network_file(tmp_path):
    """Two crossing roads near 118.4°E 35°N as GeoJSON."""
    path = tmp_path / "roads.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "沂蒙路", "road_class": "arterial"},
         "geometry": {"type": "LineString", "coordinates": [[118.4, round(35 + STEP * k, 6)] for k in range(11)]}},
        {"type": "Feature", "properties": {"name": "九曲街", "road_class": "local"},
         "geometry": {"type": "LineString", "coordinates": [[round(118.395 + 0.001 * k, 6), 35.0045] for k in range(11)]}},
    ]}, ensure_ascii=False), encoding="utf-8")
    return path


def csv_file(tmp_path, rows, name="stations.csv", header="name,lon,lat"):
    path = tmp_path / name
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def run_command(command_cls, name, *args, capsys):
    """Run a command as the console would; return (exit code, stdout, stderr)."""
    try:
        command_cls().run_from_argv(["brigade", name, *map(str, args)])
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_console_command_writes_json_per_node(tmp_path, network_file):
    stations = csv_file(tmp_path, ["北站,118.4,35.009", "南站,118.4005,35.0"])
    out = tmp_path / "out.json"
    env = {**os.environ, "BRIGADE_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "brigade.cli", "coverage", "--network", str(network_file), "--stations", str(stations),
         "--minutes", "5", "--format", "json", "--out", str(out)],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 21  # 11 + 11 vertices, the crossing one shared
    assert {n["nearest_station"] for n in data["nodes"]} == {"北站", "南站"}
    assert all(60 <= n["travel_time_s"] < 300 for n in data["nodes"])
    assert data["summary"]["stations"][0]["name"] == "北站"


def test_isochrones_file(tmp_path, network_file, capsys):
    stations = csv_file(tmp_path, ["北站,118.4,35.009"])
    iso = tmp_path / "iso.geojson"
    code, out, err = run_command(CoverageCommand, "coverage", "--network", network_file, "--stations", stations,
                                 "--isochrones", iso, capsys=capsys)
    assert code == 0, err
    assert "消防站覆盖分析" in out
    fc = json.loads(iso.read_text(encoding="utf-8"))
    assert [f["properties"]["minutes"] for f in fc["features"]] == [8.0, 5.0, 4.0]


def osm_xml(tags):
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6"><node id="1" lat="35.0" lon="118.40"/><node id="2" lat="35.0" lon="118.41"/>
<way id="10"><nd ref="1"/><nd ref="2"/>{tags}</way></osm>"""


@pytest.mark.parametrize(
    ("make_network", "stations", "fragment"),
    [
        (lambda p: p.write_bytes(b""), ["北站,118.4,35.0"], "空文件"),
        (lambda p: p.write_bytes(b"\x1f\x8b garbage" * 50), ["北站,118.4,35.0"], "无法读取"),
        (lambda p: p.write_bytes(bz2.compress(osm_xml('<tag k="highway" v="footway"/>').encode())),
         ["北站,118.4,35.0"], "没有可通行的道路"),
        (None, ["北站,118.4,35.009", "远郊站,118.45,35.0"], "远郊站（距最近道路"),
        (None, ["北站,35.009,118.4"], "填反"),
        (None, ["北站,118.4,abc"], "第 2 行的经纬度不是数字"),
    ],
)
def test_bad_input_is_one_chinese_line_and_nothing_written(tmp_path, network_file, capsys, make_network, stations,
                                                           fragment):
    network = network_file
    if make_network is not None:
        network = tmp_path / ("bad.osm.bz2" if "footway" in str(make_network.__code__.co_consts) else "bad.osm.pbf")
        make_network(network)
    out = tmp_path / "out.json"
    code, _, err = run_command(CoverageCommand, "coverage", "--network", network, "--stations",
                               csv_file(tmp_path, stations), "--format", "json", "--out", out, capsys=capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and fragment in lines[0], err
    assert not out.exists()


def test_network_without_stations_file_is_refused(network_file, capsys):
    code, _, err = run_command(CoverageCommand, "coverage", "--network", network_file, capsys=capsys)
    assert code == 2 and "--stations" in err


def test_water_on_files(tmp_path, network_file, capsys):
    hydrants = csv_file(tmp_path, ["H1,118.4,35.0", f"H2,118.4,{35 + STEP * 5:.6f},损坏", f"H3,118.4,{35 + STEP * 9:.6f},"],
                        name="hydrants.csv", header="code,lon,lat,status")
    out = tmp_path / "water.json"
    code, _, err = run_command(WaterCommand, "water", "--network", network_file, "--hydrants", hydrants,
                               "--format", "json", "--out", out, capsys=capsys)
    assert code == 0, err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"]["hydrants_in_service_on_network"] == 2
    assert [(v["a"], v["b"]) for v in data["spacing_violations"]] == [("H1", "H3")]
    assert data["spacing_violations"][0]["distance_m"] == pytest.approx(900, rel=0.01)
    code, _, err = run_command(WaterCommand, "water", "--network", network_file, "--hydrants",
                               csv_file(tmp_path, ["H1,35.0,118.4"], name="h2.csv"), capsys=capsys)
    assert code == 2 and "填反" in err
