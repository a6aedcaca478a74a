"""The registry of personal data (core/privacy.py, filled by each app's privacy.py) and the models agree, and
the docs follow the registry."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test.utils import isolate_apps
from django.utils.translation import gettext_lazy as _

from core.checks import OUR_APPS, declaration_errors, personal_fields_declared
from core.models import RetentionRule
from core.privacy import (
    REGISTRY,
    Basis,
    Category,
    DerivedFields,
    Entry,
    PersonalField,
    blank_value,
    installed_entries,
    register,
)
from core.privacy_doc import DOC_PATH, generated_part, render_record


def _our_models():
    return [model for model in apps.get_models() if model._meta.app_label in OUR_APPS]


def _models_with_personal_fields():
    return [model for model in _our_models() if getattr(model, "PERSONAL_FIELDS", ())]


def test_every_model_of_ours_declares_its_personal_data():
    assert personal_fields_declared(None) == []


@pytest.mark.parametrize("model", _models_with_personal_fields(), ids=lambda m: m._meta.label)
def test_personal_fields_are_declared_once_in_the_registry(model):
    """A model's `PERSONAL_FIELDS` is derived from its entry, never written on the model itself."""
    entry = REGISTRY[model._meta.label]
    assert isinstance(model.PERSONAL_FIELDS, DerivedFields), "declare the fields in the app's privacy.py"
    assert tuple(model.PERSONAL_FIELDS) == tuple(entry.fields)


def test_each_app_registers_the_entries_of_its_own_models():
    for entry in installed_entries():
        app = entry.label.split(".")[0]
        module = __import__(f"{app}.privacy_entries" if app == "core" else f"{app}.privacy", fromlist=["x"])
        assert entry.label in {own.label for own in module.ENTRIES}


@isolate_apps("core")
def test_the_check_fails_for_a_model_that_declares_nothing():
    class Undeclared(models.Model):  # noqa: DJ008
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "core"

    class NoPersonalData(models.Model):  # noqa: DJ008
        PERSONAL_FIELDS = ()

        class Meta:
            app_label = "core"

    assert [error.id for error in declaration_errors([Undeclared, NoPersonalData])] == ["core.E001"]


@isolate_apps("core")
def test_the_check_fails_for_personal_fields_declared_on_the_model():
    class DeclaredOnTheModel(models.Model):  # noqa: DJ008
        name = models.CharField(max_length=10)
        PERSONAL_FIELDS = ("name",)

        class Meta:
            app_label = "core"

    assert [error.id for error in declaration_errors([DeclaredOnTheModel])] == ["core.E003"]


def test_the_check_fails_for_an_entry_that_names_an_unknown_field(monkeypatch):
    entry = REGISTRY["trainings.Session"]
    wrong = Entry(
        label=entry.label,
        purpose=entry.purpose,
        data_subjects=entry.data_subjects,
        fields={**entry.fields, "no_such_field": PersonalField(Category.FREE_TEXT, Basis.CONSENT)},
    )
    monkeypatch.setitem(REGISTRY, entry.label, wrong)
    assert [error.id for error in declaration_errors([entry.model])] == ["core.E002"]


def test_the_check_fails_for_an_extension_of_an_entry_nobody_registers(monkeypatch):
    from core import privacy

    monkeypatch.setitem(privacy._EXTENSIONS, "volunteers.Volunter", [(("tandems",), ())])
    monkeypatch.setitem(privacy._KEEPS, "refugees-closd", [lambda qs, cutoff: qs])
    assert [(e.id, e.msg) for e in personal_fields_declared(None)] == [
        ("core.E004", "an app extends the privacy entry 'volunteers.Volunter', which no app registers"),
        ("core.E004", "an app extends the privacy retention rule 'refugees-closd', which no app registers"),
    ]


def test_an_entry_registered_twice_is_an_error():
    entry = REGISTRY["trainings.Session"]
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        register(
            Entry(
                label=entry.label, purpose=_("something else"), data_subjects=entry.data_subjects, fields={}
            )
        )


def test_tandems_adds_its_rows_and_blockers_to_the_people_it_links():
    volunteer, refugee = REGISTRY["volunteers.Volunteer"], REGISTRY["refugees.Refugee"]
    assert volunteer.cascade == ("status_changes", "interviews", "tandems", "training_registrations")
    assert refugee.cascade == ("members", "referral_notes", "tandems")
    assert [b.accessor for b in volunteer.blockers] == ["tandems"]
    assert [b.accessor for b in refugee.blockers] == ["tandems"]


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
