"""The jobs of `tandems`."""

from core.jobs import daily
from tandems.notifications import coordinator_digests_send


@daily(name="send_coordinator_digests", cron="30 5 * * *", label="daily digest to coordinators")
def send_coordinator_digests() -> str:
    queued, empty = coordinator_digests_send()
    return f"{queued} queued, {empty} with nothing new"
