from django.urls import reverse

from core.audit import audit_entries_for, audit_record, diff, snapshot
from core.models import AuditEntry, Organisation


def test_diff_names_only_changed_fields():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}


def test_redacted_fields_are_logged_without_values(coordinator):
    entry = audit_record(
        actor=coordinator,
        action="core.user.changed",
        obj=coordinator,
        changes={"password": ["old-hash", "new-hash"], "email": ["a@x", "b@x"]},
    )
    assert entry.changes == {"password": ["***", "***"], "email": ["a@x", "b@x"]}


def test_snapshot_is_json_safe(org):
    values = snapshot(org)
    assert values["short_name"] == "gEMiDe"
    assert isinstance(values["created_at"], str)


def test_admin_change_is_audited_with_the_diff(client, admin_user, org):
    client.force_login(admin_user)
    client.post(
        reverse("admin:core_organisation_change", args=[org.pk]),
        {"name": org.name, "short_name": "gEMiDe e.V.", "kind": org.kind, "is_active": "on"},
    )
    entry = audit_entries_for(org).get()
    assert entry.action == "core.organisation.changed"
    assert entry.actor == admin_user
    assert entry.changes == {"short_name": ["gEMiDe", "gEMiDe e.V."]}


def test_audit_entries_are_read_only_in_the_admin(client, admin_user, org):
    audit_record(actor=admin_user, action="core.organisation.changed", obj=org)
    client.force_login(admin_user)
    entry = AuditEntry.objects.get()
    assert client.get(reverse("admin:core_auditentry_changelist") + "?q=organisation").status_code == 200
    assert (
        client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Organisation.objects.filter(pk=org.pk).exists()
