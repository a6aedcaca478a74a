"""The printable tandem agreement, its admin-edited ground rules, and "send to both" through the outbox."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry, Consent, ConsentChannel, OutboxMessage
from tandems import services
from tandems.models import AgreementText, MeetingFrequency
from tests.conftest import client_for
from tests.factories.core import help_area
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.tandems import ActiveTandemFactory
from tests.factories.volunteers import ReadyVolunteerFactory

TODAY = datetime.date(2026, 11, 26)


def _tandem(coordinator, fwz):
    fwz.phone, fwz.email = "0511 300344-0", "info@fwzh.example"
    fwz.save()
    tandem = ActiveTandemFactory(
        organisation=fwz,
        coordinator=coordinator,
        volunteer=ReadyVolunteerFactory(organisation=fwz, first_name="Greta"),
        refugee=WaitingRefugeeFactory(organisation=fwz, first_name="Samira", email="samira@example.org"),
        planned_frequency=MeetingFrequency.WEEKLY,
    )
    tandem.planned_activities.set([help_area("german")])
    AgreementText.objects.create(version=2, ground_rules="Wir sind pünktlich.\n\nWir reden miteinander.")
    return tandem


def test_introduction_records_the_planned_meetings_and_activities(coordinator, fwz):
    volunteer, refugee = ReadyVolunteerFactory(organisation=fwz), WaitingRefugeeFactory(organisation=fwz)
    tandem = services.tandem_propose(volunteer=volunteer, refugee=refugee, actor=coordinator)
    response = client_for(coordinator).post(
        reverse("tandems:tandem_introduce", args=[tandem.pk]),
        {
            "introduced_on": timezone.localdate().isoformat(),
            "planned_frequency": "fortnightly",
            "planned_activities": [help_area("german").pk],
        },
    )
    assert response.status_code == 302
    tandem.refresh_from_db()
    assert tandem.planned_frequency == "fortnightly"
    assert list(tandem.planned_activities.all()) == [help_area("german")]


def test_agreement_prints_names_plans_whom_to_call_and_the_newest_rules(coordinator, fwz):
    tandem = _tandem(coordinator, fwz)
    page = client_for(coordinator).get(reverse("tandems:tandem_agreement", args=[tandem.pk])).text
    assert "Greta und Samira bilden ein Tandem" in page
    assert "einmal pro Woche" in page
    assert str(help_area("german")) in page
    assert str(coordinator) in page and "0511 300344-0" in page and "info@fwzh.example" in page
    assert "<li>Wir sind pünktlich.</li>" in page and "<li>Wir reden miteinander.</li>" in page
    assert "Respekt" not in page  # version 1 (seeded) is replaced by the newer version 2
    assert "css/agreement.css" in page


def test_send_to_both_queues_the_text_for_each_side_and_respects_consent(coordinator, fwz):
    tandem = _tandem(coordinator, fwz)
    Consent.objects.create(
        content_type=ContentType.objects.get_for_model(tandem.refugee),
        object_id=tandem.refugee.pk,
        purpose="messages_email",
        text_version="2026-11",
        channel=ConsentChannel.ONLINE,
        given_at=timezone.now() - datetime.timedelta(days=3),
        withdrawn_at=timezone.now(),
    )
    response = client_for(coordinator).post(
        reverse("tandems:tandem_agreement_send", args=[tandem.pk]), follow=True
    )
    (message,) = OutboxMessage.objects.all()
    assert message.to_address == tandem.volunteer.email
    assert message.subject == "10.000 Freunde: Ihre Tandem-Vereinbarung"
    assert "Greta und Samira bilden ein Tandem." in message.body
    assert "Wie oft wir uns treffen wollen: einmal pro Woche" in message.body
    assert "- Wir sind pünktlich." in message.body
    assert "0511 300344-0" in message.body
    assert "<" not in message.body and "&" not in message.body
    assert "Einwilligung" in response.text  # the refugee's side did not go, and the page says why
    assert AuditEntry.objects.filter(action="tandems.tandem.agreement_queued").count() == 1


def test_agreement_text_is_edited_in_the_admin_and_audited(admin_user):
    client = client_for(admin_user)
    assert client.get(reverse("admin:tandems_agreementtext_changelist")).status_code == 200
    response = client.post(
        reverse("admin:tandems_agreementtext_add"), {"version": 7, "ground_rules": "Wir hören einander zu."}
    )
    assert response.status_code == 302
    text = AgreementText.objects.get(version=7)
    assert AuditEntry.objects.filter(action="tandems.agreementtext.created", object_id=str(text.pk)).exists()


def test_organisation_contact_is_editable_in_the_admin(admin_user, fwz):
    page = client_for(admin_user).get(reverse("admin:core_organisation_change", args=[fwz.pk])).text
    assert 'name="phone"' in page and 'name="email"' in page


def test_send_to_both_reaches_both_sides(coordinator, fwz):
    tandem = _tandem(coordinator, fwz)
    services.tandem_agreement_send(tandem=tandem, actor=coordinator)
    addresses = set(OutboxMessage.objects.values_list("to_address", flat=True))
    assert addresses == {tandem.volunteer.email, "samira@example.org"}
    assert all("Samira" in body for body in OutboxMessage.objects.values_list("body", flat=True))
