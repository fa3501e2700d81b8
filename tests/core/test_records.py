"""Each domain app owns its record types: declared once in ``<app>/records.py``, discovered by the web,
the API and the ledgers; no central list and no dispatch on model names or slugs."""

import re
from pathlib import Path

from brigade.api.resources import RESOURCES
from brigade.core.records import RECORD_TYPES, SECTIONS
from brigade.io.ledgers import static_ledgers

SRC = Path(__file__).resolve().parents[2] / "src" / "brigade"


def test_every_record_type_is_declared_in_its_own_app():
    for rt in RECORD_TYPES.values():
        app = rt.model._meta.app_config.name  # brigade.supervision
        declared = SRC / app.removeprefix("brigade.") / "records.py"
        assert declared.is_file() and f'"{rt.slug}"' in declared.read_text(encoding="utf-8"), rt.slug


def test_web_api_and_ledgers_are_built_from_the_declarations():
    assert list(RECORD_TYPES) == sorted(RECORD_TYPES, key=lambda s: list(SECTIONS).index(RECORD_TYPES[s].section))
    assert [r.path for r in RESOURCES] == [s for s, rt in RECORD_TYPES.items() if rt.api is not None]
    assert len(RESOURCES) >= 28 and "status" in RECORD_TYPES["hazards"].api.read_only
    ledgers = static_ledgers()
    assert list(ledgers) == [rt.ledger.name for rt in RECORD_TYPES.values() if rt.ledger is not None]
    assert {lg.model for lg in ledgers.values()} == {rt.model for rt in RECORD_TYPES.values() if rt.ledger}
    assert [c.key for c in ledgers["hazard"].columns][:3] == ["unit_name", "unit_code", "inspection_date"]


def test_no_dispatch_on_model_names_or_slugs():
    """The machinery (web, api, io, metrics) asks the declaration, never ``model.__name__ == "Community"``,
    ``rt.slug == "units"``, ``slug in {"hazards": …}`` or ``model is Hazard``."""
    machinery = [p for d in ("web", "api", "io", "metrics") for p in (SRC / d).rglob("*.py")]
    found = []
    for path in machinery:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"__name__\s*(==|in|not in)\s*[\"'(]|\.slug\s*(==|in)\s*[\"'({]|\bmodel\s+is\s+(?!None\b)[A-Z]\w*",
                         line):
                found.append(f"{path.relative_to(SRC)}:{n}: {line.strip()}")
    assert found == []


def test_workflows_are_discovered_from_their_declarations():
    """A record type declaring a workflow gets the API's transition and the page's steps; no other does."""
    from brigade.api.views import viewset_for

    with_workflow = {r.path for r in RESOURCES if r.record_type.workflow is not None}
    assert {"hazards", "enforcement-actions"} <= with_workflow
    for resource in RESOURCES:
        assert hasattr(viewset_for(resource), "transition") is (resource.path in with_workflow), resource.path


def test_the_api_does_not_import_the_web_app():
    for path in (SRC / "api").rglob("*.py"):
        assert not re.search(r"^\s*(from|import) brigade\.web\b", path.read_text(encoding="utf-8"), re.M), path
