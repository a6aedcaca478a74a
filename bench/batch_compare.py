"""Time the batch runs and compare their results with a dump from other code (issue #21).

Runs in-process against a bench database (read-only: nothing is written) on the server of BENCH_BASE_URL
(or DATABASE_URL), as the demo coordinator:
- "seeded": `tandems.batch.batch_proposal` over the seeded data as it is;
- "target": the 2,000 × 5,000 case of `bench.pages._batch_target_case`, loading included, as the bench times it;
- "compute": the same case's `tandems.batch.compute` alone, on data loaded once.

    BENCH_BASE_URL=postgres://postgres@127.0.0.1:PORT/postgres .venv/bin/python bench/batch_compare.py
        --repeat 5 --dump after.json [--compare before.json] [--only seeded target compute]

Prints the median wall and CPU seconds of each; with --compare, exits 1 unless every pair, score, total,
greedy figure and reason is the same as in the other dump.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(database: str) -> None:
    from bench.run import bench_env

    # the server of the bench databases: BENCH_BASE_URL, else the one in DATABASE_URL (as bench/run.py)
    base = os.environ.get("BENCH_BASE_URL") or os.environ["DATABASE_URL"]
    os.environ.update(bench_env(base, "city"))
    os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + database
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


def _dump(result) -> dict:
    return {
        "pairs": sorted((p.refugee.pk, p.volunteer.pk, float(p.score)) for p in result.pairs),
        "optimal_total": result.optimal_total,
        "greedy_total": result.greedy_total,
        "greedy_count": result.greedy_count,
        "refugee_count": result.refugee_count,
        "place_count": result.place_count,
        "unmatched_refugees": [(r.pk, str(why)) for r, why in result.unmatched_refugees],
        "unmatched_volunteers": [(v.pk, str(why)) for v, why in result.unmatched_volunteers],
    }


def _timed(function, repeat: int) -> tuple[list[float], list[float], object]:
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", default=os.environ.get("BENCH_DB", "tenk_bench_city"))
    parser.add_argument("--dump", help="write the results as JSON to this file")
    parser.add_argument("--compare", help="a dump of other code: the results must be the same")
    parser.add_argument("--only", choices=["seeded", "target", "compute"], nargs="*")
    args = parser.parse_args()
    _setup(args.database)

    from bench.pages import _batch_target_case, batch_target_data
    from core.models import User
    from tandems.batch import batch_proposal, compute

    user = User.objects.get(username="coordinator")
    cases = {
        "seeded": lambda: batch_proposal(user=user),
        "target": lambda: _batch_target_case(user),
    }
    refugees, volunteers, ctx = batch_target_data(user)
    cases["compute"] = lambda: compute(refugees, volunteers, ctx)
    figures, dumps = {}, {}
    for name, function in cases.items():
        if args.only and name not in args.only:
            continue
        function()  # warm-up: the reference data, imports
        walls, cpus, result = _timed(function, args.repeat)
        figures[name] = {
            "wall_s": [round(w, 3) for w in walls],
            "wall_median_s": round(statistics.median(walls), 3),
            "cpu_median_s": round(statistics.median(cpus), 3),
            "pairs": len(result.pairs),
        }
        dumps[name] = _dump(result)
        print(name, json.dumps(figures[name]), file=sys.stderr, flush=True)
    print("load average", os.getloadavg(), file=sys.stderr)
    if args.dump:
        Path(args.dump).write_text(json.dumps(dumps))
    if args.compare:
        other = json.loads(Path(args.compare).read_text())
        same = True
        for name, dump in dumps.items():
            if name not in other:
                continue
            for key, value in dump.items():
                if json.loads(json.dumps(value)) != other[name][key]:
                    print(f"DIFFERENT: {name} {key}", file=sys.stderr)
                    same = False
        print("identical" if same else "NOT identical", file=sys.stderr)
        return 0 if same else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
