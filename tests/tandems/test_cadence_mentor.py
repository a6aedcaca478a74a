"""The default check-in cadence follows MENTOR (5th edition): each side at least monthly during the first
12 months of a tandem, then quarterly (issue #20); the data migration changes only an untouched default."""

import datetime
import importlib

from django.apps import apps

from tandems import services
from tandems.models import CheckIn, CheckInCadence
from tests.factories.tandems import ActiveTandemFactory

TODAY = datetime.date.today()
MIGRATION = "tandems.migrations.0012_mentor_cadence"


def _log_planned_checkin(tandem, coordinator) -> datetime.date:
    """Hold the tandem's planned check-in today and return the date of the next one planned."""
    CheckIn.objects.create(tandem=tandem, planned_on=TODAY)
    services.checkin_log(
        tandem=tandem,
        actor=coordinator,
        data={"held_on": TODAY, "channel": "phone", "contact_with": "both", "mood": "green"},
    )
    return CheckIn.objects.get(tandem=tandem, held_on__isnull=True).planned_on


def test_default_cadence_is_monthly_for_twelve_months_then_quarterly(db):
    cadence = CheckInCadence.objects.get(is_active=True)
    start = datetime.date(2026, 1, 1)
    dates, after = [], start
    for _ in range(15):
        after = services.next_checkin_on(started_on=start, after=after, cadence=cadence)
        dates.append((after - start).days)
    assert dates == [14, 44, 74, 104, 134, 164, 194, 224, 254, 284, 314, 344, 374, 465, 556]
    gaps = [b - a for a, b in zip([0, *dates], dates, strict=False)]
    first_year = [g for g, d in zip(gaps, dates, strict=True) if d <= 374]
    assert max(first_year) <= 31, "at least monthly in the first 12 months"
    assert set(gaps[13:]) == {91}, "then quarterly"


def test_a_tandem_at_month_two_is_next_due_within_a_month(org, coordinator):
    tandem = ActiveTandemFactory(organisation=org, started_on=TODAY - datetime.timedelta(days=60))
    planned = _log_planned_checkin(tandem, coordinator)
    assert planned == tandem.started_on + datetime.timedelta(days=74)
    assert (planned - TODAY).days <= 30


def test_a_tandem_at_month_fourteen_is_next_due_within_a_quarter(org, coordinator):
    tandem = ActiveTandemFactory(organisation=org, started_on=TODAY - datetime.timedelta(days=426))
    planned = _log_planned_checkin(tandem, coordinator)
    assert planned == tandem.started_on + datetime.timedelta(days=465)
    assert 30 < (planned - TODAY).days <= 91


def test_the_migration_changes_the_old_default_only(db):
    migration = importlib.import_module(MIGRATION)
    CheckInCadence.objects.all().delete()
    old = CheckInCadence.objects.create(name="Standard", is_active=True, **migration.OLD)
    changed = CheckInCadence.objects.create(name="Eigen", **{**migration.OLD, "first_after_days": 7})
    migration.forwards(apps, None)
    old.refresh_from_db()
    changed.refresh_from_db()
    assert old.early_period_days == 365 and old.early_interval_days == 30 and old.later_interval_days == 91
    assert changed.early_period_days == 182, "an admin's own cadence stays as it is"
    migration.backwards(apps, None)
    old.refresh_from_db()
    assert old.early_period_days == 182


def _silent(tandem) -> bool:
    from tandems.models import Tandem
    from tandems.selectors import with_support_flags

    return with_support_flags(Tandem.objects.filter(pk=tandem.pk)).get().is_silent


def _contact(tandem, days_ago: int) -> None:
    held = TODAY - datetime.timedelta(days=days_ago)
    CheckIn.objects.create(
        tandem=tandem, planned_on=held, held_on=held, channel="phone", contact_with="both", mood="green"
    )


def test_a_tandem_in_the_quarterly_phase_is_silent_only_after_a_quarter_and_the_grace(org):
    """The "no contact" flag follows the phase: 42 days in the first year (monthly), 91 + 12 days after it."""
    early = ActiveTandemFactory(organisation=org, started_on=TODAY - datetime.timedelta(days=200))
    _contact(early, 50)
    assert _silent(early), "in the monthly phase 50 days without contact are too many"
    later = ActiveTandemFactory(organisation=org, started_on=TODAY - datetime.timedelta(days=426))
    _contact(later, 60)
    assert not _silent(later), "two months without contact are the quarterly cadence, not silence"
    quiet = ActiveTandemFactory(organisation=org, started_on=TODAY - datetime.timedelta(days=500))
    _contact(quiet, 110)
    assert _silent(quiet)
