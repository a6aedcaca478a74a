"""The update recipe (core.services.record_update) and consent recorded and withdrawn in one place."""

import pytest
from django.core.exceptions import ValidationError

from core.audit import action_label
from core.models import AuditEntry, Consent, ConsentChannel
from core.services import consent_record, consent_withdraw, record_update
from refugees.models import CONSENT_PURPOSE, Refugee
from refugees.services import refugee_consent_record, refugee_consent_withdraw, refugee_coordinator_set
from tests.factories.core import UserFactory
from tests.factories.refugees import RefugeeFactory
from tests.factories.volunteers import VolunteerFactory
from volunteers.services import volunteer_consents, volunteer_create

pytestmark = pytest.mark.django_db


def test_update_diffs_against_the_locked_row_and_audits_once(coordinator, org):
    refugee = RefugeeFactory(organisation=org, notes="old", phone="0176 1")
    stale = Refugee.objects.get(pk=refugee.pk)
    Refugee.objects.filter(pk=refugee.pk).update(phone="0176 2")  # someone else saved meanwhile
    row, changes = record_update(
        obj=stale, actor=coordinator, action="refugees.refugee.changed", data={"notes": "new"}
    )
    assert changes == {"notes": ["old", "new"]}
    row.refresh_from_db()
    assert (row.notes, row.phone) == ("new", "0176 2")  # only the changed column was written
    entry = AuditEntry.objects.get(action="refugees.refugee.changed", object_id=str(refugee.pk))
    assert entry.changes == {"notes": ["old", "new"]}


def test_update_without_change_writes_nothing(coordinator, org):
    refugee = RefugeeFactory(organisation=org, notes="same")
    before = Refugee.objects.get(pk=refugee.pk).updated_at
    _row, changes = record_update(
        obj=refugee, actor=coordinator, action="refugees.refugee.changed", data={"notes": "same"}
    )
    assert changes == {}
    assert Refugee.objects.get(pk=refugee.pk).updated_at == before
    assert not AuditEntry.objects.filter(action="refugees.refugee.changed").exists()
    _row, changes = record_update(
        obj=refugee, actor=coordinator, action="refugees.refugee.changed", data=lambda r: {}
    )
    assert changes == {}


def test_invalid_update_is_refused_and_changes_nothing(coordinator, org):
    refugee = RefugeeFactory(organisation=org, first_name="Amal")
    with pytest.raises(ValidationError):
        record_update(
            obj=refugee, actor=coordinator, action="refugees.refugee.changed", data={"first_name": "x" * 500}
        )
    assert Refugee.objects.get(pk=refugee.pk).first_name == "Amal"
    assert not AuditEntry.objects.filter(action="refugees.refugee.changed").exists()


def test_consent_of_both_kinds_of_person_is_recorded_with_one_code(coordinator, fwz, org):
    refugee = RefugeeFactory(organisation=org)
    refugee_consent = refugee_consent_record(
        refugee=refugee,
        actor=coordinator,
        given_on=refugee.created_at.date(),
        channel="paper",
        text_version="v1",
    )
    volunteer = volunteer_create(
        organisation=org,
        data={"first_name": "Jana", "last_name": "Kurz"},
        actor=coordinator,
        consent_channel=ConsentChannel.PAPER,
        consent_version="v2",
    )
    volunteer_consent = volunteer_consents(volunteer=volunteer).get()
    assert refugee_consent.purpose == CONSENT_PURPOSE and volunteer_consent.text_version == "v2"
    recorded = AuditEntry.objects.filter(action="core.consent.recorded")
    assert {e.object_id for e in recorded} == {str(refugee.pk), str(volunteer.pk)}
    assert not AuditEntry.objects.filter(action__endswith=".consent_recorded").exists()


def test_consent_is_withdrawn_with_one_code_from_every_app(coordinator, org):
    refugee = RefugeeFactory(organisation=org)
    volunteer = VolunteerFactory(organisation=org)
    first = consent_record(
        subject=refugee, actor=coordinator, purpose=CONSENT_PURPOSE, text_version="v1", channel="paper"
    )
    second = consent_record(
        subject=volunteer, actor=None, purpose="volunteer_register", text_version="v1", channel="online"
    )
    refugee_consent_withdraw(consent=first, refugee=refugee, actor=coordinator)
    consent_withdraw(consent=second, actor=coordinator)
    consent_withdraw(consent=second, actor=coordinator)  # twice: nothing more
    assert Consent.objects.filter(withdrawn_at__isnull=False).count() == 2
    assert AuditEntry.objects.filter(action="core.consent.withdrawn").count() == 2
    assert not AuditEntry.objects.filter(action="refugees.refugee.consent_withdrawn").exists()


@pytest.mark.parametrize(
    "code",
    [
        "core.consent.recorded",
        "refugees.refugee.consent_recorded",
        "refugees.refugee.consent_withdrawn",
        "volunteers.volunteer.consent_recorded",
    ],
)
def test_old_and_new_consent_codes_read_in_words(code):
    assert action_label(code) != code


def test_a_written_column_is_audited_even_when_it_reads_the_same(coordinator, org):
    first, second = (
        UserFactory(first_name="Anna", last_name="Becker"),
        UserFactory(first_name="Anna", last_name="Becker"),
    )
    refugee = RefugeeFactory(organisation=org, coordinator=first)
    assert str(first) == str(second)
    refugee_coordinator_set(refugee=refugee, coordinator=second, actor=coordinator)
    assert Refugee.objects.get(pk=refugee.pk).coordinator == second
    assert (
        AuditEntry.objects.filter(action="refugees.refugee.changed", object_id=str(refugee.pk)).count() == 1
    )
