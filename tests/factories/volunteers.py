import datetime

import factory
from factory.django import DjangoModelFactory

from core.models import Language
from tests.factories.core import OrganisationFactory
from volunteers.keys import email_key, name_key, phone_key
from volunteers.models import Volunteer, VolunteerLanguage, VolunteerStatus


class VolunteerFactory(DjangoModelFactory):
    class Meta:
        model = Volunteer
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    email = factory.Sequence(lambda n: f"pate{n}@example.org")
    phone = factory.Sequence(lambda n: f"0511 {100000 + n}")
    birth_date = factory.Faker("date_of_birth", minimum_age=20, maximum_age=75)
    status = VolunteerStatus.REGISTERED
    email_key = factory.LazyAttribute(lambda v: email_key(v.email))
    phone_key = factory.LazyAttribute(lambda v: phone_key(v.phone))
    name_key = factory.LazyAttribute(lambda v: name_key(v.first_name, v.last_name))


class ReadyVolunteerFactory(VolunteerFactory):
    """Trained, cleared and available: can be matched."""

    status = VolunteerStatus.TRAINED
    trained_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    clearance_valid_until = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=700))
    available_weekdays = [1, 3, 5]
    available_times = ["evening"]


class VolunteerLanguageFactory(DjangoModelFactory):
    class Meta:
        model = VolunteerLanguage

    volunteer = factory.SubFactory(VolunteerFactory)
    language = factory.LazyFunction(lambda: Language.objects.get(code="de"))
    level = "native"
