import datetime
import re

from django.urls import reverse

from core.models import EndReason
from refugees.models import RefugeeStatus
from tandems.models import CheckIn, Tandem, TandemStatus
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


def test_batch_page_proposes_the_ticked_pairs_in_one_go(client, org, coordinator):
    pairs = []
    for _ in range(3):
        refugee = WaitingRefugeeFactory(organisation=org)
        volunteer = ReadyVolunteerFactory(organisation=org)
        pairs.append((refugee, volunteer))
    client.force_login(coordinator)
    page = client.get(reverse("tandems:tandem_batch"))
    keys = [p.key for p in page.context["result"].pairs]
    assert len(keys) == 3
    client.post(reverse("tandems:tandem_batch"), {"pair": keys[:2], "confirmed": "1"})
    assert Tandem.objects.count() == 2
    assert {f"{t.refugee_id}-{t.volunteer_id}" for t in Tandem.objects.all()} == set(keys[:2])
    assert all(t.match_explanation["mode"] == "batch" for t in Tandem.objects.all())


def _batch_world(org, count: int) -> None:
    for _ in range(count):
        WaitingRefugeeFactory(organisation=org)
        ReadyVolunteerFactory(organisation=org)


def test_batch_page_ticks_no_pair_by_default(client, org, coordinator):
    _batch_world(org, 3)
    client.force_login(coordinator)
    page = client.get(reverse("tandems:tandem_batch"))
    boxes = re.findall(r'<input[^>]*name="pair"[^>]*>', page.text)
    assert len(boxes) == 3
    assert not any("checked" in box for box in boxes)


def test_batch_page_links_both_people_and_explains_each_pair_when_opened(client, org, coordinator):
    _batch_world(org, 2)
    client.force_login(coordinator)
    page = client.get(reverse("tandems:tandem_batch"))
    pairs = page.context["result"].pairs
    explain = reverse("tandems:tandem_batch_explain")
    for pair in pairs:
        assert reverse("refugees:refugee_detail", args=[pair.refugee.pk]) in page.text
        assert reverse("volunteers:volunteer_detail", args=[pair.volunteer.pk]) in page.text
        # the explanation is loaded when its row is opened, not computed for every pair on every view
        assert f"{explain}?refugee={pair.refugee.pk}&amp;volunteer={pair.volunteer.pk}" in page.text
    assert page.text.count('hx-trigger="toggle once"') == 2
    assert "Punkte je Kriterium" not in page.text and "Score per criterion" not in page.text
    opened = client.get(explain, {"refugee": pairs[0].refugee.pk, "volunteer": pairs[0].volunteer.pk})
    assert opened.status_code == 200
    assert "Wartezeit" in opened.text and "gewichtete Durchschnitt" in opened.text


def test_batch_asks_with_the_count_before_it_proposes(client, org, coordinator):
    _batch_world(org, 3)
    client.force_login(coordinator)
    keys = [p.key for p in client.get(reverse("tandems:tandem_batch")).context["result"].pairs]
    confirm = client.post(reverse("tandems:tandem_batch"), {"pair": keys})
    assert confirm.status_code == 200
    assert "3 Tandems vorschlagen?" in confirm.text
    assert Tandem.objects.count() == 0, "nothing happens before the confirmation"


def test_batch_page_says_when_a_run_covers_only_the_longest_waiting(client, org, coordinator, monkeypatch):
    monkeypatch.setattr("tandems.batch.BATCH_MAX_CELLS", 3)
    for _ in range(3):
        WaitingRefugeeFactory(organisation=org)
        ReadyVolunteerFactory(organisation=org)
    client.force_login(coordinator)
    page = client.get(reverse("tandems:tandem_batch"))
    assert "die am längsten warten (von 3)" in page.text
    assert len(page.context["result"].pairs) == 1


def test_batch_with_a_stale_pair_proposes_nothing(client, org, coordinator):
    refugee_a, refugee_b = WaitingRefugeeFactory(organisation=org), WaitingRefugeeFactory(organisation=org)
    volunteer = ReadyVolunteerFactory(organisation=org)
    client.force_login(coordinator)
    response = client.post(
        reverse("tandems:tandem_batch"),
        {"pair": [f"{refugee_a.pk}-{volunteer.pk}", f"{refugee_b.pk}-{volunteer.pk}"], "confirmed": "1"},
        follow=True,
    )
    assert Tandem.objects.count() == 0, "all or nothing"
    assert "Es wurde nichts vorgeschlagen" in response.content.decode()
