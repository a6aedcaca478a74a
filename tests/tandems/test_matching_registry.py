"""The matching package: one object per criterion and per hard rule, listed once in the registry (issue #20),
and suggestions that score columns instead of building one object per candidate (issue #21)."""

import ast
from pathlib import Path

import numpy as np
import pytest
from django.db.models import DecimalField
from django.utils.translation import gettext_lazy

from tandems import batch
from tandems.matching import (
    CRITERIA_LABELS,
    Pool,
    VolunteerColumns,
    explain_pair,
    load_context,
    load_refugees,
    load_volunteers,
    registry,
    score_refugee,
    suggest_volunteers,
)
from tandems.matching import pool as pool_module
from tandems.matching.criteria.base import SoftCriterion
from tandems.models import MatchingWeights
from tests.factories.core import district, help_area, language
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.tandems import TandemFactory
from tests.factories.volunteers import ReadyVolunteerFactory, VolunteerLanguageFactory
from volunteers.models import Volunteer

MAX_LINES = 80


def test_weights_labels_and_explanation_rows_come_from_the_registry():
    keys = tuple(c.key for c in registry.CRITERIA)
    assert keys == MatchingWeights.CRITERIA
    assert tuple(CRITERIA_LABELS) == keys
    assert [r.key for r in registry.RULES] == list(batch.RULE_WORDS)
    for key in keys:
        field = MatchingWeights._meta.get_field(key)  # every criterion has its weight field
        assert isinstance(field, DecimalField)


def test_each_criterion_and_rule_lives_in_its_own_object():
    for criterion in registry.CRITERIA:
        assert isinstance(criterion, SoftCriterion)
        assert type(criterion).score is not SoftCriterion.score
        assert type(criterion).explain is not SoftCriterion.explain
    assert len({type(c).__module__ for c in registry.CRITERIA}) == len(registry.CRITERIA)
    # seven rules, and the cool-off after a tandem (issue #20)
    assert len({r.key for r in registry.RULES}) == len(registry.RULES) == 8


class _Sunday(SoftCriterion):
    """A criterion added the documented way, without touching scoring or explanation code."""

    key = "sunday"
    label = gettext_lazy("Time waited")  # any translated label: this test adds no string

    def score(self, refugee, pool, ctx):
        return np.where(pool.free > 1, 1.0, 0.0)

    def explain(self, refugee, volunteer, ctx):
        return f"{volunteer.free} free"


@pytest.mark.django_db
def test_a_criterion_added_to_the_registry_scores_explains_and_is_stored(org, coordinator, monkeypatch):
    monkeypatch.setattr(registry, "CRITERIA", (*registry.CRITERIA, _Sunday()))
    monkeypatch.setattr(MatchingWeights, "as_dict", lambda self: {c.key: 1.0 for c in registry.CRITERIA})
    refugee = WaitingRefugeeFactory(organisation=org)
    one = ReadyVolunteerFactory(organisation=org, capacity=1)
    two = ReadyVolunteerFactory(organisation=org, capacity=2)
    found = {s.volunteer.pk: s.criteria[-1] for s in suggest_volunteers(refugee=refugee, user=coordinator)}
    assert [(c.key, c.score, c.weight, c.text) for c in (found[two.pk], found[one.pk])] == [
        ("sunday", 1.0, 1.0, "2 free"),
        ("sunday", 0.0, 1.0, "1 free"),
    ]
    record = explain_pair(refugee=refugee, volunteer=one, user=coordinator).as_record(
        decided_by=coordinator, mode="suggestion"
    )
    assert record["criteria"][-1]["key"] == "sunday" and record["weights"]["sunday"] == 1.0


@pytest.mark.django_db
def test_suggestions_build_an_object_only_for_the_volunteers_shown(org, coordinator, monkeypatch):
    refugee = WaitingRefugeeFactory(organisation=org)
    ReadyVolunteerFactory.create_batch(30, organisation=org)
    made = []
    real = pool_module.VolunteerData

    def counting(*args, **kwargs):
        made.append(kwargs.get("pk"))
        return real(*args, **kwargs)

    monkeypatch.setattr(pool_module, "VolunteerData", counting)
    found = suggest_volunteers(refugee=refugee, user=coordinator, limit=5)
    assert len(found) == 5
    assert sorted(made) == sorted(s.volunteer.pk for s in found)


@pytest.mark.django_db
def test_columns_loaded_from_the_database_score_as_the_same_volunteers_in_memory(org, coordinator, fwz):
    """The suggestions' pool (columns straight from SQL) and the batch's (from dataclasses) agree."""
    ar, de = language("ar"), language("de")
    near, far = district("mitte"), district("misburg-anderten")
    refugee = WaitingRefugeeFactory(
        organisation=org, district=near, interests=["Kochen", "Fußball"], german_level="A2", birth_year=1990
    )
    refugee.languages.set([ar, de])
    refugee.needs.set([help_area("german"), help_area("authorities")])
    for i in range(12):
        volunteer = ReadyVolunteerFactory(
            organisation=org if i % 3 else fwz,
            district=[near, far, None][i % 3],
            interests=[" kochen ", "Lesen"][: i % 3],
            available_weekdays=list(range(i % 5)),
            pref_age_min=[None, 20, 40][i % 3],
            capacity=1 + i % 2,
        )
        VolunteerLanguageFactory(
            volunteer=volunteer, language=[ar, de][i % 2], level=["basic", "good"][i % 2]
        )
        volunteer.help_areas.set([help_area("german")] if i % 2 else [])
        if i == 5:
            TandemFactory(organisation=org, volunteer=volunteer)
    ctx = load_context(user=coordinator)
    r = load_refugees(type(refugee).objects.filter(pk=refugee.pk))[0]
    queryset = Volunteer.objects.order_by("pk")
    loaded = Pool.load(queryset, ctx)
    in_memory = Pool.of(load_volunteers(queryset), ctx)
    a, b = score_refugee(r, loaded), score_refugee(r, in_memory)
    assert len(loaded) == 12 and np.array_equal(a.total, b.total) and np.array_equal(a.allowed, b.allowed)
    assert {k: v.tolist() for k, v in a.parts.items()} == {k: v.tolist() for k, v in b.parts.items()}
    assert loaded.volunteers(range(12)) == in_memory.volunteers(range(12))
    # the suggestions' pool reads only what scores for this refugee, and a shown volunteer in full
    narrowed = Pool.load(queryset, ctx, refugee=r)
    c = score_refugee(r, narrowed)
    assert np.array_equal(a.total, c.total) and np.array_equal(a.allowed, c.allowed)
    assert narrowed.volunteers([3, 0]) == in_memory.volunteers([3, 0])
    assert VolunteerColumns.load(queryset.none()).n == 0


def test_no_function_of_the_matching_is_longer_than_80_lines():
    root = Path(registry.__file__).parent.parent
    too_long = []
    for path in [*sorted((root / "matching").rglob("*.py")), root / "batch.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length >= MAX_LINES:
                    too_long.append(f"{path.relative_to(root)}:{node.lineno} {node.name} ({length} lines)")
    assert too_long == []
