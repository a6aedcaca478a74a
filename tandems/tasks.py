"""The jobs of `tandems`."""

from procrastinate.contrib.django import app

from core.jobs import daily
from tandems.notifications import coordinator_digests_send


@daily(name="send_coordinator_digests", cron="30 5 * * *", label="daily digest to coordinators")
def send_coordinator_digests() -> str:
    queued, empty = coordinator_digests_send()
    return f"{queued} queued, {empty} with nothing new"


@daily(name="send_checkin_links", cron="0 8 * * *", label="check-in links to volunteers and households")
def send_checkin_links() -> str:
    from tandems.participants import checkin_links_send

    queued, left_out = checkin_links_send()
    return f"{queued} queued, {left_out} without address or consent"


@app.task(name="tandems.selfservice_link_request")
def selfservice_link_request_task(email: str) -> str:
    """The public "request a link" form's work, away from the request (so that its answer takes the same
    time whether the address is registered or not): look the address up and send the link."""
    from tandems.selfservice import selfservice_link_request

    selfservice_link_request(email=email)
    return "done"  # no address and no count here: the job's result is kept


@app.task(name="tandems.batch_run_compute")
def batch_run_compute_task(run_id: int) -> str:
    """Compute and store one batch proposal (`tandems.services.batch_run_start` queues it)."""
    from tandems.services import batch_run_compute

    return batch_run_compute(run_id=run_id)


@daily(
    name="send_survey_links", cron="15 8 * * *", label="relationship survey links at 1, 3, 6 and 12 months"
)
def send_survey_links() -> str:
    from tandems.survey import survey_links_send

    queued, left_out = survey_links_send()
    return f"{queued} queued, {left_out} without address or consent"
