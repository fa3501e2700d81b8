"""Every record type the API serves: those whose declaration (``<app>/records.py``) has an API facet.

The URL, the period field, the street path and the searched fields come from the record type; the
facet adds the filters only the API has (station, category) and what a client may not write.
"""

from dataclasses import dataclass

from brigade.core.records import RECORD_TYPES, RecordType


@dataclass(frozen=True)
class Resource:
    record_type: RecordType

    @property
    def model(self):
        return self.record_type.model

    @property
    def path(self) -> str:
        return self.record_type.slug

    @property
    def date_field(self) -> str | None:
        return self.record_type.date_field

    @property
    def street(self) -> str | None:
        return self.record_type.street

    @property
    def search(self) -> tuple[str, ...]:
        return self.record_type.search

    @property
    def station(self) -> str | None:
        return self.record_type.api.station

    @property
    def category(self) -> str | None:
        return self.record_type.api.category

    @property
    def read_only(self) -> tuple[str, ...]:
        return self.record_type.api.read_only

    @property
    def writable(self) -> bool:
        return self.record_type.api.writable


def resources() -> tuple[Resource, ...]:
    return tuple(Resource(rt) for rt in RECORD_TYPES.values() if rt.api is not None)


RESOURCES: tuple[Resource, ...] = resources()
