"""The outbox and the job queue, for real: messages are queued in PostgreSQL and sent by an in-process
procrastinate worker (tests/jobs.py), with retries, two workers, and mail servers that fail."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import transaction
from django.utils import timezone

from core.models import AuditEntry, Consent, ConsentChannel, MessageState, OutboxMessage
from core.outbox import message_queue, message_resend
from core.tasks import outbox_send
from tests import mail_backends
from tests.factories.volunteers import VolunteerFactory
from tests.jobs import queued_jobs, run_jobs

pytestmark = pytest.mark.django_db(transaction=True)

TEMPLATE = "volunteers/email/signup_confirm"


def _queue(volunteer, **changes):
    kwargs = {
        "template": TEMPLATE,
        "to": volunteer,
        "related": volunteer,
        "context": {"first_name": volunteer.first_name, "link": "https://example.org/x/", "days": 7},
    }
    return message_queue(**{**kwargs, **changes})


def test_a_job_deferred_in_a_transaction_rolls_back_with_it(job_queue, fwz):
    volunteer = VolunteerFactory(organisation=fwz, first_name="Greta")
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue(volunteer)
        assert len(queued_jobs()) == 1  # inside the transaction the job is there
        raise RuntimeError("the service fails after queueing")
    assert queued_jobs() == [] and not OutboxMessage.objects.exists()
    with transaction.atomic():
        result = _queue(volunteer)
    assert [job["task_name"] for job in queued_jobs()] == ["core.outbox_send"]
    assert not mail.outbox, "nothing is sent before a worker runs"
    run_jobs()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [volunteer.email]
    assert "Hallo Greta" in mail.outbox[0].body
    message = OutboxMessage.objects.get(pk=result.message.pk)
    assert message.state == MessageState.SENT and message.attempts == 1 and message.sent_at
    assert message.subject == mail.outbox[0].subject and "Bitte bestätigen Sie" in message.subject
    actions = set(AuditEntry.objects.filter(object_id=str(message.pk)).values_list("action", flat=True))
    assert actions == {"core.outboxmessage.created", "core.outboxmessage.sent"}


def test_a_failed_send_is_marked_and_retried_with_back_off(job_queue, fwz, settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.FailOnceBackend"
    mail_backends.FailOnceBackend.failures_left = 1
    result = _queue(VolunteerFactory(organisation=fwz))
    before = timezone.now()
    run_jobs(retries=False)
    message = OutboxMessage.objects.get(pk=result.message.pk)
    assert message.state == MessageState.FAILED and message.attempts == 1
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in message.error
    (job,) = queued_jobs()
    assert job["status"] == "todo" and job["attempts"] == 1
    assert job["scheduled_at"] >= before + datetime.timedelta(seconds=30), "the retry waits (back-off)"
    run_jobs()  # the retry's time brought forward
    message.refresh_from_db()
    assert message.state == MessageState.SENT and message.attempts == 2 and message.error == ""
    assert len(mail.outbox) == 1


def test_a_retried_job_never_sends_a_message_already_sent(job_queue, fwz):
    result = _queue(VolunteerFactory(organisation=fwz))
    run_jobs()
    outbox_send.defer(message_id=result.message.pk)  # as if the job ran again after a lost answer
    run_jobs()
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get(pk=result.message.pk).attempts == 1


def test_two_workers_never_send_the_same_message_twice(job_queue, fwz, settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.SlowBackend"
    result = _queue(VolunteerFactory(organisation=fwz))
    for _ in range(3):
        outbox_send.defer(message_id=result.message.pk)  # four jobs for one message
    run_jobs(workers=2)
    assert len(mail.outbox) == 1
    assert {job["status"] for job in queued_jobs()} == {"succeeded"}


def test_a_template_error_marks_the_message_failed_and_a_resend_picks_it_up(job_queue, fwz, coordinator):
    volunteer = VolunteerFactory(organisation=fwz)
    result = _queue(volunteer, template="volunteers/email/does_not_exist")
    assert result.is_queued and result.message.state == MessageState.FAILED
    assert "TemplateDoesNotExist" in result.message.error and result.notice
    assert queued_jobs() == []
    message = result.message
    message.template = TEMPLATE  # the template is fixed, then a coordinator resends
    message.save()
    message_resend(message=message, actor=coordinator)
    run_jobs()
    message.refresh_from_db()
    assert message.state == MessageState.SENT and len(mail.outbox) == 1


def test_a_deleted_recipient_fails_the_message_without_sending(job_queue, fwz):
    volunteer = VolunteerFactory(organisation=fwz)
    result = _queue(volunteer)
    volunteer.delete()
    run_jobs()
    message = OutboxMessage.objects.get(pk=result.message.pk)
    assert message.state == MessageState.FAILED and message.error == "recipient deleted"
    assert not mail.outbox and {job["status"] for job in queued_jobs()} == {"succeeded"}


def test_no_address_or_withdrawn_consent_queues_nothing_and_says_why(job_queue, fwz):
    result = _queue(VolunteerFactory(organisation=fwz, email=""))
    assert not result.is_queued and "keine E-Mail-Adresse" in result.notice
    volunteer = VolunteerFactory(organisation=fwz)
    Consent.objects.create(
        content_type=ContentType.objects.get_for_model(volunteer),
        object_id=volunteer.pk,
        purpose="volunteer_register",
        text_version="2026-11",
        channel=ConsentChannel.ONLINE,
        given_at=timezone.now() - datetime.timedelta(days=3),
        withdrawn_at=timezone.now(),
    )
    result = _queue(volunteer)
    assert not result.is_queued and "Einwilligung" in result.notice
    assert not OutboxMessage.objects.exists() and queued_jobs() == []


def test_the_message_is_rendered_in_the_recipients_language(job_queue, fwz):
    # the recipient's own language wins over the one the sender's page was in (docs/languages.md)
    volunteer = VolunteerFactory(organisation=fwz, first_name="Greta", preferred_language="en")
    result = _queue(volunteer, language="de")
    assert result.message.language == "en" and "Hello Greta" in result.message.body
    run_jobs()
    assert mail.outbox[0].subject == "Please confirm your sign-up for 10.000 Freunde"


def test_a_job_cut_off_by_a_killed_worker_is_run_again(job_queue, fwz):
    from procrastinate.contrib.django import app

    from core.tasks import retry_stalled_jobs

    result = _queue(VolunteerFactory(organisation=fwz))
    sync = app.connector.get_sync_connector()
    # a worker took the job and died: no heartbeat for an hour, the job left "doing"
    sync.execute_query(
        "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now() - interval '1 hour')"
    )
    sync.execute_query(
        "UPDATE procrastinate_jobs SET status = 'doing', worker_id = (SELECT max(id) FROM procrastinate_workers)"
    )
    run_jobs()
    assert not mail.outbox, "a job another worker holds is not taken"
    retry_stalled_jobs.defer(timestamp=0)  # what the scheduler defers every five minutes
    run_jobs()
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get(pk=result.message.pk).state == MessageState.SENT


def test_a_message_queued_by_a_job_commits_or_rolls_back_with_the_job(job_queue, fwz):
    """Jobs queue messages too (a bulk message's steps, reminders): the send job must be deferred inside
    the job's transaction, through Django's connection, not on the worker's own connection."""
    from procrastinate.contrib.django import app

    volunteer = VolunteerFactory(organisation=fwz)

    @app.task(name="tests.queue_then_fail")
    def queue_then_fail(volunteer_id: int, fail: bool) -> None:
        from volunteers.models import Volunteer

        with transaction.atomic():
            _queue(Volunteer.objects.get(pk=volunteer_id))
            if fail:
                raise RuntimeError("the job fails after queueing")

    try:
        queue_then_fail.defer(volunteer_id=volunteer.pk, fail=True)
        run_jobs(retries=False)
        assert not OutboxMessage.objects.exists()
        assert [job["task_name"] for job in queued_jobs()] == ["tests.queue_then_fail"], "no send job left"
        queue_then_fail.defer(volunteer_id=volunteer.pk, fail=False)
        run_jobs(retries=False)
        assert len(mail.outbox) == 1 and OutboxMessage.objects.get().state == MessageState.SENT
    finally:
        app.tasks.pop("tests.queue_then_fail", None)
