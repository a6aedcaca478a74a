"""Every page of bench/pages.py through gunicorn over HTTP, as users get it (run by bench/run.py, prints JSON).

    python bench/served.py [--repeat 20] [--export-repeat 3] [--load --users 50 --seconds 60] [--only LABEL ...]

gunicorn is started exactly as deploy/tenk-web.service starts it in production (its `ExecStart`: the
workers and options of the unit, only the port and the access log's destination differ) against the
database of DATABASE_URL, with the environment bench/run.py gives it (production settings). The demo
coordinator logs in over HTTP (the login form, its CSRF token, the session cookie it sets). Then, for each
page: two warm-up requests, a reading of the CPU time of the gunicorn workers and of the PostgreSQL
backends of the bench database (bench/procstat.py: utime + stime from /proc, the backends are the
postmaster's children whose title names the bench database), `--repeat` requests one after the other, a
second reading. Per page: median and 95th percentile of the wall time of a request (connect to the last
byte; for exports also the first byte of the body), worker CPU per request and PostgreSQL CPU per request
(the difference of the readings ÷ the requests). With --load, bench/load.py's simulated coordinators then
run against the same server. The load average is recorded before and after each part.
"""

import argparse
import http.client
import json
import os
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from bench import procstat  # noqa: E402

UNIT = ROOT / "deploy" / "tenk-web.service"
LOGIN_PATH = "/accounts/login/"


def server_command(port: int, *, unit: Path = UNIT, gunicorn: str | None = None) -> list[str]:
    """The unit's gunicorn command line, bound to 127.0.0.1:`port`, its access log thrown away (writing
    it still costs the worker what it costs in production), without the control socket."""
    exec_start = next(
        line.split("=", 1)[1] for line in unit.read_text().splitlines() if line.startswith("ExecStart=")
    )
    words = shlex.split(exec_start)
    words[0] = gunicorn or str(Path(sys.executable).parent / "gunicorn")
    command = []
    skip = False
    for position, word in enumerate(words):
        if skip:
            skip = False
            continue
        if word in {"--bind", "-b"}:
            command += [word, f"127.0.0.1:{port}"]
            skip = True
        elif word == "--access-logfile" and position + 1 < len(words) and words[position + 1] == "-":
            command += [word, os.devnull]
            skip = True
        else:
            command.append(word)
    # gunicorn's control socket has one fixed path per user: a second server on the machine would take it
    return [*command, "--no-control-socket"]


def workers_of(command: list[str]) -> int:
    """gunicorn's --workers in a command line (gunicorn's own default is 1)."""
    for position, word in enumerate(command):
        if word in {"--workers", "-w"}:
            return int(command[position + 1])
        if word.startswith("--workers="):
            return int(word.split("=", 1)[1])
    return 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    """gunicorn in a session of its own (so that the whole group can be stopped)."""
    return subprocess.Popen(server_command(port), cwd=ROOT, env=os.environ.copy(), start_new_session=True)


def stop_server(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def wait_for(port: int, process: subprocess.Popen, *, workers: int, timeout: float = 60) -> None:
    """Until /healthz answers and every worker has started."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            if len(procstat.children(process.pid)) >= workers:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer")


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def login(port: int, username: str, password: str) -> str:
    """The Cookie header of a session logged in through the login form over HTTP."""
    from django.conf import settings

    csrf, session = settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", LOGIN_PATH)
    response = conn.getresponse()
    page = response.read().decode()
    cookies = _cookies(response)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if response.status != 200 or not token or csrf not in cookies:
        raise RuntimeError(f"login form: HTTP {response.status}")
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)})
    conn.request(
        "POST",
        LOGIN_PATH,
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{csrf}={cookies[csrf]}",
        },
    )
    response = conn.getresponse()
    response.read()
    conn.close()
    cookies |= _cookies(response)
    if response.status != 302 or session not in cookies:
        raise RuntimeError(f"login as {username}: HTTP {response.status}, no session")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


@dataclass
class Timed:
    seconds: float
    first_byte: float
    size: int


def get(port: int, path: str, cookie: str) -> Timed:
    """One request on a new connection (gunicorn's sync workers close each one), read to the end."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "de"})
        response = conn.getresponse()
        size = len(response.read(1))
        first = time.perf_counter() - started
        while chunk := response.read(65536):
            size += len(chunk)
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}")
    finally:
        conn.close()
    return Timed(time.perf_counter() - started, first, size)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


class Meter:
    """CPU readings of the gunicorn workers and of the bench database's PostgreSQL backends."""

    def __init__(self, master: int, postmaster: int | None, *, user: str, database: str) -> None:
        self.master, self.postmaster, self.user, self.database = master, postmaster, user, database

    def read(self) -> tuple[dict[int, float], dict[int, float]]:
        workers = procstat.snapshot(procstat.children(self.master))
        backends = (
            procstat.snapshot(
                procstat.postgres_backends(self.postmaster, user=self.user, database=self.database)
            )
            if self.postmaster
            else {}
        )
        return workers, backends


def measure_page(port: int, path: str, cookie: str, meter: Meter, *, repeat: int, warm: int = 2) -> dict:
    for _ in range(warm):
        get(port, path, cookie)
    workers_before, backends_before = meter.read()
    runs = [get(port, path, cookie) for _ in range(repeat)]
    workers_after, backends_after = meter.read()
    times = [r.seconds * 1000 for r in runs]
    figures = {
        "requests": repeat,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95(times), 1),
        "worker_cpu_ms": round(procstat.spent(workers_before, workers_after) * 1000 / repeat, 1),
        "postgres_cpu_ms": (
            round(procstat.spent(backends_before, backends_after) * 1000 / repeat, 1)
            if meter.postmaster
            else None
        ),
        "bytes": runs[-1].size,
    }
    first = [r.first_byte * 1000 for r in runs]
    figures["first_byte_median_ms"] = round(statistics.median(first), 1)
    figures["first_byte_p95_ms"] = round(p95(first), 1)
    return figures


def _load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _database() -> tuple[int | None, str, str]:
    """The postmaster's pid (when PostgreSQL runs on this machine), the user and the database name."""
    from django.db import connection

    settings = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    postmaster = procstat.parent_of(backend)
    connection.close()  # this process's backend must not count in the figures
    return postmaster, settings["USER"], settings["NAME"]


def _pages(only: list[str] | None) -> tuple[list[tuple[object, str]], dict[str, dict]]:
    from django.urls import NoReverseMatch, reverse

    from bench.pages import PAGES

    found, failed = [], {}
    for page in PAGES:
        if only and page.label not in only:
            continue
        try:
            path = reverse(page.url_name, kwargs=page.kwargs()) + page.query_string()
        except (NoReverseMatch, LookupError) as exc:
            failed[page.label] = {"error": f"not measured: {exc.__class__.__name__}: {exc}"}
            continue
        found.append((page, quote(path, safe="/?&=%")))
    return found, failed


def _measure_all(args, port: int, cookie: str, meter: Meter, pages, failed: dict) -> dict:
    results = dict(failed)
    for page, path in pages:  # every worker compiles its templates before anything is counted
        for _ in range(1 if page.kind == "export" else 3):
            get(port, path, cookie)
    for page, path in pages:
        export = page.kind == "export"
        try:
            figures = measure_page(
                port,
                path,
                cookie,
                meter,
                repeat=args.export_repeat if export else args.repeat,
                warm=0 if export else 2,
            )
        except (RuntimeError, OSError, http.client.HTTPException) as exc:
            results[page.label] = {"error": f"{exc.__class__.__name__}: {exc}"}
            continue
        results[page.label] = {"url": path, "kind": page.kind, **figures}
        print(
            f"  served {page.label}: {figures['median_ms']} ms, worker CPU {figures['worker_cpu_ms']} ms",
            file=sys.stderr,
            flush=True,
        )
    return results


def _load_run(meter: Meter, **run) -> dict:
    """bench/load.py's run, with the CPU the workers and PostgreSQL spent per request during it."""
    from bench import load

    load.warm_up(run["port"], run["urls"], run["cookies"][0])  # not counted
    workers_before, backends_before = meter.read()
    result = load.run(**run, warm=False)
    workers_after, backends_after = meter.read()
    answered = max(result["requests"], 1)
    result["worker_cpu_ms"] = round(procstat.spent(workers_before, workers_after) * 1000 / answered, 1)
    if meter.postmaster:
        result["postgres_cpu_ms"] = round(
            procstat.spent(backends_before, backends_after) * 1000 / answered, 1
        )
    return result


def main() -> int:
    import django

    django.setup()
    from django.conf import settings

    from bench import load

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--export-repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="labels of the pages to measure (all by default)")
    parser.add_argument("--no-pages", action="store_true", help="only the load run")
    parser.add_argument("--load", action="store_true", help="then the load run against the same server")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument(
        "--capacity-users",
        type=int,
        default=load.CAPACITY_USERS,
        help="with --load, a second run with this many coordinators (0: none)",
    )
    args = parser.parse_args()
    pages, failed = _pages(args.only)
    load_cookies = load.sessions(max(args.users, args.capacity_users)) if args.load else []
    load_urls = load.load_urls() if args.load else []
    postmaster, user, database = _database()
    port = free_port()
    command = server_command(port)
    workers = workers_of(command)
    out: dict = {
        "server": f"gunicorn as deploy/tenk-web.service: {workers} workers (`{' '.join(command[1:])}`), 127.0.0.1",
        "login": f"the demo coordinator over HTTP (POST {LOGIN_PATH})",
        "postgres_measured": postmaster is not None,
    }
    server = start_server(port)
    try:
        wait_for(port, server, workers=workers)
        meter = Meter(server.pid, postmaster, user=user, database=database)
        if not args.no_pages:
            cookie = login(port, "coordinator", settings.DEMO_PASSWORD)
            out["load_average_before"] = _load_average()
            out["pages"] = _measure_all(args, port, cookie, meter, pages, failed)
            out["load_average_after"] = _load_average()
        runs = [("load", args.users), ("capacity", args.capacity_users)] if args.load else []
        for key, users in runs:
            if not users:
                continue
            print(f"  load run, {users} users for {args.seconds} s ...", file=sys.stderr, flush=True)
            out[key] = _load_run(
                meter,
                port=port,
                cookies=load_cookies[:users],
                urls=load_urls,
                users=users,
                seconds=args.seconds,
                max_requests=args.max_requests,
                server=out["server"],
            )
    finally:
        stop_server(server)
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
