import datetime

from django.urls import reverse

from core.models import EndReason
from refugees.models import RefugeeStatus
from tandems.models import CheckIn, IntegrationOutcome, Tandem, TandemStatus
from tests.factories.core import language
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.tandems import ActiveTandemFactory, CheckInFactory, TandemFactory
from tests.factories.volunteers import ReadyVolunteerFactory, VolunteerLanguageFactory

TODAY = datetime.date.today()


def test_coordinator_takes_a_pair_through_the_lifecycle(client, org, coordinator):
    refugee = WaitingRefugeeFactory(organisation=org)
    refugee.languages.set([language("ar")])
    volunteer = ReadyVolunteerFactory(organisation=org)
    VolunteerLanguageFactory(volunteer=volunteer, language=language("ar"))
    client.force_login(coordinator)
    page = client.get(reverse("tandems:tandem_suggest"), {"refugee": refugee.pk}).content.decode()
    assert "spricht Arabisch" in page
    response = client.post(
        reverse("tandems:tandem_propose"), {"refugee": refugee.pk, "volunteer": volunteer.pk}
    )
    tandem = Tandem.objects.get()
    assert response.url == tandem.get_absolute_url()
    detail = client.get(tandem.get_absolute_url()).content.decode()
    assert "Warum dieses Paar gebildet wurde" in detail and "spricht Arabisch" in detail
    letter = client.get(reverse("tandems:tandem_introduce", args=[tandem.pk])).content.decode()
    assert refugee.first_name in letter
    assert "Sprachen: Arabisch;" in letter and "QuerySet" not in letter and "]&gt;" not in letter
    client.post(reverse("tandems:tandem_introduce", args=[tandem.pk]), {"introduced_on": TODAY.isoformat()})
    client.post(reverse("tandems:tandem_start", args=[tandem.pk]), {"started_on": TODAY.isoformat()})
    client.post(
        reverse("tandems:checkin_create", args=[tandem.pk]),
        {
            "held_on": TODAY.isoformat(),
            "channel": "phone",
            "contact_with": "both",
            "mood": "green",
            "fulfils_plan": "on",
        },
    )
    assert CheckIn.objects.filter(tandem=tandem, held_on=TODAY).exists()
    client.post(
        reverse("tandems:tandem_end", args=[tandem.pk]),
        {
            "ended_on": TODAY.isoformat(),
            "end_reason": EndReason.objects.get(code="self-reliant").pk,
            "closing_notes": "Gutes Gespräch",
            "volunteer_wants_new": "yes",
            "refugee_needs_new": "no",
            "volunteer_wish": "new_tandem",
            "household_wish": "none",
            "no_conversation_reason": "declined",
            "outcomes": [IntegrationOutcome.objects.get(code="goal-reached").pk],
        },
    )
    tandem.refresh_from_db()
    refugee.refresh_from_db()
    assert tandem.status == TandemStatus.ENDED
    assert refugee.status == RefugeeStatus.CLOSED


def test_end_in_the_future_is_refused_in_german(client, org, coordinator):
    tandem = ActiveTandemFactory(organisation=org)
    client.force_login(coordinator)
    response = client.post(
        reverse("tandems:tandem_end", args=[tandem.pk]),
        {"ended_on": (TODAY + datetime.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 200
    assert "nicht in der Zukunft" in response.content.decode()
    tandem.refresh_from_db()
    assert tandem.status == TandemStatus.ACTIVE


def test_proposing_a_full_volunteer_shows_a_message(client, org, coordinator):
    full = TandemFactory(organisation=org)
    refugee = WaitingRefugeeFactory(organisation=org)
    client.force_login(coordinator)
    response = client.post(
        reverse("tandems:tandem_propose"),
        {"refugee": refugee.pk, "volunteer": full.volunteer.pk},
        follow=True,
    )
    assert "keinen freien Platz" in response.content.decode()
    assert Tandem.objects.count() == 1


def test_list_filters_at_risk_and_exports(client, org, coordinator):
    risky = ActiveTandemFactory(organisation=org)
    CheckInFactory(tandem=risky, mood="red", held_on=TODAY)
    calm = ActiveTandemFactory(organisation=org)
    CheckInFactory(tandem=calm, mood="green", held_on=TODAY)
    client.force_login(coordinator)
    response = client.get(reverse("tandems:tandem_list"), {"at_risk": "true"})
    assert [t.pk for t in response.context["rows"]] == [risky.pk]
    csv = b"".join(client.get(reverse("tandems:tandem_list"), {"format": "csv"}).streaming_content).decode()
    assert csv.count("\n") == 3 and "der letzte Kontakt war rot" in csv


def test_list_queries_do_not_grow_with_rows(client, org, coordinator, django_assert_max_num_queries):
    client.force_login(coordinator)
    client.get(reverse("tandems:tandem_list"))  # the first request of a session writes it
    for size in (5, 40):
        while Tandem.objects.count() < size:
            CheckInFactory(tandem=ActiveTandemFactory(organisation=org, coordinator=coordinator))
        with django_assert_max_num_queries(8):
            assert client.get(reverse("tandems:tandem_list"), {"at_risk": "false"}).status_code == 200
