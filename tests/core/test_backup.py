"""`manage.py backup` writes a dump that restores to the same data, and rotates the old dumps away."""

import datetime
import os
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from core.audit import audit_record
from core.backups import backup_restore, backup_rotate, dump_name, dump_taken_at
from tests.core.conftest import audit_checksum, table_counts
from tests.factories.refugees import HouseholdMemberFactory, RefugeeFactory
from tests.factories.tandems import CheckInFactory, TandemFactory
from tests.factories.volunteers import VolunteerFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

UTC = datetime.UTC


def _some_records(coordinator):
    for _ in range(3):
        volunteer = VolunteerFactory(first_name="Jonas")
        refugee = RefugeeFactory(health_notes="Asthma")
        HouseholdMemberFactory.create_batch(2, refugee=refugee)
        tandem = TandemFactory(volunteer=volunteer, refugee=refugee, organisation=refugee.organisation)
        CheckInFactory(tandem=tandem)
        audit_record(
            actor=coordinator,
            action="volunteers.volunteer.changed",
            obj=volunteer,
            changes={"first_name": ["Jon", "Jonas"]},
        )


def test_a_backup_restores_to_the_same_rows_and_audit_trail(coordinator, scratch_database, tmp_path):
    _some_records(coordinator)
    call_command("backup", dir=tmp_path, keep_days=30)
    [dump] = list(tmp_path.glob("tenk-*.dump"))
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format (compressed)
    assert oct(dump.stat().st_mode & 0o777) == "0o600"
    taken_at = dump_taken_at(dump)
    assert abs(datetime.datetime.now(UTC) - taken_at) < datetime.timedelta(minutes=2)

    backup_restore(path=dump, database=scratch_database)

    source = connection.settings_dict["NAME"]
    counts = table_counts(source)
    assert counts["volunteers_volunteer"] >= 3 and counts["core_auditentry"] >= 3
    assert counts["refugees_householdmember"] >= 6 and counts["tandems_checkin"] >= 3
    assert table_counts(scratch_database) == counts
    assert audit_checksum(scratch_database) == audit_checksum(source)


def _dump_file(folder, age: datetime.timedelta, now: datetime.datetime):
    path = folder / dump_name(now - age)
    path.write_bytes(b"PGDMP")
    return path


def test_rotation_deletes_only_dumps_older_than_the_kept_days(tmp_path):
    now = datetime.datetime(2026, 12, 1, 2, 30, tzinfo=UTC)
    fresh = _dump_file(tmp_path, datetime.timedelta(hours=1), now)
    week = _dump_file(tmp_path, datetime.timedelta(days=7), now)
    almost = _dump_file(tmp_path, datetime.timedelta(days=13, hours=23), now)
    old = _dump_file(tmp_path, datetime.timedelta(days=14, minutes=1), now)
    older = _dump_file(tmp_path, datetime.timedelta(days=90), now)
    other = tmp_path / "notes.txt"
    other.write_text("not a dump")
    # the name says when the dump was taken, not the file's time (copying a folder renews that)
    os.utime(fresh, (0, 0))

    removed = backup_rotate(directory=tmp_path, keep_days=14, now=now)

    assert sorted(removed) == sorted([old, older])
    assert sorted(tmp_path.iterdir()) == sorted([fresh, week, almost, other])


def test_the_backup_command_rotates_after_a_good_dump(tmp_path):
    ancient = _dump_file(tmp_path, datetime.timedelta(days=400), datetime.datetime.now(UTC))
    call_command("backup", dir=tmp_path, keep_days=30)
    names = [p.name for p in tmp_path.iterdir()]
    assert ancient.name not in names
    assert len([n for n in names if n.startswith("tenk-")]) == 1


def test_a_failing_dump_keeps_the_old_dumps(tmp_path):
    ancient = _dump_file(tmp_path, datetime.timedelta(days=400), datetime.datetime.now(UTC))
    connection.settings_dict["NAME_BACKUP"] = connection.settings_dict["NAME"]
    try:
        connection.settings_dict["NAME"] = "no_such_database"
        with pytest.raises(CommandError, match="pg_dump failed"):
            call_command("backup", dir=tmp_path, keep_days=30)
    finally:
        connection.settings_dict["NAME"] = connection.settings_dict.pop("NAME_BACKUP")
    assert sorted(tmp_path.iterdir()) == [ancient]


def test_keep_days_below_one_is_refused(tmp_path):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("backup", dir=tmp_path, keep_days=0)
    assert list(tmp_path.iterdir()) == []


def test_the_dump_is_taken_by_the_servers_major_version():
    from config.devdb import client_program

    major = connection.pg_version // 10000
    program = client_program("pg_dump", major)
    version = subprocess.run([program, "--version"], capture_output=True, text=True, check=True).stdout
    assert f"PostgreSQL) {major}." in version
    with pytest.raises(FileNotFoundError, match="install postgresql-client-99"):
        client_program("pg_dump", 99)  # an older pg_dump refuses a newer server: say so, do not try
