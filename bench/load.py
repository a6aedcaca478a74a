"""Load run: simulated coordinators browsing list and detail pages at once against gunicorn on 127.0.0.1.

    python bench/load.py [--users 50] [--seconds 60] [--max-requests 20000] [--workers 4]

Run by bench/run.py (`make bench` / `make bench-load`) against a seeded bench database (DATABASE_URL points
at it); prints JSON. Each simulated coordinator has its own session (the demo coordinator, logged in once
per user), waits a random 0.5 to 1.5 s between pages (reading time) and asks for a page of `LOAD_PAGES` in
turn: lists unfiltered and filtered, a search, detail pages, caseload, dashboard. Bounded in users, time
and request count. Only the standard library on the client side (threads and http.client with
keep-alive), so the client takes little of the two cores from the server.
"""

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
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
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.pages import LOAD_PAGES  # noqa: E402
from core.models import User  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer")


def _sessions(count: int) -> list[str]:
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
        time.sleep(rng.uniform(0.5, 1.5))
    conn.close()


def _start_server(port: int, workers: int) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:`port` in a session of its own (so that the whole group can be stopped)."""
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        start_new_session=True,
    )


def _warm_up(port: int, urls: list[tuple[str, str]], cookie: str) -> None:
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


def _result(args: argparse.Namespace, recorder: Recorder, duration: float, loads: list) -> dict:
    times_ms = [t * 1000 for t in recorder.times]
    return {
        "users": args.users,
        "seconds": round(duration, 1),
        "server": f"gunicorn, {args.workers} workers × 2 threads (gthread), 127.0.0.1",
        "think_time_s": "0.5–1.5",
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    urls = [
        (p.label, quote(reverse(p.url_name, kwargs=p.kwargs()) + p.query_string(), safe="/?&=%"))
        for p in LOAD_PAGES
    ]
    cookies = _sessions(args.users)
    port = _free_port()
    server = _start_server(port, args.workers)
    try:
        _wait_for(port, server)
        _warm_up(port, urls, cookies[0])
        recorder = Recorder()
        load_before = os.getloadavg()
        duration = _run_coordinators(args, port=port, cookies=cookies, urls=urls, recorder=recorder)
        load_after = os.getloadavg()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    json.dump(_result(args, recorder, duration, [load_before, load_after]), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
