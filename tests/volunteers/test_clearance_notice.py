"""'Your police clearance expires on …', 60 days ahead and once per clearance, sent for real by the worker."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core.models import NotificationSetting
from core.notifications import CLEARANCE_EXPIRY
from tests.factories.volunteers import VolunteerFactory
from tests.jobs import run_jobs
from volunteers.models import VolunteerStatus
from volunteers.tasks import notify_clearance_expiry

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate()


def _run():
    notify_clearance_expiry.defer(timestamp=int(timezone.now().timestamp()))
    run_jobs()


def test_the_volunteer_is_told_60_days_ahead_in_german(job_queue, fwz):
    expires = TODAY + datetime.timedelta(days=60)
    volunteer = VolunteerFactory(organisation=fwz, first_name="Greta", clearance_valid_until=expires)
    VolunteerFactory(organisation=fwz, clearance_valid_until=TODAY + datetime.timedelta(days=61))
    VolunteerFactory(
        organisation=fwz,
        clearance_valid_until=TODAY + datetime.timedelta(days=10),
        status=VolunteerStatus.LEFT,
    )
    _run()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [volunteer.email]
    assert sent.subject == f"Ihr Führungszeugnis läuft am {expires:%d.%m.%Y} ab"
    assert "Hallo Greta," in sent.body
    assert (
        f"Ihr erweitertes Führungszeugnis läuft nach unseren Unterlagen am {expires:%d.%m.%Y} ab."
        in sent.body
    )


def test_once_per_clearance_and_again_for_a_new_one(job_queue, fwz):
    volunteer = VolunteerFactory(organisation=fwz, clearance_valid_until=TODAY + datetime.timedelta(days=30))
    _run()
    _run()
    assert len(mail.outbox) == 1
    # a new clearance seen, which in turn comes close to its end: a new notice
    volunteer.clearance_valid_until = TODAY + datetime.timedelta(days=50)
    volunteer.save(update_fields=["clearance_valid_until"])
    _run()
    assert len(mail.outbox) == 2


def test_the_clearance_notice_switched_off_sends_nothing(job_queue, fwz):
    NotificationSetting.objects.update_or_create(code=CLEARANCE_EXPIRY, defaults={"is_active": False})
    VolunteerFactory(organisation=fwz, clearance_valid_until=TODAY + datetime.timedelta(days=30))
    _run()
    assert mail.outbox == []
