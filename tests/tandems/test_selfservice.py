"""A volunteer's self-service by signed link (issue #18, second part): their own record, tandems and
trainings; availability changes the matching reads at once, audited as the volunteer's own; booking and
cancelling trainings with the staff's waiting list; hours; the activity certificate as a PDF; and nothing
of anybody else."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.history import field_label, present
from core.links import link_create
from core.models import AuditEntry, LinkPurpose
from core.services import channel_consent_change
from tandems.matching import suggest_volunteers
from tandems.models import HoursLog
from tandems.selfservice import selfservice_link_create
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.tandems import ActiveTandemFactory, closure_answers
from tests.factories.trainings import PastSessionFactory, RegistrationFactory, SessionFactory
from tests.factories.volunteers import ReadyVolunteerFactory
from trainings.models import Registration, RegistrationStatus
from volunteers.models import Volunteer, VolunteerStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def tandem(org, partner):
    return ActiveTandemFactory(organisation=org, coordinator=partner)


@pytest.fixture
def volunteer(tandem):
    # links go only to a person who consented to the channel (docs/participants.md)
    channel_consent_change(person=tandem.volunteer, channel="email", given=True, actor=None)
    return tandem.volunteer


@pytest.fixture
def token(volunteer):
    return selfservice_link_create(volunteer=volunteer, actor=None)[1]


def _url(name, token):
    return reverse(f"selfservice:{name}", args=[token])


def _edit_data(volunteer, **changes):
    data = {
        "available_weekdays": [str(d) for d in volunteer.available_weekdays],
        "available_times": list(volunteer.available_times),
        "hours_per_month": str(volunteer.hours_per_month),
        "capacity": str(volunteer.capacity),
        "help_areas": [str(a.pk) for a in volunteer.help_areas.all()],
        "paused_until": "",
        "lang-TOTAL_FORMS": "0",
        "lang-INITIAL_FORMS": "0",
        "lang-MIN_NUM_FORMS": "0",
        "lang-MAX_NUM_FORMS": "12",
    }
    data.update(changes)
    return data


def test_the_overview_shows_the_own_record_the_tandem_partners_first_name_and_trainings(
    client, tandem, token
):
    registration = RegistrationFactory(
        volunteer=tandem.volunteer, session=SessionFactory(organisation=tandem.organisation)
    )
    page = client.get(_url("overview", token)).content.decode()
    assert tandem.volunteer.last_name in page
    assert tandem.refugee.first_name in page
    assert tandem.refugee.last_name not in page, "of the other person only the first name"
    assert tandem.coordinator.email in page
    assert str(registration.session.course_type) in page


def test_a_link_of_another_purpose_or_a_forged_one_opens_nothing(client, tandem):
    _link, checkin_token = link_create(person=tandem.volunteer, purpose=LinkPurpose.CHECKIN, about=tandem)
    for token in (checkin_token, "WzEsIngiXQ:1abcde:forged"):
        page = client.get(_url("overview", token)).content.decode()
        assert "Dieser Link funktioniert nicht mehr" in page
        assert tandem.volunteer.last_name not in page


def test_an_availability_change_is_saved_audited_as_the_volunteers_own_and_read_by_the_matching(
    client, org, coordinator
):
    refugee = WaitingRefugeeFactory(organisation=org)
    volunteer = ReadyVolunteerFactory(organisation=org, available_weekdays=[5], available_times=["evening"])
    token = selfservice_link_create(volunteer=volunteer, actor=None)[1]

    def availability_score():
        [found] = [
            s for s in suggest_volunteers(refugee=refugee, user=coordinator) if s.volunteer.pk == volunteer.pk
        ]
        return {c.key: c for c in found.criteria}["availability"].score, found.total

    before = availability_score()
    response = client.post(
        _url("edit", token),
        _edit_data(
            volunteer, available_weekdays=["0", "1", "2", "3", "4"], available_times=["morning", "evening"]
        ),
    )
    assert response.status_code == 303
    volunteer.refresh_from_db()
    assert volunteer.available_weekdays == [0, 1, 2, 3, 4]
    after = availability_score()
    assert after[0] > before[0] and after[1] > before[1], "the suggestion's score rises at once"
    entry = AuditEntry.objects.get(
        action="volunteers.volunteer.self_service_changed", object_id=str(volunteer.pk)
    )
    assert entry.actor_id is None and "available_weekdays" in entry.changes
    shown = present(entry)
    assert shown.sentence == "Angaben von der*dem Ehrenamtlichen geändert (Selbstauskunft)"
    assert field_label(Volunteer, "available_weekdays") in [change.label for change in shown.changes]


def test_a_pause_takes_the_volunteer_out_of_the_suggestions(client, org, coordinator):
    refugee = WaitingRefugeeFactory(organisation=org)
    volunteer = ReadyVolunteerFactory(organisation=org)
    token = selfservice_link_create(volunteer=volunteer, actor=None)[1]
    assert volunteer.pk in {s.volunteer.pk for s in suggest_volunteers(refugee=refugee, user=coordinator)}
    until = TODAY + datetime.timedelta(days=60)
    assert (
        client.post(_url("edit", token), _edit_data(volunteer, paused_until=until.isoformat())).status_code
        == 303
    )
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.PAUSED and volunteer.paused_until == until
    assert volunteer.pk not in {s.volunteer.pk for s in suggest_volunteers(refugee=refugee, user=coordinator)}


def test_bad_input_changes_nothing_and_says_why_in_german(client, volunteer, token):
    before = (volunteer.capacity, volunteer.available_weekdays)
    response = client.post(
        _url("edit", token),
        _edit_data(volunteer, capacity="99", available_weekdays=["9"], paused_until=TODAY.isoformat()),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "in der Zukunft" in page
    volunteer.refresh_from_db()
    assert (volunteer.capacity, volunteer.available_weekdays) == before
    assert not AuditEntry.objects.filter(action="volunteers.volunteer.self_service_changed").exists()


def test_register_and_cancel_a_training_with_the_staffs_waiting_list(client, volunteer, token, org):
    full = SessionFactory(organisation=org, capacity=1)
    RegistrationFactory(session=full)
    assert client.post(_url("register", token), {"id": full.pk}).status_code == 303
    mine = Registration.objects.get(session=full, volunteer=volunteer)
    assert mine.status == RegistrationStatus.WAITING and mine.waiting_position == 1
    page = client.get(_url("trainings", token)).content.decode()
    assert "Warteliste (Platz 1)" in page
    assert client.post(_url("cancel", token), {"id": mine.pk}).status_code == 303
    assert not Registration.objects.filter(pk=mine.pk).exists()


def test_another_volunteers_registration_or_a_past_session_is_not_found(client, volunteer, token, org):
    others = RegistrationFactory(session=SessionFactory(organisation=org))
    past = PastSessionFactory(organisation=org)
    for name, pk in (("cancel", others.pk), ("register", past.pk), ("register", 2**40), ("cancel", "x")):
        response = client.post(_url(name, token), {"id": pk}, follow=True)
        assert response.status_code == 200
        assert "Das hat nicht geklappt" in response.content.decode()
    assert Registration.objects.filter(pk=others.pk).exists()
    assert not Registration.objects.filter(session=past, volunteer=volunteer).exists()


def test_hours_are_logged_for_the_own_tandem_only(client, tandem, token, org):
    other = ActiveTandemFactory(organisation=org)
    data = {"tandem": tandem.pk, "spent_on": TODAY.isoformat(), "hours": "2.5", "note": "Behördengang"}
    assert client.post(_url("hours", token), data).status_code == 303
    row = HoursLog.objects.get()
    assert (row.tandem, row.hours) == (tandem, Decimal("2.5"))
    assert AuditEntry.objects.filter(action="tandems.hourslog.created", object_id=str(row.pk)).exists()
    response = client.post(_url("hours", token), {**data, "tandem": other.pk})
    assert response.status_code == 200 and HoursLog.objects.count() == 1
    future = (TODAY + datetime.timedelta(days=2)).isoformat()
    response = client.post(_url("hours", token), {**data, "spent_on": future})
    assert "Zukunft" in response.content.decode() and HoursLog.objects.count() == 1


def test_the_certificate_downloads_as_a_pdf_with_the_trainings_and_hours(client, tandem, token):
    session = PastSessionFactory(organisation=tandem.organisation)
    RegistrationFactory(session=session, volunteer=tandem.volunteer, attended=True)
    HoursLog.objects.create(tandem=tandem, spent_on=TODAY, hours=Decimal("3.5"))
    response = client.get(_url("certificate", token))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Tätigkeitsnachweis" in text
    assert tandem.volunteer.last_name in text
    assert str(session.course_type) in text
    assert "3,5" in text or "3.5" in text


def test_a_link_opens_only_its_own_volunteer_and_counts_each_change(client, org):
    one, two = ReadyVolunteerFactory(organisation=org), ReadyVolunteerFactory(organisation=org)
    link, token = selfservice_link_create(volunteer=one, actor=None)
    page = client.get(_url("overview", token)).content.decode()
    assert one.last_name in page and two.last_name not in page
    assert client.post(_url("edit", token), _edit_data(one, hours_per_month="4")).status_code == 303
    link.refresh_from_db()
    assert link.uses == 1
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.hours_per_month == 4 and two.hours_per_month == 8


def test_own_hours_can_be_deleted_another_volunteers_not(client, tandem, token, org):
    mine = HoursLog.objects.create(tandem=tandem, spent_on=TODAY, hours=Decimal("1.0"))
    theirs = HoursLog.objects.create(tandem=ActiveTandemFactory(organisation=org), spent_on=TODAY, hours=2)
    response = client.post(_url("hours_delete", token), {"id": theirs.pk}, follow=True)
    assert "können nicht gelöscht werden" in response.content.decode()
    assert HoursLog.objects.filter(pk=theirs.pk).exists()
    assert client.post(_url("hours_delete", token), {"id": mine.pk}).status_code == 303
    assert not HoursLog.objects.filter(pk=mine.pk).exists()
    assert AuditEntry.objects.filter(action="tandems.hourslog.deleted", object_id=str(mine.pk)).exists()


def test_erasing_the_tandem_erases_the_notes_on_its_hours(tandem, coordinator):
    from core.models import EndReason
    from tandems import services

    row = HoursLog.objects.create(tandem=tandem, spent_on=TODAY, hours=2, note="Behördengang mit Frau X")
    services.tandem_end(
        tandem=tandem,
        actor=coordinator,
        ended_on=TODAY,
        end_reason=EndReason.objects.get(code="no-time"),
        closing_notes="",
        volunteer_wants_new=True,
        refugee_needs_new=False,
        **closure_answers(),
    )
    services.tandem_anonymise(tandem=tandem, actor=coordinator)
    row.refresh_from_db()
    assert row.note == "" and row.hours == 2


def _self_service_mails():
    from core.models import OutboxMessage

    return OutboxMessage.objects.filter(template="tandems/email/selfservice_link")


def test_a_coordinator_sends_the_link_through_the_outbox_and_it_opens(client, partner, volunteer):
    from tests.conftest import client_for

    staff = client_for(partner)
    response = staff.post(reverse("tandems:selfservice_link_send", args=[volunteer.pk]), follow=True)
    assert "ist per E-Mail unterwegs" in response.content.decode()
    [mail] = _self_service_mails()
    assert mail.to_address == volunteer.email and mail.context["first_name"] == volunteer.first_name
    path = mail.context["link"].split("://", 1)[-1].split("/", 1)[1]
    page = client.get("/" + path).content.decode()
    assert volunteer.last_name in page


def test_no_link_is_made_for_a_volunteer_without_an_address(partner, volunteer):
    from core.models import ParticipantLink
    from tests.conftest import client_for

    volunteer.email = ""
    volunteer.save(update_fields=["email"])
    response = client_for(partner).post(
        reverse("tandems:selfservice_link_send", args=[volunteer.pk]), follow=True
    )
    assert "Kein Link gesendet" in response.content.decode()
    assert not ParticipantLink.objects.filter(purpose=LinkPurpose.SELF_SERVICE).exists()
    assert not _self_service_mails().exists()


def test_the_request_form_answers_the_same_whatever_the_address(client, volunteer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tandems.tasks import selfservice_link_request_task
    from tests.jobs import queued_jobs

    url = reverse("selfservice:request")
    answers = []
    for address in (volunteer.email.upper(), "niemand@example.org"):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, {"email": address}, follow=True)
        # the request itself never looks for the person: the lookup and the sending are a job's
        assert not [q["sql"] for q in queries.captured_queries if "volunteers_volunteer" in q["sql"]]
        answers.append((response.status_code, response.content))
    assert answers[0] == answers[1]  # the same status and the very same page, byte for byte
    assert (
        "Wenn diese Adresse zu einer*einem bei uns registrierten Ehrenamtlichen gehört"
        in answers[0][1].decode()
    )
    assert not _self_service_mails().exists()
    jobs = [job for job in queued_jobs() if job["task_name"] == "tandems.selfservice_link_request"]
    assert len(jobs) == 2
    for address in (volunteer.email.upper(), "niemand@example.org"):
        selfservice_link_request_task(email=address)
    assert [m.to_address for m in _self_service_mails()] == [volunteer.email]
    bad = client.post(url, {"email": "kein-at-zeichen"})
    assert bad.status_code == 200 and "gültige E-Mail-Adresse" in bad.content.decode()
    assert len([job for job in queued_jobs() if job["task_name"] == "tandems.selfservice_link_request"]) == 2


def test_erasure_is_asked_for_and_lands_in_the_coordinators_queue_not_deleted(client, org, coordinator):
    from core.home import home_queues
    from volunteers.models import ErasureRequest

    volunteer = ReadyVolunteerFactory(organisation=org)
    token = selfservice_link_create(volunteer=volunteer, actor=None)[1]
    assert client.post(_url("erasure", token)).status_code == 303
    assert client.post(_url("erasure", token)).status_code == 303, "asking twice is the same request"
    assert ErasureRequest.objects.filter(volunteer=volunteer).count() == 1
    volunteer.refresh_from_db()
    assert volunteer.anonymised_at is None and volunteer.last_name
    assert "Ihre Anfrage ist bei uns angekommen" in client.get(_url("erasure", token)).content.decode()
    [queue] = [q for q in home_queues(user=coordinator, mine=False) if q.section.key == "erasure-requests"]
    assert [r.volunteer for r in queue.rows] == [volunteer]
    assert AuditEntry.objects.filter(action="volunteers.erasurerequest.created").count() == 1
