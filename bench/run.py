"""`make bench`: seed separate databases at city scale and at ten times that, measure every main page.

    python bench/run.py [--sizes city city10] [--reuse] [--repeat 20] [--load | --load-only]

For each size a database `tenk_bench_<size>` is created on the server in DATABASE_URL (dropped first
unless --reuse), migrated and seeded with `seed_demo --size <size>` (the time is reported). Then
`bench/measure.py` runs in a subprocess against it and reports, per page, the median and 95th percentile
of server time over repeated requests and the number of queries, and the matching figures. With --load,
`bench/load.py` runs 50 simulated coordinators against gunicorn on the city database. The results are
written to bench/results.json and bench/results.md (sizes not measured in this run are kept from the
previous results), with the targets each figure misses. The dev database `tenk` is never touched.
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

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
RESULTS_JSON = ROOT / "bench" / "results.json"
RESULTS_MD = ROOT / "bench" / "results.md"

# targets of the issue, on this 2-core machine
PAGE_P95_MS = 150
GROWTH_LIMIT = 1.5
SUGGEST_MS = 150
BATCH_S = 10
BATCH_PAGE_MS = 100  # the batch page showing a stored run (issue #21)
EXPORT_S = 3  # for 10,000 rows; judged per row at ten times the data
EXPORT_ROWS = 10_000


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


def _load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _exported(data: dict) -> int:
    """The rows of the volunteer export: every volunteer of the size."""
    return data.get("rows", {}).get("volunteers", EXPORT_ROWS)


def _verdicts(results: dict) -> list[str]:
    misses = []
    sizes = results["sizes"]
    city = sizes.get("city", {}).get("pages", {})
    big = sizes.get("city10", {}).get("pages", {})
    for size, data in sizes.items():
        for label, page in data.get("pages", {}).items():
            if page.get("error"):
                misses.append(f"{size}, {label}: {page['error']}")
    for label, page in city.items():
        if page.get("error"):
            continue
        if page.get("kind") == "export":
            limit = EXPORT_S * 1000 * max(EXPORT_ROWS, _exported(sizes["city"])) / EXPORT_ROWS
            if page["p95_ms"] > limit:
                misses.append(f"{label}: p95 {page['p95_ms']} ms at city scale (target {limit:.0f} ms)")
        elif page["p95_ms"] > PAGE_P95_MS:
            misses.append(f"{label}: p95 {page['p95_ms']} ms at city scale (target {PAGE_P95_MS} ms)")
        other = big.get(label)
        if not other or other.get("error"):
            continue
        if other["queries"] != page["queries"]:
            misses.append(
                f"{label}: {page['queries']} queries at city scale, {other['queries']} at ten times"
            )
        if page.get("kind") == "export":
            # an export grows with its rows: judged per row against the same 3 s per 10,000 rows
            limit = EXPORT_S * 1000 * max(EXPORT_ROWS, _exported(sizes["city10"])) / EXPORT_ROWS
            if other["p95_ms"] > limit:
                misses.append(
                    f"{label}: {other['p95_ms']} ms for {_exported(sizes['city10']):,} rows at ten times "
                    f"(target {limit:.0f} ms)"
                )
        elif other["p95_ms"] > GROWTH_LIMIT * max(page["p95_ms"], 1):
            misses.append(
                f"{label}: p95 {other['p95_ms']} ms at ten times against {page['p95_ms']} ms "
                f"(limit {GROWTH_LIMIT}×)"
            )
    for size, data in sizes.items():
        for label, figure in data.get("matching", {}).items():
            if label.startswith("suggestions for one") and figure["p95_ms"] > SUGGEST_MS:
                misses.append(f"{size}, {label}: p95 {figure['p95_ms']} ms (target {SUGGEST_MS} ms)")
            if label.startswith("batch 2,000") and figure["seconds"] > BATCH_S:
                misses.append(f"{size}, {label}: {figure['seconds']} s (target {BATCH_S} s)")
            if label == "batch page, stored run" and size == "city" and figure["median_ms"] > BATCH_PAGE_MS:
                misses.append(f"{size}, {label}: median {figure['median_ms']} ms (target {BATCH_PAGE_MS} ms)")
        load = data.get("load")
        if load:
            if load["errors"]:
                misses.append(f"{size}, load run: {load['errors']} errors {load['error_kinds']}")
            if load["p95_ms"] > PAGE_P95_MS:
                misses.append(
                    f"{size}, load run ({load['users']} users): p95 {load['p95_ms']} ms (the page target "
                    f"{PAGE_P95_MS} ms is for single requests; shown for information)"
                )
    return misses


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
        load = data.get("load")
        if load:
            lines += [
                "",
                f"Load run: {load['users']} simulated coordinators for {load['seconds']} s against "
                f"{load['server']}, think time {load['think_time_s']} s: {load['requests']} requests, "
                f"**{load['throughput_rps']} requests/s, median {load['median_ms']} ms, p95 {load['p95_ms']} ms, "
                f"max {load['max_ms']} ms, {load['errors']} errors**; load average before "
                f"{load['load_average_before']}, after {load['load_average_after']}.",
            ]
        lines.append("")
    lines += ["## Targets missed", ""]
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
        if (args.load or args.load_only) and size == "city":
            print(f"bench: load run, {args.users} users for {args.seconds} s ...", flush=True)
            data["load"] = _json_of(
                [PY, "bench/load.py", "--users", str(args.users), "--seconds", str(args.seconds)],
                prepared["env"],
            )
        results["sizes"][size] = data
    results["sizes"] = dict(sorted(results["sizes"].items()))
    results["misses"] = _verdicts(results)
    RESULTS_JSON.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    RESULTS_MD.write_text(_markdown(results))
    print(_markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
