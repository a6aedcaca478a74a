"""A bulk message to 10,000 volunteers is queued in under 5 seconds, and the confirming request answers
at once (it only fixes the recipients and defers the first step)."""

import time

import pytest
from django.urls import reverse

from core.models import OutboxMessage
from tests.jobs import queued_jobs
from volunteers.models import BulkMessage, BulkMessageState, Volunteer, VolunteerStatus
from volunteers.services import bulk_message_queue_step

N = 10_000


@pytest.mark.django_db(transaction=True)
def test_a_bulk_message_to_10000_volunteers_is_queued_in_under_5_seconds(job_queue, client, coordinator, fwz):
    Volunteer.objects.bulk_create(
        Volunteer(
            organisation=fwz,
            first_name=f"Vorname{n}",
            last_name=f"Nachname{n}",
            email=f"pate{n}@example.org",
            status=VolunteerStatus.ACTIVE,
        )
        for n in range(N)
    )
    client.force_login(coordinator)
    data = {"subject": "Hallo {{ vorname }}", "text": "Hallo {{ vorname }}", "action": "send", "expected": N}
    started = time.perf_counter()
    response = client.post(reverse("volunteers:bulk_message_create") + "?status=active", data)
    request_seconds = time.perf_counter() - started
    assert response.status_code == 302
    bulk = BulkMessage.objects.get()
    started = time.perf_counter()
    start = 0
    while start < N:  # the steps as the worker runs them, one after the other
        bulk_message_queue_step(bulk_id=bulk.pk, start=start)
        start += 500
    queue_seconds = time.perf_counter() - started
    bulk.refresh_from_db()
    assert bulk.state == BulkMessageState.QUEUED and OutboxMessage.objects.count() == N
    assert sum(1 for job in queued_jobs() if job["task_name"] == "core.outbox_send_many") == N // 500
    print(f"\nbulk message to {N}: request {request_seconds:.2f} s, queueing {queue_seconds:.2f} s")
    assert request_seconds < 1.0
    assert queue_seconds < 5.0
