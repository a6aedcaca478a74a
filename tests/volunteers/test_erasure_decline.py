"""A coordinator declines a volunteer's request for erasure (issue #18) with a reason: audited, the volunteer
is told through the outbox in their language, and the request leaves the start page's queue."""

import pytest
from django.urls import reverse

from core.home import home_queues
from core.models import AuditEntry, OutboxMessage
from tests.factories.volunteers import ReadyVolunteerFactory
from volunteers.models import ErasureRequest
from volunteers.services import ERASURE_DECLINED_TEMPLATE, erasure_request_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_row(org):
    volunteer = ReadyVolunteerFactory(organisation=org, preferred_language="en")
    return erasure_request_create(volunteer=volunteer)


def _queue(user):
    queues = home_queues(user=user, mine=False)
    return [row for queue in queues if queue.section.key == "erasure-requests" for row in queue.rows]


def test_a_coordinator_declines_with_a_reason_and_the_volunteer_is_told(client, coordinator, request_row):
    client.force_login(coordinator)
    assert "Ablehnen" in client.get(reverse("core:home") + "?scope=all").content.decode()
    url = reverse("volunteers:erasure_request_decline", args=[request_row.pk])
    response = client.post(url, {"reason": "open_tandem"})
    assert response.status_code == 302
    request_row.refresh_from_db()
    assert request_row.declined_at and request_row.declined_by == coordinator
    assert request_row.decline_reason == "open_tandem"
    assert request_row.volunteer.anonymised_at is None  # nothing erased
    assert not _queue(coordinator)
    assert AuditEntry.objects.filter(action="volunteers.erasurerequest.declined", actor=coordinator).exists()
    message = OutboxMessage.objects.get(template=ERASURE_DECLINED_TEMPLATE)
    assert message.to_address == request_row.volunteer.email and message.language == "en"
    assert "tandem" in message.body and request_row.volunteer.last_name not in message.body


def test_declining_without_a_reason_changes_nothing(client, coordinator, request_row):
    client.force_login(coordinator)
    url = reverse("volunteers:erasure_request_decline", args=[request_row.pk])
    response = client.post(url, {"reason": "because"}, follow=True)
    assert response.status_code == 200 and "Bitte wählen Sie einen Grund" in response.content.decode()
    request_row.refresh_from_db()
    assert request_row.declined_at is None and not OutboxMessage.objects.exists()


def test_asking_again_after_a_decline_puts_the_request_back_in_the_queue(client, coordinator, request_row):
    client.force_login(coordinator)
    client.post(
        reverse("volunteers:erasure_request_decline", args=[request_row.pk]), {"reason": "legal_retention"}
    )
    erasure_request_create(volunteer=request_row.volunteer)
    assert ErasureRequest.objects.get().declined_at is None
    assert len(_queue(coordinator)) == 1
