"""`make bench`: seed separate databases at city scale and at ten times that, measure every main page.

    python bench/run.py [--sizes city city10] [--reuse] [--repeat 20]

For each size a database `tenk_bench_<size>` is created on the server in DATABASE_URL (dropped first
unless --reuse), migrated and seeded with `seed_demo --size <size>` (the time is reported). Then
`bench/measure.py` runs in a subprocess against it and reports, per page, the median and 95th percentile
of server time over repeated requests and the number of queries. The results of all sizes are written
to bench/results.json and bench/results.md, with the targets each figure misses.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

# targets of the issue, on this 2-core machine
PAGE_P95_MS = 150
GROWTH_LIMIT = 1.5
SUGGEST_MS = 150
BATCH_S = 10
EXPORT_S = 3


def _with_db(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


def _prepare(base_url: str, size: str, reuse: bool) -> dict:
    name = f"tenk_bench_{size}"
    conn = psycopg2.connect(_with_db(base_url, "postgres"))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cur.fetchone() is not None
        if exists and not reuse:
            cur.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not exists or not reuse:
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    env = {
        **os.environ,
        "DATABASE_URL": _with_db(base_url, name),
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
    }
    started = time.monotonic()
    subprocess.run([PY, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    migrated = time.monotonic()
    if not (exists and reuse):
        subprocess.run([PY, "manage.py", "seed_demo", "--size", size], cwd=ROOT, env=env, check=True)
    seeded = time.monotonic()
    with psycopg2.connect(env["DATABASE_URL"]) as c2:
        c2.autocommit = True
        with c2.cursor() as cur:
            cur.execute("ANALYZE")
    return {"env": env, "migrate_s": round(migrated - started, 1), "seed_s": round(seeded - migrated, 1)}


def _measure(env: dict, repeat: int) -> dict:
    out = subprocess.run(
        [PY, "bench/measure.py", "--repeat", str(repeat)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def _verdicts(results: dict) -> list[str]:
    misses = []
    city = results["sizes"].get("city", {}).get("pages", {})
    big = results["sizes"].get("city10", {}).get("pages", {})
    for label, page in city.items():
        if page.get("error"):
            misses.append(f"{label}: {page['error']}")
            continue
        limit = EXPORT_S * 1000 if page.get("kind") == "export" else PAGE_P95_MS
        if page["p95_ms"] > limit:
            misses.append(f"{label}: p95 {page['p95_ms']} ms at city scale (target {limit} ms)")
        if label in big and not big[label].get("error"):
            if big[label]["queries"] != page["queries"]:
                misses.append(
                    f"{label}: {page['queries']} queries at city scale, {big[label]['queries']} at ten times"
                )
            if big[label]["p95_ms"] > GROWTH_LIMIT * max(page["p95_ms"], 1):
                misses.append(
                    f"{label}: {big[label]['p95_ms']} ms at ten times vs {page['p95_ms']} ms "
                    f"(limit {GROWTH_LIMIT}x)"
                )
    for size, data in results["sizes"].items():
        for label, value in data.get("matching", {}).items():
            if label == "suggest_ms" and value > SUGGEST_MS:
                misses.append(f"{size}: suggestions {value} ms (target {SUGGEST_MS} ms)")
            if label == "batch_s" and value > BATCH_S:
                misses.append(f"{size}: batch {value} s (target {BATCH_S} s)")
    return misses


def _markdown(results: dict) -> str:
    lines = ["# Benchmark results", "", f"Machine: {results['machine']}", f"Run at: {results['run_at']}", ""]
    for size, data in results["sizes"].items():
        lines += [
            f"## {size}",
            "",
            f"Seeding: migrate {data['migrate_s']} s, seed_demo {data['seed_s']} s.",
            "",
            "| page | median ms | p95 ms | queries |",
            "| --- | ---: | ---: | ---: |",
        ]
        for label, page in data["pages"].items():
            if page.get("error"):
                lines.append(f"| {label} | – | – | {page['error']} |")
            else:
                lines.append(f"| {label} | {page['median_ms']} | {page['p95_ms']} | {page['queries']} |")
        for label, value in data.get("matching", {}).items():
            lines.append(f"| matching: {label} | {value} | | |")
        lines.append("")
    lines += ["## Targets missed", ""]
    lines += [f"- {m}" for m in results["misses"]] or ["- none"]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="+", default=["city", "city10"])
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded bench database")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    base = os.environ["DATABASE_URL"]
    results = {
        "machine": f"{platform.node()} – {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "run_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "sizes": {},
    }
    for size in args.sizes:
        print(f"bench: preparing {size} ...", flush=True)
        prepared = _prepare(base, size, args.reuse)
        print(f"bench: seeded {size} in {prepared['seed_s']} s; measuring ...", flush=True)
        results["sizes"][size] = {
            "migrate_s": prepared["migrate_s"],
            "seed_s": prepared["seed_s"],
            **_measure(prepared["env"], args.repeat),
        }
    results["misses"] = _verdicts(results)
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (ROOT / "bench" / "results.md").write_text(_markdown(results))
    print(_markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
