"""Matching reads little (issue #21). A volunteer's open tandems are counted on their row by the database (issue #21): matching reads the free
places from `Volunteer.open_tandems` and the partial index `volunteer_matchable_idx` instead of joining and
grouping every tandem for each suggestion."""

import datetime

import numpy as np
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from refugees.models import Refugee
from tandems.batch import BLOCKED, _cost
from tandems.matching import (
    Pool,
    candidate_volunteers,
    prefiltered,
    ready_with_free_place,
    suggest_volunteers,
)
from tandems.matching.candidates import load_refugees
from tandems.matching.context import load_context
from tandems.matching.pool import Narrow, VolunteerColumns
from tandems.models import Tandem, TandemStatus
from tests.factories.core import district
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.tandems import TandemFactory
from tests.factories.volunteers import ReadyVolunteerFactory
from volunteers.models import Volunteer

REFERENCE_TABLES = ("core_district", "core_language", "core_helparea", "core_organisation")


def _count(volunteer) -> int:
    return Volunteer.objects.values_list("open_tandems", flat=True).get(pk=volunteer.pk)


def test_the_count_follows_every_write_of_a_tandem(org):
    volunteer = ReadyVolunteerFactory(organisation=org, capacity=5)
    other = ReadyVolunteerFactory(organisation=org, capacity=5)
    assert _count(volunteer) == 0
    first = TandemFactory(organisation=org, volunteer=volunteer)
    assert _count(volunteer) == 1
    Tandem.objects.bulk_create(
        [
            Tandem(
                organisation=org,
                volunteer=volunteer,
                refugee=WaitingRefugeeFactory(organisation=org),
                proposed_on=datetime.date.today(),
                status=s,
                not_started_reason="abgesagt",
            )
            for s in (TandemStatus.PROPOSED, TandemStatus.INTRODUCED, TandemStatus.NOT_STARTED)
        ]
    )
    assert _count(volunteer) == 3, "a tandem that did not start takes no place"
    Tandem.objects.filter(volunteer=volunteer, status=TandemStatus.INTRODUCED).update(
        status=TandemStatus.NOT_STARTED, not_started_reason="abgesagt"
    )
    assert _count(volunteer) == 2
    Tandem.objects.filter(pk=first.pk).update(volunteer=other)
    assert (_count(volunteer), _count(other)) == (1, 1), "a move counts on both sides"
    Tandem.objects.filter(volunteer=volunteer).delete()
    assert _count(volunteer) == 0


def test_a_stale_save_of_the_volunteer_keeps_the_count(org):
    volunteer = ReadyVolunteerFactory(organisation=org, capacity=2)
    loaded = Volunteer.objects.get(pk=volunteer.pk)  # open_tandems 0 in memory
    TandemFactory(organisation=org, volunteer=volunteer)
    loaded.first_name = "Neu"
    loaded.save()
    assert _count(volunteer) == 1
    Volunteer.objects.filter(pk=volunteer.pk).update(open_tandems=0)  # no writer sets another value
    assert _count(volunteer) == 1


def test_a_closing_tandem_still_takes_its_place(org):
    """A closing tandem is open (OPEN_STATUSES): its volunteer's kept count holds it until the tandem ends."""
    volunteer = ReadyVolunteerFactory(organisation=org, capacity=1)
    tandem = TandemFactory(
        organisation=org,
        volunteer=volunteer,
        status=TandemStatus.ACTIVE,
        started_on=datetime.date.today(),
    )
    Tandem.objects.filter(pk=tandem.pk).update(status=TandemStatus.CLOSING)
    assert _count(volunteer) == 1
    Tandem.objects.filter(pk=tandem.pk).delete()
    assert _count(volunteer) == 0


def test_the_candidate_query_reads_no_tandems(org, coordinator):
    for _ in range(3):
        TandemFactory(organisation=org)
    ReadyVolunteerFactory.create_batch(3, organisation=org)
    refugee = WaitingRefugeeFactory(organisation=org)
    with CaptureQueriesContext(connection) as queries:
        found = suggest_volunteers(refugee=refugee, user=coordinator)
    assert len(found) == 3, "the three volunteers with a free place"
    reading_tandems = [
        q["sql"]
        for q in queries
        if '"tandems_tandem"' in q["sql"].replace('INNER JOIN "tandems_tandem" ON (U0."tandem_id"', "")
        and 'FROM "tandems_tandemclosure"' not in q["sql"]
    ]
    # the cool-off after a closure reads the few closures with their tandem; only the risk at match time asks
    # about the tandems themselves, of the shown volunteers by their ids (an index probe each), never the
    # candidate query over all volunteers
    assert all('"volunteers_volunteer"."id" IN (' in sql for sql in reading_tandems), reading_tandems
    assert len(reading_tandems) <= 1


def test_the_candidates_query_reads_the_matchable_index(org, coordinator):
    TandemFactory.create_batch(3, organisation=org)
    refugee = load_refugees(Refugee.objects.filter(pk=WaitingRefugeeFactory(organisation=org).pk))[0]
    ctx = load_context(user=coordinator)
    for queryset in (
        ready_with_free_place(candidate_volunteers(user=coordinator)),
        prefiltered(candidate_volunteers(user=coordinator, organisation_ids=[org.pk]), refugee, ctx.today),
    ):
        with transaction.atomic(), connection.cursor() as cursor:
            # on a handful of rows a sequential scan is cheaper: forbid it to see whether the index answers
            cursor.execute("SET LOCAL enable_seqscan = off")
            plan = queryset.order_by("pk").explain()
        assert "volunteer_matchable_idx" in plan, plan


def test_the_reference_tables_are_read_once_per_process_and_version(org, coordinator):
    ReadyVolunteerFactory(organisation=org, district=district("linden-limmer"))
    refugee = WaitingRefugeeFactory(organisation=org, district=district("mitte"))
    suggest_volunteers(refugee=refugee, user=coordinator)
    with CaptureQueriesContext(connection) as queries:
        found = suggest_volunteers(refugee=refugee, user=coordinator)
    assert len(found) == 1
    read = [q["sql"] for q in queries if any(f'"{t}"' in q["sql"] for t in REFERENCE_TABLES)]
    assert not read, read
    renamed = district("linden-limmer")
    renamed.name_de = "Linden-Nord"
    renamed.save()  # every process reads the tables again (core.reference)
    assert load_context(user=coordinator).district_names[renamed.pk] == "Linden-Nord"


@pytest.mark.parametrize("places", [(1, 1, 1), (2, 1, 3)])
def test_the_batch_cost_is_exactly_what_the_solver_maximised_before(places):
    """The batch builds the negated float64 matrix itself (no copies in the solver): the same numbers."""
    rng = np.random.default_rng(7)
    scores = rng.random((4, 3), dtype=np.float32)
    allowed = rng.random((4, 3)) > 0.3
    slots = np.repeat(np.arange(3), places)
    before = -np.where(allowed, scores, BLOCKED)[:, slots].astype(np.float64)
    assert np.array_equal(_cost(scores, allowed, np.array(places), slots), before)


def test_a_shared_score_is_computed_once_and_read_only(org, coordinator):
    ReadyVolunteerFactory.create_batch(2, organisation=org)
    pool = Pool.load(Volunteer.objects.all(), load_context(user=coordinator))
    calls = []
    first = pool.cached(("k", 1), lambda: calls.append(1) or np.ones(2))
    assert pool.cached(("k", 1), lambda: calls.append(1) or np.ones(2)) is first and calls == [1]
    with pytest.raises(ValueError):
        first[0] = 0


def test_the_candidates_are_fetched_while_the_garbage_collector_waits(org, coordinator):
    """The fetched rows are plain tuples without cycles: while they are read and turned into columns the
    collector waits, so they never reach its oldest generation and set off a full collection of the
    process (which cost 50-60 ms every few suggestions at city scale)."""
    import gc

    ReadyVolunteerFactory.create_batch(3, organisation=org)
    refugee = WaitingRefugeeFactory(organisation=org)
    ctx = load_context(user=coordinator)
    r = load_refugees(Refugee.objects.filter(pk=refugee.pk))[0]
    queryset = prefiltered(candidate_volunteers(user=coordinator), r, ctx.today)
    collecting = []

    def record(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        collecting.append(gc.isenabled())
        return result

    with connection.execute_wrapper(record):
        columns = VolunteerColumns.load(queryset, Narrow.for_refugee(r, ctx))
    assert columns.n == 3
    assert len(collecting) >= 2 and not any(collecting)  # the rows, their languages (and areas of help)
    assert gc.isenabled()


def test_the_candidates_are_read_without_order_by_and_kept_in_id_order(org, coordinator):
    """PostgreSQL does not sort the candidates (so it can use a hash join for the cool-off): Python sorts
    them by id, and ties still rank by id."""
    first, *_rest = ReadyVolunteerFactory.create_batch(3, organisation=org)
    Volunteer.objects.filter(pk=first.pk).update(capacity=3)  # its new row version lies behind the others
    refugee = WaitingRefugeeFactory(organisation=org)
    ctx = load_context(user=coordinator)
    r = load_refugees(Refugee.objects.filter(pk=refugee.pk))[0]
    queryset = prefiltered(candidate_volunteers(user=coordinator), r, ctx.today)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM volunteers_volunteer ORDER BY ctid")
        assert [row[0] for row in cursor.fetchall()][-1] == first.pk
    with CaptureQueriesContext(connection) as queries:
        pool = Pool.load(queryset, ctx, refugee=r)
    assert "ORDER BY" not in queries.captured_queries[0]["sql"]
    assert pool.columns.pk.tolist() == sorted(Volunteer.objects.values_list("pk", flat=True))
