import datetime

from django.test import override_settings

from core import demo as core_demo
from refugees import demo as refugees_demo
from refugees.models import Refugee, RefugeeStatus
from tandems import demo
from tandems.models import OPEN_STATUSES, CheckIn, Tandem, TandemStatus
from volunteers import demo as volunteers_demo
from volunteers.models import Volunteer, VolunteerStatus


def test_small_demo_has_every_state_consistent_statuses_and_is_idempotent(db):
    with override_settings(DEMO_PASSWORD="demo"):
        core_demo.seed(size="small")
    volunteers_demo.seed(size="small")
    refugees_demo.seed(size="small")
    assert demo.seed(size="small") > 0
    statuses = set(Tandem.objects.values_list("status", flat=True))
    assert statuses == set(TandemStatus.values)
    assert CheckIn.objects.filter(held_on__isnull=False).exists()
    assert CheckIn.objects.filter(held_on__isnull=True).exists()
    in_tandem = Refugee.objects.filter(status=RefugeeStatus.IN_TANDEM)
    assert not in_tandem.exclude(tandems__status__in=OPEN_STATUSES).exists()
    active = Tandem.objects.filter(status=TandemStatus.ACTIVE)
    assert not Volunteer.objects.filter(tandems__in=active).exclude(status=VolunteerStatus.ACTIVE).exists()
    before = (Tandem.objects.count(), CheckIn.objects.count())
    assert demo.seed(size="small") == 0
    assert (Tandem.objects.count(), CheckIn.objects.count()) == before


def test_the_demo_has_answered_surveys_and_one_low_that_flags_its_tandem(db):
    from tandems.models import SurveyResponse
    from tandems.selectors import with_support_flags

    with override_settings(DEMO_PASSWORD="demo"):
        core_demo.seed(size="small")
    volunteers_demo.seed(size="small")
    refugees_demo.seed(size="small")
    demo.seed(size="small")
    answered = SurveyResponse.objects.all()
    assert answered.count() >= 8 and answered.filter(answers__isnull=False).exists()
    low = answered.get(is_latest=True, score__lte=2.5)
    assert with_support_flags(Tandem.objects.filter(pk=low.tandem_id)).get().is_survey_low


def test_the_demo_writes_the_checkin_summary_the_triggers_would_and_turns_them_on_again(db):
    """The seed turns the summary's triggers off and fills the four columns in one UPDATE (issue #21): the
    values are those of tandems_checkin_summary() for every tandem, and the triggers are on afterwards."""
    from django.db import connection

    with override_settings(DEMO_PASSWORD="demo"):
        core_demo.seed(size="small")
    volunteers_demo.seed(size="small")
    refugees_demo.seed(size="small")
    demo.seed(size="small")
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*), count(*) FILTER (WHERE (t.last_contact_on, t.latest_mood, t.previous_mood,
                      t.next_due_on) IS DISTINCT FROM (s.last_contact_on, s.latest_mood, s.previous_mood,
                      s.next_due_on))
                 FROM tandems_tandem t, tandems_checkin_summary(t.id) s"""
        )
        tandems, differing = cursor.fetchone()
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgname = ANY(%s)",
            [[trigger for _table, trigger in demo.SUMMARY_TRIGGERS]],
        )
        states = dict(cursor.fetchall())
    assert tandems == Tandem.objects.count() > 0 and differing == 0
    assert (
        Tandem.objects.exclude(latest_mood="").exists() and Tandem.objects.exclude(previous_mood="").exists()
    )
    assert states == {trigger: "O" for _table, trigger in demo.SUMMARY_TRIGGERS}
    # the triggers keep the summary again: a new check-in shows at once
    tandem = Tandem.objects.filter(status=TandemStatus.ACTIVE).first()
    CheckIn.objects.create(
        tandem=tandem, held_on=datetime.date.today(), channel="phone", contact_with="both", mood="red"
    )
    tandem.refresh_from_db()
    assert (tandem.last_contact_on, tandem.latest_mood) == (datetime.date.today(), "red")
