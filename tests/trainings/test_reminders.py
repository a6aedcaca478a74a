"""The reminder the day before a training, sent for real by the worker (tests/jobs.py)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core.models import NotificationSetting
from core.notifications import TRAINING_REMINDER
from tests.factories.trainings import RegistrationFactory, SessionFactory
from tests.jobs import run_jobs
from trainings.models import RegistrationStatus
from trainings.tasks import remind_trainings

pytestmark = pytest.mark.django_db(transaction=True)


def _tomorrow_at(hour: int) -> datetime.datetime:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(hour, 0)))


@pytest.fixture
def session_tomorrow(fwz):
    starts = _tomorrow_at(18)
    return SessionFactory(organisation=fwz, starts_at=starts, ends_at=starts + datetime.timedelta(hours=3))


def _run():
    remind_trainings.defer(timestamp=int(timezone.now().timestamp()))
    run_jobs()


def test_registered_volunteers_are_reminded_the_day_before_in_german(job_queue, session_tomorrow):
    registration = RegistrationFactory(session=session_tomorrow, volunteer__first_name="Greta")
    RegistrationFactory(session=session_tomorrow, status=RegistrationStatus.WAITING, waiting_position=1)
    RegistrationFactory(session=SessionFactory(organisation=session_tomorrow.organisation))  # in 14 days
    _run()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [registration.volunteer.email]
    date = f"{timezone.localdate() + datetime.timedelta(days=1):%d.%m.%Y}"
    assert sent.subject == f"Erinnerung: Basisschulung für Pat*innen morgen, {date}"
    assert "Hallo Greta," in sent.body
    assert (
        "zur Erinnerung: Morgen findet „Basisschulung für Pat*innen“ statt; Sie sind dafür angemeldet."
        in sent.body
    )
    assert f"{date}, 18:00–21:00" in sent.body
    assert "Wo: Freiwilligenzentrum, Karmarschstraße 30, Hannover" in sent.body
    registration.refresh_from_db()
    assert registration.reminded_at is not None


def test_a_second_run_reminds_nobody_twice(job_queue, session_tomorrow):
    RegistrationFactory(session=session_tomorrow)
    _run()
    _run()
    assert len(mail.outbox) == 1


def test_the_training_reminder_switched_off_sends_nothing(job_queue, session_tomorrow):
    NotificationSetting.objects.update_or_create(code=TRAINING_REMINDER, defaults={"is_active": False})
    RegistrationFactory(session=session_tomorrow)
    _run()
    assert mail.outbox == []
