"""An erasure made after a backup is made again after restoring it (erasure records, export, replay)."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from core.backups import backup_restore
from core.models import EndReason, ErasureRecord
from core.services import erasure_reason_code, personal_data_anonymise
from tandems.models import TandemStatus
from tests.core.conftest import connect
from tests.factories.tandems import ActiveTandemFactory
from tests.factories.volunteers import VolunteerFactory


def _manage_on(database: str, *args: str) -> subprocess.CompletedProcess:
    """`manage.py ARGS` run against `database` on the test server, as after a restore in production."""
    params = connection.settings_dict
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    url = f"postgres://{params['USER']}{password}@{params['HOST']}:{params['PORT']}/{database}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**env, "DATABASE_URL": url, "DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _volunteer_in(database: str, pk: int) -> tuple:
    with connect(database) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT first_name, last_name, email, anonymised_at IS NOT NULL FROM volunteers_volunteer WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()


def _erasure_records_in(database: str) -> list[tuple]:
    with connect(database) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT model_label, object_id, reason_code FROM core_erasurerecord ORDER BY id")
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_an_erasure_after_the_backup_is_made_again_after_restoring_it(
    coordinator, scratch_database, tmp_path
):
    erased = VolunteerFactory(first_name="Greta", last_name="Gärtner", email="greta@example.org")
    kept = VolunteerFactory(first_name="Jonas", last_name="Berg", email="jonas@example.org")
    early = VolunteerFactory(first_name="Ida")
    personal_data_anonymise(obj=early, actor=coordinator, reason="Art. 17")  # before the backup
    call_command("backup", dir=tmp_path, keep_days=30)
    [dump] = list(tmp_path.glob("tenk-*.dump"))

    personal_data_anonymise(obj=erased, actor=coordinator, reason="request of Greta Gärtner, 24.11.2026")
    ids = tmp_path / "erasures.json"
    call_command("erasure_export", output=str(ids))

    backup_restore(path=dump, database=scratch_database)
    assert _volunteer_in(scratch_database, erased.pk) == ("Greta", "Gärtner", "greta@example.org", False)

    result = _manage_on(scratch_database, "erasure_replay", str(ids))
    assert result.returncode == 0, result.stderr
    assert "1 record(s) erased again, 1 already erased" in result.stdout

    assert _volunteer_in(scratch_database, erased.pk) == ("", "", "", True)
    assert _volunteer_in(scratch_database, kept.pk) == ("Jonas", "Berg", "jonas@example.org", False)
    records = _erasure_records_in(scratch_database)
    assert ("volunteers.Volunteer", str(erased.pk), "request") in records
    assert "Greta" not in json.dumps(records)

    again = _manage_on(scratch_database, "erasure_replay", str(ids))
    assert again.returncode == 0, again.stderr
    assert "0 record(s) erased again, 2 already erased" in again.stdout


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_the_replay_erases_a_record_whose_tandem_was_still_open_in_the_backup(
    coordinator, scratch_database, tmp_path
):
    tandem = ActiveTandemFactory()
    volunteer = tandem.volunteer
    call_command("backup", dir=tmp_path, keep_days=30)
    [dump] = list(tmp_path.glob("tenk-*.dump"))
    type(tandem).objects.filter(pk=tandem.pk).update(
        status=TandemStatus.ENDED, ended_on=tandem.started_on, end_reason=EndReason.objects.first()
    )
    personal_data_anonymise(obj=volunteer, actor=coordinator)
    ids = tmp_path / "erasures.json"
    call_command("erasure_export", output=str(ids))
    backup_restore(path=dump, database=scratch_database)

    result = _manage_on(scratch_database, "erasure_replay", str(ids))

    assert result.returncode == 0, result.stderr
    assert f"erased volunteers.Volunteer {volunteer.pk} (staff): " in result.stdout  # says the tandem is open
    assert _volunteer_in(scratch_database, volunteer.pk)[3] is True


def test_the_erasure_record_keeps_a_code_not_the_reason_text(coordinator, db):
    volunteer = VolunteerFactory()
    personal_data_anonymise(obj=volunteer, actor=coordinator, reason="Anruf von Frau Gärtner")
    record = ErasureRecord.objects.get(model_label="volunteers.Volunteer", object_id=str(volunteer.pk))
    assert record.reason_code == "request" and record.erased_at is not None
    assert erasure_reason_code("volunteers-left") == "volunteers-left"
    assert erasure_reason_code("merged") == "merged"
    assert erasure_reason_code("") == "staff"
    personal_data_anonymise(obj=volunteer, actor=coordinator)
    assert ErasureRecord.objects.count() == 1


def test_replay_in_the_same_database_changes_nothing(coordinator, db, capsys):
    volunteer = VolunteerFactory()
    personal_data_anonymise(obj=volunteer, actor=coordinator)
    call_command("erasure_replay")
    assert "0 record(s) erased again, 1 already erased, 1 in the list" in capsys.readouterr().out


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"format": "other", "version": 1, "records": []}',
        '{"format": "tenk-erasure-records", "version": 1, "records": [{"model_label": "x"}]}',
    ],
)
def test_a_file_that_is_not_an_export_is_refused(db, tmp_path, content):
    path = tmp_path / "ids.json"
    path.write_text(content)
    with pytest.raises(CommandError, match="cannot read the erasure records"):
        call_command("erasure_replay", str(path))


def test_an_id_that_now_belongs_to_a_newer_record_is_not_erased(coordinator, db, tmp_path, capsys):
    """After restoring an older dump, PostgreSQL hands out the ids the dump's sequences continue with:
    the erased record's id may belong to somebody else by the time the replay runs."""
    newer = VolunteerFactory(first_name="Jonas")
    export = {
        "format": "tenk-erasure-records",
        "version": 1,
        "records": [
            {
                "model_label": "volunteers.Volunteer",
                "object_id": str(newer.pk),
                "erased_at": "2026-11-20T10:00:00+00:00",
                "reason_code": "request",
                "record_created_at": "2025-03-01T09:00:00+00:00",
            }
        ],
    }
    path = tmp_path / "ids.json"
    path.write_text(json.dumps(export))

    call_command("erasure_replay", str(path))

    assert (
        f"other record volunteers.Volunteer {newer.pk} (request): this id belongs to"
        in capsys.readouterr().out
    )
    newer.refresh_from_db()
    assert newer.first_name == "Jonas" and newer.anonymised_at is None
    assert not ErasureRecord.objects.exists()


def test_the_export_names_when_the_erased_record_was_created(coordinator, db, tmp_path):
    volunteer = VolunteerFactory()
    personal_data_anonymise(obj=volunteer, actor=coordinator)
    path = tmp_path / "ids.json"
    call_command("erasure_export", output=str(path))
    [record] = json.loads(path.read_text())["records"]
    assert record["object_id"] == str(volunteer.pk)
    assert record["record_created_at"] == volunteer.created_at.isoformat()
