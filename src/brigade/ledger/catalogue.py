"""Load the shipped catalogue of activity kinds (catalogue.json) into the database."""

import json
from pathlib import Path

CATALOGUE_FILE = Path(__file__).with_name("catalogue.json")


def load_catalogue(kind_model) -> int:
    """Create the shipped kinds that are missing; kinds a brigade edited are left as they are."""
    entries = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    created = 0
    for entry in entries:
        _, was_created = kind_model.objects.get_or_create(code=entry["code"], defaults=entry)
        created += was_created
    return created
