"""The availability criterion: the overlap of the household's and the volunteer's week (issue #18)."""

import dataclasses
import random

import numpy as np
import pytest

from tandems.batch import compute
from tandems.matching import Context, Pool, RefugeeData, VolunteerData, explain_pair, load_context
from tandems.matching.criteria.availability import Availability
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.volunteers import ReadyVolunteerFactory
from tests.tandems.test_batch import _refugee, _volunteer

TIMES = ("morning", "afternoon", "evening")


def _criteria(suggestion) -> dict:
    return {c.key: c for c in suggestion.criteria}


def _expected(refugee_days, refugee_times, days, times) -> float:
    """The rule of the issue, pair by pair in plain Python (the oracle for the vectorised score)."""
    if not days and not times:
        return 0.3
    if not refugee_days and not refugee_times:
        return min(1.0, len(set(days)) / 4) * 0.6 + min(1.0, len(set(times)) / 2) * 0.4
    day_part = (
        len(set(days) & set(refugee_days)) / len(set(refugee_days))
        if refugee_days
        else min(1.0, len(set(days)) / 4)
    )
    time_part = (
        len(set(times) & set(refugee_times)) / len(set(refugee_times))
        if refugee_times
        else min(1.0, len(set(times)) / 2)
    )
    return day_part * 0.6 + time_part * 0.4


def _household(days=(), times=()) -> RefugeeData:
    return dataclasses.replace(_refugee(1, languages=set()), weekdays=tuple(days), times=tuple(times))


def _with_week(pk: int, days=(), times=(), **kwargs) -> VolunteerData:
    return dataclasses.replace(
        _volunteer(pk, languages={}, **kwargs), weekdays=tuple(days), times=tuple(times)
    )


@pytest.fixture
def ctx(db) -> Context:
    return load_context(user=None)


@pytest.mark.parametrize(
    ("household", "volunteer", "score"),
    [
        # two of the household's two days, one of its one time: everything fits
        (([0, 2], ["afternoon"]), ([0, 2, 4], ["afternoon", "evening"]), 1.0),
        # one of two days, the time fits: 0.5 × 0.6 + 1 × 0.4
        (([0, 2], ["afternoon"]), ([2, 5], ["afternoon"]), 0.7),
        # one of two days, neither time: 0.5 × 0.6
        (([0, 2], ["morning", "afternoon"]), ([0], ["evening"]), 0.3),
        # the days fit, one of two times: 0.6 + 0.5 × 0.4
        (([1], ["morning", "evening"]), ([1, 3], ["evening"]), 0.8),
        # nothing shared at all
        (([0, 1], ["morning"]), ([5, 6], ["evening"]), 0.0),
        # the volunteer recorded nothing: 0.3, as before
        (([0, 1], ["morning"]), ([], []), 0.3),
        # only days recorded for the household: the times count by the volunteer's breadth (1 of 2)
        (([0, 1], []), ([1], ["evening"]), 0.5 * 0.6 + 0.5 * 0.4),
    ],
)
def test_overlap_scores(ctx, household, volunteer, score):
    pool = Pool.of([_with_week(11, *volunteer)], ctx)
    assert Availability().score(_household(*household), pool, ctx)[0] == pytest.approx(score, abs=1e-6)


def test_without_the_households_times_the_breadth_score_is_kept_exactly(ctx):
    volunteers = [
        _with_week(11 + k, days, times)
        for k, (days, times) in enumerate(
            [([0, 1, 2, 3, 4], ["morning", "evening"]), ([5], ["evening"]), ([], []), ([3], [])]
        )
    ]
    pool = Pool.of(volunteers, ctx)
    scores = Availability().score(_household(), pool, ctx)
    assert scores is pool.availability, "the household without times is scored by the volunteer's breadth"
    assert scores.tolist() == pytest.approx([1.0, 0.15 + 0.2, 0.3, 0.15])


def test_vectorised_score_equals_the_rule_pair_by_pair(ctx):
    rnd = random.Random(18)
    weeks = [
        (sorted(rnd.sample(range(7), rnd.randint(0, 5))), rnd.sample(TIMES, rnd.randint(0, 3)))
        for _ in range(300)
    ]
    pool = Pool.of([_with_week(1000 + k, d, t) for k, (d, t) in enumerate(weeks)], ctx)
    households = [([], []), ([0], []), ([], ["evening"]), ([0, 3, 6], ["morning", "afternoon"])]
    households += [
        (sorted(rnd.sample(range(7), rnd.randint(1, 4))), rnd.sample(TIMES, rnd.randint(0, 2)))
        for _ in range(20)
    ]
    for h_days, h_times in households:
        scores = Availability().score(_household(h_days, h_times), pool, ctx)
        expected = [_expected(h_days, h_times, d, t) for d, t in weeks]
        np.testing.assert_allclose(scores, expected, atol=1e-6)


def test_the_pool_builds_its_week_grids_once(ctx):
    pool = Pool.of([_with_week(11, [0, 6], ["evening"]), _with_week(12)], ctx)
    assert pool.day_grid is pool.day_grid and pool.time_grid is pool.time_grid
    assert pool.day_grid.tolist() == [[True, False, False, False, False, False, True], [False] * 7]
    assert pool.time_grid.tolist() == [[False, False, True], [False, False, False]]


@pytest.mark.parametrize(
    ("household", "volunteer", "text"),
    [
        (
            ([0, 2], ["afternoon"]),
            ([0, 2, 4], ["afternoon", "evening"]),
            "gemeinsame Zeiten: Mo, Mi (nachmittags)",
        ),
        (([0, 1], ["morning"]), ([5, 6], ["evening"]), "keine gemeinsamen Zeiten"),
        (([0, 1], ["morning"]), ([1], ["evening"]), "gemeinsame Zeiten: Di (–)"),
        (([0, 1], ["morning"]), ([], []), "keine Verfügbarkeit angegeben"),
        (
            ([], []),
            ([5], ["evening"]),
            "verfügbar Sa (abends); die Zeiten des Haushalts sind nicht angegeben",
        ),
    ],
)
def test_explanation_names_the_shared_times(ctx, household, volunteer, text):
    assert Availability().explain(_household(*household), _with_week(11, *volunteer), ctx) == text


def test_intake_times_reach_the_explanation(org, coordinator):
    refugee = WaitingRefugeeFactory(
        organisation=org, available_weekdays=[2, 0], available_times=["afternoon"]
    )
    volunteer = ReadyVolunteerFactory(
        organisation=org, available_weekdays=[0, 2, 4], available_times=["afternoon"]
    )
    availability = _criteria(explain_pair(refugee=refugee, volunteer=volunteer, user=coordinator))[
        "availability"
    ]
    assert availability.score == pytest.approx(1.0)
    assert availability.text == "gemeinsame Zeiten: Mo, Mi (nachmittags)"


def test_a_volunteer_whose_days_overlap_ranks_above_one_whose_days_do_not(org, coordinator):
    from tandems.matching import suggest_volunteers

    refugee = WaitingRefugeeFactory(organisation=org, available_weekdays=[0, 1], available_times=["morning"])
    # the broader week of `elsewhere` wins on breadth; only the overlap puts `fits` first
    elsewhere = ReadyVolunteerFactory(
        organisation=org, available_weekdays=[2, 3, 4, 5], available_times=["afternoon", "evening"]
    )
    fits = ReadyVolunteerFactory(organisation=org, available_weekdays=[0, 1], available_times=["morning"])
    order = [s.volunteer.pk for s in suggest_volunteers(refugee=refugee, user=coordinator)]
    assert order.index(fits.pk) < order.index(elsewhere.pk)


def test_batch_pairs_by_the_overlap(ctx):
    ctx.weights = dict.fromkeys(ctx.weights, 0.0) | {"availability": 1.0}
    mornings = dataclasses.replace(
        _refugee(1, languages=set(), waited=100), weekdays=(0, 1), times=("morning",)
    )
    evenings = dataclasses.replace(_refugee(2, languages=set(), waited=50), weekdays=(5,), times=("evening",))
    volunteers = [_with_week(11, [5, 6], ["evening"]), _with_week(12, [0, 1], ["morning"])]
    result = compute([mornings, evenings], volunteers, ctx)
    assert {(p.refugee.pk, p.volunteer.pk) for p in result.pairs} == {(1, 12), (2, 11)}
    assert result.optimal_total == pytest.approx(2.0)
