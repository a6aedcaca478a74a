"""Hostile input for every form of the training sessions (tests/hostile.py)."""

from tests.factories.trainings import PastSessionFactory, RegistrationFactory, SessionFactory
from tests.factories.volunteers import VolunteerFactory
from tests.hostile import HostileRow

SESSION_FIELDS = {
    "course_type": "int",
    "organisation": "int",
    "starts_at": "datetime",
    "ends_at": "datetime",
    "place": "text",
    "online_url": "text",
    "trainer": "text",
    "capacity": "int",
    "notes": "text",
}


def populate(world) -> None:
    world.trainings_hostile_session = SessionFactory(organisation=world.org)
    world.trainings_hostile_past = PastSessionFactory(organisation=world.org)
    world.trainings_hostile_volunteer = VolunteerFactory(organisation=world.org)
    world.trainings_hostile_registration = RegistrationFactory(
        session=world.trainings_hostile_past, volunteer=VolunteerFactory(organisation=world.org)
    )


def _session(w):
    return {"pk": w.trainings_hostile_session.pk}


def _past(w):
    return {"pk": w.trainings_hostile_past.pk}


ROWS = [
    HostileRow("trainings:session_create", SESSION_FIELDS),
    HostileRow(
        "trainings:session_create",
        {"starts_at": "datetime", "ends_at": "datetime", "place": "text", "trainer": "text", "notes": "text"},
        user=lambda w: w.users["partner"],
        fixed={"capacity": "12"},
        note="partner",
    ),
    HostileRow("trainings:session_edit", SESSION_FIELDS, kwargs=_session),
    HostileRow("trainings:registration_create", {"volunteer": "int", "note": "text"}, kwargs=_session),
    HostileRow("trainings:session_register", {"volunteers": "int"}, kwargs=_session),
    HostileRow("trainings:session_attendance", {"shown": "int", "attended": "int"}, kwargs=_past),
    HostileRow(
        "trainings:registration_attendance",
        {"attended": "int"},
        kwargs=lambda w: {"pk": w.trainings_hostile_registration.pk},
    ),
    HostileRow("trainings:session_invite", {"group": "choice", "organisation": "int"}, kwargs=_session),
    HostileRow("trainings:calendar_token_regenerate", {"next": "text"}),
]
