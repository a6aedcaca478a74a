"""`core.demo.copy_insert`: the demo seeders write their big tables with COPY instead of bulk_create
(issue #21, seeding the city from empty in 30 s). It must store exactly what bulk_create stores."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.forms.models import model_to_dict

from core.demo import DemoHistory, copy_insert, copy_rows, reserve_ids
from core.models import AuditEntry
from tandems.models import CheckIn, CheckInBy, Met, Tandem
from tests.factories.core import OrganisationFactory
from tests.factories.tandems import ActiveTandemFactory
from tests.factories.volunteers import ReadyVolunteerFactory
from volunteers.models import Volunteer, VolunteerStatus

DAY = datetime.date(2026, 11, 2)


def _checkins(tandem: Tandem) -> list[CheckIn]:
    """Check-ins as the demo builds them: choices, a field left to its database default (`met`), an open
    planned one, and one with `met` given."""
    return [
        CheckIn(tandem=tandem, held_on=DAY, channel="phone", contact_with="both", mood="yellow"),
        CheckIn(
            tandem=tandem,
            held_on=DAY + datetime.timedelta(days=3),
            channel="video",
            contact_with="refugee",
            mood="red",
        ),
        CheckIn(tandem=tandem, planned_on=DAY + datetime.timedelta(days=30)),
        CheckIn(
            tandem=tandem,
            held_on=DAY - datetime.timedelta(days=9),
            channel="link",
            contact_with="volunteer",
            mood="green",
            by=CheckInBy.VOLUNTEER,
            met=Met.YES,
        ),
    ]


def _stored(rows) -> list[dict]:
    skip = {"id", "created_at", "updated_at", "tandem"}
    return [
        {k: v for k, v in model_to_dict(row).items() if k not in skip}
        for row in type(rows[0]).objects.filter(pk__in=[r.pk for r in rows]).order_by("pk")
    ]


def test_copy_insert_stores_what_bulk_create_stores_and_the_triggers_keep_the_summary(db):
    by_bulk, by_copy = ActiveTandemFactory(), ActiveTandemFactory()
    CheckIn.objects.bulk_create(_checkins(by_bulk))
    copied = copy_insert(CheckIn, _checkins(by_copy))

    assert all(row.pk for row in copied)
    assert _stored(copied) == _stored(list(by_bulk.checkins.all()))
    assert CheckIn.objects.get(pk=copied[0].pk).met == ""  # the database default, as INSERT ... DEFAULT
    # the statement trigger of the check-ins kept the tandem's summary, as for bulk_create
    summary = ("last_contact_on", "latest_mood", "previous_mood", "next_due_on")
    by_bulk.refresh_from_db()
    by_copy.refresh_from_db()
    assert [getattr(by_copy, f) for f in summary] == [getattr(by_bulk, f) for f in summary]
    assert by_copy.last_contact_on == DAY + datetime.timedelta(days=3) and by_copy.latest_mood == "red"


def test_copy_insert_writes_arrays_json_and_given_ids(db):
    template = ReadyVolunteerFactory.build(organisation=OrganisationFactory())
    values = {f.attname: getattr(template, f.attname) for f in Volunteer._meta.concrete_fields}
    values.update(
        id=None, interests=["Kochen", "Fußball"], available_weekdays=[], status=VolunteerStatus.ACTIVE
    )
    volunteers = [Volunteer(**{**values, "email": f"v{n}@example.org"}) for n in range(3)]
    reserve_ids(Volunteer, volunteers)
    ids = [v.pk for v in volunteers]
    assert ids == list(range(ids[0], ids[0] + 3))
    copy_insert(Volunteer, volunteers)
    stored = Volunteer.objects.get(pk=ids[1])
    assert (stored.interests, stored.available_weekdays, stored.status) == (
        ["Kochen", "Fußball"],
        [],
        "active",
    )
    assert stored.email == "v1@example.org" and stored.open_tandems == 0  # the row trigger ran
    # the sequence went on after the reserved ids: the next row takes the following one
    assert Volunteer.objects.create(**{**values, "email": "next@example.org"}).pk == ids[-1] + 1

    entry = AuditEntry(
        action="volunteers.volunteer.created",
        content_type=ContentType.objects.get_for_model(Volunteer),
        object_id=str(ids[0]),
        changes={"first_name": [None, "Anna"], "capacity": [None, 2]},
    )
    copy_insert(AuditEntry, [entry])
    assert AuditEntry.objects.get(pk=entry.pk).changes == {
        "first_name": [None, "Anna"],
        "capacity": [None, 2],
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT jsonb_typeof(changes) FROM core_auditentry WHERE id = %s", [entry.pk])
        assert cursor.fetchone() == ("object",)


def test_copy_rows_gives_a_missing_field_the_default_a_model_would(db):
    """Plain rows (no model instance): a row may leave fields out; they get what `CheckIn()` would give, a
    field with only a database default gets that, and the ids come in order."""
    by_bulk, by_rows = ActiveTandemFactory(), ActiveTandemFactory()
    CheckIn.objects.bulk_create(_checkins(by_bulk))
    rows = [
        {f: getattr(c, f) for f in ("held_on", "planned_on", "channel", "contact_with", "mood")}
        | ({"by": c.by, "met": c.met} if isinstance(c.met, str) else {})
        | {"tandem_id": by_rows.pk}
        for c in _checkins(by_rows)
    ]
    rows[2] = {"tandem_id": by_rows.pk, "planned_on": rows[2]["planned_on"]}  # the open planned one
    ids = copy_rows(CheckIn, rows)
    assert ids == list(range(ids[0], ids[0] + 4))
    copied = list(CheckIn.objects.filter(pk__in=ids).order_by("pk"))
    assert _stored(copied) == _stored(list(by_bulk.checkins.all()))
    by_rows.refresh_from_db()
    assert by_rows.latest_mood == "red" and by_rows.next_due_on == DAY + datetime.timedelta(days=30)


def test_demo_history_writes_backdated_entries(db):
    tandem = ActiveTandemFactory()
    at = datetime.datetime(2025, 3, 4, 10, 0, tzinfo=datetime.UTC)
    history = DemoHistory()
    history.add(tandem, "tandems.tandem.created", at, changes={"status": [None, "proposed"]}, name="A – B")
    assert history.write() == 1
    entry = AuditEntry.objects.get(action="tandems.tandem.created", object_id=str(tandem.pk))
    assert (entry.at, entry.object_repr, entry.changes, entry.actor) == (
        at,
        "A – B",
        {"status": [None, "proposed"]},
        None,
    )
