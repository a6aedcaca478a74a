"""Load run: simulated coordinators browsing list and detail pages at once against gunicorn on 127.0.0.1.

    python bench/load.py [--users 50] [--seconds 60] [--max-requests 20000]

`run` is called by bench/served.py against the server it has just measured page by page (`make bench`);
on its own (`make bench-load`) this script starts gunicorn the same way (as deploy/tenk-web.service does,
bench/served.py), against a seeded bench database (DATABASE_URL points at it), and prints JSON. Each simulated coordinator has its own session (the demo coordinator, logged in once
per user), waits a random 0.5 to 1.5 s between pages (reading time) and asks for a page of `LOAD_PAGES` in
turn: lists unfiltered and filtered, a search, detail pages, caseload, dashboard. Bounded in users, time
and request count. 50 users who wait 1 s on average cannot ask for more than 50 requests/s
(`offered_at_most`), so bench/served.py follows with CAPACITY_USERS coordinators, who can offer 80/s: that
run shows whether the server answers 60 requests/s within 300 ms. Only the standard library on the client side (threads and http.client with
keep-alive), so the client takes little of the two cores from the server.
"""

import argparse
import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.pages import LOAD_PAGES  # noqa: E402
from core.models import User  # noqa: E402

THINK_S = (0.5, 1.5)  # reading time between two pages, uniform
CAPACITY_USERS = 80  # the second run: enough coordinators to offer more than the 60 requests/s of #21


def offered_at_most(users: int) -> float:
    """Requests per second `users` coordinators can ask for at all: each waits THINK_S on average between
    two pages, so even with instant answers they offer at most users ÷ mean think time (50 users: 50/s)."""
    return round(users / (sum(THINK_S) / 2), 1)


def sessions(count: int) -> list[str]:
    """One session cookie per simulated coordinator (the demo coordinator logged in `count` times)."""
    user = User.objects.get(username="coordinator")
    cookies = []
    for _ in range(count):
        client = Client()
        client.force_login(user)
        cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return cookies


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: list[float] = []
        self.by_page: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.count = 0

    def add(self, label: str, elapsed: float, error: str | None) -> None:
        with self.lock:
            self.count += 1
            if error:
                self.errors[error] = self.errors.get(error, 0) + 1
                return
            self.times.append(elapsed)
            self.by_page.setdefault(label, []).append(elapsed)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)] if ordered else 0.0


def _coordinator(
    number: int,
    *,
    port: int,
    cookie: str,
    urls: list[tuple[str, str]],
    stop_at: float,
    budget: threading.Semaphore,
    recorder: Recorder,
) -> None:
    rng = random.Random(number)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}", "Accept-Language": "de"}
    position = rng.randrange(len(urls))
    time.sleep(rng.uniform(0, 1.0))  # users do not all start in the same millisecond
    while time.monotonic() < stop_at and budget.acquire(blocking=False):
        label, url = urls[position % len(urls)]
        position += 1
        started = time.perf_counter()
        error = None
        try:
            conn.request("GET", url, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                error = f"HTTP {response.status} {label}"
        except (OSError, http.client.HTTPException) as exc:
            error = f"{exc.__class__.__name__} {label}"
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        recorder.add(label, time.perf_counter() - started, error)
        time.sleep(rng.uniform(*THINK_S))
    conn.close()


def warm_up(port: int, urls: list[tuple[str, str]], cookie: str) -> None:
    """Warm every worker's caches (templates, translations) before counting."""
    for _label, url in urls * 2:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", url, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"})
        conn.getresponse().read()
        conn.close()


def _run_coordinators(args: argparse.Namespace, *, port: int, cookies: list[str], urls, recorder) -> float:
    """`args.users` coordinators at once for `args.seconds`; returns how long they ran."""
    budget = threading.Semaphore(args.max_requests)
    started = time.monotonic()
    stop_at = started + args.seconds
    threads = [
        threading.Thread(
            target=_coordinator,
            args=(n,),
            kwargs={
                "port": port,
                "cookie": cookies[n],
                "urls": urls,
                "stop_at": stop_at,
                "budget": budget,
                "recorder": recorder,
            },
            daemon=True,
        )
        for n in range(args.users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + 60)
    return time.monotonic() - started


def _result(args: argparse.Namespace, recorder: Recorder, duration: float, loads: list, server: str) -> dict:
    times_ms = [t * 1000 for t in recorder.times]
    return {
        "users": args.users,
        "seconds": round(duration, 1),
        "server": server,
        "think_time_s": f"{THINK_S[0]}–{THINK_S[1]}",
        "offered_at_most_rps": offered_at_most(args.users),
        "requests": recorder.count,
        "throughput_rps": round(recorder.count / duration, 1),
        "median_ms": round(statistics.median(times_ms), 1) if times_ms else None,
        "p95_ms": round(_p95(times_ms), 1),
        "max_ms": round(max(times_ms), 1) if times_ms else None,
        "errors": sum(recorder.errors.values()),
        "error_kinds": recorder.errors,
        "load_average_before": [round(x, 2) for x in loads[0]],
        "load_average_after": [round(x, 2) for x in loads[1]],
        "pages": {
            label: {
                "requests": len(values),
                "median_ms": round(statistics.median(values) * 1000, 1),
                "p95_ms": round(_p95(values) * 1000, 1),
            }
            for label, values in recorder.by_page.items()
        },
    }


def load_urls() -> list[tuple[str, str]]:
    return [
        (p.label, quote(reverse(p.url_name, kwargs=p.kwargs()) + p.query_string(), safe="/?&=%"))
        for p in LOAD_PAGES
    ]


def run(
    *,
    port: int,
    cookies: list[str],
    urls: list[tuple[str, str]],
    users: int,
    seconds: int,
    max_requests: int,
    server: str,
    warm: bool = True,
) -> dict:
    """The load run against the server on 127.0.0.1:`port`: warm-up (unless `warm` is false: the caller
    did it), then `users` coordinators."""
    args = argparse.Namespace(users=users, seconds=seconds, max_requests=max_requests)
    if warm:
        warm_up(port, urls, cookies[0])
    recorder = Recorder()
    load_before = os.getloadavg()
    duration = _run_coordinators(args, port=port, cookies=cookies, urls=urls, recorder=recorder)
    load_after = os.getloadavg()
    return _result(args, recorder, duration, [load_before, load_after], server)


def main() -> int:
    """The load run on its own: gunicorn started as in production (bench/served.py), then `run`."""
    from bench import served

    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--max-requests", type=int, default=20_000)
    args = parser.parse_args()
    urls = load_urls()
    cookies = sessions(args.users)
    connection.close()  # the driver's own backend is not the server's
    port = served.free_port()
    command = served.server_command(port)
    workers = served.workers_of(command)
    server = served.start_server(port)
    try:
        served.wait_for(port, server, workers=workers)
        result = run(
            port=port,
            cookies=cookies,
            urls=urls,
            users=args.users,
            seconds=args.seconds,
            max_requests=args.max_requests,
            server=f"gunicorn as deploy/tenk-web.service, {workers} workers, 127.0.0.1",
        )
    finally:
        served.stop_server(server)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
