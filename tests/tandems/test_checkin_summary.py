"""The check-in summary stored on each tandem (last contact, the two latest moods, the next planned
check-in) is kept by database triggers on every write of a check-in, whoever writes it (migration 0004)."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction

from core.models import Organisation
from tandems import services
from tandems.models import CheckIn, Tandem
from tests.factories.tandems import ActiveTandemFactory, CheckInFactory

TODAY = datetime.date.today()


def _days(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def _summary(tandem: Tandem) -> tuple:
    tandem.refresh_from_db()
    return (tandem.last_contact_on, tandem.latest_mood, tandem.previous_mood, tandem.next_due_on)


def _expected(tandem: Tandem) -> tuple:
    """The summary as the correlated subqueries computed it before it was stored."""
    held = list(CheckIn.objects.filter(tandem=tandem, held_on__isnull=False).order_by("-held_on", "-pk")[:2])
    planned = CheckIn.objects.filter(tandem=tandem, held_on__isnull=True).order_by("planned_on").first()
    return (
        held[0].held_on if held else None,
        held[0].mood if held else "",
        held[1].mood if len(held) > 1 else "",
        planned.planned_on if planned else None,
    )


def test_a_new_tandem_has_an_empty_summary(org):
    tandem = ActiveTandemFactory(organisation=org)
    assert _summary(tandem) == (None, "", "", None)


def test_insert_of_held_and_planned_checkins(org):
    tandem = ActiveTandemFactory(organisation=org)
    CheckInFactory(tandem=tandem, held_on=_days(20), mood="yellow")
    assert _summary(tandem) == (_days(20), "yellow", "", None)
    CheckInFactory(tandem=tandem, held_on=_days(3), mood="red")
    CheckInFactory(tandem=tandem, held_on=_days(30), mood="green")  # an older contact logged late
    CheckIn.objects.create(tandem=tandem, planned_on=TODAY + datetime.timedelta(days=9))
    assert _summary(tandem) == (_days(3), "red", "yellow", TODAY + datetime.timedelta(days=9))


def test_two_contacts_on_one_day_the_later_logged_counts_as_latest(org):
    tandem = ActiveTandemFactory(organisation=org)
    CheckInFactory(tandem=tandem, held_on=_days(2), mood="green")
    CheckInFactory(tandem=tandem, held_on=_days(2), mood="yellow")
    assert _summary(tandem) == (_days(2), "yellow", "green", None)


def test_holding_the_planned_checkin_through_the_service(org, coordinator):
    tandem = ActiveTandemFactory(organisation=org, started_on=_days(20))
    CheckIn.objects.create(tandem=tandem, planned_on=_days(6))
    services.checkin_log(
        tandem=tandem,
        actor=coordinator,
        data={"held_on": _days(1), "channel": "phone", "contact_with": "both", "mood": "yellow"},
    )
    next_plan = CheckIn.objects.get(tandem=tandem, held_on__isnull=True).planned_on
    assert next_plan > TODAY
    assert _summary(tandem) == (_days(1), "yellow", "", next_plan)


def test_update_of_date_and_mood(org, coordinator):
    tandem = ActiveTandemFactory(organisation=org)
    first = CheckInFactory(tandem=tandem, held_on=_days(10), mood="green")
    second = CheckInFactory(tandem=tandem, held_on=_days(5), mood="green")
    services.checkin_update(checkin=second, actor=coordinator, data={"mood": "red"})
    assert _summary(tandem) == (_days(5), "red", "green", None)
    services.checkin_update(checkin=first, actor=coordinator, data={"held_on": _days(1)})
    assert _summary(tandem) == (_days(1), "green", "red", None), "the order follows the date held"


def test_planned_date_changed(org):
    tandem = ActiveTandemFactory(organisation=org)
    planned = CheckIn.objects.create(tandem=tandem, planned_on=_days(-10))
    CheckIn.objects.filter(pk=planned.pk).update(planned_on=_days(2))
    assert _summary(tandem)[3] == _days(2)


def test_delete_of_a_contact_and_of_the_plan(org, coordinator):
    tandem = ActiveTandemFactory(organisation=org)
    older = CheckInFactory(tandem=tandem, held_on=_days(10), mood="yellow")
    newer = CheckInFactory(tandem=tandem, held_on=_days(5), mood="red")
    planned = CheckIn.objects.create(tandem=tandem, planned_on=_days(-3))
    services.checkin_delete(checkin=newer, actor=coordinator)
    assert _summary(tandem) == (_days(10), "yellow", "", _days(-3))
    planned.delete()
    older.delete()
    assert _summary(tandem) == (None, "", "", None)


def test_checkin_moved_to_another_tandem(org):
    source, target = ActiveTandemFactory(organisation=org), ActiveTandemFactory(organisation=org)
    CheckInFactory(tandem=source, held_on=_days(9), mood="green")
    moving = CheckInFactory(tandem=source, held_on=_days(4), mood="red")
    planned = CheckIn.objects.create(tandem=source, planned_on=_days(-5))
    moving.tandem = target
    moving.save()
    CheckIn.objects.filter(pk=planned.pk).update(tandem=target)
    assert _summary(source) == (_days(9), "green", "", None)
    assert _summary(target) == (_days(4), "red", "", _days(-5))


def test_bulk_create_and_queryset_delete_over_many_tandems(org):
    tandems = [ActiveTandemFactory(organisation=org) for _ in range(4)]
    CheckIn.objects.bulk_create(
        [
            CheckIn(tandem=t, held_on=_days(days), channel="phone", contact_with="both", mood=mood)
            for t in tandems
            for days, mood in ((12, "yellow"), (6, "yellow"))
        ]
        + [CheckIn(tandem=t, planned_on=_days(-i)) for i, t in enumerate(tandems)]
    )
    for i, tandem in enumerate(tandems):
        assert _summary(tandem) == (_days(6), "yellow", "yellow", _days(-i))
    CheckIn.objects.filter(tandem__in=tandems[:2], held_on=_days(6)).delete()
    assert _summary(tandems[0]) == (_days(12), "yellow", "", TODAY)
    assert _summary(tandems[3]) == (_days(6), "yellow", "yellow", _days(-3))


def test_raw_sql_insert(org):
    tandem = ActiveTandemFactory(organisation=org)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tandems_checkin (tandem_id, held_on, channel, contact_with, mood, topics, follow_up,"
            " created_at, updated_at) VALUES (%s, %s, 'phone', 'both', 'red', '', '', now(), now())",
            [tandem.pk, _days(2)],
        )
    assert _summary(tandem) == (_days(2), "red", "", None)


def test_no_writer_can_put_other_values_on_the_tandem(org, coordinator):
    tandem = ActiveTandemFactory(organisation=org)
    stale = Tandem.objects.get(pk=tandem.pk)  # loaded before the contact was logged
    CheckInFactory(tandem=tandem, held_on=_days(3), mood="red")
    stale.notes = "Rückruf vereinbart"
    stale.save()  # writes its old (empty) summary along with the notes
    assert _summary(tandem) == (_days(3), "red", "", None)
    Tandem.objects.filter(pk=tandem.pk).update(latest_mood="green", next_due_on=TODAY)
    assert _summary(tandem) == (_days(3), "red", "", None)
    assert tandem.notes == "Rückruf vereinbart"


def test_anonymising_an_ended_tandem_keeps_a_correct_summary(org, coordinator):
    tandem = ActiveTandemFactory(organisation=org, started_on=_days(300))
    CheckInFactory(tandem=tandem, held_on=_days(200), mood="yellow", topics="Wohnungssuche")
    Tandem.objects.filter(pk=tandem.pk).update(
        status="ended", ended_on=_days(100), end_reason_id=1, notes="privat"
    )
    services.tandem_anonymise(tandem=Tandem.objects.get(pk=tandem.pk), actor=coordinator)
    assert CheckIn.objects.get(tandem=tandem).topics == ""
    assert _summary(tandem) == _expected(tandem) == (_days(200), "yellow", "", None)


def test_summary_matches_the_checkins_after_a_mixed_history(org, coordinator):
    tandems = [ActiveTandemFactory(organisation=org, started_on=_days(120)) for _ in range(3)]
    moods = ["green", "yellow", "red"]
    for i, tandem in enumerate(tandems):
        for n in range(i + 2):
            CheckInFactory(tandem=tandem, held_on=_days(10 * n + i), mood=moods[(n + i) % 3])
        CheckIn.objects.create(tandem=tandem, planned_on=_days(i - 2))
    CheckIn.objects.filter(tandem=tandems[2], held_on=_days(2)).update(tandem=tandems[0])
    CheckIn.objects.filter(tandem=tandems[1], held_on__isnull=False).update(mood="red")
    for tandem in tandems:
        assert _summary(tandem) == _expected(tandem)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_two_transactions_logging_contacts_of_one_tandem_at_once_are_both_counted():
    """The second insert waits for the first transaction's lock on the tandem and then recomputes with
    what the first committed: a summary taken from its own, older snapshot would miss the first contact."""
    tandem = ActiveTandemFactory(organisation=Organisation.objects.get(short_name="gEMiDe"))
    first_inserted = threading.Event()
    errors: list[BaseException] = []

    def log(held_days_ago: int, wait: bool) -> None:
        try:
            if wait:
                first_inserted.wait(timeout=10)
            with transaction.atomic():
                CheckInFactory(tandem_id=tandem.pk, held_on=_days(held_days_ago), mood="yellow")
                if not wait:
                    first_inserted.set()
                    time.sleep(0.5)  # the other transaction's insert now waits for this one
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=log, args=(2, False)), threading.Thread(target=log, args=(1, True))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert _summary(tandem) == (_days(1), "yellow", "yellow", None)
