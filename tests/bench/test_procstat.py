"""The /proc CPU reader of the bench (bench/procstat.py) on real processes: a child burning CPU and the
PostgreSQL backend of the test database."""

import os
import subprocess
import sys
import time

from django.db import connection

from bench import procstat

# burns 0.4 s of CPU, says so on stdout, then sleeps (on a busy machine the burning takes longer than 0.4 s)
BURN = (
    "import sys, time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\n"
    "print('burnt', flush=True)\ntime.sleep(30)"
)


def test_parse_stat_counts_the_fields_after_the_last_parenthesis():
    # the command name may hold spaces and parentheses: a naive split would shift every field
    fields = ["S", "77"] + ["0"] * 9 + ["250", "50"] + ["0"] * 30
    line = "1234 (evil) name (x) " + " ".join(fields)
    ppid, seconds = procstat.parse_stat(line)
    assert ppid == 77
    assert seconds == 300 / procstat.TICKS


def test_cpu_of_a_child_burning_cpu_is_read_and_an_ended_one_counts_nothing():
    child = subprocess.Popen([sys.executable, "-c", BURN], stdout=subprocess.PIPE, text=True)
    try:
        assert child.pid in procstat.children(os.getpid())
        before = procstat.snapshot([child.pid])
        assert child.stdout.readline() == "burnt\n"
        time.sleep(0.1)
        after = procstat.snapshot([child.pid])
        assert 0.3 <= procstat.spent(before, after) <= 1.0
    finally:
        child.kill()
        child.wait()
    assert procstat.cpu_seconds(child.pid) == 0.0
    assert procstat.spent(after, procstat.snapshot([child.pid])) == 0.0


def test_spent_counts_a_new_process_whole_and_never_negative():
    assert procstat.spent({1: 2.0, 2: 1.0}, {1: 2.5, 3: 0.25}) == 0.75


def test_backend_titles():
    assert procstat.is_backend_of(
        ["postgres:", "tenk", "tenk_bench_city", "127.0.0.1(5432)", "idle"],
        user="tenk",
        database="tenk_bench_city",
    )
    assert not procstat.is_backend_of(
        ["postgres:", "tenk", "tenk", "127.0.0.1(5432)", "idle"], user="tenk", database="tenk_bench_city"
    )
    assert not procstat.is_backend_of(
        ["postgres:", "autovacuum", "worker", "tenk_bench_city"], user="tenk", database="tenk_bench_city"
    )
    assert not procstat.is_backend_of(["postgres:", "checkpointer"], user="tenk", database="tenk_bench_city")


def test_the_backend_of_this_database_is_found_and_its_cpu_grows(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
        postmaster = procstat.parent_of(backend)
        found = procstat.postgres_backends(
            postmaster, user=connection.settings_dict["USER"], database=connection.settings_dict["NAME"]
        )
        assert backend in found
        before = procstat.snapshot(found)
        cursor.execute("SELECT sum(sqrt(x)) FROM generate_series(1, 3000000) AS x")
        after = procstat.snapshot(found)
    assert procstat.spent(before, after) >= 0.05
