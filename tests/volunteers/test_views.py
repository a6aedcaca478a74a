import csv
import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditEntry, Consent
from tests.factories.core import district, help_area, language
from tests.factories.volunteers import ReadyVolunteerFactory, VolunteerFactory, VolunteerLanguageFactory
from volunteers.models import Volunteer, VolunteerStatus

LIST = reverse("volunteers:volunteer_list")


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))


def _names(response) -> set[str]:
    return {row[2] for row in _csv(response)[1:]}


@pytest.fixture
def mixed(org, other_org, fwz):
    today = timezone.localdate()
    return {
        "ada": VolunteerFactory(
            organisation=org,
            last_name="Ada",
            status=VolunteerStatus.ACTIVE,
            district=district("mitte"),
            trained_on=today,
            clearance_valid_until=today + datetime.timedelta(days=30),
        ),
        "bea": VolunteerFactory(
            organisation=org,
            last_name="Bea",
            status=VolunteerStatus.REGISTERED,
            district=district("nord"),
            clearance_valid_until=today + datetime.timedelta(days=400),
            phone="+49 511 777888",
        ),
        "cem": VolunteerFactory(
            organisation=fwz, last_name="Cem", status=VolunteerStatus.TRAINED, trained_on=today
        ),
        "dora": VolunteerFactory(organisation=other_org, last_name="Dora", status=VolunteerStatus.ACTIVE),
    }


def test_partner_sees_and_exports_only_their_own_organisation(client, partner, mixed):
    client.force_login(partner)
    page = client.get(LIST).content.decode()
    assert "Ada" in page and "Bea" in page and "Cem" not in page and "Dora" not in page
    assert _names(client.get(LIST + "?format=csv")) == {"Ada", "Bea"}
    other = mixed["dora"]
    assert client.get(reverse("volunteers:volunteer_detail", args=[other.pk])).status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=active", {"Ada", "Dora"}),
        ("?district={mitte}", {"Ada"}),
        ("?trained=yes", {"Ada", "Cem"}),
        ("?trained=no", {"Bea", "Dora"}),
        ("?clearance=expiring", {"Ada"}),
        ("?clearance=valid", {"Ada", "Bea"}),
        ("?clearance=missing", {"Cem", "Dora"}),
        ("?free_capacity=true", {"Ada", "Cem", "Dora"}),
        ("?q=bea", {"Bea"}),
        ("?q=777888", {"Bea"}),
        ("?q=BEA+0511+777", {"Bea"}),  # beginnings of words, in any case, all of them must match
        ("?organisation={org}", {"Ada", "Bea"}),
    ],
)
def test_coordinator_filters_and_exports_exactly_the_filtered_rows(
    client, coordinator, mixed, org, query, expected
):
    client.force_login(coordinator)
    url = LIST + query.format(mitte=district("mitte").pk, org=org.pk) + "&format=csv"
    assert _names(client.get(url)) == expected


def test_language_and_help_area_filters(client, coordinator, mixed):
    VolunteerLanguageFactory(volunteer=mixed["bea"], language=language("ar"), level="native")
    mixed["cem"].help_areas.add(help_area("sports"))
    client.force_login(coordinator)
    assert _names(client.get(f"{LIST}?language={language('ar').pk}&format=csv")) == {"Bea"}
    assert _names(client.get(f"{LIST}?help_area={help_area('sports').pk}&format=csv")) == {"Cem"}


def test_export_has_german_headers_and_xlsx_works(client, coordinator, mixed):
    client.force_login(coordinator)
    header = _csv(client.get(LIST + "?format=csv"))[0]
    assert header[:4] == ["ID", "Vorname", "Nachname", "E-Mail"]
    response = client.get(LIST + "?format=xlsx&sort=-name")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "Nachname"
    assert [r[2] for r in rows[1:]] == ["Dora", "Cem", "Bea", "Ada"]


def test_list_shows_the_expiring_clearance_badge(client, coordinator, mixed):
    client.force_login(coordinator)
    page = client.get(LIST).content.decode()
    assert "läuft ab" in page


def test_bad_filter_value_shows_a_german_message_and_no_rows(client, coordinator, mixed):
    client.force_login(coordinator)
    response = client.get(LIST + "?status=nonsense")
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()
    assert len(response.context["rows"]) == 0


def _ready_volunteers(org, count):
    for volunteer in ReadyVolunteerFactory.create_batch(count, organisation=org):
        VolunteerLanguageFactory(volunteer=volunteer)
        VolunteerLanguageFactory(volunteer=volunteer, language=language("ar"))
        volunteer.help_areas.add(help_area("german"))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "most"), [(LIST + "?sort=-clearance", 8), (LIST + "?format=csv", 11), (LIST + "?format=xlsx", 11)]
)
def test_list_runs_the_same_queries_for_5_and_40_rows(
    client, coordinator, org, url, most, django_assert_max_num_queries
):
    client.force_login(coordinator)
    _ready_volunteers(org, 5)
    client.get(LIST)  # the reference data are read once per process and version (core/reference.py)
    with django_assert_max_num_queries(16):
        client.get(url)  # the first request of a session writes it
    small = _queries(client, url)
    assert small <= most, "issue #21: at most 8 queries per list page (an export adds its audit entry)"
    _ready_volunteers(org, 35)
    assert _queries(client, url) == small


def _form_data(org, **changes):
    data = {
        "organisation": org.pk,
        "first_name": "Karla",
        "last_name": "Kolumna",
        "email": "karla@example.org",
        "phone": "0511 55555",
        "birth_date": "1970-03-04",
        "gender": "female",
        "migration_background": "no",
        "district": district("mitte").pk,
        "available_weekdays": ["1", "3"],
        "available_times": ["evening"],
        "hours_per_month": "10",
        "capacity": "2",
        "help_areas": [help_area("german").pk],
        "pref_gender": "any",
        "pref_families": "yes",
        "pref_age_min": "",
        "pref_age_max": "",
        "interests": "Kochen, Fußball",
        "source": "press",
        "notes": "",
        "consent_channel": "in_person",
        "consent_version": "2026-11",
        "languages-TOTAL_FORMS": "2",
        "languages-INITIAL_FORMS": "0",
        "languages-0-language": language("ar").pk,
        "languages-0-level": "native",
        "languages-1-language": "",
        "languages-1-level": "good",
    }
    return {**data, **changes}


def test_coordinator_adds_a_volunteer_with_languages_and_consent(client, coordinator, org):
    client.force_login(coordinator)
    response = client.post(reverse("volunteers:volunteer_create"), _form_data(org))
    volunteer = Volunteer.objects.get(email="karla@example.org")
    assert response.status_code == 302 and response.url == volunteer.get_absolute_url()
    assert volunteer.available_weekdays == [1, 3] and volunteer.interests == ["Kochen", "Fußball"]
    assert [(vl.language.code, vl.level) for vl in volunteer.languages.all()] == [("ar", "native")]
    assert Consent.objects.filter(object_id=volunteer.pk, channel="in_person").exists()
    detail = client.get(volunteer.get_absolute_url()).content.decode()
    assert "Arabisch (Muttersprache)" in detail and "Zeitleiste" in detail and "Verlauf" in detail


def test_partner_cannot_put_a_volunteer_into_another_organisation(client, partner, org, other_org):
    client.force_login(partner)
    client.post(reverse("volunteers:volunteer_create"), _form_data(other_org))
    volunteer = Volunteer.objects.get(email="karla@example.org")
    assert volunteer.organisation == org, "the organisation field is fixed to the partner's own"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"first_name": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"email": "kein-mail"}, "Bitte gültige E-Mail-Adresse eingeben."),
        ({"birth_date": "2030-01-01"}, "Das Datum darf nicht in der Zukunft liegen."),
        ({"capacity": "9"}, "Tandems"),
        (
            {"pref_age_min": "50", "pref_age_max": "20"},
            "Die Altersspanne darf nicht enden, bevor sie beginnt.",
        ),
    ],
)
def test_bad_input_gives_a_german_message_and_writes_nothing(client, coordinator, org, changes, message):
    client.force_login(coordinator)
    response = client.post(reverse("volunteers:volunteer_create"), _form_data(org, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Volunteer.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="volunteers.").exists()


def test_status_change_action_adds_a_step(client, partner, org):
    volunteer = VolunteerFactory(organisation=org)
    client.force_login(partner)
    response = client.post(
        reverse("volunteers:volunteer_status", args=[volunteer.pk]),
        {"status": "paused", "note": "Elternzeit"},
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.status == "paused"
    assert "Elternzeit" in client.get(volunteer.get_absolute_url()).content.decode()


def test_clearance_form_records_dates_only_and_validates(client, partner, org):
    volunteer = VolunteerFactory(organisation=org, status=VolunteerStatus.INTERVIEW_DONE)
    client.force_login(partner)
    url = reverse("volunteers:clearance_create", args=[volunteer.pk])
    bad = client.post(url, {"issued_on": "2026-11-20", "seen_on": "2026-11-10", "seen_by": partner.pk})
    assert "nach dem Tag der Vorlage" in bad.content.decode()
    bad_until = client.post(
        url, {"seen_on": "2026-11-10", "seen_by": partner.pk, "valid_until": "2026-11-01"}
    )
    assert "über den Tag der Vorlage hinaus" in bad_until.content.decode()
    assert not volunteer.clearances.exists()
    ok = client.post(url, {"issued_on": "2026-11-01", "seen_on": "2026-11-10", "seen_by": partner.pk})
    assert ok.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.clearance_valid_until == datetime.date(2026, 11, 1) + datetime.timedelta(days=1826)


def test_interview_form_lists_only_staff_in_scope(client, partner, org, other_org_partner):
    volunteer = VolunteerFactory(organisation=org)
    client.force_login(partner)
    response = client.get(reverse("volunteers:interview_create", args=[volunteer.pk]))
    choices = {str(pk) for pk, _label in response.context["form"].fields["held_by"].choices if pk}
    assert str(partner.pk) in choices and str(other_org_partner.pk) not in choices


def test_duplicates_page_and_merge(client, coordinator, org, other_org):
    keep = VolunteerFactory(organisation=org, email="same@example.org", last_name="Erst")
    other = VolunteerFactory(organisation=other_org, email="Same@Example.org", last_name="Zweit")
    client.force_login(coordinator)
    page = client.get(reverse("volunteers:volunteer_duplicates")).content.decode()
    assert "gleiche E-Mail-Adresse" in page and "Erst" in page and "Zweit" in page
    url = reverse("volunteers:volunteer_merge", args=[keep.pk, other.pk])
    assert client.post(url, {}).status_code == 200, "without the confirmation nothing happens"
    assert Volunteer.objects.get(pk=other.pk).anonymised_at is None
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert Volunteer.objects.get(pk=other.pk).merged_into_id == keep.pk
    assert "Zweit" not in client.get(reverse("volunteers:volunteer_duplicates")).content.decode()


def test_merge_of_a_record_in_an_open_tandem_says_why_and_changes_nothing(client, coordinator, org):
    from tests.factories.tandems import ActiveTandemFactory

    keep = VolunteerFactory(organisation=org)
    tandem = ActiveTandemFactory(organisation=org)
    client.force_login(coordinator)
    response = client.post(
        reverse("volunteers:volunteer_merge", args=[keep.pk, tandem.volunteer.pk]), {"confirm": "on"}
    )
    assert response.status_code == 200
    assert f"#{tandem.volunteer.pk} ist in einem offenen Tandem" in response.content.decode()
    assert Volunteer.objects.get(pk=tandem.volunteer.pk).anonymised_at is None


def test_partner_cannot_merge_across_organisations(client, partner, org, other_org):
    mine = VolunteerFactory(organisation=org, email="same@example.org")
    theirs = VolunteerFactory(organisation=other_org, email="same@example.org")
    client.force_login(partner)
    assert (
        client.post(
            reverse("volunteers:volunteer_merge", args=[mine.pk, theirs.pk]), {"confirm": "on"}
        ).status_code
        == 404
    )
    assert "same@example.org" not in client.get(reverse("volunteers:volunteer_duplicates")).content.decode()


def test_detail_shows_timeline_consent_and_history(client, coordinator, org):
    volunteer = VolunteerFactory(organisation=org)
    Consent.objects.create(
        content_type=ContentType.objects.get_for_model(Volunteer),
        object_id=volunteer.pk,
        purpose="volunteer_register",
        text_version="2026-11",
        channel="paper",
        given_at=timezone.now(),
    )
    client.force_login(coordinator)
    page = client.get(volunteer.get_absolute_url()).content.decode()
    assert "Textversion 2026-11" in page and "Papierformular" in page


def test_inbox_shows_signups_with_state_filters(client, coordinator, fwz):
    confirmed = VolunteerFactory(
        organisation=fwz,
        last_name="Bestätigt",
        signed_up_at=timezone.now(),
        email_confirmed_at=timezone.now(),
        status="email_confirmed",
    )
    VolunteerFactory(organisation=fwz, last_name="Offen", signed_up_at=timezone.now())
    VolunteerFactory(
        organisation=fwz, last_name="Dublette", signed_up_at=timezone.now(), possible_duplicate_of=confirmed
    )
    VolunteerFactory(organisation=fwz, last_name="VonHand")
    client.force_login(coordinator)
    url = reverse("volunteers:volunteer_inbox")
    page = client.get(url).content.decode()
    assert "Offen" in page and "Bestätigt" in page and "VonHand" not in page
    assert "Bestätigt" not in client.get(url + "?state=unconfirmed").content.decode()
    flagged = client.get(url + "?state=flagged").content.decode()
    assert "Dublette" in flagged and "Offen" not in flagged


@pytest.mark.parametrize("pairs", [2, 30])
def test_duplicates_page_reads_a_fixed_number_of_queries_and_pages_by_20_groups(
    client, coordinator, org, pairs, django_assert_max_num_queries
):
    for n in range(pairs):
        VolunteerFactory(organisation=org, email=f"doppelt{n}@example.org")
        VolunteerFactory(organisation=org, email=f"Doppelt{n}@example.org")
    client.force_login(coordinator)
    with django_assert_max_num_queries(9):
        page = client.get(reverse("volunteers:volunteer_duplicates"))
    groups = page.context["groups"]
    assert len(groups) == min(pairs, 20)
    assert all(len(group.members) == 2 for group in groups)
    assert "doppelt0@example.org" in page.content.decode()
