"""The verdicts of `make bench` on a results dict (bench/targets.py) and how it starts gunicorn."""

import os
from pathlib import Path

from bench import served, targets


def _page(**figures):
    return {"kind": "page", "median_ms": 40.0, "p95_ms": 50.0, "queries": 8, **figures}


def _results(**city):
    return {
        "sizes": {
            "city": {
                "seed_s": 25.0,
                "reused": False,
                "pages": {
                    "volunteer list": _page(url_name="volunteers:volunteer_list", queries=9),
                    "tandem list": _page(url_name="tandems:tandem_list"),
                    "tandem detail": _page(url_name="tandems:tandem_detail", queries=15),
                    "caseload": _page(url_name="tandems:caseload", median_ms=50.0),
                    "broken": {"error": "HTTP 500"},
                },
                "served": {
                    "pages": {
                        "volunteer list": _page(worker_cpu_ms=35.5, postgres_cpu_ms=4.0),
                        "tandem detail": _page(worker_cpu_ms=12.0, postgres_cpu_ms=9.5),
                        "dashboard": _page(p95_ms=75.0, worker_cpu_ms=30.0, postgres_cpu_ms=None),
                        targets.XLSX_PAGE: {
                            "kind": "export",
                            "median_ms": 1900.0,
                            "p95_ms": 2100.0,
                            "first_byte_median_ms": 450.0,
                            "worker_cpu_ms": 1800.0,
                            "postgres_cpu_ms": 300.0,
                        },
                    }
                },
                "load": {
                    "users": 50,
                    "throughput_rps": 61.0,
                    "p95_ms": 900.0,
                    "errors": 0,
                    "error_kinds": {},
                },
                **city,
            },
            "city10": {
                "pages": {
                    "tandem list": _page(url_name="tandems:tandem_list", queries=9),
                    "caseload": _page(url_name="tandems:caseload", median_ms=55.0),
                }
            },
        }
    }


def test_each_missed_target_is_named_with_its_figure_and_the_met_ones_are_not():
    missed = targets.misses(_results())
    assert missed == [
        "city, broken: HTTP 500",
        "volunteer list: worker CPU per request at city: 35.5 ms (target ≤ 20 ms)",
        "tandem detail: PostgreSQL CPU per request at city: 9.5 ms (target ≤ 8 ms)",
        "dashboard, repeated, p95 through gunicorn at city: 75.0 ms (target ≤ 60 ms)",
        "volunteer list: queries: 9 at city (target ≤ 8, the same at every size)",
        "tandem list: queries: 8 at city, 9 at city10 (target ≤ 8, the same at every size)",
        "load, 50 coordinators: p95: 900.0 ms (target ≤ 300 ms)",
        "XLSX export at city: first byte, median through gunicorn: 450.0 ms (target ≤ 300 ms)",
    ]


def test_every_target_is_a_row_with_figure_and_target():
    rows = {row["measure"]: row for row in targets.targets(_results())}
    assert rows["tandem detail: worker CPU per request at city"]["met"] is True
    assert rows["load, 50 coordinators: throughput"] == {
        "measure": "load, 50 coordinators: throughput",
        "figure": "61.0 req/s",
        "target": "≥ 60 req/s",
        "met": True,
    }
    assert rows["caseload, median city10 ÷ city"]["figure"] == "1.1×"
    assert rows["seeding city from empty"]["met"] is True
    # a detail page is no list page: its 15 queries are judged by no list target
    assert "tandem detail: queries" not in rows


def test_a_reused_database_says_the_seeding_was_not_measured():
    rows = {row["measure"]: row for row in targets.targets(_results(reused=True))}
    assert rows["seeding city from empty"]["met"] is None
    assert not [m for m in targets.misses(_results(reused=True)) if m.startswith("seeding")]


def test_the_bench_server_is_the_production_unit_on_a_local_port(tmp_path: Path):
    command = served.server_command(8123, gunicorn="gunicorn")
    assert command[:2] == ["gunicorn", "config.wsgi"]
    assert command[command.index("--bind") + 1] == "127.0.0.1:8123"
    assert command[command.index("--access-logfile") + 1] == os.devnull
    assert served.workers_of(command) == 3  # deploy/tenk-web.service
    unit = tmp_path / "web.service"
    unit.write_text("[Service]\nExecStart=/srv/bin/gunicorn config.wsgi -b 0.0.0.0:80 --workers=5\n")
    command = served.server_command(9000, unit=unit, gunicorn="g")
    assert command == ["g", "config.wsgi", "-b", "127.0.0.1:9000", "--workers=5", "--no-control-socket"]
    assert served.workers_of(command) == 5


def test_fifty_users_who_wait_a_second_are_not_judged_on_sixty_requests_a_second_the_capacity_run_is():
    fifty = {"users": 50, "offered_at_most_rps": 50.0, "throughput_rps": 41.0, "p95_ms": 250.0}
    eighty = {"users": 80, "offered_at_most_rps": 80.0, "throughput_rps": 55.5, "p95_ms": 420.0}
    results = _results(
        load={**fifty, "errors": 0, "error_kinds": {}},
        capacity={**eighty, "errors": 2, "error_kinds": {"HTTP 502 caseload": 2}},
    )
    rows = {row["measure"]: row for row in targets.targets(results)}
    assert rows["load, 50 coordinators: throughput (they can ask for at most 50.0 req/s)"] == {
        "measure": "load, 50 coordinators: throughput (they can ask for at most 50.0 req/s)",
        "figure": "41.0 req/s",
        "target": "≥ 60 req/s, judged on the capacity run",
        "met": None,
    }
    assert rows["load, 50 coordinators: p95"]["met"] is True
    missed = [m for m in targets.misses(results) if m.startswith("load")]
    assert missed == [
        "load, 80 coordinators: throughput: 55.5 req/s (target ≥ 60 req/s)",
        "load, 80 coordinators: p95: 420.0 ms (target ≤ 300 ms)",
        "load, 80 coordinators: errors: 2 {'HTTP 502 caseload': 2} (target 0)",
    ]


def test_the_load_client_says_how_many_requests_its_users_can_ask_for():
    from bench import load

    assert load.THINK_S == (0.5, 1.5)  # issue #21's reading time
    assert load.offered_at_most(50) == 50.0
    assert load.offered_at_most(80) == 80.0
    assert load.offered_at_most(load.CAPACITY_USERS) > targets.LOAD_RPS
