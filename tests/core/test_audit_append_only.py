"""The audit trail is append-only in the database: a trigger refuses UPDATE and DELETE of its rows, except the
scrub of personal values during anonymisation and the unlinking of a deleted staff user (actor_id -> NULL).
Every entry names the organisation of its record, filled in for older entries by a data migration."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import isolate_apps
from django.urls import reverse

from core.audit import audit_record, organisation_of
from core.checks import OUR_APPS
from core.models import AuditEntry, User
from core.services import audit_scrub, personal_data_anonymise
from tests.factories.core import UserFactory
from tests.factories.refugees import HouseholdMemberFactory, RefugeeFactory
from tests.factories.tandems import CheckInFactory
from tests.factories.volunteers import VolunteerFactory
from volunteers.models import Volunteer


def _sql(statement: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def entry(coordinator, org) -> AuditEntry:
    volunteer = VolunteerFactory(organisation=org, first_name="Vera")
    return audit_record(
        actor=coordinator,
        action="volunteers.volunteer.changed",
        obj=volunteer,
        changes={"first_name": ["Vea", "Vera"]},
    )


def test_raw_sql_delete_is_refused(entry):
    with pytest.raises(IntegrityError, match="cannot be deleted"):
        _sql("DELETE FROM core_auditentry")
    with pytest.raises(IntegrityError, match="cannot be deleted"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "assignment",
    [
        "changes = '{}'::jsonb",
        "object_repr = 'someone else'",
        "is_scrubbed = true",
        "action = 'core.nothing.happened'",
        "at = now() - interval '1 year'",
        "actor_repr = 'nobody'",
        "object_id = '0'",
        "organisation_id = NULL",
    ],
)
def test_raw_sql_update_is_refused(entry, assignment):
    with pytest.raises(IntegrityError, match="cannot be changed"):
        _sql(f"UPDATE core_auditentry SET {assignment} WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.changes == {"first_name": ["Vea", "Vera"]} and entry.action == "volunteers.volunteer.changed"


def test_the_scrub_flag_allows_only_the_scrubbed_columns(entry, coordinator):
    with transaction.atomic():
        _sql("SELECT set_config('tenk.audit_scrub', 'on', true)")
        _sql("UPDATE core_auditentry SET changes = '{}'::jsonb, is_scrubbed = true WHERE id = %s", [entry.pk])
        for assignment in ("action = 'x.y.z'", "object_id = '0'", "actor_id = NULL", "actor_repr = ''"):
            with pytest.raises(IntegrityError, match="cannot be changed"):
                _sql(f"UPDATE core_auditentry SET {assignment} WHERE id = %s", [entry.pk])
        _sql("SELECT set_config('tenk.audit_scrub', 'off', true)")
    entry.refresh_from_db()
    assert entry.changes == {} and entry.is_scrubbed and entry.actor == coordinator


def test_audit_scrub_leaves_the_flag_off(entry, org):
    volunteer = VolunteerFactory(organisation=org)
    audit_record(
        actor=None, action="volunteers.volunteer.changed", obj=volunteer, changes={"email": ["a", "b"]}
    )
    assert audit_scrub(obj=volunteer, personal=["email"]) == 1
    with pytest.raises(IntegrityError, match="cannot be changed"):
        _sql("UPDATE core_auditentry SET changes = '{}'::jsonb WHERE id = %s", [entry.pk])


def test_deleting_a_staff_user_unlinks_the_actor_and_keeps_the_name(org):
    user = UserFactory(first_name="Stefan", last_name="Staff")
    volunteer = VolunteerFactory(organisation=org)
    entry = audit_record(actor=user, action="volunteers.volunteer.changed", obj=volunteer)
    user.delete()
    entry.refresh_from_db()
    assert entry.actor is None and entry.actor_repr == "Stefan Staff"
    with pytest.raises(IntegrityError, match="cannot be changed"):
        _sql("UPDATE core_auditentry SET actor_id = %s WHERE id = %s", [UserFactory().pk, entry.pk])


def test_anonymising_a_staff_user_scrubs_their_history(admin_user):
    user = UserFactory(first_name="Stefan", last_name="Staff", email="stefan@example.org")
    audit_record(
        actor=admin_user,
        action="core.user.changed",
        obj=user,
        changes={"email": ["old@x", "stefan@example.org"]},
    )
    personal_data_anonymise(obj=user, actor=admin_user, reason="left")
    user = User.objects.get(pk=user.pk)
    assert user.username == f"deleted-{user.pk}" and user.email == ""
    changed = AuditEntry.objects.get(action="core.user.changed", object_id=str(user.pk))
    assert changed.is_scrubbed and changed.changes == {"email": ["***", "***"]}
    assert "Stefan" not in changed.object_repr


def test_the_admin_can_neither_change_nor_delete_entries(client, admin_user, entry):
    client.force_login(admin_user)
    change = reverse("admin:core_auditentry_change", args=[entry.pk])
    assert client.post(change, {"action": "x.y.z", "changes": "{}"}).status_code == 403
    delete = reverse("admin:core_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:core_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code in {200, 302, 403}
    entry.refresh_from_db()
    assert entry.action == "volunteers.volunteer.changed"


# --- the organisation of each entry ----------------------------------------------------------------------


def test_entries_name_the_organisation_of_their_record(coordinator, org):
    volunteer = VolunteerFactory(organisation=org)
    assert (
        audit_record(actor=coordinator, action="volunteers.volunteer.changed", obj=volunteer).organisation
        == org
    )
    check_in = CheckInFactory(tandem__organisation=org)
    assert audit_record(actor=coordinator, action="tandems.checkin.created", obj=check_in).organisation == org
    member = HouseholdMemberFactory(refugee=RefugeeFactory(organisation=org))
    assert (
        audit_record(actor=coordinator, action="refugees.householdmember.created", obj=member).organisation
        == org
    )
    assert audit_record(actor=coordinator, action="core.user.changed", obj=coordinator).organisation is None


@isolate_apps("core")
def test_a_model_names_the_link_its_organisation_comes_by(org):
    """core names no domain relation: the model says through which foreign key it belongs somewhere."""

    class Note(models.Model):  # noqa: DJ008
        about = models.ForeignKey(Volunteer, on_delete=models.CASCADE)
        ORGANISATION_VIA = ("about",)

        class Meta:
            app_label = "core"

    class Unlinked(models.Model):  # noqa: DJ008
        volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE)

        class Meta:
            app_label = "core"

    volunteer = VolunteerFactory(organisation=org)
    assert organisation_of(Note(about=volunteer)) == org.pk
    assert organisation_of(Unlinked(volunteer=volunteer)) is None  # says nothing: no organisation


def _has_own_organisation(model) -> bool:
    return any(f.name == "organisation" and f.many_to_one for f in model._meta.get_fields())


def test_every_model_linked_to_an_organisation_says_how():
    """A model of ours without an organisation of its own but linked to a record with one names the link."""
    silent = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        and not _has_own_organisation(model)
        and not hasattr(model, "ORGANISATION_VIA")
        and any(
            f.many_to_one and f.concrete and _has_own_organisation(f.related_model)
            for f in model._meta.get_fields()
        )
    ]
    assert silent == []


def test_the_admin_filters_entries_by_organisation(client, admin_user, org, fwz):
    audit_record(
        actor=admin_user, action="volunteers.volunteer.changed", obj=VolunteerFactory(organisation=org)
    )
    audit_record(
        actor=admin_user,
        action="volunteers.volunteer.changed",
        obj=VolunteerFactory(organisation=fwz, last_name="Anderswo"),
    )
    client.force_login(admin_user)
    response = client.get(reverse("admin:core_auditentry_changelist"), {"organisation__id__exact": org.pk})
    assert response.status_code == 200
    assert "Anderswo" not in response.text
    assert response.context["cl"].result_count == 1


def test_the_data_migration_fills_the_organisation_of_older_entries(coordinator, org):
    volunteer = VolunteerFactory(organisation=org)
    check_in = CheckInFactory(tandem__organisation=org)
    older = [
        AuditEntry.objects.create(
            action="volunteers.volunteer.changed",
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
        )
        for obj in (volunteer, check_in, coordinator)
    ]
    migration = importlib.import_module("core.migrations.0008_auditentry_organisation")
    with connection.cursor() as cursor:
        # the fill runs before the trigger exists (migration 0008); here it is switched off for the moment
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_append_only")
        migration.fill_organisation(apps, SimpleNamespace(connection=connection))
        cursor.execute("ALTER TABLE core_auditentry ENABLE TRIGGER core_auditentry_append_only")
    for row in older:
        row.refresh_from_db()
    assert [row.organisation_id for row in older] == [org.pk, org.pk, None]
