"""Dump what the matching answers on a bench database, to compare two versions of the code (issue #21).

Run from a worktree, once with the old code and once with the new, then compare the files (`cmp`):

    PYTHONHASHSEED=0 .venv/bin/python bench/matching_dump.py OUT.json [--db tenk_bench_city] [--per-user 60]

Read-only. For the coordinator and a partner: the suggestions for every n-th waiting refugee (with and
without the blocked ones) and for five volunteers, each with its volunteer, refugee, total, blocked
reasons, every criterion (score, weight, words) and the risk; then the batch over the seeded data and the
bench's target case (2,000 × 5,000), without their running time. PYTHONHASHSEED fixes the order of the
sets in the batch's records.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(db: str) -> None:
    from bench.run import bench_env

    base = os.environ.get("BENCH_BASE_URL")  # default: the lead's PostgreSQL, beside the worktree
    if not base:
        port = (ROOT.parent / "main" / ".data" / "postgres.port").read_text().strip()
        base = f"postgres://postgres@127.0.0.1:{port}/postgres"
    os.environ.update(bench_env(base, "city"))
    os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + db
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


def _record(s) -> list:
    return [
        s.volunteer.pk,
        s.refugee.pk,
        repr(s.total),
        [str(b) for b in s.blocked],
        [(c.key, repr(c.score), repr(c.weight), str(c.text), str(c.label)) for c in s.criteria],
        s.risk.as_record() if s.risk is not None else None,
    ]


def suggestions(per_user: int) -> dict[str, list]:
    from core.models import User
    from refugees.models import Refugee
    from tandems.matching import suggest_refugees, suggest_volunteers, waiting_refugees
    from volunteers.models import Volunteer

    out: dict[str, list] = {}
    for name in ("coordinator", "partner"):
        user = User.objects.get(username=name)
        waiting = list(waiting_refugees(user=user).order_by("pk").values_list("pk", flat=True))
        for pk in waiting[:: max(1, len(waiting) // per_user)][:per_user]:
            refugee = Refugee.objects.get(pk=pk)
            for blocked in (False, True):
                found = suggest_volunteers(refugee=refugee, user=user, show_blocked=blocked)
                out[f"{name}/{pk}/{blocked}"] = [_record(s) for s in found]
        for pk in Volunteer.objects.order_by("pk").values_list("pk", flat=True)[::1000][:5]:
            found = suggest_refugees(volunteer=Volunteer.objects.get(pk=pk), user=user)
            out[f"{name}/volunteer/{pk}"] = [_record(s) for s in found]
    return out


def batches() -> dict[str, str]:
    from bench.pages import _batch_target_case
    from core.models import User
    from tandems.batch import batch_proposal

    user = User.objects.get(username="coordinator")
    out = {}
    for name, run in (
        ("seeded", lambda: batch_proposal(user=user)),
        ("target", lambda: _batch_target_case(user)),
    ):
        result = run()
        fields = {k: v for k, v in vars(result).items() if k != "seconds"}
        out[name] = repr(sorted((k, repr(v)) for k, v in fields.items()))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--db", default="tenk_bench_city")
    parser.add_argument("--per-user", type=int, default=60)
    args = parser.parse_args()
    _setup(args.db)
    found = suggestions(args.per_user)
    data = {"suggestions": found, "batch": batches()}
    Path(args.out).write_text(json.dumps(data, indent=0, default=str))
    print(len(found), "lists,", sum(len(v) for v in found.values()), "suggestions, 2 batch runs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
