"""The job queue's mechanism: daily jobs that record their runs, and what admins and /healthz/jobs read.

Jobs run in procrastinate (PostgreSQL is the queue, `procrastinate.contrib.django`); the tasks live in each
app's `tasks.py`. A daily job is declared with `@daily(name=..., cron=..., label=...)`: procrastinate's
periodic scheduler (part of every worker; several workers defer each run only once) defers it, a
queueing lock keeps at most one waiting and a lock keeps two from running at once, and each run leaves one
`ScheduledRun` row with its outcome. Cron times are UTC.
"""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass

from croniter import croniter
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.functional import Promise
from procrastinate import RetryStrategy, manager
from procrastinate.contrib.django import app
from procrastinate.contrib.django.django_connector import DjangoConnector

from core.models import JobOutcome, ScheduledRun

# a daily job that has not succeeded for this long is reported by /healthz/jobs
OVERDUE_AFTER = datetime.timedelta(hours=48)
# a failed daily run is tried again after about 1, 1.5 and 4.5 minutes (60 s + 6 ** attempt)
DAILY_RETRY = RetryStrategy(max_attempts=4, wait=60, exponential_wait=6)


# Deferring through Django's own connection, also inside a job: there procrastinate's app uses the worker's
# connection pool, so a job deferred by a job would be queued outside the job's transaction (and could run,
# and find nothing, before that transaction commits).
_IN_TRANSACTION = manager.JobManager(DjangoConnector())


def defer_in_transaction(task, *task_kwargs: dict, **options) -> list[int]:
    """Defer one job of `task` per dict of arguments, in one statement, inside the current transaction
    (`options` as for `task.configure`, e.g. `schedule_in`)."""
    if not task_kwargs:
        return []
    deferrer = task.configure(**options)
    jobs = _IN_TRANSACTION.batch_defer_jobs([deferrer.make_new_job(**kwargs) for kwargs in task_kwargs])
    return [job.id for job in jobs]


@dataclass(frozen=True)
class DailyJob:
    name: str
    cron: str
    label: Promise | str


DAILY_JOBS: dict[str, DailyJob] = {}


def daily(*, name: str, cron: str, label: Promise | str) -> Callable:
    """Declare `func()` (returning a short summary without personal data) as a periodic job."""

    def decorate(func: Callable[[], str]):
        DAILY_JOBS[name] = DailyJob(name=name, cron=cron, label=label)

        @functools.wraps(func)
        def run(timestamp: int) -> str:
            return run_recorded(name=name, func=func)

        task = app.task(name=name, queueing_lock=name, lock=name, retry=DAILY_RETRY)(run)
        return app.periodic(cron=cron, periodic_id=name)(task)

    return decorate


def run_recorded(*, name: str, func: Callable[[], str]) -> str:
    """Run `func` and keep its outcome; a failure is recorded and raised again, so procrastinate retries."""
    run = ScheduledRun.objects.create(task=name, started_at=timezone.now())
    try:
        detail = func() or ""
    except Exception as exc:
        run.outcome, run.detail = JobOutcome.FAILED, type(exc).__name__
        run.finished_at = timezone.now()
        run.save(update_fields=["outcome", "detail", "finished_at"])
        raise
    run.outcome, run.detail, run.finished_at = JobOutcome.SUCCEEDED, detail[:500], timezone.now()
    run.save(update_fields=["outcome", "detail", "finished_at"])
    return detail


@dataclass(frozen=True)
class DailyJobStatus:
    job: DailyJob
    last_run: ScheduledRun | None
    last_success_at: datetime.datetime | None
    next_run_at: datetime.datetime
    is_overdue: bool


def _queue_installed_at() -> datetime.datetime | None:
    """When the job queue's tables were created: the clock of a job that never ran starts there."""
    first = MigrationRecorder.Migration.objects.filter(app="procrastinate").order_by("applied").first()
    return first.applied if first else None


def daily_jobs_status(*, now: datetime.datetime | None = None) -> list[DailyJobStatus]:
    """Every daily job with its last run, its last success, its next run and whether it is overdue."""
    now = now or timezone.now()
    installed_at = None
    result = []
    for job in DAILY_JOBS.values():
        runs = ScheduledRun.objects.filter(task=job.name)
        last_run = runs.first()
        last_success = runs.filter(outcome=JobOutcome.SUCCEEDED).values_list("finished_at", flat=True).first()
        since = last_success
        if since is None:
            installed_at = installed_at or _queue_installed_at() or now
            since = installed_at
        next_run_at = croniter(job.cron, now.astimezone(datetime.UTC)).get_next(datetime.datetime)
        result.append(
            DailyJobStatus(
                job=job,
                last_run=last_run,
                last_success_at=last_success,
                next_run_at=next_run_at,
                is_overdue=now - since > OVERDUE_AFTER,
            )
        )
    return result
