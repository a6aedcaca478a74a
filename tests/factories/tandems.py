import datetime

import factory
from factory.django import DjangoModelFactory

from tandems.models import CheckIn, Tandem, TandemStatus
from tests.factories.core import OrganisationFactory
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.volunteers import ReadyVolunteerFactory


class TandemFactory(DjangoModelFactory):
    """A proposed tandem of a ready volunteer and a waiting refugee of the same organisation."""

    class Meta:
        model = Tandem

    organisation = factory.SubFactory(OrganisationFactory)
    volunteer = factory.SubFactory(
        ReadyVolunteerFactory, organisation=factory.SelfAttribute("..organisation")
    )
    refugee = factory.SubFactory(WaitingRefugeeFactory, organisation=factory.SelfAttribute("..organisation"))
    status = TandemStatus.PROPOSED
    proposed_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=60))


class ActiveTandemFactory(TandemFactory):
    status = TandemStatus.ACTIVE
    started_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=45))
    introduced_on = factory.LazyAttribute(lambda t: t.started_on - datetime.timedelta(days=5))
    proposed_on = factory.LazyAttribute(lambda t: t.started_on - datetime.timedelta(days=15))
    refugee = factory.SubFactory(
        WaitingRefugeeFactory, organisation=factory.SelfAttribute("..organisation"), status="in_tandem"
    )


class CheckInFactory(DjangoModelFactory):
    class Meta:
        model = CheckIn

    tandem = factory.SubFactory(ActiveTandemFactory)
    held_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=5))
    channel = "phone"
    contact_with = "both"
    mood = "green"


def closure_answers(**overrides) -> dict:
    """What the end step needs besides the reason (issue #20), for tests about something else: both sides'
    wishes, no exit conversation (could not be reached) and no outcome."""
    return {
        "volunteer_wish": "none",
        "household_wish": "none",
        "no_conversation_reason": "unreachable",
        "no_outcome": True,
        **overrides,
    }
