"""Running the job queue for real in tests: an in-process procrastinate worker, run until the queue is empty.

The worker is procrastinate's own (`run_worker_async(wait=False)`, the documented way to process what is
queued and stop), on its own psycopg connection, so tests that use it are transactional: what the test
wrote must be committed for the worker to see it (`job_queue` fixture in tests/conftest.py).
"""

import asyncio
import threading

from procrastinate.contrib.django import app

_RETRIES_NOW = "UPDATE procrastinate_jobs SET scheduled_at = now() WHERE status = 'todo' RETURNING id"
_PENDING = "SELECT id, task_name, status, attempts, scheduled_at FROM procrastinate_jobs ORDER BY id"
_EMPTY = "TRUNCATE procrastinate_jobs, procrastinate_periodic_defers RESTART IDENTITY CASCADE"


def run_jobs(*, workers: int = 1, retries: bool = True, max_rounds: int = 10) -> None:
    """Process every job that is due with `workers` workers side by side, then return.

    A failed job that procrastinate scheduled again (retry with back-off) waits in the queue; with
    `retries` its time is brought forward and the workers run again, until nothing is left to do. The
    periodic scheduler is left out (a test defers a periodic job itself when it wants one): it would
    defer whichever job's time happens to be near when the test runs."""

    async def main() -> None:
        async with app.open_async():
            for _ in range(max_rounds):
                await asyncio.gather(
                    *(
                        app.run_worker_async(
                            wait=False,
                            install_signal_handlers=False,
                            listen_notify=False,
                            name=f"test-worker-{n}",
                        )
                        for n in range(workers)
                    )
                )
                if not retries or not await app.connector.execute_query_all_async(_RETRIES_NOW):
                    return

    failure: list[BaseException] = []

    def in_own_thread() -> None:
        # a thread of its own: the browser tests' Playwright keeps an event loop in the main thread
        try:
            asyncio.run(main())
        except BaseException as exc:
            failure.append(exc)

    registry = app.periodic_registry.periodic_tasks
    saved = dict(registry)
    registry.clear()
    try:
        with app.replace_connector(app.connector.get_worker_connector()):
            thread = threading.Thread(target=in_own_thread, name="test-worker")
            thread.start()
            thread.join()
    finally:
        registry.update(saved)
    if failure:
        raise failure[0]


def queued_jobs() -> list[dict]:
    """The rows of procrastinate's queue, read through Django's connection (the test's transaction)."""
    return app.connector.get_sync_connector().execute_query_all(_PENDING)


def empty_queue() -> None:
    app.connector.get_sync_connector().execute_query(_EMPTY)
