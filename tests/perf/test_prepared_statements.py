"""PostgreSQL parses and plans a page's queries once per connection (issue #21): server-side binding with
psycopg's prepared statements (config/settings.py, DB_SERVER_SIDE_BINDING)."""

from django.db import connection
from django.urls import reverse

from tests.factories.tandems import TandemFactory


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_a_page_requested_again_runs_its_queries_as_prepared_statements(client, coordinator, org):
    tandems = TandemFactory.create_batch(3, organisation=org)
    client.force_login(coordinator)
    url = reverse("tandems:tandem_list")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert not [
        s for s in _prepared() if s.startswith("SELECT") and "tandems_tandem" in s
    ]  # twice: sent and planned as text
    assert client.get(url).status_code == 200
    prepared = [s for s in _prepared() if s.startswith("SELECT") and "tandems_tandem" in s]
    assert prepared  # the third time: prepared, planned once for this connection
    assert any("$1" in s for s in prepared)  # parameters bound on the server, not written into the text
    page = client.get(url).content.decode()  # the prepared queries give the same rows
    assert all(str(tandem.volunteer) in page and str(tandem.refugee) in page for tandem in tandems)
