"""The ticked rows of the bulk registration and of the attendance page are read by forms
(trainings.forms.RegistrationManyForm, AttendanceForm) over the selector's queryset: an unreadable
selection is refused in German and changes nothing; a volunteer outside the user's scope answers 404."""

from django.contrib.messages import get_messages
from django.urls import reverse

from tests.conftest import client_for
from tests.factories.trainings import PastSessionFactory, SessionFactory, course_type
from tests.factories.volunteers import VolunteerFactory
from trainings.models import Registration
from trainings.services import registration_create


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_bulk_registration_with_one_unreadable_id_registers_nobody(coordinator, fwz):
    session = SessionFactory(organisation=fwz)
    good = VolunteerFactory(organisation=fwz)
    response = client_for(coordinator).post(
        reverse("trainings:session_register", args=[session.pk]), {"volunteers": [good.pk, "1.5"]}
    )
    assert response.status_code == 302
    assert "Die Auswahl konnte nicht gelesen werden" in _messages(response)
    assert not Registration.objects.filter(session=session).exists()


def test_bulk_registration_of_someone_out_of_scope_is_404_and_registers_nobody(partner, org, other_org):
    session = SessionFactory(organisation=org)
    mine, theirs = VolunteerFactory(organisation=org), VolunteerFactory(organisation=other_org)
    response = client_for(partner).post(
        reverse("trainings:session_register", args=[session.pk]), {"volunteers": [mine.pk, theirs.pk]}
    )
    assert response.status_code == 404
    assert not Registration.objects.filter(session=session).exists()


def test_attendance_with_an_id_not_of_this_session_saves_nothing(coordinator, fwz):
    session = PastSessionFactory(organisation=fwz, course_type=course_type("meetup"))
    elsewhere = PastSessionFactory(organisation=fwz, course_type=course_type("meetup"))
    mine = registration_create(
        session=session, volunteer=VolunteerFactory(organisation=fwz), actor=coordinator
    )
    other = registration_create(
        session=elsewhere, volunteer=VolunteerFactory(organisation=fwz), actor=coordinator
    )
    response = client_for(coordinator).post(
        reverse("trainings:session_attendance", args=[session.pk]),
        {"shown": [mine.pk, other.pk], "attended": [mine.pk, other.pk]},
    )
    assert response.status_code == 302
    assert "Die Auswahl konnte nicht gelesen werden" in _messages(response)
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.attended, other.attended) == (False, False)
