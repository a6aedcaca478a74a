"""Every model with personal data is audited on create, change and delete (or anonymisation)."""

import importlib
import pkgutil

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

import tests
from core.checks import OUR_APPS
from core.models import AuditEntry


def _cases() -> dict:
    cases = {}
    for info in pkgutil.iter_modules(tests.__path__):
        if info.ispkg:
            try:
                cases |= importlib.import_module(f"tests.{info.name}.audit_cases").CASES
            except ModuleNotFoundError as exc:
                if exc.name != f"tests.{info.name}.audit_cases":
                    raise
    return cases


CASES = _cases()
# The audit trail itself holds personal values but is the record of writes, not a record that is written.
NOT_AUDITED = {"core.AuditEntry"}


def personal_models() -> set[str]:
    return {
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        and getattr(model, "PERSONAL_FIELDS", ())
        and model._meta.label not in NOT_AUDITED
    }


def test_every_model_with_personal_data_has_an_audit_case():
    assert personal_models() - set(CASES) == set()


@pytest.mark.parametrize("label", sorted(CASES))
def test_writes_leave_audit_entries(label, world):
    model = apps.get_model(label)
    obj = CASES[label](world)
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=str(obj.pk)
    ).order_by("at", "pk")
    verbs = [entry.action.rsplit(".", 1)[1] for entry in entries]
    assert verbs[0] == "created", verbs
    assert "changed" in verbs, verbs
    assert verbs[-1] in {"deleted", "anonymised"}, verbs
    changed = next(e for e in entries if e.action.endswith(".changed"))
    assert changed.changes, "a change entry names the fields that changed"
    assert all(e.actor_id is not None or e.actor_repr == "" for e in entries)
