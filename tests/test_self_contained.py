"""The repository stands alone: no file of the product, its tests or benchmarks reads outside it."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A path beside the checkout, or an absolute path of a development machine. The workspace folder's
# name is spliced in so that this file does not itself name the paths it forbids.
SIBLING = "shared"
OUTSIDE = re.compile(rf"\.\./{SIBLING}|[\"'/]{SIBLING}/data|/work/|/home/\w+|/root/|/Users/\w+|[A-Z]:\\\\Users")
TEXT_SUFFIXES = {".py", ".toml", ".cfg", ".ini", ".yaml", ".yml", ".json", ".j2", ".html", ".js", ".css", ".md", ".sh", ".txt"}


def _tracked_files(*folders):
    out = subprocess.run(["git", "ls-files", *folders], cwd=ROOT, capture_output=True, text=True, check=True)
    return [ROOT / line for line in out.stdout.splitlines() if Path(line).suffix in TEXT_SUFFIXES]


def test_no_file_names_a_path_outside_the_repository():
    files = _tracked_files("src", "tests", "bench", "Makefile", ".ci")
    assert len(files) > 100  # the walk found the project, not an empty folder
    offenders = []
    for path in files:
        if path == Path(__file__).resolve():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_pattern_catches_what_it_is_for():
    for bad in (f'Path("/srv/{SIBLING}/data/x.csv")', f"open('../{SIBLING}/DESIGN.md')", 'VAR = "/root/brigade/var"'):
        assert OUTSIDE.search(bad), bad
    assert not OUTSIDE.search('Path(__file__).parent / "data" / "sf.csv"')


def test_shipped_data_is_inside_the_repository():
    from django.conf import settings

    data_dir = Path(settings.BRIGADE_DATA_DIR).resolve()
    assert data_dir.is_relative_to(ROOT / "src")
    for name in ("linyi_streets.csv", "linyi_districts.geojson", "PROVENANCE.md"):
        assert (data_dir / name).is_file()
    assert (ROOT / "tests" / "data" / "sf_fire_calls_2016-12.csv.gz").is_file()
    assert (ROOT / "tests" / "data" / "PROVENANCE.md").is_file()
