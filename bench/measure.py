"""Measure the main pages against the database in DATABASE_URL (run by bench/run.py, prints JSON).

Server time is the time Django takes to answer one request through the full middleware stack (the test
client calls the WSGI handler in-process, without network), for the demo coordinator, after two warm-up
requests. Streaming exports are consumed completely inside the timing; their peak Python memory is
recorded with tracemalloc to show they do not hold all rows.
"""

import argparse
import json
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from bench.pages import PAGES, matching_figures  # noqa: E402
from core.models import User  # noqa: E402


def _once(client: Client, url: str) -> tuple[float, int, int, int]:
    tracemalloc.start()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        size = (
            sum(len(chunk) for chunk in response.streaming_content)
            if response.streaming
            else len(response.content)
        )
        elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code}")
    return elapsed, len(queries), size, peak


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    client = Client()
    client.force_login(User.objects.get(username="coordinator"))
    pages = {}
    for page in PAGES:
        try:
            url = reverse(page.url_name, kwargs=page.kwargs()) + page.query
        except (NoReverseMatch, LookupError) as exc:
            pages[page.label] = {"error": f"not measured: {exc.__class__.__name__}"}
            continue
        try:
            for _ in range(2):
                _once(client, url)
            runs = [_once(client, url) for _ in range(args.repeat)]
        except RuntimeError as exc:
            pages[page.label] = {"error": str(exc)}
            continue
        times = sorted(r[0] * 1000 for r in runs)
        pages[page.label] = {
            "url": url,
            "kind": page.kind,
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
            "queries": runs[-1][1],
            "bytes": runs[-1][2],
            "peak_python_mb": round(max(r[3] for r in runs) / 2**20, 1),
        }
    json.dump({"pages": pages, "matching": matching_figures()}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
