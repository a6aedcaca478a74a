import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import AuditEntry
from tests.factories.trainings import PastSessionFactory, RegistrationFactory, SessionFactory, course_type
from tests.factories.volunteers import VolunteerFactory
from trainings.models import Registration, RegistrationStatus
from trainings.selectors import training_hours_for, training_registrations_for
from trainings.services import (
    registration_create,
    registration_create_many,
    registration_delete,
    session_update,
    training_attendance_record,
)
from volunteers.models import VolunteerStatus


@pytest.fixture
def full_session(fwz):
    return SessionFactory(organisation=fwz, capacity=2)


def _register(session, coordinator, n):
    return [
        registration_create(
            session=session, volunteer=VolunteerFactory(organisation=session.organisation), actor=coordinator
        )
        for _ in range(n)
    ]


def test_registrations_beyond_capacity_go_onto_the_waiting_list_in_order(full_session, coordinator):
    first, second, third, fourth = _register(full_session, coordinator, 4)
    assert [first.status, second.status] == [RegistrationStatus.REGISTERED] * 2
    assert (third.status, third.waiting_position) == (RegistrationStatus.WAITING, 1)
    assert (fourth.status, fourth.waiting_position) == (RegistrationStatus.WAITING, 2)


def test_a_freed_place_goes_to_the_first_waiting_and_the_list_moves_up(full_session, coordinator):
    first, _second, third, fourth = _register(full_session, coordinator, 4)
    moved = registration_delete(registration=first, actor=coordinator)
    assert [r.pk for r in moved] == [third.pk]
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert (third.status, third.waiting_position) == (RegistrationStatus.REGISTERED, None)
    assert (fourth.status, fourth.waiting_position) == (RegistrationStatus.WAITING, 1)
    assert AuditEntry.objects.filter(
        action="trainings.registration.moved_up", object_id=str(third.pk)
    ).exists()


def test_leaving_the_waiting_list_renumbers_those_behind(full_session, coordinator):
    *_, third, fourth, fifth = _register(full_session, coordinator, 5)
    assert registration_delete(registration=third, actor=coordinator) == []
    fourth.refresh_from_db()
    fifth.refresh_from_db()
    assert (fourth.waiting_position, fifth.waiting_position) == (1, 2)
    assert (
        Registration.objects.filter(session=full_session, status=RegistrationStatus.REGISTERED).count() == 2
    )


def test_a_larger_capacity_moves_people_up(full_session, coordinator):
    *_, third, fourth = _register(full_session, coordinator, 4)
    session_update(session=full_session, actor=coordinator, data={"capacity": 3})
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == RegistrationStatus.REGISTERED
    assert (fourth.status, fourth.waiting_position) == (RegistrationStatus.WAITING, 1)


def test_capacity_cannot_drop_below_places_taken(full_session, coordinator):
    _register(full_session, coordinator, 2)
    with pytest.raises(ValidationError) as error:
        session_update(session=full_session, actor=coordinator, data={"capacity": 1})
    assert "capacity" in error.value.message_dict
    full_session.refresh_from_db()
    assert full_session.capacity == 2


def test_a_volunteer_is_registered_once_per_session(full_session, coordinator):
    volunteer = VolunteerFactory(organisation=full_session.organisation)
    registration_create(session=full_session, volunteer=volunteer, actor=coordinator)
    with pytest.raises(ValidationError):
        registration_create(session=full_session, volunteer=volunteer, actor=coordinator)
    assert Registration.objects.filter(session=full_session, volunteer=volunteer).count() == 1


def test_the_database_refuses_a_second_registration_too(full_session):
    registration = RegistrationFactory(session=full_session)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(session=full_session, volunteer=registration.volunteer)


def test_many_at_once_skips_those_already_registered(full_session, coordinator):
    volunteers = VolunteerFactory.create_batch(3, organisation=full_session.organisation)
    registration_create(session=full_session, volunteer=volunteers[0], actor=coordinator)
    summary = registration_create_many(session=full_session, volunteers=volunteers, actor=coordinator)
    assert summary.skipped == [volunteers[0]]
    assert summary.registered == [volunteers[1]]
    assert summary.waiting == [volunteers[2]]


def test_attending_the_basic_training_makes_the_volunteer_trained(coordinator, fwz):
    session = PastSessionFactory(organisation=fwz, course_type=course_type("basic"))
    volunteer = VolunteerFactory(organisation=fwz, status=VolunteerStatus.CLEARED)
    registration = registration_create(session=session, volunteer=volunteer, actor=coordinator)
    training_attendance_record(registration=registration, attended=True, actor=coordinator)
    volunteer.refresh_from_db()
    assert volunteer.trained_on == timezone.localdate(session.starts_at)
    assert volunteer.status == VolunteerStatus.TRAINED
    assert AuditEntry.objects.filter(
        action="volunteers.volunteer.trained", object_id=str(volunteer.pk)
    ).exists()


def test_unticking_the_only_basic_training_takes_trained_back(coordinator, fwz):
    from volunteers.models import Interview, InterviewOutcome

    session = PastSessionFactory(organisation=fwz, course_type=course_type("basic"))
    volunteer = VolunteerFactory(
        organisation=fwz,
        status=VolunteerStatus.CLEARED,
        clearance_valid_until=timezone.localdate() + datetime.timedelta(days=300),
    )
    Interview.objects.create(
        volunteer=volunteer,
        held_on=timezone.localdate(),
        held_by=coordinator,
        outcome=InterviewOutcome.SUITABLE,
    )
    registration = registration_create(session=session, volunteer=volunteer, actor=coordinator)
    training_attendance_record(registration=registration, attended=True, actor=coordinator)
    training_attendance_record(registration=registration, attended=False, actor=coordinator)
    volunteer.refresh_from_db()
    assert volunteer.trained_on is None
    assert volunteer.status == VolunteerStatus.CLEARED  # the interview and the clearance are still there
    step = volunteer.status_changes.order_by("-changed_at", "-pk").first()
    assert step.note == "Teilnahme an der Grundschulung zurückgenommen"
    assert (
        AuditEntry.objects.filter(action="volunteers.volunteer.trained", object_id=str(volunteer.pk)).count()
        == 2
    )


def test_unticking_one_of_two_basic_trainings_keeps_the_other_date(coordinator, fwz):
    first = PastSessionFactory(organisation=fwz, course_type=course_type("basic"))
    later = PastSessionFactory(
        organisation=fwz,
        course_type=course_type("basic"),
        starts_at=first.starts_at + datetime.timedelta(days=3),
    )
    volunteer = VolunteerFactory(organisation=fwz, status=VolunteerStatus.CLEARED)
    registrations = [
        registration_create(session=s, volunteer=volunteer, actor=coordinator) for s in (first, later)
    ]
    for registration in registrations:
        training_attendance_record(registration=registration, attended=True, actor=coordinator)
    training_attendance_record(registration=registrations[0], attended=False, actor=coordinator)
    volunteer.refresh_from_db()
    assert volunteer.trained_on == timezone.localdate(later.starts_at)
    assert volunteer.status == VolunteerStatus.TRAINED


def test_unticking_leaves_a_training_date_entered_by_hand(coordinator, fwz):
    session = PastSessionFactory(organisation=fwz, course_type=course_type("basic"))
    by_hand = timezone.localdate(session.starts_at) - datetime.timedelta(days=400)
    volunteer = VolunteerFactory(organisation=fwz, status=VolunteerStatus.ACTIVE, trained_on=by_hand)
    registration = registration_create(session=session, volunteer=volunteer, actor=coordinator)
    training_attendance_record(registration=registration, attended=True, actor=coordinator)
    training_attendance_record(registration=registration, attended=False, actor=coordinator)
    volunteer.refresh_from_db()
    assert volunteer.trained_on == by_hand and volunteer.status == VolunteerStatus.ACTIVE


def test_attending_a_module_does_not_make_anyone_trained(coordinator, fwz):
    session = PastSessionFactory(organisation=fwz, course_type=course_type("trauma"))
    registration = registration_create(
        session=session, volunteer=VolunteerFactory(organisation=fwz), actor=coordinator
    )
    training_attendance_record(registration=registration, attended=True, actor=coordinator)
    registration.volunteer.refresh_from_db()
    assert registration.volunteer.trained_on is None


def test_attendance_cannot_be_taken_before_the_session_day(full_session, coordinator):
    registration = _register(full_session, coordinator, 1)[0]
    with pytest.raises(ValidationError):
        training_attendance_record(registration=registration, attended=True, actor=coordinator)
    registration.refresh_from_db()
    assert registration.attended is False


def test_the_waiting_list_cannot_attend(coordinator, fwz):
    session = PastSessionFactory(organisation=fwz, capacity=1)
    _first, waiting = _register(session, coordinator, 2)
    with pytest.raises(ValidationError):
        training_attendance_record(registration=waiting, attended=True, actor=coordinator)


def test_an_attended_registration_cannot_be_deregistered(coordinator, fwz):
    session = PastSessionFactory(organisation=fwz)
    registration = _register(session, coordinator, 1)[0]
    training_attendance_record(registration=registration, attended=True, actor=coordinator)
    with pytest.raises(ValidationError):
        registration_delete(registration=registration, actor=coordinator)
    assert Registration.objects.filter(pk=registration.pk).exists()


def test_training_hours_add_up_over_attended_sessions(coordinator, fwz):
    volunteer = VolunteerFactory(organisation=fwz)
    assert training_hours_for(volunteer=volunteer) == Decimal("0")
    for code, days in [("basic", 60), ("trauma", 30), ("meetup", 5)]:
        start = timezone.now() - datetime.timedelta(days=days)
        session = PastSessionFactory(organisation=fwz, course_type=course_type(code), starts_at=start)
        registration = registration_create(session=session, volunteer=volunteer, actor=coordinator)
        training_attendance_record(registration=registration, attended=True, actor=coordinator)
    not_attended = PastSessionFactory(organisation=fwz, course_type=course_type("exchange"))
    registration_create(session=not_attended, volunteer=volunteer, actor=coordinator)
    assert training_hours_for(volunteer=volunteer) == Decimal("11.0")  # 6 + 3 + 2
    # the volunteer's page sums the registrations it has read: the same hours
    read = list(training_registrations_for(volunteer=volunteer))
    assert training_hours_for(volunteer=volunteer, registrations=read) == Decimal("11.0")
