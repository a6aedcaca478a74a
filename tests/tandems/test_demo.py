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
