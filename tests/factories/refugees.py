import datetime

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from factory.django import DjangoModelFactory

from core.models import Consent, ConsentChannel
from refugees.models import (
    CONSENT_FORM_VERSION,
    CONSENT_PURPOSE,
    CloseReason,
    HouseholdMember,
    ReferralNote,
    Refugee,
    RefugeeStatus,
)
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


class ClosedRefugeeFactory(RefugeeFactory):
    status = RefugeeStatus.CLOSED
    closed_at = factory.LazyFunction(timezone.now)
    close_reason = CloseReason.NO_LONGER_NEEDED


class ReferralNoteFactory(DjangoModelFactory):
    class Meta:
        model = ReferralNote

    refugee = factory.SubFactory(RefugeeFactory)
    text = "Die Familie hat einen Termin beim Jobcenter."


def consent_for(refugee: Refugee, **kwargs) -> Consent:
    """A consent row to the programme, as the referral form records it."""
    return Consent.objects.create(
        content_type=ContentType.objects.get_for_model(Refugee),
        object_id=refugee.pk,
        purpose=CONSENT_PURPOSE,
        text_version=CONSENT_FORM_VERSION,
        channel=kwargs.pop("channel", ConsentChannel.PAPER),
        given_at=kwargs.pop("given_at", timezone.now()),
        **kwargs,
    )
