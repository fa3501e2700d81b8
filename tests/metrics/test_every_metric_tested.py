"""Every registered metric has a known-answer test.

The rule (like NetBox's ``test_model_test_coverage``): each metric code that ``all_metrics()``
returns must appear, as a whole quoted string (``"response.fire"``, not a prefix of
``"response.fires_minor"``), in some test file other than this one. A metric added without a
test fails here, and the message lists every missing code.

Data-defined metrics (``register_dynamic``) exist once per row of a table, e.g. one
``ledger.<kind>.<metric>`` per activity kind and figure of the shipped catalogue (a brigade
adds more in the admin). Naming each of them would only copy the catalogue; instead one test of
the mechanism covers a whole family, on one condition: that test computes *every* metric of
the family from ``all_metrics()`` at run time, each with its own known answer (rows inside and
outside the period and scope, and the year-earlier figure). ``MECHANISM_TESTS`` lists the
families so covered, by code prefix, with the test that covers them; this test checks the named
test exists. A data-defined metric outside those families must be named like any other.

The metrics are read from a test database built by the migrations, so the catalogue's kinds
are there as they ship.
"""

import re
from pathlib import Path

import pytest

from brigade.metrics.registry import all_metrics

pytestmark = pytest.mark.django_db

TESTS = Path(__file__).resolve().parents[1]

# Code prefix of a data-defined family -> (test file relative to tests/, test function) that
# computes every metric of the family with a known answer.
MECHANISM_TESTS = {
    "ledger.": ("metrics/test_known_answers_ledger.py", "test_every_activity_kind_metric_has_its_known_answer"),
}


def _test_sources() -> str:
    """The text of every test file but this one."""
    here = Path(__file__).resolve()
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(TESTS.rglob("*.py")) if p.resolve() != here)


def _named(code: str, text: str) -> bool:
    """The code as a whole string literal, in double or single quotes."""
    return f'"{code}"' in text or f"'{code}'" in text


def _mechanism_covers(code: str) -> bool:
    return any(code.startswith(prefix) for prefix in MECHANISM_TESTS)


def _untested(metrics: dict, text: str) -> list[str]:
    from brigade.metrics import registry

    dynamic = set(metrics) - set(registry._REGISTRY)
    return sorted(
        code for code in metrics
        if not _named(code, text) and not (code in dynamic and _mechanism_covers(code))
    )


def test_every_metric_is_named_in_a_test():
    metrics = all_metrics()
    missing = _untested(metrics, _test_sources())
    assert not missing, (
        f"{len(missing)} of {len(metrics)} registered metrics have no known-answer test "
        "(no test file names the code as a quoted string):\n  " + "\n  ".join(missing)
    )


def test_each_mechanism_test_exists_and_its_family_is_not_empty():
    from brigade.metrics import registry

    dynamic = set(all_metrics()) - set(registry._REGISTRY)
    for prefix, (path, function) in MECHANISM_TESTS.items():
        source = (TESTS / path).read_text(encoding="utf-8")
        assert re.search(rf"^def {function}\(", source, re.M), f"{path} has no test {function}"
        assert any(code.startswith(prefix) for code in dynamic), f"no data-defined metric starts with {prefix!r}"


def test_the_rule_matches_whole_codes_only():
    text = 'codes = ["response.fires_minor", "ledger.patrol.count"]'
    assert _named("response.fires_minor", text)
    assert not _named("response.fire", text)
    assert not _named("ledger.patrol", text)


def test_a_metric_registered_without_a_test_is_reported():
    from brigade.metrics import registry

    code = "ledger.rule_probe.count"  # a code-defined metric in the data-defined family's namespace
    registry.register(code, "规则自检", "次", "仅供本测试。")(lambda ctx: 0)
    try:
        assert code in _untested(all_metrics(), _test_sources())
    finally:
        del registry._REGISTRY[code]
    assert code not in all_metrics()
