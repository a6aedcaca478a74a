"""The jobs of `trainings`."""

from core.jobs import daily
from trainings.services import session_reminders_send


@daily(name="remind_trainings", cron="0 7 * * *", label="training reminders (the day before)")
def remind_trainings() -> str:
    queued, not_reached = session_reminders_send()
    return f"{queued} queued, {not_reached} not reached"
