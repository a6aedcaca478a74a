"""The registry of personal data (core/privacy.py) and the models agree, and the docs follow the registry."""

import pytest
from django.apps import apps

from core.checks import OUR_APPS
from core.models import RetentionRule
from core.privacy import REGISTRY, blank_value, installed_entries
from core.privacy_doc import DOC_PATH, generated_part, render_record


def _models_with_personal_fields():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and getattr(model, "PERSONAL_FIELDS", ())
    ]


def test_every_model_with_personal_fields_has_an_entry():
    missing = {m._meta.label for m in _models_with_personal_fields()} - set(REGISTRY)
    assert missing == set(), "add these models to core/privacy.py REGISTRY"


@pytest.mark.parametrize("model", _models_with_personal_fields(), ids=lambda m: m._meta.label)
def test_entry_names_exactly_the_personal_fields(model):
    entry = REGISTRY[model._meta.label]
    declared = set(model.PERSONAL_FIELDS)
    assert declared - set(entry.fields) == set(), "personal fields without a registry entry"
    assert set(entry.fields) - declared == set(), "registry names fields that are not in PERSONAL_FIELDS"


def test_registry_names_no_model_without_personal_fields():
    labels = {m._meta.label for m in _models_with_personal_fields()}
    installed = {e.label for e in installed_entries()}
    # the only exception: records kept on purpose and never anonymised, with their own legal basis
    kept = {e.label for e in installed_entries() if not e.fields and not e.is_anonymisable and e.legal_basis}
    assert kept == {"core.ErasureRecord"}
    assert installed - labels == kept


@pytest.mark.parametrize("entry", list(installed_entries()), ids=lambda e: e.label)
def test_every_personal_field_can_be_anonymised(entry):
    model = entry.model
    for name, spec in entry.fields.items():
        field = model._meta.get_field(name)
        if spec.replace is None and not field.many_to_many:
            blank_value(field)  # raises for a field that can be neither NULL nor blank


@pytest.mark.parametrize("entry", list(installed_entries()), ids=lambda e: e.label)
def test_cascades_and_blockers_name_real_relations(entry):
    accessors = {rel.get_accessor_name() for rel in entry.model._meta.related_objects}
    assert set(entry.cascade) - accessors == set()
    assert {b.accessor for b in entry.blockers} - accessors == set()
    if entry.anonymised_with:
        parent = REGISTRY[entry.anonymised_with]
        assert any(
            rel.related_model is entry.model
            for rel in parent.model._meta.related_objects
            if rel.get_accessor_name() in parent.cascade
        )


def test_rows_anonymised_with_a_parent_are_reached_by_its_cascade():
    for entry in installed_entries():
        if not entry.retention and entry.is_anonymisable and entry.label != "core.User":
            assert entry.anonymised_with, f"{entry.label} has neither a retention rule nor a parent"


def test_every_retention_rule_is_seeded_for_admins(db):
    codes = {r.code for e in installed_entries() for r in e.retention}
    seeded = {rule.code: rule for rule in RetentionRule.objects.all()}
    assert codes - set(seeded) == set()
    for entry in installed_entries():
        for rule in entry.retention:
            row = seeded[rule.code]
            assert (row.model_label, row.amount, row.unit) == (entry.label, rule.amount, rule.unit)


def test_the_record_of_processing_in_the_docs_is_generated_from_the_registry():
    committed = generated_part(DOC_PATH.read_text(encoding="utf-8"))
    assert committed == render_record(), "docs/privacy.md is out of date: run `manage.py privacy_doc`"


def test_open_tandem_states_match_the_tandems_app():
    from core.privacy import OPEN_TANDEM_STATUSES
    from tandems.models import OPEN_STATUSES

    assert set(OPEN_TANDEM_STATUSES) == {str(status) for status in OPEN_STATUSES}
