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
