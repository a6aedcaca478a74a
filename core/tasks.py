"""The jobs of `core`: sending the outbox, applying the retention periods."""

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from core.jobs import daily
from core.outbox import MessageNotSent, message_send
from core.services import retention_apply

# six attempts, the retries after about 0.5, 1, 1.5, 5 and 17 minutes (30 s + 4 ** attempt); after the
# last one the message stays failed until a coordinator resends it
OUTBOX_RETRY = RetryStrategy(max_attempts=6, wait=30, exponential_wait=4, retry_exceptions={MessageNotSent})


@app.task(name="core.outbox_send", retry=OUTBOX_RETRY)
def outbox_send(message_id: int) -> str:
    return message_send(message_id=message_id)


@app.task(name="core.outbox_send_many")
def outbox_send_many(message_ids: list[int]) -> str:
    """Send a batch of messages (a bulk message's chunk) in one job; a message that fails is handed to a
    job of its own, which retries it with the outbox's back-off."""
    from core.jobs import defer_in_transaction

    sent = failed = 0
    for message_id in message_ids:
        try:
            message_send(message_id=message_id)
        except MessageNotSent:
            failed += 1
            defer_in_transaction(outbox_send, {"message_id": message_id}, schedule_in={"seconds": 30})
        else:
            sent += 1
    return f"{sent} sent or skipped, {failed} handed to their own retries"


@daily(name="apply_retention", cron="15 2 * * *", label="manage.py apply_retention")
def apply_retention() -> str:
    findings = retention_apply(dry_run=False)
    done = sum(1 for finding in findings if not finding.blocked)
    return f"{done} anonymised, {len(findings) - done} blocked"


# A worker killed in the middle of a job (power cut, OOM killer) stops sending heartbeats; its jobs stay
# "doing". Every five minutes one worker puts such jobs back into the queue (procrastinate's recipe), so a
# job cut off is run again; the outbox's row lock was released with the dead worker's connection.
@app.periodic(cron="*/5 * * * *", periodic_id="retry_stalled_jobs")
@app.task(name="core.retry_stalled_jobs", queueing_lock="retry_stalled_jobs", pass_context=True)
async def retry_stalled_jobs(context, timestamp: int) -> int:
    stalled = list(await context.app.job_manager.get_stalled_jobs())
    for job in stalled:
        await context.app.job_manager.retry_job(job)
    return len(stalled)
