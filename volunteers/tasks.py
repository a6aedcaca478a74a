"""The jobs of `volunteers`."""

from core.jobs import daily
from volunteers.services import clearance_notices_send, volunteer_unconfirmed_purge


@daily(name="purge_unconfirmed_signups", cron="45 2 * * *", label="manage.py purge_unconfirmed_signups")
def purge_unconfirmed_signups() -> str:
    return f"{volunteer_unconfirmed_purge()} deleted"


@daily(
    name="notify_clearance_expiry", cron="15 7 * * *", label="police clearance expiry notices (60 days ahead)"
)
def notify_clearance_expiry() -> str:
    queued, not_reached = clearance_notices_send()
    return f"{queued} queued, {not_reached} not reached"
