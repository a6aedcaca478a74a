import datetime

import pytest

from tandems.batch import batch_proposal, compute
from tandems.matching import Context, RefugeeData, VolunteerData, load_context
from tests.factories.core import language
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.volunteers import ReadyVolunteerFactory, VolunteerLanguageFactory

TODAY = datetime.date.today()


def _volunteer(pk: int, *, languages: dict[int, str], capacity: int = 1, org: int = 900) -> VolunteerData:
    return VolunteerData(
        pk=pk,
        name=f"V{pk}",
        organisation_id=org,
        status="trained",
        capacity=capacity,
        open_count=0,
        is_trained=True,
        is_cleared=True,
        gender="unspecified",
        pref_gender="any",
        pref_families="either",
        pref_age_min=None,
        pref_age_max=None,
        district_id=None,
        weekdays=(),
        times=(),
        interests=frozenset(),
        languages=languages,
        help_areas=frozenset(),
        released_to=frozenset(),
    )


def _refugee(pk: int, *, languages: set[int], waited: int = 10, org: int = 900) -> RefugeeData:
    return RefugeeData(
        pk=pk,
        name=f"R{pk}",
        organisation_id=org,
        status="waiting",
        gender="unspecified",
        pref_volunteer_gender="any",
        german_level="A0",
        birth_year=None,
        children_count=0,
        youngest_birth_year=None,
        district_id=None,
        waiting_since=TODAY - datetime.timedelta(days=waited),
        languages=frozenset(languages),
        needs=frozenset(),
        interests=frozenset(),
    )


@pytest.fixture
def ctx(db) -> Context:
    context = load_context(user=None)
    context.weights = dict.fromkeys(context.weights, 0.0) | {"language": 1.0}
    return context


def test_optimal_beats_greedy_where_greedy_takes_the_wrong_place(ctx):
    # R1 waits longest and speaks both languages: greedy gives R1 the Arabic speaker, leaving R2 (Arabic only)
    # with nobody who speaks Arabic. The optimum gives R1 the Farsi speaker.
    ar, fa = 101, 102
    refugees = [_refugee(1, languages={ar, fa}, waited=100), _refugee(2, languages={ar}, waited=5)]
    volunteers = [_volunteer(11, languages={ar: "native"}), _volunteer(12, languages={fa: "good"})]
    result = compute(refugees, volunteers, ctx)
    assert {(p.refugee.pk, p.volunteer.pk) for p in result.pairs} == {(1, 12), (2, 11)}
    assert result.optimal_total == pytest.approx(1.8)
    assert result.greedy_total == pytest.approx(1.0)
    assert result.optimal_total >= result.greedy_total


def test_capacity_two_counts_as_two_places(ctx):
    ar = 101
    refugees = [_refugee(i, languages={ar}) for i in range(1, 4)]
    volunteers = [
        _volunteer(11, languages={ar: "native"}, capacity=2),
        _volunteer(12, languages={}, capacity=1),
    ]
    result = compute(refugees, volunteers, ctx)
    assert result.place_count == 3
    assert [p.volunteer.pk for p in result.pairs].count(11) == 2
    assert len(result.pairs) == 3


def test_who_is_left_and_why(ctx):
    ar = 101
    refugees = [
        _refugee(1, languages={ar}),
        _refugee(2, languages={ar}),
        _refugee(3, languages={ar}, org=901),
    ]
    volunteers = [_volunteer(11, languages={ar: "native"})]
    result = compute(refugees, volunteers, ctx)
    assert len(result.pairs) == 1
    reasons = {r.pk: reason for r, reason in result.unmatched_refugees}
    assert len(reasons) == 2
    left_behind = reasons.get(1) or reasons.get(2)
    assert "mehr Wartende als freie Plätze" in left_behind
    assert "niemand erfüllt die festen Regeln" in reasons[3]


def test_optimal_is_never_worse_than_greedy_on_random_data(ctx):
    import random

    rng = random.Random(7)
    langs = list(range(101, 106))
    refugees = [
        _refugee(i, languages=set(rng.sample(langs, 2)), waited=rng.randint(1, 300)) for i in range(1, 40)
    ]
    volunteers = [
        _volunteer(
            100 + i, languages=dict.fromkeys(rng.sample(langs, 2), "good"), capacity=rng.choice([1, 2])
        )
        for i in range(25)
    ]
    result = compute(refugees, volunteers, ctx)
    assert result.optimal_total >= result.greedy_total - 1e-6


def test_batch_proposal_reads_the_database_in_a_fixed_number_of_queries(
    org, coordinator, django_assert_max_num_queries
):
    for _ in range(6):
        refugee = WaitingRefugeeFactory(organisation=org)
        refugee.languages.set([language("ar")])
        volunteer = ReadyVolunteerFactory(organisation=org)
        VolunteerLanguageFactory(volunteer=volunteer, language=language("ar"))
    with django_assert_max_num_queries(16):
        result = batch_proposal(user=coordinator)
    assert len(result.pairs) == 6


def test_a_batch_too_big_for_memory_takes_the_longest_waiting_first(org, coordinator):
    today = datetime.date.today()
    refugees = [
        WaitingRefugeeFactory(organisation=org, waiting_since=today - datetime.timedelta(days=10 * n))
        for n in range(6)
    ]
    for _ in range(6):
        ReadyVolunteerFactory(organisation=org)
    result = batch_proposal(user=coordinator, max_cells=12)  # 6 places: room for 2 people in one run
    assert result.is_partial and (result.refugee_count, result.waiting_total) == (2, 6)
    assert {p.refugee.pk for p in result.pairs} == {refugees[5].pk, refugees[4].pk}
    assert not batch_proposal(user=coordinator).is_partial
