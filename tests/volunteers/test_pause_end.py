"""A pause ends by itself (issue #18): once the "paused until" date has passed, the daily job moves the
volunteer back to the step before the pause, dated on the timeline and audited, without anyone acting."""

import datetime

import pytest
from django.utils import timezone

from core.models import AuditEntry
from tests.factories.volunteers import ReadyVolunteerFactory
from volunteers.models import StatusChange, VolunteerStatus
from volunteers.services import volunteer_status_change, volunteers_pause_end

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def _paused(org, *, until, before=VolunteerStatus.ACTIVE):
    volunteer = ReadyVolunteerFactory(organisation=org, status=VolunteerStatus.CLEARED)
    volunteer = volunteer_status_change(volunteer=volunteer, status=before, actor=None)
    volunteer.paused_until = until
    volunteer.save(update_fields=["paused_until"])
    return volunteer_status_change(volunteer=volunteer, status=VolunteerStatus.PAUSED, actor=None)


def test_a_pause_whose_date_has_passed_ends_by_itself(org):
    over = _paused(org, until=TODAY - DAY)
    over_trained = _paused(org, until=TODAY - 3 * DAY, before=VolunteerStatus.TRAINED)
    last_day = _paused(org, until=TODAY)  # "paused until today": still paused today
    later = _paused(org, until=TODAY + DAY)
    for_good = _paused(org, until=None)  # paused by a coordinator without a date: stays paused
    assert volunteers_pause_end(today=TODAY) == 2
    for volunteer, status in [
        (over, VolunteerStatus.ACTIVE),
        (over_trained, VolunteerStatus.TRAINED),
        (last_day, VolunteerStatus.PAUSED),
        (later, VolunteerStatus.PAUSED),
        (for_good, VolunteerStatus.PAUSED),
    ]:
        volunteer.refresh_from_db()
        assert volunteer.status == status
    step = StatusChange.objects.filter(volunteer=over).order_by("-pk").first()
    assert step.status == VolunteerStatus.ACTIVE and step.changed_by is None and "Pause" in step.note
    assert AuditEntry.objects.filter(
        action="volunteers.volunteer.status_changed", object_id=str(over.pk), actor=None
    ).exists()
    assert volunteers_pause_end(today=TODAY) == 0  # a second run (a retry) changes nothing


def test_the_daily_job_is_registered_and_reports_a_count(org):
    from core.jobs import DAILY_JOBS
    from volunteers.tasks import end_pauses

    _paused(org, until=TODAY - DAY)
    assert "end_pauses" in DAILY_JOBS
    assert end_pauses(timestamp=int(timezone.now().timestamp())) == "1 resumed"
