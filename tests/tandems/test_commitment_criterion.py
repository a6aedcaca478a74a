"""The commitment criterion (issue #20): how well the volunteer's plan (months, meetings a month) covers
what the household expects; the words show a mismatch; unknown on either side does not count at all, so
the totals of pairs without a commitment stay exactly as they were."""

import numpy as np
import pytest

from tandems.matching import (
    Pool,
    explain_pair,
    load_context,
    load_refugees,
    load_volunteers,
    score_refugee,
    suggest_volunteers,
)
from tandems.models import MatchingWeights
from tandems.services import tandem_propose
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.volunteers import ReadyVolunteerFactory
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def _rows(found):
    return {s.volunteer.pk: {c.key: c for c in s.criteria} for s in found}


def test_the_criterion_has_its_weight_field_and_a_default():
    weights = MatchingWeights.objects.get(is_active=True)
    assert float(weights.commitment) == 2.0
    assert "commitment" in weights.as_dict()


def test_a_short_plan_against_a_year_expected_scores_low_and_says_so(org, coordinator):
    refugee = WaitingRefugeeFactory(organisation=org, expected_months=12, expected_per_month=4)
    short = ReadyVolunteerFactory(organisation=org, commitment_months=3, commitment_per_month=2)
    long = ReadyVolunteerFactory(organisation=org, commitment_months=24, commitment_per_month=4)
    found = suggest_volunteers(refugee=refugee, user=coordinator)
    assert [s.volunteer.pk for s in found] == [long.pk, short.pk]
    rows = _rows(found)
    assert rows[long.pk]["commitment"].score == pytest.approx(1.0)
    # months count 0.7, meetings 0.3: 3/12 and 2/4
    assert rows[short.pk]["commitment"].score == pytest.approx(0.7 * 0.25 + 0.3 * 0.5)
    text = rows[short.pk]["commitment"].text
    assert "erwartet 12 Monate, Ehrenamtliche*r plant 3" in text
    assert "erwartet 4 Treffen im Monat, Ehrenamtliche*r kann 2" in text
    assert (
        rows[long.pk]["commitment"].text == "plant 24 Monate (erwartet 12); 4 Treffen im Monat (erwartet 4)"
    )


def test_unknown_on_either_side_does_not_count_and_is_said_so(org, coordinator):
    refugee = WaitingRefugeeFactory(organisation=org, expected_months=12)
    unknown = ReadyVolunteerFactory(organisation=org)
    found = _rows(suggest_volunteers(refugee=refugee, user=coordinator))[unknown.pk]["commitment"]
    assert found.weight == 0.0 and "nicht angegeben" in found.text and "zählt nicht" in found.text
    nothing = WaitingRefugeeFactory(organisation=org)
    found = _rows(suggest_volunteers(refugee=nothing, user=coordinator))[unknown.pk]["commitment"]
    assert found.weight == 0.0 and "nicht angegeben" in found.text


def test_without_a_commitment_the_totals_are_those_without_the_criterion(org, coordinator):
    refugee = WaitingRefugeeFactory(organisation=org, german_level="B1")
    ReadyVolunteerFactory.create_batch(6, organisation=org)
    ctx = load_context(user=coordinator)
    r = load_refugees(type(refugee).objects.filter(pk=refugee.pk))[0]
    pool = Pool.load(Volunteer.objects.all(), ctx)
    with_criterion = score_refugee(r, pool).total
    ctx.weights = {k: v for k, v in ctx.weights.items() if k != "commitment"}
    without = score_refugee(r, pool).total
    assert np.array_equal(with_criterion, without), "exactly the old totals where nothing is stated"


def test_the_pool_from_sql_and_from_memory_score_the_commitment_alike(org, coordinator):
    refugee = WaitingRefugeeFactory(organisation=org, expected_months=12, expected_per_month=2)
    for months, per_month in [(3, 1), (12, None), (None, 8), (None, None), (24, 4)]:
        ReadyVolunteerFactory(organisation=org, commitment_months=months, commitment_per_month=per_month)
    ctx = load_context(user=coordinator)
    r = load_refugees(type(refugee).objects.filter(pk=refugee.pk))[0]
    queryset = Volunteer.objects.order_by("pk")
    a = score_refugee(r, Pool.load(queryset, ctx))
    b = score_refugee(r, Pool.of(load_volunteers(queryset), ctx))
    c = score_refugee(r, Pool.load(queryset, ctx, refugee=r))
    assert a.parts["commitment"].tolist() == b.parts["commitment"].tolist() == c.parts["commitment"].tolist()
    assert np.array_equal(a.total, b.total) and np.array_equal(a.total, c.total)


def test_the_stored_explanation_holds_the_commitment(org, coordinator):
    refugee = WaitingRefugeeFactory(organisation=org, expected_months=12)
    volunteer = ReadyVolunteerFactory(organisation=org, commitment_months=6)
    tandem = tandem_propose(volunteer=volunteer, refugee=refugee, actor=coordinator)
    [row] = [c for c in tandem.match_explanation["criteria"] if c["key"] == "commitment"]
    assert row["score"] == pytest.approx(0.5) and "erwartet 12 Monate" in row["text"]
    record = explain_pair(refugee=refugee, volunteer=volunteer, user=coordinator)
    assert record.percent == round(tandem.match_explanation["total"] * 100)
