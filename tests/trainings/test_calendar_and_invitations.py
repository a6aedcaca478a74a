import datetime

from django.core import mail
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from core.models import AuditEntry, OutboxMessage
from tests.conftest import client_for
from tests.factories.trainings import PastSessionFactory, SessionFactory
from tests.factories.volunteers import VolunteerFactory
from tests.jobs import run_jobs
from trainings.ical import session_uid
from trainings.models import CalendarToken
from trainings.services import calendar_token_regenerate, registration_create
from volunteers.models import VolunteerStatus


def _events(content: bytes) -> list:
    return Calendar.from_ical(content).walk("VEVENT")


def test_calendar_feed_lists_the_coming_sessions(coordinator, fwz):
    coming = SessionFactory(organisation=fwz, place="Kargah, Zur Bettfedernfabrik 1")
    PastSessionFactory(organisation=fwz)
    registration_create(
        session=coming, volunteer=VolunteerFactory(organisation=fwz, last_name="Geheim"), actor=coordinator
    )
    response = client_for(coordinator).get(reverse("trainings:calendar_feed"))
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response.content)
    assert [str(e["UID"]) for e in events] == [session_uid(coming)]
    event = events[0]
    assert str(event["SUMMARY"]) == "Basisschulung für Pat*innen"
    assert str(event["LOCATION"]) == "Kargah, Zur Bettfedernfabrik 1"
    assert event.decoded("DTSTART") == coming.starts_at
    assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(hours=6)
    assert b"Geheim" not in response.content  # no participant is ever named in a feed


def test_secret_link_works_without_login_and_can_be_replaced(coordinator, fwz):
    session = SessionFactory(organisation=fwz)
    token = calendar_token_regenerate(user=coordinator)
    anonymous = Client()
    url = reverse("trainings:calendar_token_feed", args=[token.token])
    response = anonymous.get(url)
    assert response.status_code == 200
    assert [str(e["UID"]) for e in _events(response.content)] == [session_uid(session)]
    replaced = calendar_token_regenerate(user=coordinator)
    assert replaced.token != token.token and len(replaced.token) >= 40
    assert anonymous.get(url).status_code == 404
    assert anonymous.get(reverse("trainings:calendar_token_feed", args=["nicht-geraten"])).status_code == 404
    assert AuditEntry.objects.filter(action="trainings.calendartoken.regenerated").exists()


def test_secret_link_stops_working_for_a_deactivated_user(coordinator):
    token = CalendarToken.objects.create(user=coordinator)
    coordinator.is_active = False
    coordinator.save()
    assert Client().get(reverse("trainings:calendar_token_feed", args=[token.token])).status_code == 404


def test_session_page_shows_the_users_link(coordinator, fwz):
    session = SessionFactory(organisation=fwz)
    client = client_for(coordinator)
    client.post(reverse("trainings:calendar_token_regenerate"), {"next": session.get_absolute_url()})
    page = client.get(session.get_absolute_url()).text
    assert coordinator.calendar_token.token in page


def test_invitations_reach_the_registered_with_an_ics_and_list_who_has_no_email(job_queue, coordinator, fwz):
    session = SessionFactory(
        organisation=fwz, place="Freiwilligenzentrum Hannover", trainer="Dr. Petra Lange"
    )
    with_mail = VolunteerFactory(organisation=fwz, first_name="Lena", email="lena@example.org")
    without = VolunteerFactory(organisation=fwz, first_name="Omid", last_name="Ohnemail", email="")
    for volunteer in (with_mail, without):
        registration_create(session=session, volunteer=volunteer, actor=coordinator)
    response = client_for(coordinator).post(
        reverse("trainings:session_invite", args=[session.pk]), {"group": "registered"}
    )
    assert response.status_code == 200
    assert "Omid Ohnemail" in response.text
    assert "1 Einladung an" in response.text
    assert not mail.outbox
    run_jobs()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lena@example.org"]
    assert message.subject.startswith("Einladung: Basisschulung für Pat*innen am ")
    assert "Hallo Lena," in message.body
    assert "Freiwilligenzentrum Hannover" in message.body
    name, content, mimetype = message.attachments[0]
    assert name == "termin.ics" and mimetype.startswith("text/calendar")
    (event,) = _events(content if isinstance(content, bytes) else content.encode())
    assert str(event["UID"]) == session_uid(session)
    assert "Dr. Petra Lange" in str(event["DESCRIPTION"])
    assert AuditEntry.objects.filter(
        action="trainings.session.invitations_sent", object_id=str(session.pk)
    ).exists()


def _queued_to() -> set[str]:
    return set(OutboxMessage.objects.values_list("to_address", flat=True))


def test_invitations_to_the_untrained_and_to_active_mentors_of_an_organisation(coordinator, fwz, org):
    session = SessionFactory(organisation=fwz)
    untrained = VolunteerFactory(organisation=org, email="neu@example.org")
    VolunteerFactory(organisation=org, email="weg@example.org", status=VolunteerStatus.LEFT)
    active = VolunteerFactory(
        organisation=org,
        email="aktiv@example.org",
        status=VolunteerStatus.ACTIVE,
        trained_on=datetime.date(2026, 1, 10),
    )
    VolunteerFactory(
        organisation=fwz,
        email="fwz@example.org",
        status=VolunteerStatus.ACTIVE,
        trained_on=datetime.date(2026, 1, 10),
    )
    client = client_for(coordinator)
    client.post(reverse("trainings:session_invite", args=[session.pk]), {"group": "untrained"})
    assert _queued_to() >= {untrained.email}
    assert "weg@example.org" not in _queued_to()
    OutboxMessage.objects.all().delete()
    client.post(
        reverse("trainings:session_invite", args=[session.pk]), {"group": "active", "organisation": org.pk}
    )
    assert _queued_to() == {active.email}


def test_invitation_to_an_organisation_needs_the_organisation(coordinator, fwz, mailoutbox):
    session = SessionFactory(organisation=fwz)
    response = client_for(coordinator).post(
        reverse("trainings:session_invite", args=[session.pk]), {"group": "active"}
    )
    assert response.status_code == 200
    assert "Wählen Sie die Organisation" in response.text
    assert mailoutbox == []


def test_partner_invites_only_their_own_organisations_volunteers(partner, fwz, org):
    session = SessionFactory(organisation=fwz)
    VolunteerFactory(organisation=org, email="eigene@example.org")
    VolunteerFactory(organisation=fwz, email="fremde@example.org")
    client_for(partner).post(reverse("trainings:session_invite", args=[session.pk]), {"group": "untrained"})
    assert _queued_to() == {"eigene@example.org"}
