import factory
from factory.django import DjangoModelFactory

from core.models import District, HelpArea, Language, Membership, Organisation, OrganisationKind, Role, User


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partnerverein {n} e.V.")
    short_name = factory.Sequence(lambda n: f"Partner {n}")
    kind = OrganisationKind.PARTNER


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PARTNER


def district(code: str = "mitte") -> District:
    return District.objects.get(code=code)


def language(code: str = "ar") -> Language:
    return Language.objects.get(code=code)


def help_area(code: str = "german") -> HelpArea:
    return HelpArea.objects.get(code=code)
