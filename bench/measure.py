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


def _once(client: Client, url: str, *, trace: bool) -> tuple[float, int, int, int, int]:
    """Seconds, queries, bytes, lines (rows of a CSV) and peak Python memory of one request."""
    if trace:
        tracemalloc.start()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        size = lines = 0
        if response.streaming:
            for chunk in response.streaming_content:
                size += len(chunk)
                lines += chunk.count(b"\n")
        else:
            size = len(response.content)
        elapsed = time.perf_counter() - started
    peak = 0
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code}")
    return elapsed, len(queries), size, lines, peak


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--export-repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="labels of the pages to measure (all by default)")
    parser.add_argument("--no-matching", action="store_true")
    args = parser.parse_args()
    client = Client()
    client.force_login(User.objects.get(username="coordinator"))
    pages = {}
    for page in PAGES:
        if args.only and page.label not in args.only:
            continue
        try:
            url = reverse(page.url_name, kwargs=page.kwargs()) + page.query_string()
        except (NoReverseMatch, LookupError) as exc:
            pages[page.label] = {"error": f"not measured: {exc.__class__.__name__}: {exc}"}
            continue
        export = page.kind == "export"
        repeat = args.export_repeat if export else args.repeat
        try:
            for _ in range(1 if export else 2):
                _once(client, url, trace=False)
            runs = [_once(client, url, trace=False) for _ in range(repeat)]
            # memory apart: tracemalloc slows Python down several times
            peak = _once(client, url, trace=True)[4] if export else 0
        except RuntimeError as exc:
            pages[page.label] = {"error": str(exc)}
            continue
        times = [r[0] * 1000 for r in runs]
        pages[page.label] = {
            "url": url,
            "url_name": page.url_name,
            "kind": page.kind,
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(p95(times), 1),
            "queries": runs[-1][1],
            "bytes": runs[-1][2],
            # rows: the lines of a streamed CSV without its header (an XLSX is not counted)
            **({"rows": max(0, runs[-1][3] - 1), "peak_python_mb": round(peak / 2**20, 1)} if export else {}),
        }
        print(f"  {page.label}: {pages[page.label].get('median_ms')} ms", file=sys.stderr, flush=True)
    matching = {} if args.no_matching else matching_figures()
    json.dump({"pages": pages, "matching": matching}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
