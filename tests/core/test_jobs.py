"""The daily jobs: run by procrastinate's worker, each run recorded, shown to admins, watched by
/healthz/jobs."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.jobs import DAILY_JOBS, daily_jobs_status
from core.models import JobOutcome, ScheduledRun
from core.tasks import apply_retention
from tests.conftest import client_for
from tests.factories.volunteers import VolunteerFactory
from tests.jobs import queued_jobs, run_jobs
from volunteers.models import Volunteer
from volunteers.tasks import purge_unconfirmed_signups


def test_both_commands_are_periodic_daily_jobs():
    from procrastinate.contrib.django import app

    periodic = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic == {
        "apply_retention": "15 2 * * *",
        "purge_unconfirmed_signups": "45 2 * * *",
        "send_coordinator_digests": "30 5 * * *",
        "remind_trainings": "0 7 * * *",
        "notify_clearance_expiry": "15 7 * * *",
        "send_checkin_links": "0 8 * * *",
        "end_pauses": "10 0 * * *",
        "send_survey_links": "15 8 * * *",
        "core.retry_stalled_jobs": "*/5 * * * *",
    }
    assert set(DAILY_JOBS) == {
        "apply_retention",
        "purge_unconfirmed_signups",
        "send_coordinator_digests",
        "remind_trainings",
        "notify_clearance_expiry",
        "send_checkin_links",
        "end_pauses",
        "send_survey_links",
    }


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_daily_jobs_and_records_each_run(job_queue, fwz):
    old = VolunteerFactory(organisation=fwz, signed_up_at=timezone.now() - datetime.timedelta(days=40))
    purge_unconfirmed_signups.defer(timestamp=int(timezone.now().timestamp()))
    apply_retention.defer(timestamp=int(timezone.now().timestamp()))
    run_jobs()
    assert not Volunteer.objects.filter(pk=old.pk).exists()
    runs = {run.task: run for run in ScheduledRun.objects.all()}
    assert runs["purge_unconfirmed_signups"].outcome == JobOutcome.SUCCEEDED
    assert runs["purge_unconfirmed_signups"].detail == "1 deleted"
    assert runs["apply_retention"].outcome == JobOutcome.SUCCEEDED
    assert {job["status"] for job in queued_jobs()} == {"succeeded"}


@pytest.mark.django_db(transaction=True)
def test_a_failing_daily_job_is_recorded_and_retried(job_queue, monkeypatch):
    calls = []

    def flaky(*, dry_run):
        calls.append(dry_run)
        if len(calls) == 1:
            raise RuntimeError("database hiccup")
        return []

    monkeypatch.setattr("core.tasks.retention_apply", flaky)
    apply_retention.defer(timestamp=0)
    run_jobs(retries=False)
    (run,) = ScheduledRun.objects.all()
    assert run.outcome == JobOutcome.FAILED and run.detail == "RuntimeError"
    run_jobs()
    assert list(ScheduledRun.objects.order_by("started_at").values_list("outcome", flat=True)) == [
        JobOutcome.FAILED,
        JobOutcome.SUCCEEDED,
    ]


def _ran(name: str, *, hours_ago: float, outcome=JobOutcome.SUCCEEDED) -> None:
    at = timezone.now() - datetime.timedelta(hours=hours_ago)
    ScheduledRun.objects.create(task=name, started_at=at, finished_at=at, outcome=outcome)


def test_healthz_jobs_names_the_daily_jobs_without_success_for_48_hours(client, db):
    _ran("apply_retention", hours_ago=2)
    _ran("purge_unconfirmed_signups", hours_ago=50)
    _ran("purge_unconfirmed_signups", hours_ago=1, outcome=JobOutcome.FAILED)
    response = client.get("/healthz/jobs")
    assert response.status_code == 503
    assert response.content.decode() == "overdue: purge_unconfirmed_signups\n"
    assert response["Cache-Control"].startswith("max-age=0")
    _ran("purge_unconfirmed_signups", hours_ago=0.5)
    assert client.get("/healthz/jobs").status_code == 200


def test_a_job_that_never_ran_counts_from_the_installation_of_the_queue(db):
    later = timezone.now() + datetime.timedelta(hours=49)
    assert all(status.is_overdue for status in daily_jobs_status(now=later))
    assert not any(status.is_overdue for status in daily_jobs_status())


def test_admins_see_last_run_outcome_and_next_run(admin_user):
    _ran("apply_retention", hours_ago=3)
    page = client_for(admin_user).get(reverse("admin:jobs_status")).content.decode()
    assert "apply_retention" in page and "purge_unconfirmed_signups" in page
    assert "erfolgreich" in page and "nie gelaufen" in page
    status = {s.job.name: s for s in daily_jobs_status()}
    assert status["apply_retention"].next_run_at > timezone.now()
    assert (
        status["apply_retention"].next_run_at.hour == 2 and status["apply_retention"].next_run_at.minute == 15
    )
    assert "Geplante Aufgaben" in client_for(admin_user).get(reverse("admin:index")).content.decode()
