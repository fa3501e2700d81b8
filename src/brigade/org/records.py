"""The organisation's record types: brigade, streets, communities, departments, stations, people."""

from brigade.core.records import ApiFacet, LedgerFacet, RecordType, SheetRef, register
from brigade.core.roles import COMMAND
from brigade.org.models import Brigade, Community, Department, Person, Station, Street

# How a ledger's street column may be headed, and the example row's street and station (shared by
# the ledgers of other apps that refer to them).
STREET_SYNONYMS = {"street": ("镇街", "街道", "乡镇", "所属镇街", "所在镇街")}
STREET_EXAMPLES = {"street": "九曲街道", "station": "九曲站", "brigade": ""}

register(
    RecordType(Brigade, "brigades", "org", ("name", "detachment", "district"), search=("name",),
               hidden_for_liaison=True, sheet_ref=SheetRef(resolver="brigade")),
    RecordType(Street, "streets", "org", ("name", "code", "kind", "area_km2"), filters=("kind",),
               search=("name", "code"), street="pk", api=ApiFacet(), sheet_ref=SheetRef(create_words=("streets", "镇街", "街道")),
               ledger=LedgerFacet("street", ("name", "code", "kind", "area_km2", "brigade"),
                                  natural_keys=(("brigade_id", "name"),),
                                  synonyms={"name": ("镇街名称", "街道名称", "镇街")},
                                  examples={"name": "九曲街道", "code": "371312001", "area_km2": 40.5, "brigade": ""},
                                  required={"brigade": False}, title="镇街")),
    RecordType(Community, "communities", "org", ("name", "street"), filters=("street",), search=("name",),
               street="street", select_related=("street",), api=ApiFacet(), sheet_ref=SheetRef(
                   parent="street", create_words=("communities", "社区", "小区"),
                   create_hint="要新建社区“{text}”，请写作“镇街/社区”（如 九曲街道/幸福小区）。"),
               ledger=LedgerFacet("community", ("street", "name"), natural_keys=(("street_id", "name"),),
                                  synonyms={**STREET_SYNONYMS, "name": ("社区名称", "小区名称", "社区", "小区")},
                                  examples={**STREET_EXAMPLES, "name": "示例小区"})),
    RecordType(Department, "departments", "org", ("name",), search=("name",), department="pk", api=ApiFacet(),
               sheet_ref=SheetRef(create_words=("departments", "部门")),
               ledger=LedgerFacet("department", ("name", "brigade"), natural_keys=(("brigade_id", "name"),),
                                  synonyms={"name": ("部门名称", "部门")}, examples={"name": "示例部门", "brigade": ""},
                                  required={"brigade": False})),
    RecordType(Station, "stations", "org", ("name", "kind", "street", "opened_on"), filters=("kind", "street"),
               search=("name",), street="street", editors=frozenset({COMMAND}), select_related=("street",),
               api=ApiFacet(station="id", category="kind"), sheet_ref=SheetRef(create_words=("stations", "消防站", "站")),
               ledger=LedgerFacet("station", ("name", "kind", "street", "opened_on", "lon", "lat", "brigade"),
                                  natural_keys=(("brigade_id", "name"),),
                                  synonyms={**STREET_SYNONYMS, "name": ("站名", "消防站", "站点名称")},
                                  examples={**STREET_EXAMPLES, "name": "九曲站", "lon": 118.4, "lat": 35.0},
                                  required={"brigade": False})),
    RecordType(Person, "people", "org", ("name", "post", "station", "is_on_duty"),
               filters=("post", "station", "is_on_duty"), search=("name",), street="station__street",
               hidden_for_liaison=True, select_related=("station",), api=ApiFacet(station="station", category="post"),
               ledger=LedgerFacet("person", ("name", "station", "post", "is_on_duty", "phone", "brigade"),
                                  natural_keys=(("brigade_id", "station_id", "name"),),
                                  synonyms={"name": ("人员姓名", "名字"), "station": ("所属站", "消防站", "站")},
                                  examples={**STREET_EXAMPLES, "name": "张三", "phone": "13800000000",
                                            "is_on_duty": "是"},
                                  required={"brigade": False})),
)
