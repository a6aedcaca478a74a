"""Prepared statements (issue #21, config/settings.py SERVER_SIDE_BINDING_OPTIONS, DB_SERVER_SIDE_BINDING): with
them PostgreSQL plans a repeated query once per connection. Off by default, because a server-bound statement
takes at most 65,535 parameters (tests/perf/test_bulk_message_speed.py bulk-creates more)."""

import pytest
from django.conf import settings
from django.db import connection

from core.models import District


def test_server_side_binding_is_off_unless_asked_for():
    assert "server_side_binding" not in settings.DATABASES["default"]["OPTIONS"]


@pytest.mark.django_db
def test_with_the_options_a_repeated_query_is_prepared_and_gives_the_same_rows():
    # a connection of its own sees what the migrations committed (reference data), not this test's transaction
    bound = connection.copy()
    bound.settings_dict = {**bound.settings_dict, "OPTIONS": {**bound.settings_dict["OPTIONS"]}}
    bound.settings_dict["OPTIONS"].update(settings.SERVER_SIDE_BINDING_OPTIONS)
    sql, params = (
        District.objects.filter(pk__gte=0).order_by("pk").values_list("pk", "code").query.sql_with_params()
    )
    try:
        with bound.cursor() as cursor:
            rows = []
            for _ in range(3):
                cursor.execute(sql, params)
                rows.append(cursor.fetchall())
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [statement for (statement,) in cursor.fetchall() if "core_district" in statement]
    finally:
        bound.close()
    assert rows[0] == rows[1] == rows[2] and len(rows[0]) == District.objects.count() > 0
    assert (
        len(prepared) == 1 and "$1" in prepared[0]
    )  # prepared the third time, its parameter bound on the server
