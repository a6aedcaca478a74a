import io

from django.core.management import call_command

from core import demo as core_demo
from core.models import Consent, User
from refugees import demo
from refugees.models import HouseholdMember, Refugee, RefugeeStatus


def test_demo_referrals_cover_every_status_and_are_idempotent(db, settings):
    settings.DEMO_PASSWORD = "demo"
    core_demo.seed(size="small")
    assert demo.seed(size="small") == demo.SIZES["small"]
    assert demo.seed(size="small") == 0
    refugees = Refugee.objects.all()
    assert refugees.count() == demo.SIZES["small"]
    assert set(refugees.values_list("status", flat=True)) == set(RefugeeStatus.values)
    assert refugees.filter(children_count__gte=2).exists()
    assert refugees.filter(referred_by=User.objects.get(username="referrer")).exists()
    assert refugees.filter(referred_by__isnull=True, referring_organisation__kind="partner").exists()
    # one consent to the programme per referral, and the consents to the link channels (both in the demo)
    assert Consent.objects.filter(purpose="refugee_programme").count() == demo.SIZES["small"]
    channels = set(Consent.objects.exclude(purpose="refugee_programme").values_list("purpose", flat=True))
    assert channels == {"messages_email", "messages_sms"}
    # the household figures agree with the member rows
    for refugee in refugees.filter(children_count__gt=0)[:20]:
        assert refugee.members.filter(role="child").count() == refugee.children_count
    waiting = refugees.filter(status=RefugeeStatus.WAITING)
    assert not waiting.filter(waiting_since__isnull=True).exists()
    assert HouseholdMember.objects.exists()
    # about half the households have their week recorded (only after an intake)
    with_week = refugees.exclude(available_weekdays=[]).count()
    assert 0.3 * len(refugees) < with_week < 0.7 * len(refugees)
    assert not refugees.filter(intake_on__isnull=True).exclude(available_weekdays=[]).exists()


def test_seed_demo_command_loads_referrals(db, settings):
    settings.DEMO_PASSWORD = "demo"
    call_command("seed_demo", "--size", "small", stdout=io.StringIO())
    assert Refugee.objects.count() >= demo.SIZES["small"]


def test_the_demo_households_expect_a_tandem_of_some_length(db):
    core_demo.seed(size="small")
    demo.seed(size="small")
    months = list(Refugee.objects.values_list("expected_months", flat=True))
    assert 12 in months and None in months and months.count(12) > months.count(6)
    assert Refugee.objects.exclude(expected_per_month=None).exists()
