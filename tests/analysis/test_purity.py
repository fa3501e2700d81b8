"""brigade.analysis is a plain library: importing any of its modules loads neither Django nor other brigade apps."""

import json
import subprocess
import sys

# Run in a fresh interpreter: walks the package, imports every module, reports what got loaded.
IMPORT_ALL = """
import importlib, json, pkgutil, sys
import brigade.analysis as package
names = sorted(m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + "."))
for name in names:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django.")
                or (m.startswith("brigade.") and not m.startswith("brigade.analysis")))
print(json.dumps({"modules": names, "loaded": loaded}))
"""


def test_every_analysis_module_imports_without_django():
    out = subprocess.run([sys.executable, "-c", IMPORT_ALL], capture_output=True, text=True, check=True)
    report = json.loads(out.stdout)
    # The walk found the package, subpackages included (a new module is covered without editing this test).
    assert {"brigade.analysis.network", "brigade.analysis.coverage", "brigade.analysis.siting.mip"} <= set(
        report["modules"])
    assert report["loaded"] == []
