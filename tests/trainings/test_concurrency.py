"""Two coordinators register two volunteers for the last place at the same moment: one gets it.

The rows are written and removed on connections of their own (committed), not through a transactional
test: its flush would also empty the reference tables that later tests rely on."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection

from tests.factories.core import OrganisationFactory
from tests.factories.trainings import SessionFactory
from tests.factories.volunteers import VolunteerFactory
from trainings.models import Registration, RegistrationStatus
from trainings.services import registration_create


def _in_own_connection(work: Callable[[], Any]) -> Any:
    """Run `work` in a thread, so on its own autocommitting database connection."""
    result: dict[str, Any] = {}

    def run():
        try:
            result["value"] = work()
        except BaseException as exc:  # handed to the caller below
            result["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    if "error" in result:
        raise result["error"]
    return result.get("value")


def test_two_simultaneous_registrations_cannot_both_take_the_last_place(db):
    def setup():
        organisation = OrganisationFactory()
        session = SessionFactory(organisation=organisation, capacity=1)
        return organisation, session, VolunteerFactory.create_batch(2, organisation=organisation)

    organisation, session, volunteers = _in_own_connection(setup)
    try:
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def register(volunteer):
            try:
                barrier.wait(timeout=10)
                registration_create(session=session, volunteer=volunteer, actor=None)
            except BaseException as exc:  # reported below; a thread must not swallow a failure
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=register, args=(v,)) for v in volunteers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == []
        rows = _in_own_connection(
            lambda: sorted(
                Registration.objects.filter(session=session).values_list("status", "waiting_position")
            )
        )
        assert rows == [(RegistrationStatus.REGISTERED, None), (RegistrationStatus.WAITING, 1)]
    finally:

        def cleanup():
            # audit entries cannot be deleted (a trigger refuses it); TRUNCATE is not refused, and the only
            # committed entries in the test database are this test's own
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE core_auditentry")
            session.delete()
            for volunteer in volunteers:
                volunteer.delete()
            organisation.delete()

        _in_own_connection(cleanup)
