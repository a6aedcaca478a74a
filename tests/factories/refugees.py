import datetime

import factory
from factory.django import DjangoModelFactory

from refugees.models import HouseholdMember, Refugee, RefugeeStatus
from tests.factories.core import OrganisationFactory


class RefugeeFactory(DjangoModelFactory):
    class Meta:
        model = Refugee

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Faker("first_name", locale="ar_AA")
    last_name = factory.Faker("last_name", locale="ar_AA")
    phone = factory.Sequence(lambda n: f"0176 {200000 + n}")
    birth_year = 1990
    status = RefugeeStatus.REFERRED


class WaitingRefugeeFactory(RefugeeFactory):
    status = RefugeeStatus.WAITING
    intake_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=20))
    waiting_since = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=20))


class HouseholdMemberFactory(DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    refugee = factory.SubFactory(RefugeeFactory)
    role = "child"
    birth_year = 2018
