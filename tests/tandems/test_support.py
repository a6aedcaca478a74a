"""Check-in cadence, overdue and silent flags, tandems at risk, and the caseload with its handover."""

import datetime

import pytest
from django.urls import reverse

from tandems import services
from tandems.models import CheckIn, CheckInCadence, Tandem
from tandems.selectors import tandem_list_visible, with_support_flags
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.tandems import ActiveTandemFactory, CheckInFactory
from tests.factories.volunteers import ReadyVolunteerFactory

TODAY = datetime.date.today()


def _flags(tandem, user):
    return with_support_flags(tandem_list_visible(user=user)).get(pk=tandem.pk)


def _days(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def test_cadence_is_configurable(db):
    CheckInCadence.objects.filter(is_active=True).update(first_after_days=7)
    cadence = CheckInCadence.objects.get(is_active=True)
    start = datetime.date(2026, 1, 1)
    assert services.next_checkin_on(started_on=start, after=start, cadence=cadence) == datetime.date(
        2026, 1, 8
    )


def test_holding_the_planned_checkin_plans_the_next(org, coordinator):
    tandem = services.tandem_propose(
        volunteer=ReadyVolunteerFactory(organisation=org),
        refugee=WaitingRefugeeFactory(organisation=org),
        actor=coordinator,
    )
    tandem = services.tandem_introduce(tandem=tandem, actor=coordinator, introduced_on=TODAY)
    tandem = services.tandem_start(tandem=tandem, actor=coordinator, started_on=TODAY)
    services.checkin_log(
        tandem=tandem,
        actor=coordinator,
        data={"held_on": TODAY, "channel": "phone", "contact_with": "both", "mood": "green"},
    )
    plan = CheckIn.objects.get(tandem=tandem, held_on__isnull=True)
    assert plan.planned_on == TODAY + datetime.timedelta(days=44), (
        "the first one is done early, the next follows"
    )
    assert CheckIn.objects.filter(tandem=tandem, held_on=TODAY).count() == 1


def test_extra_contact_leaves_the_plan(org, coordinator):
    tandem = ActiveTandemFactory(organisation=org)
    planned = CheckIn.objects.create(tandem=tandem, planned_on=TODAY + datetime.timedelta(days=3))
    services.checkin_log(
        tandem=tandem,
        actor=coordinator,
        data={"held_on": TODAY, "channel": "email", "contact_with": "volunteer", "mood": "green"},
        fulfils_plan=False,
    )
    assert CheckIn.objects.get(tandem=tandem, held_on__isnull=True) == planned


def test_overdue_checkin_flags_the_tandem_at_risk(org, coordinator):
    tandem = ActiveTandemFactory(organisation=org)
    CheckInFactory(tandem=tandem, held_on=_days(3))
    CheckIn.objects.create(tandem=tandem, planned_on=_days(1))
    row = _flags(tandem, coordinator)
    assert row.is_overdue and row.is_at_risk
    assert "Begleitgespräch überfällig" in [str(r) for r in row.risk_reasons]


def test_no_contact_for_the_configured_days(org, coordinator):
    quiet = ActiveTandemFactory(organisation=org, started_on=_days(100))
    CheckInFactory(tandem=quiet, held_on=_days(43))
    fresh = ActiveTandemFactory(organisation=org, started_on=_days(100))
    CheckInFactory(tandem=fresh, held_on=_days(41))
    assert _flags(quiet, coordinator).is_silent
    assert not _flags(fresh, coordinator).is_silent
    CheckInCadence.objects.filter(is_active=True).update(no_contact_days=60)
    assert not _flags(quiet, coordinator).is_silent


def test_started_without_any_contact_counts_from_the_start(org, coordinator):
    tandem = ActiveTandemFactory(organisation=org, started_on=_days(50))
    assert _flags(tandem, coordinator).is_silent


@pytest.mark.parametrize(
    ("moods", "at_risk"),
    [
        (["green", "red"], True),  # the latest is red
        (["yellow", "yellow"], True),
        (["green", "yellow"], False),
        (["red", "green"], False),  # it got better
    ],
)
def test_early_signals_from_moods(org, coordinator, moods, at_risk):
    tandem = ActiveTandemFactory(organisation=org, started_on=_days(20))
    for days_ago, mood in zip([10, 2], moods, strict=True):
        CheckInFactory(tandem=tandem, held_on=_days(days_ago), mood=mood)
    assert _flags(tandem, coordinator).is_at_risk is at_risk


def test_ended_tandems_are_never_at_risk(org, coordinator):
    tandem = ActiveTandemFactory(
        organisation=org, status="ended", started_on=_days(300), ended_on=_days(100), end_reason_id=1
    )
    CheckInFactory(tandem=tandem, held_on=_days(200), mood="red")
    assert not _flags(tandem, coordinator).is_at_risk


def test_caseload_lists_overdue_first(client, org, partner):
    calm = ActiveTandemFactory(organisation=org, coordinator=partner, started_on=_days(10))
    CheckIn.objects.create(tandem=calm, planned_on=TODAY + datetime.timedelta(days=4))
    late = ActiveTandemFactory(organisation=org, coordinator=partner, started_on=_days(30))
    CheckIn.objects.create(tandem=late, planned_on=_days(2))
    ActiveTandemFactory(organisation=org)  # somebody else's
    client.force_login(partner)
    response = client.get(reverse("tandems:caseload"))
    assert [t.pk for t in response.context["rows"]] == [late.pk, calm.pk]
    assert "überfällig" in response.content.decode()


def test_caseload_queries_do_not_grow(client, org, partner, django_assert_max_num_queries):
    client.force_login(partner)
    for size in (3, 30):
        while Tandem.objects.filter(coordinator=partner).count() < size:
            CheckInFactory(tandem=ActiveTandemFactory(organisation=org, coordinator=partner), mood="yellow")
        # session, user, memberships; the cadence once; the counts; the page's rows; the colleagues; the
        # session's write in its savepoint: 10 (11 before, the cadence was read twice)
        with django_assert_max_num_queries(10):
            assert client.get(reverse("tandems:caseload")).status_code == 200


def test_handover_of_ticked_tandems_through_the_page(client, org, partner, coordinator):
    mine = [ActiveTandemFactory(organisation=org, coordinator=partner) for _ in range(3)]
    client.force_login(partner)
    response = client.post(
        reverse("tandems:caseload_handover"),
        {
            "to_coordinator": coordinator.pk,
            "scope": "ticked",
            "tandems": [mine[0].pk, mine[1].pk],
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    assert list(Tandem.objects.filter(coordinator=coordinator).order_by("pk")) == mine[:2]
    client.post(
        reverse("tandems:caseload_handover"),
        {"to_coordinator": coordinator.pk, "scope": "all", "confirm": "1"},
    )
    assert Tandem.objects.filter(coordinator=coordinator).count() == 3


def test_a_handover_first_says_how_many_tandems_go_to_whom_and_changes_nothing(
    client, org, partner, coordinator
):
    mine = [ActiveTandemFactory(organisation=org, coordinator=partner) for _ in range(3)]
    client.force_login(partner)
    response = client.post(
        reverse("tandems:caseload_handover"), {"to_coordinator": coordinator.pk, "scope": "all"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"3 Tandems werden an {coordinator} übergeben." in page
    assert "3 Tandems übergeben" in page  # the button names the count too
    assert not Tandem.objects.filter(coordinator=coordinator).exists()
    # the confirmation hands over exactly the tandems it counted, named one by one
    later = ActiveTandemFactory(organisation=org, coordinator=partner)
    for tandem in mine:
        assert f'name="tandems" value="{tandem.pk}"' in page
    fields = {
        "to_coordinator": coordinator.pk,
        "scope": "ticked",
        "tandems": [t.pk for t in mine],
        "confirm": "1",
    }
    client.post(reverse("tandems:caseload_handover"), fields)
    assert set(Tandem.objects.filter(coordinator=coordinator)) == set(mine)
    later.refresh_from_db()
    assert later.coordinator == partner


def test_handover_to_someone_who_may_not_see_the_tandem_is_refused(
    client, org, coordinator, other_org_partner
):
    tandem = ActiveTandemFactory(organisation=org, coordinator=coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse("tandems:caseload_handover"),
        {"to_coordinator": other_org_partner.pk, "scope": "all", "confirm": "1"},
        follow=True,
    )
    tandem.refresh_from_db()
    assert tandem.coordinator == coordinator
    assert response.status_code == 200


def test_after_a_handover_the_referrer_is_shown_the_new_coordinator(
    client, org, partner, coordinator, referrer
):
    refugee = WaitingRefugeeFactory(
        organisation=org, status="in_tandem", referred_by=referrer, coordinator=partner
    )
    tandem = ActiveTandemFactory(organisation=org, coordinator=partner, refugee=refugee)
    client.force_login(partner)
    client.post(
        reverse("tandems:caseload_handover"),
        {"to_coordinator": coordinator.pk, "scope": "all", "confirm": "1"},
    )
    tandem.refresh_from_db()
    assert tandem.coordinator == coordinator
    client.force_login(referrer)
    page = client.get(reverse("refugees:referral_detail", args=[refugee.pk])).content.decode()
    contact = page.split("Zuständige Koordinator*in")[1].split("</dd>")[0]
    assert str(coordinator) in contact
    assert str(partner) not in contact
