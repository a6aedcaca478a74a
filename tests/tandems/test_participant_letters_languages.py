"""The letters, invitations and self-service pages participants read speak their preferred language
(issue #19): the volunteer's `preferred_language`, the household's first language the pages speak."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from tandems import services
from tandems.models import MeetingFrequency
from tandems.selfservice import selfservice_link_create
from tests.factories.core import help_area, language
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.tandems import ActiveTandemFactory
from tests.factories.trainings import SessionFactory
from tests.factories.volunteers import ReadyVolunteerFactory
from trainings.services import session_invitations_send

pytestmark = pytest.mark.django_db


def test_the_self_service_pages_speak_the_volunteers_language(client, org, partner):
    tandem = ActiveTandemFactory(organisation=org, coordinator=partner, volunteer__preferred_language="ar")
    token = selfservice_link_create(volunteer=tandem.volunteer, actor=None)[1]
    for name, words in (("overview", "نظرة عامة"), ("edit", "الأوقات المتاحة"), ("hours", "تسجيل الساعات")):
        page = client.get(reverse(f"selfservice:{name}", args=[token])).content.decode()
        assert '<html lang="ar" dir="rtl"' in page and words in page, name
    switched = client.get(reverse("selfservice:overview", args=[token]) + "?lang=uk").content.decode()
    assert '<html lang="uk" dir="ltr"' in switched and "Огляд" in switched


def test_the_agreement_goes_to_each_side_in_their_language(coordinator, fwz):
    tandem = ActiveTandemFactory(
        organisation=fwz,
        coordinator=coordinator,
        volunteer=ReadyVolunteerFactory(organisation=fwz, first_name="Greta", preferred_language="uk"),
        refugee=WaitingRefugeeFactory(organisation=fwz, first_name="Samira", email="samira@example.org"),
        planned_frequency=MeetingFrequency.WEEKLY,
    )
    tandem.refugee.languages.set([language("ar")])
    tandem.planned_activities.set([help_area("german")])
    services.tandem_agreement_send(tandem=tandem, actor=coordinator)
    household = OutboxMessage.objects.get(to_address="samira@example.org")
    assert household.language == "ar" and "اتفاق التاندم" in household.subject
    assert "يشكّلان تاندم" in household.body
    volunteer = OutboxMessage.objects.get(to_address=tandem.volunteer.email)
    assert volunteer.language == "uk" and "угода тандему" in volunteer.subject


def test_the_introduction_letter_and_the_training_invitation_speak_the_volunteers_language(coordinator, fwz):
    volunteer = ReadyVolunteerFactory(organisation=fwz, preferred_language="tr")
    tandem = services.tandem_propose(
        volunteer=volunteer, refugee=WaitingRefugeeFactory(organisation=fwz), actor=coordinator
    )
    services.tandem_introduce(
        tandem=tandem, actor=coordinator, introduced_on=timezone.localdate(), send_letter=True
    )
    letter = OutboxMessage.objects.get(template="tandems/introduction_letter")
    assert letter.subject == "10.000 Freunde: tandeminiz" and "İlk buluşmadan önce" in letter.body
    session = SessionFactory(organisation=fwz)
    session_invitations_send(session=session, volunteers=[volunteer], actor=coordinator, group="registered")
    invitation = OutboxMessage.objects.get(template="trainings/email/invitation")
    assert invitation.subject.startswith("Davet:") and "içtenlikle davet ediyoruz" in invitation.body


def test_the_link_request_keeps_the_visitors_language_after_sending(client):
    page = client.get(reverse("selfservice:request") + "?lang=ar").content.decode()
    assert f'action="{reverse("selfservice:request")}?lang=ar"' in page
    response = client.post(reverse("selfservice:request") + "?lang=ar", {"email": "nobody@example.org"})
    assert response.status_code == 303 and "lang=ar" in response.url
    assert '<html lang="ar" dir="rtl"' in client.get(response.url).content.decode()
