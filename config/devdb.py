"""A private PostgreSQL cluster for development and tests.

    python -m config.devdb run -- COMMAND ...

runs COMMAND with DATABASE_URL pointing at a cluster under .data/postgres (created on first use,
reused afterwards) and stops the cluster again when COMMAND ends, Ctrl-C included, unless it was
already running before. With DATABASE_URL set in the environment nothing is started: COMMAND runs
against that database.

PostgreSQL refuses to run as root. When we are root, the cluster belongs to the `postgres` system
user that Debian's package creates, and the server is started through `runuser`. This module imports
nothing from Django, because it runs before settings exist.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
DB_NAME = "tenk"
SYSTEM_USER = "postgres"


def _is_root() -> bool:
    return os.geteuid() == 0


def _debian_bindirs(program: str = "pg_ctl") -> dict[int, Path]:
    """Debian's PostgreSQL binaries that have `program`, by major version (several may be installed)."""
    return {int(p.split("/")[4]): Path(p).parent for p in glob.glob(f"/usr/lib/postgresql/*/bin/{program}")}


def _bindir() -> Path:
    """Newest Debian PostgreSQL, installing it when it is missing and we may."""
    for attempt in range(2):
        found = _debian_bindirs()
        if found:
            return found[max(found)]
        if attempt == 0 and _is_root() and shutil.which("apt-get"):
            print("devdb: installing PostgreSQL from Debian's packages ...", flush=True)
            subprocess.run(["apt-get", "update", "-qq"], check=True)
            subprocess.run(
                ["apt-get", "install", "-y", "-qq", "postgresql"],
                check=True,
                env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            )
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).resolve().parent
    sys.exit("devdb: no PostgreSQL found. Install it (apt-get install postgresql) or set DATABASE_URL.")


def client_program(program: str, server_major: int) -> str:
    """`pg_dump` or `pg_restore` for a server of major version `server_major`.

    They refuse a server newer than themselves and an older one writes dumps that a newer server may not
    read cleanly, so the same major version is taken, else the next newer one Debian has installed, else
    the one on PATH when it is new enough. Fails loudly rather than writing a dump that cannot be used."""
    found = {major: path for major, path in _debian_bindirs(program).items() if major >= server_major}
    if found:
        return str(found[min(found)] / program)
    on_path = shutil.which(program)
    if on_path:
        version = subprocess.run([on_path, "--version"], capture_output=True, text=True).stdout
        major = re.search(r"\)\s+(\d+)", version)
        if major and int(major[1]) >= server_major:
            return on_path
    raise FileNotFoundError(
        f"no {program} for PostgreSQL {server_major}: install postgresql-client-{server_major} "
        "(Debian's package puts it under /usr/lib/postgresql)"
    )


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", SYSTEM_USER, "--", *cmd] if _is_root() else cmd


def _cluster_dir() -> Path:
    """`.data/postgres`, unless the postgres user cannot reach the checkout (a home folder with mode 700)."""
    wanted = DATA / "postgres"
    if not _is_root():
        return wanted
    DATA.mkdir(exist_ok=True)
    reachable = subprocess.run(_as_owner(["test", "-x", str(DATA)]), capture_output=True).returncode == 0
    if reachable:
        return wanted
    return Path("/var/tmp") / f"tenk-postgres-{hashlib.sha256(str(ROOT).encode()).hexdigest()[:10]}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_file(cluster: Path) -> Path:
    return DATA / "postgres.port" if cluster.parent == DATA else cluster / "tenk.port"


def _ensure_cluster(bindir: Path) -> tuple[Path, int]:
    cluster = _cluster_dir()
    port_file = _port_file(cluster)
    if not (cluster / "PG_VERSION").exists():
        cluster.mkdir(parents=True, exist_ok=True)
        if _is_root():
            shutil.chown(cluster, SYSTEM_USER, SYSTEM_USER)
        cluster.chmod(0o700)
        print(
            f"devdb: creating a PostgreSQL cluster in {cluster.relative_to(ROOT) if cluster.is_relative_to(ROOT) else cluster}",
            flush=True,
        )
        subprocess.run(
            _as_owner(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(cluster),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        # loopback only, no socket file (paths may be too long for one); a throwaway cluster needs no fsync
        with open(cluster / "postgresql.conf", "a") as conf:
            conf.write(
                "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\nfsync = off\n"
                "synchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n"
            )
        port_file.write_text(f"{_free_port()}\n")
    return cluster, int(port_file.read_text().strip())


def _running(bindir: Path, cluster: Path) -> bool:
    return (
        subprocess.run(
            _as_owner([str(bindir / "pg_ctl"), "status", "-D", str(cluster)]), capture_output=True
        ).returncode
        == 0
    )


def _start(bindir: Path, cluster: Path, port: int) -> None:
    log = cluster / "server.log"
    subprocess.run(
        _as_owner(
            [str(bindir / "pg_ctl"), "start", "-w", "-D", str(cluster), "-l", str(log), "-o", f"-p {port}"]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _stop(bindir: Path, cluster: Path) -> None:
    subprocess.run(
        _as_owner([str(bindir / "pg_ctl"), "stop", "-m", "fast", "-D", str(cluster)]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _ensure_database(url: str) -> None:
    import psycopg  # installed in the venv; imported late so `--help` works without it

    for _ in range(50):
        try:
            conn = psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True)
            break
        except psycopg.OperationalError:
            time.sleep(0.2)
    else:
        sys.exit("devdb: PostgreSQL did not answer")
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{DB_NAME}"')
    conn.close()


class _Terminated(Exception):
    pass


def _raise_terminated(signum, frame) -> None:
    raise _Terminated


def run(command: list[str]) -> int:
    if os.environ.get("DATABASE_URL"):
        return subprocess.run(command).returncode
    bindir = _bindir()
    cluster, port = _ensure_cluster(bindir)
    started_here = not _running(bindir, cluster)
    if started_here:
        _start(bindir, cluster, port)
        print(f"devdb: private PostgreSQL started on 127.0.0.1:{port}", flush=True)
    url = f"postgres://postgres@127.0.0.1:{port}/{DB_NAME}"
    # SIGTERM (a service manager, `kill`) is handled like Ctrl-C: the command is asked to stop, waited
    # for, and the cluster stopped; the default action would leave PostgreSQL running
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        _ensure_database(url)
        child = subprocess.Popen(command, env={**os.environ, "DATABASE_URL": url})
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:
                # Ctrl-C reached the child too (same process group); wait for it to finish cleanly.
                with contextlib.suppress(ProcessLookupError):
                    child.send_signal(signal.SIGINT)
            except _Terminated:
                with contextlib.suppress(ProcessLookupError):
                    child.send_signal(signal.SIGTERM)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not interrupt the shutdown
        if started_here:
            _stop(bindir, cluster)
            print("devdb: private PostgreSQL stopped", flush=True)


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "run" and argv[1] == "--":
        return run(argv[2:])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
