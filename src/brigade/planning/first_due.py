"""The road-network first-due method for incident statistics (``--first-due network``).

Each call goes to the station that reaches it soonest over the stored road network (turnout and
off-road legs included, the coverage analysis' own model). Registered with the statistics when the
planning app is ready.
"""

import numpy as np

from brigade.analysis.coverage import station_coverage
from brigade.analysis.errors import AnalysisError
from brigade.planning.network_store import PlanningError, offroad_speed_kph, stored_network, turnout_s
from brigade.response.first_due import FirstDueError, FirstDueInput, register_first_due


@register_first_due("network", "道路网络行车时间最短的消防站")
def first_due_network(inp: FirstDueInput) -> np.ndarray:
    out = np.full(inp.incident_id.size, -1, dtype=np.int64)
    stations = np.flatnonzero(np.isfinite(inp.station_lon) & np.isfinite(inp.station_lat))
    points = np.flatnonzero(np.isfinite(inp.lon) & np.isfinite(inp.lat))
    if stations.size == 0 or points.size == 0:
        return out
    try:
        network = stored_network()
        cov = station_coverage(network, inp.station_lon[stations], inp.station_lat[stations],
                               [str(i) for i in stations.tolist()], turnout_s=turnout_s(),
                               offroad_speed_kph=offroad_speed_kph())
        reach = cov.points(network.snap(inp.lon[points], inp.lat[points]), offroad_speed_kph=offroad_speed_kph())
    except (PlanningError, AnalysisError) as exc:
        raise FirstDueError(f"无法按道路网络判定辖区站：{exc}") from None
    ok = reach.source >= 0
    out[points[ok]] = stations[reach.source[ok]]
    return out
