"""The jobs of `volunteers`."""

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from core.jobs import daily
from volunteers.services import (
    bulk_message_queue_step,
    clearance_notices_send,
    volunteer_unconfirmed_purge,
    volunteers_pause_end,
)


@daily(name="purge_unconfirmed_signups", cron="45 2 * * *", label="manage.py purge_unconfirmed_signups")
def purge_unconfirmed_signups() -> str:
    return f"{volunteer_unconfirmed_purge()} deleted"


# a step that fails (the database went away) is tried again; it queues its chunk once (see the service)
@app.task(name="volunteers.bulk_message_queue", retry=RetryStrategy(max_attempts=5, wait=10))
def bulk_message_queue(bulk_id: int, start: int) -> str:
    return bulk_message_queue_step(bulk_id=bulk_id, start=start)


@daily(
    name="notify_clearance_expiry", cron="15 7 * * *", label="police clearance expiry notices (60 days ahead)"
)
def notify_clearance_expiry() -> str:
    queued, not_reached = clearance_notices_send()
    return f"{queued} queued, {not_reached} not reached"


# shortly after midnight in Hannover (00:10 UTC is 01:10 or 02:10 there), so that a pause "until" yesterday
# has ended before anyone opens the matching; why a job and not a computation at read time:
# docs/volunteers.md, "Pause"
@daily(name="end_pauses", cron="10 0 * * *", label="end pauses whose date has passed")
def end_pauses() -> str:
    return f"{volunteers_pause_end()} resumed"
