import datetime

from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.factories.trainings import course_type
from tests.factories.volunteers import VolunteerFactory
from trainings.models import Registration, Session


def _session_data(world, **overrides):
    start = timezone.localtime() - datetime.timedelta(days=1)
    return {
        "course_type": course_type("trauma").pk,
        "organisation": world.fwz.pk,
        "starts_at": start.strftime("%Y-%m-%dT10:00"),
        "ends_at": start.strftime("%Y-%m-%dT13:00"),
        "place": "Freiwilligenzentrum",
        "online_url": "",
        "trainer": "Dr. Petra Lange",
        "capacity": "12",
        "notes": "",
        **overrides,
    }


def exercise_session(world):
    """Created, changed and deleted through the session pages."""
    client = client_for(world.users["coordinator"])
    client.post(reverse("trainings:session_create"), _session_data(world))
    session = Session.objects.get(trainer="Dr. Petra Lange")
    client.post(
        reverse("trainings:session_edit", args=[session.pk]), _session_data(world, trainer="Jonas Weber")
    )
    client.post(reverse("trainings:session_delete", args=[session.pk]))
    assert not Session.objects.filter(pk=session.pk).exists()
    return session


def exercise_registration(world):
    """Registered, attendance ticked and unticked, deregistered: through the pages."""
    client = client_for(world.users["coordinator"])
    client.post(reverse("trainings:session_create"), _session_data(world, trainer="Aylin Demir"))
    session = Session.objects.get(trainer="Aylin Demir")
    volunteer = VolunteerFactory(organisation=world.fwz)
    client.post(
        reverse("trainings:registration_create", args=[session.pk]),
        {"volunteer": volunteer.pk, "note": "vegetarisch"},
    )
    registration = Registration.objects.get(session=session, volunteer=volunteer)
    url = reverse("trainings:registration_attendance", args=[registration.pk])
    client.post(url, {"attended": [registration.pk]})
    client.post(url, {})
    client.post(reverse("trainings:registration_delete", args=[registration.pk]))
    assert not Registration.objects.filter(pk=registration.pk).exists()
    return registration


CASES = {"trainings.Session": exercise_session, "trainings.Registration": exercise_registration}
