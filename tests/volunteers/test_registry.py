"""volunteers learns of tandems and trainings only through volunteers.registry, answered from their apps.py."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories.tandems import ActiveTandemFactory, TandemFactory
from trainings.services import registrations_merge
from volunteers import registry
from volunteers.services import volunteer_update


def test_tandems_and_trainings_answer_from_their_apps():
    assert len(registry._open_tandems) == 1
    assert {"training_registrations": registrations_merge} == registry.MERGE_STEPS


def test_the_capacity_cannot_drop_below_the_open_tandems(org, coordinator):
    tandem = ActiveTandemFactory(organisation=org)
    volunteer = tandem.volunteer
    volunteer_update(volunteer=volunteer, data={"capacity": 2}, actor=coordinator)
    TandemFactory(organisation=org, volunteer=volunteer)  # proposed: open too
    with pytest.raises(ValidationError, match="in 2 offenen Tandems"):
        volunteer_update(volunteer=volunteer, data={"capacity": 1}, actor=coordinator)
    volunteer.refresh_from_db()
    assert volunteer.capacity == 2
    assert registry.open_tandems(volunteer=volunteer).count() == 2


@pytest.fixture
def unanswered():
    saved_tandems, saved_steps = list(registry._open_tandems), dict(registry.MERGE_STEPS)
    registry._open_tandems.clear()
    registry.MERGE_STEPS.clear()
    yield
    registry._open_tandems[:] = saved_tandems
    registry.MERGE_STEPS.update(saved_steps)


def test_without_an_answer_a_volunteer_has_no_open_tandems(org, coordinator, unanswered):
    tandem = ActiveTandemFactory(organisation=org)
    assert registry.open_tandems(volunteer=tandem.volunteer) is None
    volunteer_update(volunteer=tandem.volunteer, data={"capacity": 2}, actor=coordinator)
    TandemFactory(organisation=org, volunteer=tandem.volunteer)
    # nobody says the two tandems are open: the capacity check has nothing to refuse
    assert volunteer_update(volunteer=tandem.volunteer, data={"capacity": 1}, actor=coordinator).capacity == 1
