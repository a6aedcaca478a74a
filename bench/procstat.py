"""CPU time of processes read from Linux's /proc (bench/served.py): the gunicorn workers and the PostgreSQL
backends that serve the bench database.

`cpu_seconds` is utime + stime of /proc/<pid>/stat (every thread of the process, in clock ticks of
1/SC_CLK_TCK s, usually 10 ms); a process that has ended counts as 0 from then on, so a figure is
"CPU spent between two readings by the processes alive at both, plus what new ones spent".
"""

import os
from collections.abc import Iterable
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK")


def parse_stat(line: str) -> tuple[int, float]:
    """(parent pid, CPU seconds) of one /proc/<pid>/stat line.

    The command name (field 2) is in parentheses and may itself hold spaces and parentheses, so the
    fields are counted from the last ')': state is field 3, ppid 4, utime 14 and stime 15."""
    rest = line[line.rindex(")") + 2 :].split()
    ppid, utime, stime = int(rest[1]), int(rest[11]), int(rest[12])
    return ppid, (utime + stime) / TICKS


def _stat(pid: int) -> tuple[int, float] | None:
    try:
        return parse_stat((PROC / str(pid) / "stat").read_text())
    except (OSError, ValueError, IndexError):
        return None  # ended meanwhile


def cpu_seconds(pid: int) -> float:
    found = _stat(pid)
    return found[1] if found else 0.0


def children(parent: int) -> list[int]:
    """The pids whose parent is `parent` (a scan of /proc)."""
    found = []
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat and stat[0] == parent:
                found.append(int(entry.name))
    return sorted(found)


def cmdline(pid: int) -> list[str]:
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return []
    # a PostgreSQL backend rewrites its title as one string: "postgres: user db 127.0.0.1(5432) idle"
    return raw.replace(b"\0", b" ").decode(errors="replace").split()


def is_backend_of(title: list[str], *, user: str, database: str) -> bool:
    """Whether a process title is a client backend of `user` on `database` (not the checkpointer, the
    autovacuum launcher or workers, or a backend of another database)."""
    return len(title) >= 3 and title[0] == "postgres:" and title[1] == user and title[2] == database


def postgres_backends(postmaster: int, *, user: str, database: str) -> list[int]:
    return [pid for pid in children(postmaster) if is_backend_of(cmdline(pid), user=user, database=database)]


def snapshot(pids: Iterable[int]) -> dict[int, float]:
    return {pid: cpu_seconds(pid) for pid in pids}


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two snapshots: the growth of each process seen after (a new one counts
    whole, from its start)."""
    return sum(max(0.0, seconds - before.get(pid, 0.0)) for pid, seconds in after.items())


def parent_of(pid: int) -> int | None:
    found = _stat(pid)
    return found[0] if found else None
