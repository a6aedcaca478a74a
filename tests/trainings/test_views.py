import datetime
import io

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import client_for
from tests.factories.trainings import PastSessionFactory, RegistrationFactory, SessionFactory, course_type
from tests.factories.volunteers import VolunteerFactory
from trainings.models import Registration, RegistrationStatus, Session
from trainings.services import registration_create
from volunteers.models import VolunteerStatus


def test_list_shows_coming_sessions_by_default(coordinator, fwz):
    coming = SessionFactory(organisation=fwz, trainer="Kommende Trainerin")
    PastSessionFactory(organisation=fwz, trainer="Vergangene Trainerin")
    client = client_for(coordinator)
    response = client.get(reverse("trainings:session_list"), follow=True)
    assert response.redirect_chain[0][0].endswith("?when=coming")
    assert coming.trainer in response.text
    assert "Vergangene Trainerin" not in response.text
    past = client.get(reverse("trainings:session_list") + "?when=past")
    assert "Vergangene Trainerin" in past.text


def test_list_filters_by_course_type_organisation_and_dates(coordinator, fwz, org):
    SessionFactory(organisation=fwz, course_type=course_type("meetup"), trainer="Treffen FWZ")
    SessionFactory(organisation=org, course_type=course_type("basic"), trainer="Basis gEMiDe")
    client = client_for(coordinator)
    url = reverse("trainings:session_list")
    by_type = client.get(url, {"when": "", "course_type": course_type("meetup").pk}).text
    assert "Treffen FWZ" in by_type and "Basis gEMiDe" not in by_type
    by_org = client.get(url, {"when": "", "organisation": org.pk}).text
    assert "Basis gEMiDe" in by_org and "Treffen FWZ" not in by_org
    today = timezone.localdate()
    none_yet = client.get(url, {"when": "", "date_to": (today - datetime.timedelta(days=1)).isoformat()}).text
    assert "Treffen FWZ" not in none_yet


def test_bad_filter_value_answers_with_a_message_not_an_error(coordinator):
    response = client_for(coordinator).get(reverse("trainings:session_list"), {"date_from": "morgen"})
    assert response.status_code == 200
    assert "Datum" in response.text


def test_list_exports_csv_and_xlsx(coordinator, fwz):
    session = SessionFactory(organisation=fwz, trainer="Export Trainer")
    RegistrationFactory(session=session)
    client = client_for(coordinator)
    csv_text = b"".join(
        client.get(reverse("trainings:session_list"), {"when": "coming", "format": "csv"}).streaming_content
    ).decode()
    assert "Export Trainer" in csv_text
    assert "Kursart" in csv_text
    xlsx = client.get(reverse("trainings:session_list"), {"when": "coming", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    rows = list(sheet.values)
    assert rows[1][4] == "Export Trainer"
    assert rows[1][7] == 1  # registered


def test_list_counts_registered_waiting_and_attended_per_session_and_sorts_by_them(coordinator, fwz):
    busy = SessionFactory(organisation=fwz, trainer="Volle Trainerin", capacity=2)
    RegistrationFactory(session=busy, attended=True)
    RegistrationFactory(session=busy)
    RegistrationFactory(session=busy, status=RegistrationStatus.WAITING, waiting_position=1)
    SessionFactory(organisation=fwz, trainer="Leere Trainerin")
    client = client_for(coordinator)
    xlsx = client.get(
        reverse("trainings:session_list"), {"when": "coming", "sort": "-registered", "format": "xlsx"}
    )
    rows = list(load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.values)[1:]
    assert [(r[4], r[7], r[8], r[9]) for r in rows] == [
        ("Volle Trainerin", 2, 1, 1),
        ("Leere Trainerin", 0, 0, 0),
    ]
    page = client.get(reverse("trainings:session_list"), {"when": "coming", "sort": "registered"}).text
    assert page.index("Leere Trainerin") < page.index("Volle Trainerin")
    assert "2 / 2" in page


@pytest.mark.parametrize("rows", [5, 40])
def test_list_query_count_does_not_grow_with_rows(coordinator, fwz, rows, django_assert_max_num_queries):
    for session in SessionFactory.create_batch(rows, organisation=fwz):
        RegistrationFactory(session=session)
    client = client_for(coordinator)
    client.get(reverse("trainings:session_list"), {"when": "coming"})  # the first request writes the session
    with django_assert_max_num_queries(8):
        assert client.get(reverse("trainings:session_list"), {"when": "coming"}).status_code == 200


@pytest.mark.parametrize("rows", [5, 40])
def test_waiting_list_query_count_does_not_grow_with_rows(
    coordinator, fwz, rows, django_assert_max_num_queries
):
    VolunteerFactory.create_batch(rows, organisation=fwz)
    client = client_for(coordinator)
    client.get(reverse("trainings:basic_waiting_list"))  # the first request writes the session
    with django_assert_max_num_queries(8):
        assert client.get(reverse("trainings:basic_waiting_list")).status_code == 200


@pytest.mark.parametrize("rows", [5, 40])
def test_register_page_query_count_does_not_grow_with_rows(
    coordinator, fwz, rows, django_assert_max_num_queries
):
    session = SessionFactory(organisation=fwz)
    VolunteerFactory.create_batch(rows, organisation=fwz)
    client = client_for(coordinator)
    client.get(
        reverse("trainings:session_register", args=[session.pk])
    )  # the first request writes the session
    with django_assert_max_num_queries(10):
        assert client.get(reverse("trainings:session_register", args=[session.pk])).status_code == 200


def test_coordinator_creates_a_session_and_the_end_defaults_to_the_duration(coordinator, fwz):
    response = client_for(coordinator).post(
        reverse("trainings:session_create"),
        {
            "course_type": course_type("basic").pk,
            "organisation": fwz.pk,
            "starts_at": "2026-12-05T09:30",
            "ends_at": "",
            "place": "Freiwilligenzentrum",
            "capacity": "15",
        },
    )
    session = Session.objects.get()
    assert response.status_code == 302
    assert timezone.localtime(session.ends_at).hour == 15  # 6 hours


def test_session_form_rejects_bad_input_in_german(coordinator, fwz):
    response = client_for(coordinator).post(
        reverse("trainings:session_create"),
        {
            "course_type": course_type("basic").pk,
            "organisation": fwz.pk,
            "starts_at": "2026-12-05T09:30",
            "ends_at": "2026-12-05T08:00",
            "place": "",
            "online_url": "",
            "capacity": "0",
        },
    )
    assert response.status_code == 200
    assert "muss nach dem Beginn enden" in response.text
    assert "Ort oder einen Online-Link" in response.text
    assert not Session.objects.exists()


def test_partner_may_create_sessions_only_for_their_own_organisation(partner, fwz, org):
    client = client_for(partner)
    data = {
        "course_type": course_type("meetup").pk,
        "starts_at": "2026-12-05T18:00",
        "place": "Nachbarschaftstreff",
        "capacity": "10",
    }
    refused = client.post(reverse("trainings:session_create"), {**data, "organisation": fwz.pk})
    assert refused.status_code == 200 and not Session.objects.exists()
    client.post(reverse("trainings:session_create"), {**data, "organisation": org.pk})
    assert Session.objects.get().organisation == org


def test_partner_sees_counts_of_all_but_names_of_their_own_volunteers(partner, fwz, org):
    session = SessionFactory(organisation=fwz)
    own = RegistrationFactory(
        session=session, volunteer=VolunteerFactory(organisation=org, last_name="Eigenname")
    )
    RegistrationFactory(session=session, volunteer=VolunteerFactory(organisation=fwz, last_name="Fremdname"))
    page = client_for(partner).get(reverse("trainings:session_detail", args=[session.pk])).text
    assert own.volunteer.last_name in page
    assert "Fremdname" not in page
    assert "2 von 20 belegt" in page


def test_single_registration_and_waiting_list_messages(coordinator, fwz):
    session = SessionFactory(organisation=fwz, capacity=1)
    first, second = VolunteerFactory.create_batch(2, organisation=fwz)
    client = client_for(coordinator)
    url = reverse("trainings:registration_create", args=[session.pk])
    client.post(url, {"volunteer": first.pk})
    response = client.post(url, {"volunteer": second.pk}, follow=True)
    assert "Warteliste (Position 1)" in response.text
    again = client.post(url, {"volunteer": second.pk}, follow=True)
    assert "bereits" in again.text
    empty = client.post(url, {"volunteer": ""}, follow=True)
    assert "Wählen Sie" in empty.text


def test_bulk_registration_keeps_the_list_order_for_the_waiting_list(coordinator, fwz):
    session = SessionFactory(organisation=fwz, capacity=2)
    volunteers = VolunteerFactory.create_batch(3, organisation=fwz)
    client = client_for(coordinator)
    page = client.get(reverse("trainings:session_register", args=[session.pk]), {"not_trained": "on"})
    assert all(v.last_name in page.text for v in volunteers)
    client.post(
        reverse("trainings:session_register", args=[session.pk]),
        {"volunteers": [v.pk for v in volunteers], "confirm": "1"},
    )
    waiting = Registration.objects.get(session=session, status=RegistrationStatus.WAITING)
    assert waiting.volunteer == volunteers[2]


def test_bulk_registration_with_garbage_says_so(coordinator, fwz):
    session = SessionFactory(organisation=fwz)
    response = client_for(coordinator).post(
        reverse("trainings:session_register", args=[session.pk]), {"volunteers": ["abc"]}, follow=True
    )
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_deregistering_moves_the_waiting_person_up_and_says_so(coordinator, fwz):
    session = SessionFactory(organisation=fwz, capacity=1)
    first = registration_create(
        session=session, volunteer=VolunteerFactory(organisation=fwz), actor=coordinator
    )
    second = registration_create(
        session=session, volunteer=VolunteerFactory(organisation=fwz), actor=coordinator
    )
    response = client_for(coordinator).post(
        reverse("trainings:registration_delete", args=[first.pk]), follow=True
    )
    assert f"{second.volunteer} ist von der Warteliste nachgerückt" in response.text
    second.refresh_from_db()
    assert second.status == RegistrationStatus.REGISTERED


def test_attendance_checkbox_answers_with_its_row_for_htmx(coordinator, fwz):
    session = PastSessionFactory(organisation=fwz, course_type=course_type("basic"))
    volunteer = VolunteerFactory(organisation=fwz, status=VolunteerStatus.CLEARED)
    registration = registration_create(session=session, volunteer=volunteer, actor=coordinator)
    response = client_for(coordinator).post(
        reverse("trainings:registration_attendance", args=[registration.pk]),
        {"attended": [registration.pk]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.strip().startswith(f'<tr id="attendance-{registration.pk}"')
    assert "checked" in response.text
    assert "geschult am" in response.text
    volunteer.refresh_from_db()
    assert volunteer.trained_on == timezone.localdate(session.starts_at)


def test_attendance_works_without_javascript(coordinator, fwz):
    session = PastSessionFactory(organisation=fwz, course_type=course_type("meetup"))
    present, absent = (
        registration_create(session=session, volunteer=VolunteerFactory(organisation=fwz), actor=coordinator)
        for _ in range(2)
    )
    client = client_for(coordinator)
    page = client.get(reverse("trainings:session_attendance", args=[session.pk]))
    assert 'hx-post="' in page.text and "Anwesenheit speichern" in page.text
    assert f'name="shown" value="{present.pk}"' in page.text
    client.post(
        reverse("trainings:session_attendance", args=[session.pk]),
        {"shown": [present.pk, absent.pk], "attended": [present.pk]},
    )
    present.refresh_from_db()
    absent.refresh_from_db()
    assert (present.attended, absent.attended) == (True, False)


def test_attendance_form_changes_only_the_rows_it_names(coordinator, fwz):
    """A stale or partial form (a registration added after the page was loaded, or a form naming one row)
    must not untick, and so untrain, the volunteers it does not show."""
    session = PastSessionFactory(organisation=fwz, course_type=course_type("basic"))
    named, other = (
        registration_create(
            session=session,
            volunteer=VolunteerFactory(organisation=fwz, status=VolunteerStatus.CLEARED),
            actor=coordinator,
        )
        for _ in range(2)
    )
    client = client_for(coordinator)
    url = reverse("trainings:session_attendance", args=[session.pk])
    client.post(url, {"shown": [named.pk, other.pk], "attended": [named.pk, other.pk]})
    other.volunteer.refresh_from_db()
    trained_on = other.volunteer.trained_on
    assert trained_on == timezone.localdate(session.starts_at)
    client.post(url, {"shown": [named.pk]})
    named.refresh_from_db()
    other.refresh_from_db()
    other.volunteer.refresh_from_db()
    assert named.attended is False, "the named row is unticked"
    assert other.attended is True and other.volunteer.trained_on == trained_on, "the other row is untouched"
    client.post(url, {"attended": [named.pk]})
    named.refresh_from_db()
    assert named.attended is False, "a form that names no rows changes nothing"


def test_attendance_before_the_day_is_refused_in_the_row(coordinator, fwz):
    session = SessionFactory(organisation=fwz)
    registration = registration_create(
        session=session, volunteer=VolunteerFactory(organisation=fwz), actor=coordinator
    )
    response = client_for(coordinator).post(
        reverse("trainings:registration_attendance", args=[registration.pk]),
        {"attended": [registration.pk]},
        headers={"HX-Request": "true"},
    )
    assert "ab dem Tag der Veranstaltung" in response.text
    registration.refresh_from_db()
    assert registration.attended is False


def test_waiting_for_basic_lists_the_longest_waiting_first(coordinator, fwz):
    now = timezone.now()
    newer = VolunteerFactory(organisation=fwz, last_name="Neuerdings")
    older = VolunteerFactory(organisation=fwz, last_name="Längstwartend")
    VolunteerFactory(organisation=fwz, last_name="Pausiert", status=VolunteerStatus.PAUSED)
    VolunteerFactory(organisation=fwz, last_name="Geschult", trained_on=timezone.localdate())
    type(newer).objects.filter(pk=newer.pk).update(status_changed_at=now - datetime.timedelta(days=3))
    type(older).objects.filter(pk=older.pk).update(status_changed_at=now - datetime.timedelta(days=90))
    text = client_for(coordinator).get(reverse("trainings:basic_waiting_list")).text
    assert text.index("Längstwartend") < text.index("Neuerdings")
    assert "Pausiert" not in text and "Geschult" not in text


def test_volunteer_trainings_fragment_lists_sessions_and_hours(coordinator, fwz):
    volunteer = VolunteerFactory(organisation=fwz)
    session = PastSessionFactory(organisation=fwz, course_type=course_type("trauma"))
    registration = registration_create(session=session, volunteer=volunteer, actor=coordinator)
    registration.attended = True
    registration.save()
    html = Template("{% load trainings %}{% volunteer_trainings volunteer %}").render(
        Context({"volunteer": volunteer})
    )
    assert "Aufbaumodul Traumasensibler Umgang" in html
    assert "3,0" in html
    assert "teilgenommen" in html
