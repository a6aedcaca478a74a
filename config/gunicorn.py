"""gunicorn's settings file, named on the command line of deploy/tenk-web.service (`--config config/gunicorn.py`).

Only the garbage collector is set here; bind address, workers and log stay on the command line.

Python's cyclic garbage collector walks every object it tracks each time a full collection runs. A worker
holds about 180,000 of them once Django, the URL patterns and the compiled templates are loaded, none of which
ever become garbage, so a request that happened to trigger a full collection paid 50–100 ms for nothing
(4–5 ms per request on average on a list page). `gc.freeze()` moves what is alive at that moment into a
permanent generation the collector skips; it is called once the worker has loaded the application and again
after its 1st, 10th and 100th request, by when each page's templates are compiled and cached. A larger first
threshold lets the collector run less often on the short-lived objects of a request (docs/performance.md).
"""

import gc

# objects allocated (less those freed) before a young collection: 700 by default
GC_THRESHOLD = (10_000, 10, 10)
# after these requests of a worker what is alive is frozen again (the templates and lookups made on the way)
FREEZE_AFTER_REQUESTS = frozenset({1, 10, 100})


def _freeze() -> None:
    gc.collect()  # what is garbage now is never frozen
    gc.freeze()


def post_worker_init(worker) -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every app's views, as the first request would)
    gc.set_threshold(*GC_THRESHOLD)
    _freeze()


def post_request(worker, req, environ, resp) -> None:
    if worker.nr in FREEZE_AFTER_REQUESTS:
        _freeze()
