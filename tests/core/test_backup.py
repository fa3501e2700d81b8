"""Backup and restore round trip on whichever engine the suite runs on."""

import datetime as dt

import pytest

from brigade.core.backup import BackupError, backup_database, database_fingerprint, restore_database

pytestmark = pytest.mark.django_db(transaction=True)


def test_round_trip_restores_every_row(tmp_path, unit):
    from brigade.ledger.models import Activity, ActivityKind
    from brigade.supervision.models import Hazard, Inspection

    insp = Inspection.objects.create(unit=unit, inspected_on=dt.date(2025, 3, 3), kind="random")
    Hazard.objects.create(inspection=insp, unit=unit, category="fire_lane", found_on=insp.inspected_on)
    Activity.objects.create(occurred_on=dt.date(2025, 1, 1), kind=ActivityKind.objects.get(code="patrol"),
                            values={"count": 3})
    before = database_fingerprint()
    backup = backup_database(tmp_path / "b.bak")

    # Damage the data after the backup: change, add and delete rows.
    Hazard.objects.update(category="electrical")
    Inspection.objects.create(unit=unit, inspected_on=dt.date(2025, 4, 4), kind="special")
    Activity.objects.all().delete()
    assert database_fingerprint() != before

    restore_database(backup)
    assert database_fingerprint() == before


def test_restore_refuses_a_file_of_the_wrong_kind(tmp_path, db):
    bogus = tmp_path / "not-a-backup.bak"
    bogus.write_bytes(b"hello")
    before = database_fingerprint()
    with pytest.raises(BackupError) as err:
        restore_database(bogus)
    assert "不是" in str(err.value) and "备份文件" in str(err.value)
    assert database_fingerprint() == before
    with pytest.raises(BackupError):
        restore_database(tmp_path / "missing.bak")


def test_backup_to_a_missing_folder_leaves_nothing(tmp_path, db):
    from brigade.core.files import OutputError

    with pytest.raises(OutputError):
        backup_database(tmp_path / "no" / "such" / "dir" / "b.bak")
    assert list(tmp_path.iterdir()) == []
