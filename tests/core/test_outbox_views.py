"""The e-mails on a person's page and the resend button."""

from django.urls import reverse

from core.models import MessageState, OutboxMessage
from tests.conftest import client_for
from tests.core.permission_rows import _message_to
from tests.factories.volunteers import VolunteerFactory
from tests.jobs import queued_jobs


def test_the_volunteer_page_lists_sent_and_failed_emails_and_a_resend_queues_again(coordinator, org):
    volunteer = VolunteerFactory(organisation=org)
    failed = _message_to(volunteer)
    page = client_for(coordinator).get(volunteer.get_absolute_url()).content.decode()
    assert "E-Mails" in page and "SMTPServerDisconnected" in page and "fehlgeschlagen" in page
    response = client_for(coordinator).post(
        reverse("core:message_resend", args=[failed.pk]), {"next": volunteer.get_absolute_url()}
    )
    assert response.status_code == 302 and response.url == volunteer.get_absolute_url()
    failed.refresh_from_db()
    assert failed.state == MessageState.QUEUED and failed.error == ""
    assert [job["message_id"] for job in _jobs()] == [failed.pk]


def _jobs():
    from procrastinate.contrib.django import app

    return app.connector.get_sync_connector().execute_query_all(
        "SELECT (args->>'message_id')::int AS message_id FROM procrastinate_jobs"
    )


def test_a_partner_cannot_resend_to_another_organisations_person(partner, other_org):
    message = _message_to(VolunteerFactory(organisation=other_org))
    response = client_for(partner).post(reverse("core:message_resend", args=[message.pk]))
    assert response.status_code == 404
    assert OutboxMessage.objects.get(pk=message.pk).state == MessageState.FAILED and queued_jobs() == []
