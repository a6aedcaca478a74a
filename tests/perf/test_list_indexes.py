"""The default order of each big list is served by an index (no sort of every row before the first page)."""

import pytest
from django.db import connection, transaction

from refugees.selectors import refugee_list_visible, refugee_waiting_list_visible
from tandems.selectors import tandem_list_visible
from tests.factories.tandems import TandemFactory
from trainings.selectors import volunteer_waiting_for_basic
from volunteers.selectors import volunteer_list_visible

CASES = {
    "tandem_live_proposed_idx": lambda user: tandem_list_visible(user=user).order_by("-proposed_on", "-pk"),
    "volunteer_live_name_idx": lambda user: volunteer_list_visible(user=user).order_by(
        "last_name", "first_name", "pk"
    ),
    "refugee_live_referred_idx": lambda user: refugee_list_visible(user=user).order_by("-referred_at", "-pk"),
    "volunteer_waiting_basic_idx": lambda user: volunteer_waiting_for_basic(user=user).order_by(
        "waiting_since", "pk"
    ),
    "refugee_waiting_idx": lambda user: refugee_waiting_list_visible(user=user).order_by(
        "waiting_since", "last_name", "pk"
    ),
}


@pytest.mark.parametrize("index", sorted(CASES))
def test_the_lists_default_order_reads_an_index(coordinator, org, index):
    TandemFactory.create_batch(3, organisation=org)  # with their volunteers and refugees
    with transaction.atomic(), connection.cursor() as cursor:
        # on a handful of rows a sequential scan and a sort would be cheaper: forbid them to see the plan
        # the planner picks at scale
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        plan = CASES[index](coordinator)[:25].explain()
    assert index in plan, plan


@pytest.mark.parametrize("mine", [True, False])
def test_trained_but_never_matched_reads_its_index(coordinator, org, mine):
    """The start page's queue "trained but never matched" (its count and its first rows) can read the partial
    index of trained volunteers still in the programme: its condition is implied by the queue's (a
    sequential scan of every volunteer before; at city, on a loaded machine, the count fell from 28–42 to about 6 ms)."""
    from tandems.selectors import volunteers_trained_unmatched

    TandemFactory.create_batch(3, organisation=org)
    rows = volunteers_trained_unmatched(user=coordinator, mine=mine)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        plan = rows[:5].explain()
    assert "volunteer_trained_free_idx" in plan, plan
