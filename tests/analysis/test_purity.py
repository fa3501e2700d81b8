"""brigade.analysis is a plain library: importing it loads neither Django nor other brigade apps."""

import subprocess
import sys

MODULES = ["network", "intervals", "coverage", "water", "osm", "roadfile", "pointfile", "fleet", "errors", "risk", "draw"]


def test_analysis_imports_without_django():
    code = (
        "import sys\n"
        + "".join(f"import brigade.analysis.{m}\n" for m in MODULES)
        + "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')"
        " or (m.startswith('brigade.') and not m.startswith('brigade.analysis')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
