import datetime

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.reporting.data import build_bulk

# The dashboard runs a fixed set of grouped queries (one per figure and breakdown), whatever the data size;
# the retention section ("Dauer der Tandems") adds five, one per figure, the relationship survey one and the
# integration outcomes of the "Wirkung" section two.
MAX_QUERIES = 48


@pytest.mark.parametrize("size", [5, 40])
@pytest.mark.parametrize("role", ["coordinator", "steering", "partner"])
def test_dashboard_queries_do_not_grow_with_the_data(
    world, org, fwz, size, role, django_assert_max_num_queries
):
    build_bulk(org=org, fwz=fwz, size=size, today=datetime.date.today())
    client = client_for(world.users[role])
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("reporting:dashboard"), {"year": 2026})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 40])
def test_grant_report_queries_do_not_grow_with_the_data(world, org, fwz, size, django_assert_max_num_queries):
    build_bulk(org=org, fwz=fwz, size=size, today=datetime.date.today())
    client = client_for(world.users["coordinator"])
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(reverse("reporting:grant_report", args=[2026])).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        assert (
            client.get(reverse("reporting:grant_report", args=[2026]), {"format": "xlsx"}).status_code == 200
        )


def test_dashboard_query_count_is_the_same_at_two_sizes(world, org, fwz):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.users["steering"])
    counts = []
    for size in (5, 40):
        build_bulk(org=org, fwz=fwz, size=size, today=datetime.date.today())
        client.get(reverse("reporting:dashboard"))  # warm the session and the memberships
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("reporting:dashboard"), {"year": 2026})
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= MAX_QUERIES, counts
    print(counts)
