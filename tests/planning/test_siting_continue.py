"""Honest optimality status on saved siting runs, and continuing a run from its saved incumbent."""

import json

import pytest
from django.core.management import call_command

from brigade.core.errors import UserError
from tests.planning.test_siting_adapter import district  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_heuristic_run_says_unproven_and_continuing_proves_it(district, capsys):  # noqa: F811
    from brigade.planning.models import AnalysisRun
    from brigade.planning.plan_items import siting_findings
    from brigade.planning.siting import SitingSettings, station_siting_run

    settings = SitingSettings(road_weight_per_km=0)
    first = station_siting_run(model="pmedian", p=2, settings=settings, exact=False)
    s = first.summary
    assert s["status"] == "heuristic" and s["bound"] is None and "未证明最优" in s["status_label"]
    statement = siting_findings(None, None)[0].statement
    assert "未证明最优" in statement and "已证明最优" not in statement

    second = station_siting_run(continue_from=first.pk, settings=settings)
    t = AnalysisRun.objects.get(pk=second.pk).summary
    assert t["continued_from"] == first.pk and t["model"] == "pmedian" and t["p"] == 2
    assert t["status"] == "optimal" and t["status_label"] == "已证明最优" and t["bound"] == pytest.approx(t["objective"])
    assert t["objective"] <= s["objective"] + 1e-9  # never worse than the incumbent it started from
    assert second.name.endswith(f"（续算自 #{first.pk}）")
    assert "已证明最优" in siting_findings(None, None)[0].statement


def test_saved_bound_is_reused_only_for_the_same_data(district):  # noqa: F811
    from brigade.planning.models import AnalysisRun
    from brigade.planning.siting import SitingSettings, station_siting_run

    settings = SitingSettings(road_weight_per_km=0)
    exact = station_siting_run(model="pmedian", p=2, settings=settings)
    # pretend that run stopped at its time limit, with its (valid) bound and incumbent saved
    saved = AnalysisRun.objects.get(pk=exact.pk)
    saved.summary = {**saved.summary, "status": "time_limit", "gap": 0.5}
    saved.save()
    # a heuristic continuation finds no bound itself; the saved one for the same data closes the gap
    again = station_siting_run(continue_from=saved.pk, settings=settings, exact=False)
    assert again.summary["status"] == "optimal" and again.summary["gap"] == 0.0
    # with the data changed (another fingerprint) the saved bound is not trusted
    saved.summary = {**saved.summary, "fingerprint": "other"}
    saved.save()
    other = station_siting_run(continue_from=saved.pk, settings=settings, exact=False)
    assert other.summary["status"] == "heuristic" and other.summary["bound"] is None


def test_plan_command_continue_and_its_refusals(district, capsys):  # noqa: F811
    call_command("plan", "stations", "--model", "mclp", "--p", "1", "--minutes", "3", "--heuristic", "--format", "json")
    first = json.loads(capsys.readouterr().out)
    assert first["status"] == "heuristic" and first["status_label"].startswith("启发式解")
    call_command("plan", "stations", "--continue", str(first["run"]), "--time-limit", "20")
    out = capsys.readouterr().out
    assert "已证明最优" in out and f"续算自 #{first['run']}" in out
    with pytest.raises(UserError, match="分析记录 #99999 不存在"):
        call_command("plan", "stations", "--continue", "99999")
    call_command("plan", "hydrants", "--format", "json")
    hydrant_run = json.loads(capsys.readouterr().out)["run"]
    with pytest.raises(UserError, match="不是消防站选址方案"):
        call_command("plan", "stations", "--continue", str(hydrant_run))
    with pytest.raises(UserError, match="求解时限 0 秒无效"):
        call_command("plan", "stations", "--model", "mclp", "--p", "1", "--time-limit", "0")
    with pytest.raises(UserError, match="大于候选站点数"):
        call_command("plan", "stations", "--model", "mclp", "--p", "100000", "--minutes", "3")


def test_siting_times_are_cached_with_the_network(district):  # noqa: F811
    from django.core.cache import cache

    from brigade.planning.network_store import siting_node_times, siting_times_key, stored_network
    from brigade.resources.models import Road

    network = stored_network()
    nodes = [0, 5, 9]
    key = siting_times_key(network, nodes, 300.0)
    cache.delete(key)
    first = siting_node_times(network, nodes, 300.0)
    assert cache.get(key) is not None and first.pairs > 3
    again = siting_node_times(network, nodes, 300.0)
    assert (again.seconds == first.seconds).all() and (again.indices == first.indices).all()
    # another road network (one road longer) is another key: nothing stale is reused
    road = Road.objects.first()
    road.coordinates = [*road.coordinates, [road.coordinates[-1][0] + 0.01, road.coordinates[-1][1]]]
    road.save()
    assert siting_times_key(stored_network(), nodes, 300.0) != key
