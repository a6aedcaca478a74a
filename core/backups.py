"""Backups of the database: a compressed `pg_dump -Fc` per run in BACKUP_DIR, older ones rotated away.

`manage.py backup` (and `make backup`) writes one; docs/privacy.md says how long erased data live on in them
and how a restore is done (`pg_restore`, then `manage.py erasure_replay`). The dump is taken by the pg_dump
of the server's major version (`config.devdb.client_program`), so that it can be restored on that server.
"""

import datetime
import os
import re
import subprocess
from pathlib import Path
from typing import Any

from django.db import connections

from config.devdb import client_program

PREFIX = "tenk-"
SUFFIX = ".dump"
STAMP = "%Y%m%dT%H%M%SZ"
NAME = re.compile(rf"{PREFIX}(\d{{8}}T\d{{6}}Z){re.escape(SUFFIX)}")


class BackupError(Exception):
    pass


def libpq_env(settings_dict: dict[str, Any], *, database: str | None = None) -> dict[str, str]:
    """The environment that points pg_dump, pg_restore or psql at a database (the password never in argv)."""
    values = {
        "PGHOST": settings_dict.get("HOST") or "",
        "PGPORT": str(settings_dict.get("PORT") or ""),
        "PGUSER": settings_dict.get("USER") or "",
        "PGPASSWORD": settings_dict.get("PASSWORD") or "",
        "PGDATABASE": database or settings_dict["NAME"],
        "PGSSLMODE": (settings_dict.get("OPTIONS") or {}).get("sslmode", ""),
    }
    return {**os.environ, **{key: value for key, value in values.items() if value}}


def server_program(program: str, alias: str = "default") -> str:
    connection = connections[alias]
    connection.ensure_connection()
    try:
        return client_program(program, connection.pg_version // 10000)
    except FileNotFoundError as exc:
        raise BackupError(str(exc)) from None


def dump_name(moment: datetime.datetime) -> str:
    return f"{PREFIX}{moment.astimezone(datetime.UTC).strftime(STAMP)}{SUFFIX}"


def dump_taken_at(path: Path) -> datetime.datetime | None:
    """When the dump was taken, read from its name (a copied file keeps it; its mtime would not)."""
    match = NAME.fullmatch(path.name)
    if match is None:
        return None
    return datetime.datetime.strptime(match[1], STAMP).replace(tzinfo=datetime.UTC)


def backup_write(*, directory: Path, now: datetime.datetime | None = None, alias: str = "default") -> Path:
    """Dump the database to `directory/tenk-<UTC time>.dump`, readable by its owner only.

    The dump is written under a temporary name and renamed when pg_dump succeeded, so a failed or
    interrupted run leaves no file that looks like a backup."""
    now = now or datetime.datetime.now(datetime.UTC)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = directory / dump_name(now)
    partial = target.with_name(f".{target.name}.partial")
    program = server_program("pg_dump", alias)
    old_umask = os.umask(0o077)
    try:
        result = subprocess.run(
            [program, "--format=custom", "--compress=6", f"--file={partial}"],
            env=libpq_env(connections[alias].settings_dict),
            capture_output=True,
            text=True,
        )
    finally:
        os.umask(old_umask)
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    partial.replace(target)
    return target


def backup_rotate(*, directory: Path, keep_days: int, now: datetime.datetime | None = None) -> list[Path]:
    """Delete the dumps in `directory` taken more than `keep_days` days before `now`; other files stay."""
    if keep_days < 1:
        raise BackupError("BACKUP_KEEP_DAYS must be at least 1")
    now = now or datetime.datetime.now(datetime.UTC)
    cutoff = now - datetime.timedelta(days=keep_days)
    removed = []
    for path in sorted(directory.glob(f"{PREFIX}*{SUFFIX}")):
        taken_at = dump_taken_at(path)
        if taken_at is not None and taken_at < cutoff:
            path.unlink()
            removed.append(path)
    return removed


def backup_restore(*, path: Path, database: str, alias: str = "default") -> None:
    """Restore a dump into the (new, empty) database `database` on the server of `alias`.

    The same as the documented procedure: `pg_restore --no-owner --exit-on-error --dbname=NAME FILE`."""
    result = subprocess.run(
        [
            server_program("pg_restore", alias),
            "--no-owner",
            "--exit-on-error",
            f"--dbname={database}",
            str(path),
        ],
        env=libpq_env(connections[alias].settings_dict, database=database),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
