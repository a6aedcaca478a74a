"""`make bench`: seed separate databases at city scale and at ten times that, measure every main page.

    python bench/run.py [--sizes city city10] [--reuse] [--repeat 20] [--load | --load-only]

For each size a database `tenk_bench_<size>` is created on the server in DATABASE_URL (dropped first
unless --reuse), migrated and seeded with `seed_demo --size <size>` (the time is reported). Then
`bench/measure.py` runs in a subprocess against it and reports, per page, the median and 95th percentile
of server time over repeated requests and the number of queries, and the matching figures. At city,
`bench/served.py` then starts gunicorn as production does (deploy/tenk-web.service) and times every page
over HTTP with the CPU per request of the workers and of PostgreSQL; with --load, `bench/load.py`'s 50
simulated coordinators follow against the same server. The results are written to bench/results.json and
bench/results.md (sizes not measured in this run are kept from the previous results), with every target
of issue #21 (bench/targets.py) and the ones missed. The dev database `tenk` is never touched.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.targets import misses, targets  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
RESULTS_JSON = ROOT / "bench" / "results.json"
RESULTS_MD = ROOT / "bench" / "results.md"


def _with_db(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


def bench_env(base_url: str, size: str) -> dict[str, str]:
    """The environment of the app against a bench database: production settings (DEBUG off), local HTTP."""
    return {
        **os.environ,
        "DATABASE_URL": _with_db(base_url, f"tenk_bench_{size}"),
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
        "PSEUDONYM_KEY": "bench-only-pseudonyms-" + "y" * 40,
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "STATIC_ROOT": str(ROOT / ".data" / "bench-static"),
    }


def _prepare(base_url: str, size: str, reuse: bool) -> dict:
    name = f"tenk_bench_{size}"
    conn = psycopg.connect(_with_db(base_url, "postgres"), autocommit=True)
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cur.fetchone() is not None
        if exists and not reuse:
            cur.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not exists or not reuse:
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    env = bench_env(base_url, size)
    started = time.monotonic()
    subprocess.run([PY, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    migrated = time.monotonic()
    # seed_demo is idempotent: on a reused database it only adds what is missing
    subprocess.run([PY, "manage.py", "seed_demo", "--size", size], cwd=ROOT, env=env, check=True)
    seeded = time.monotonic()
    counts = {}
    c2 = psycopg.connect(env["DATABASE_URL"], autocommit=True)  # VACUUM cannot run in a transaction
    try:
        with c2.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
            for label, table in [
                ("volunteers", "volunteers_volunteer"),
                ("refugees", "refugees_refugee"),
                ("tandems", "tandems_tandem"),
                ("check-ins", "tandems_checkin"),
                ("training sessions", "trainings_session"),
                ("registrations", "trainings_registration"),
            ]:
                cur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed table names)
                counts[label] = cur.fetchone()[0]
    finally:
        c2.close()
    subprocess.run([PY, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    return {
        "env": env,
        "migrate_s": round(migrated - started, 1),
        "seed_s": round(seeded - migrated, 1),
        "reused": exists and reuse,
        "rows": counts,
    }


def _json_of(command: list[str], env: dict) -> dict:
    out = subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(out.stdout)


def _load_markdown(load: dict) -> str:
    cpu = ""
    if "worker_cpu_ms" in load:
        cpu = f"; CPU per request during the run: workers {load['worker_cpu_ms']} ms"
        if "postgres_cpu_ms" in load:
            cpu += f", PostgreSQL {load['postgres_cpu_ms']} ms"
    offered = (
        f" (they can ask for at most {load['offered_at_most_rps']} requests/s)"
        if "offered_at_most_rps" in load
        else ""
    )
    return (
        f"Load run: {load['users']} simulated coordinators{offered} for {load['seconds']} s against "
        f"{load['server']}, think time {load['think_time_s']} s: {load['requests']} requests, "
        f"**{load['throughput_rps']} requests/s, median {load['median_ms']} ms, p95 {load['p95_ms']} ms, "
        f"max {load['max_ms']} ms, {load['errors']} errors**{cpu}; load average before "
        f"{load['load_average_before']}, after {load['load_average_after']}."
    )


def _load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


MET = {True: "yes", False: "**no**", None: "not measured"}


def _served_markdown(served: dict | None) -> list[str]:
    if not served or not served.get("pages"):
        return []
    lines = [
        "",
        f"Through {served['server']}, logged in as {served['login']}; load average before "
        f"{served.get('load_average_before')}, after {served.get('load_average_after')}. Wall time per "
        "request (connect to last byte; first byte for exports), CPU per request of the gunicorn workers and "
        "of the bench database's PostgreSQL backends (/proc, utime + stime)"
        + (
            ""
            if served.get("postgres_measured")
            else "; PostgreSQL not on this machine, its CPU not measured"
        )
        + ".",
        "",
        "| page (gunicorn) | median ms | p95 ms | worker CPU ms | PostgreSQL CPU ms | first byte ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, page in served["pages"].items():
        if page.get("error"):
            lines.append(f"| {label} | – | – | – | – | {page['error']} |")
            continue
        first = page["first_byte_median_ms"] if page.get("kind") == "export" else ""
        lines.append(
            f"| {label} | {page['median_ms']} | {page['p95_ms']} | {page['worker_cpu_ms']} | "
            f"{page['postgres_cpu_ms'] if page['postgres_cpu_ms'] is not None else '–'} | {first} |"
        )
    return lines


def _markdown(results: dict) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/run.py); how to read and run it: docs/performance.md.",
        "",
        f"Machine: {results['machine']}",
        "",
    ]
    for size, data in results["sizes"].items():
        rows = ", ".join(f"{n:,} {label}" for label, n in data.get("rows", {}).items())
        lines += [
            f"## {size}",
            "",
            f"Run at {data.get('run_at', '?')}; load average (1, 5, 15 min) before "
            f"{data.get('load_average_before')}, after {data.get('load_average_after')} "
            "(other work on the machine counts in the figures).",
            "",
            f"Data: {rows}.",
            "",
            f"Seeding: migrate {data['migrate_s']} s, seed_demo {data['seed_s']} s"
            + (" (database reused, nothing to add)." if data.get("reused") else "."),
            "",
            "| page | median ms | p95 ms | queries | notes |",
            "| --- | ---: | ---: | ---: | --- |",
        ]
        for label, page in data.get("pages", {}).items():
            if page.get("error"):
                lines.append(f"| {label} | – | – | – | {page['error']} |")
                continue
            note = ""
            if page.get("kind") == "export":
                note = f"{page['rows'] or data['rows']['volunteers']:,} rows, {page['bytes'] / 2**20:.1f} MB, peak Python memory {page['peak_python_mb']} MB"
            lines.append(f"| {label} | {page['median_ms']} | {page['p95_ms']} | {page['queries']} | {note} |")
        for label, figure in data.get("matching", {}).items():
            if "seconds" in figure:
                lines.append(
                    f"| matching: {label} | {figure['seconds'] * 1000:.0f} | | {figure['queries']} | "
                    f"one run; {figure.get('note', '')} |"
                )
            else:
                lines.append(
                    f"| matching: {label} | {figure['median_ms']} | {figure['p95_ms']} | {figure['queries']} | "
                    f"{figure.get('note', '')} |"
                )
        lines += _served_markdown(data.get("served"))
        for key in ("load", "capacity"):
            if data.get(key):
                lines += ["", _load_markdown(data[key])]
        lines.append("")
    lines += [
        "## Targets of issue #21",
        "",
        "| measure | figure | target | met |",
        "| --- | ---: | ---: | --- |",
    ]
    lines += [
        f"| {t['measure']} | {t['figure']} | {t['target']} | {MET[t['met']]} |"
        for t in results.get("targets", [])
    ]
    lines += ["", "## Targets missed", ""]
    lines += [f"- {m}" for m in results["misses"]] or ["- none"]
    notes = results.get("notes")
    if notes:
        lines += ["", "## Notes", "", *[f"- {n}" for n in notes]]
    return "\n".join(lines) + "\n"


def _machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = Path("/proc/meminfo").read_text().split()[1]
        memory = f", {int(mem) / 2**20:.0f} GB RAM"
    except (OSError, IndexError, ValueError):
        memory = ""
    with psycopg.connect(_with_db(os.environ["DATABASE_URL"], "postgres")) as conn, conn.cursor() as cur:
        cur.execute("SHOW server_version")
        postgres = cur.fetchone()[0]
    return (
        f"{platform.node()}: {model}, {os.cpu_count()} cores{memory}; Linux {platform.release()}; "
        f"Python {platform.python_version()}; PostgreSQL {postgres} on the same machine (whatever else runs there "
        "counts in the figures: see the load averages)"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="+", default=["city", "city10"])
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded bench database")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--load", action="store_true", help="also the load run (50 users, 60 s) on city")
    parser.add_argument("--load-only", action="store_true", help="only the load run (city, reused)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--capacity-users", type=int, default=80, help="then the same run with this many users (0: none)"
    )
    args = parser.parse_args()
    base = os.environ["DATABASE_URL"]
    previous = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {}
    results = {"machine": _machine(), "sizes": previous.get("sizes", {}), "notes": previous.get("notes", [])}
    sizes = ["city"] if args.load_only else args.sizes
    for size in sizes:
        print(f"bench: preparing {size} ...", flush=True)
        prepared = _prepare(base, size, args.reuse or args.load_only)
        data = results["sizes"].get(size, {}) if args.load_only else {}
        if not args.load_only:
            print(f"bench: seeded {size} in {prepared['seed_s']} s; measuring ...", flush=True)
            before = _load_average()
            measured = _json_of([PY, "bench/measure.py", "--repeat", str(args.repeat)], prepared["env"])
            data = {
                "run_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "load_average_before": before,
                "load_average_after": _load_average(),
                "migrate_s": prepared["migrate_s"],
                "seed_s": prepared["seed_s"],
                "reused": prepared["reused"],
                "rows": prepared["rows"],
                **measured,
            }
        if (
            size != "city"
        ):  # the targets through gunicorn are at city; the bigger size has its in-process figures
            results["sizes"][size] = data
            continue
        load = args.load or args.load_only
        command = [PY, "bench/served.py", "--repeat", str(args.repeat)]
        if args.load_only:
            command.append("--no-pages")
        if load:
            print(
                f"bench: through gunicorn, then the load runs ({args.users} and {args.capacity_users} users, "
                f"{args.seconds} s each) ...",
                flush=True,
            )
            command += ["--load", "--users", str(args.users), "--seconds", str(args.seconds)]
            command += ["--capacity-users", str(args.capacity_users)]
        else:
            print("bench: through gunicorn ...", flush=True)
        served = _json_of(command, prepared["env"])
        if load:
            data["load"] = served.pop("load")
            if "capacity" in served:
                data["capacity"] = served.pop("capacity")
        if not args.load_only:
            data["served"] = served
        results["sizes"][size] = data
    results["sizes"] = dict(sorted(results["sizes"].items()))
    results["targets"] = targets(results)
    results["misses"] = misses(results)
    RESULTS_JSON.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    RESULTS_MD.write_text(_markdown(results))
    print(_markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
