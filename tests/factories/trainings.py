import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tests.factories.core import OrganisationFactory
from tests.factories.volunteers import VolunteerFactory
from trainings.models import CourseType, Registration, RegistrationStatus, Session


def course_type(code: str = "basic") -> CourseType:
    """The course types come from the data migration: basic, intercultural, asylum-law, trauma, meetup, exchange."""
    return CourseType.objects.get(code=code)


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    organisation = factory.SubFactory(OrganisationFactory)
    course_type = factory.LazyFunction(lambda: course_type("basic"))
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=14)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
    )
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=6))
    place = "Freiwilligenzentrum, Karmarschstraße 30, Hannover"
    trainer = factory.Faker("name", locale="de_DE")
    capacity = 20


class PastSessionFactory(SessionFactory):
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() - datetime.timedelta(days=10)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
    )


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    volunteer = factory.SubFactory(
        VolunteerFactory, organisation=factory.SelfAttribute("..session.organisation")
    )
    status = RegistrationStatus.REGISTERED
