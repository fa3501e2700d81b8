"""The response's record types: incidents (警情) and dispatches (出动)."""

from brigade.core.records import ApiFacet, LedgerFacet, RecordType, SheetRef, register
from brigade.core.roles import COMMAND
from brigade.org.records import STREET_EXAMPLES, STREET_SYNONYMS
from brigade.response.models import Dispatch, Incident

C = frozenset({COMMAND})

register(
    RecordType(Incident, "incidents", "response", ("received_at", "number", "category", "street", "address"),
               filters=("category", "street", "has_impact"), search=("number", "address"), date_field="received_at",
               street="street", editors=C, raw_id=("unit",), select_related=("street",),
               api=ApiFacet(station="dispatches__station", category="category"),
               sheet_ref=SheetRef(key="number", label="警情编号"),
               ledger=LedgerFacet(
                   "incident", ("number", "category", "received_at", "dispatched_at", "controlled_at", "cleared_at",
                                "returned_at", "address", "street", "unit", "deaths", "injuries", "direct_loss",
                                "cause", "has_impact", "lon", "lat"),
                   natural_keys=(("brigade_id", "number"),), date_field="received_at", required={"unit": False},
                   synonyms={**STREET_SYNONYMS, "number": ("编号", "警情号"), "category": ("类别", "警情类型"),
                             "received_at": ("接警时间", "报警时间")},
                   examples={**STREET_EXAMPLES, "number": "示例2025030500001", "address": "九曲街道示例路1号",
                             "dispatched_at": "2025-03-05 14:21", "unit_name": "", "lon": "", "lat": "",
                             "controlled_at": "", "cleared_at": "", "returned_at": "", "cause": ""})),
    RecordType(Dispatch, "dispatches", "response", ("incident", "station", "vehicle", "crew_count", "arrived_at"),
               filters=("station",), search=("incident__number",), date_field="arrived_at",
               street="incident__street", editors=C, raw_id=("incident",),
               select_related=("incident", "station", "vehicle"), api=ApiFacet(station="station"),
               ledger=LedgerFacet(
                   "dispatch", ("incident", "station", "vehicle", "crew_count", "dispatched_at", "departed_at",
                                "arrived_at", "returned_at"),
                   natural_keys=(("incident_id", "station_id", "vehicle_id", "dispatched_at"),),
                   date_field="dispatched_at",
                   synonyms={"incident": ("警情编号", "警情号"), "vehicle": ("车牌号", "车辆"),
                             "station": ("出动站", "消防站")},
                   examples={**STREET_EXAMPLES, "incident": "示例2025030500001", "vehicle": "鲁Q0001应急",
                             "crew_count": 5, "departed_at": "2025-03-05 14:22", "arrived_at": "2025-03-05 14:30",
                             "returned_at": "2025-03-05 15:40"})),
)
