"""The jobs of `volunteers`."""

from core.jobs import daily
from volunteers.services import volunteer_unconfirmed_purge


@daily(name="purge_unconfirmed_signups", cron="45 2 * * *", label="manage.py purge_unconfirmed_signups")
def purge_unconfirmed_signups() -> str:
    return f"{volunteer_unconfirmed_purge()} deleted"
