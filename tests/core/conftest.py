"""A scratch database on the test cluster, for the restore tests (created empty, dropped afterwards)."""

import uuid

import psycopg
import pytest
from django.db import connection


def connect(database: str):
    """A psycopg (3) connection to `database` on the test server (autocommit)."""
    params = connection.settings_dict
    conn = psycopg.connect(
        dbname=database,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
    )
    conn.autocommit = True
    return conn


@pytest.fixture
def scratch_database(transactional_db):
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def table_counts(database: str) -> dict[str, int]:
    """Rows per table of the public schema, counted by SQL in `database`."""
    with connect(database) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def audit_checksum(database: str) -> str:
    """md5 over every audit row (all columns, as text), ordered by id, computed by SQL in `database`."""
    with connect(database) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT md5(string_agg(a::text, '|' ORDER BY a.id)) FROM core_auditentry a")
        return cursor.fetchone()[0]
