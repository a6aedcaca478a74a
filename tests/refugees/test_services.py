import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import AuditEntry, Consent, ConsentChannel
from refugees.models import CONSENT_PURPOSE, HouseholdMember, ReferralNote, Refugee, RefugeeStatus
from refugees.selectors import coordinator_choices, refugee_consents, waiting_days_median
from refugees.services import (
    household_apply,
    household_member_add,
    household_member_remove,
    household_member_update,
    referral_note_create,
    refugee_anonymise,
    refugee_close,
    refugee_consent_record,
    refugee_consent_withdraw,
    refugee_create,
    refugee_intake_record,
    refugee_status_change,
    refugee_update,
)
from tests.factories.core import language
from tests.factories.refugees import HouseholdMemberFactory, RefugeeFactory, WaitingRefugeeFactory

TODAY = timezone.localdate()


def _create(actor, organisation, **members_and_data):
    return refugee_create(
        actor=actor,
        organisation=organisation,
        data={"first_name": "Amal", "last_name": "Nasser", "phone": "0511 1234", "birth_year": 1985}
        | members_and_data.pop("data", {}),
        members=members_and_data.pop("members", []),
        consent=members_and_data.pop("consent", None),
    )


def test_create_counts_the_household_and_records_who_referred(referrer, fwz, city):
    refugee = _create(
        referrer,
        fwz,
        members=[
            {"role": "adult", "birth_year": 1983, "first_name": "Karim"},
            {"role": "child", "birth_year": 2015},
            {"role": "child", "birth_year": 2021, "gender": "female"},
        ],
    )
    assert (refugee.adults_count, refugee.children_count, refugee.youngest_birth_year) == (2, 2, 2021)
    assert refugee.referred_by == referrer
    assert refugee.referring_organisation == city
    assert refugee.status == RefugeeStatus.REFERRED
    assert refugee.has_minors
    assert AuditEntry.objects.filter(action="refugees.householdmember.created").count() == 3
    assert AuditEntry.objects.filter(action="refugees.refugee.created", object_id=str(refugee.pk)).exists()


def test_create_records_consent_with_interpreter(referrer, fwz):
    refugee = _create(
        referrer,
        fwz,
        consent={
            "given_on": TODAY,
            "channel": ConsentChannel.IN_PERSON,
            "text_version": "2026-01",
            "interpreter_language": language("fa"),
        },
    )
    consent = refugee_consents(refugee=refugee).get()
    assert consent.purpose == CONSENT_PURPOSE
    assert consent.interpreter_language.code == "fa"
    assert consent.recorded_by == referrer
    assert AuditEntry.objects.filter(action="core.consent.recorded").exists()


def test_consent_withdrawal_is_dated_not_deleted(coordinator, fwz):
    refugee = _create(coordinator, fwz)
    consent = refugee_consent_record(
        refugee=refugee, actor=coordinator, given_on=TODAY, channel="paper", text_version="2026-01"
    )
    refugee_consent_withdraw(consent=consent, refugee=refugee, actor=coordinator)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and not consent.is_active
    assert Consent.objects.filter(pk=consent.pk).exists()


def test_member_changes_keep_the_household_figures_in_step(coordinator, org):
    refugee = RefugeeFactory(organisation=org, birth_year=1980)
    child = household_member_add(
        refugee=refugee, actor=coordinator, data={"role": "child", "birth_year": 2017}
    )
    refugee.refresh_from_db()
    assert (refugee.adults_count, refugee.children_count, refugee.youngest_birth_year) == (1, 1, 2017)
    household_member_update(member=child, actor=coordinator, data={"birth_year": 2020})
    refugee.refresh_from_db()
    assert refugee.youngest_birth_year == 2020
    household_member_remove(member=child, actor=coordinator)
    refugee.refresh_from_db()
    assert (refugee.adults_count, refugee.children_count, refugee.youngest_birth_year) == (1, 0, 1980)
    changed = AuditEntry.objects.filter(action="refugees.refugee.changed", object_id=str(refugee.pk)).first()
    assert "children_count" in changed.changes


def test_household_apply_adds_changes_and_removes_rows_at_once(coordinator, org):
    refugee = RefugeeFactory(organisation=org)
    keep = HouseholdMemberFactory(refugee=refugee, role="adult", birth_year=1979)
    gone = HouseholdMemberFactory(refugee=refugee, role="child", birth_year=2012)
    household_apply(
        refugee=refugee,
        actor=coordinator,
        rows=[
            (keep, {"role": "adult", "birth_year": 1978}, False),
            (gone, {}, True),
            (None, {"role": "child", "birth_year": 2024, "gender": "female"}, False),
        ],
    )
    refugee.refresh_from_db()
    assert sorted(refugee.members.values_list("birth_year", flat=True)) == [1978, 2024]
    assert (refugee.adults_count, refugee.children_count, refugee.youngest_birth_year) == (2, 1, 2024)


def test_household_apply_refuses_a_member_of_another_referral(coordinator, org):
    refugee, stranger = RefugeeFactory(organisation=org), HouseholdMemberFactory()
    with pytest.raises(ValidationError):
        household_apply(refugee=refugee, actor=coordinator, rows=[(stranger, {"birth_year": 2001}, False)])
    assert HouseholdMember.objects.filter(pk=stranger.pk, birth_year=2018).exists()


def test_intake_moves_to_waiting_since_the_interview(coordinator, org):
    refugee = RefugeeFactory(organisation=org, referred_at=timezone.now() - datetime.timedelta(days=30))
    interview = TODAY - datetime.timedelta(days=12)
    refugee = refugee_intake_record(
        refugee=refugee,
        actor=coordinator,
        data={
            "intake_on": interview,
            "intake_by": coordinator,
            "coordinator": coordinator,
            "german_level": "A2",
        },
    )
    assert refugee.status == RefugeeStatus.WAITING
    assert refugee.waiting_since == interview
    assert refugee.waiting_days == 12
    moves = AuditEntry.objects.filter(action="refugees.refugee.status_changed", object_id=str(refugee.pk))
    assert [e.changes["status"] for e in moves.order_by("pk")] == [
        ["referred", "intake_done"],
        ["intake_done", "waiting"],
    ]


def test_intake_after_the_tandem_started_is_refused(coordinator, org):
    refugee = RefugeeFactory(organisation=org, status=RefugeeStatus.IN_TANDEM)
    with pytest.raises(ValidationError):
        refugee_intake_record(refugee=refugee, actor=coordinator, data={"intake_on": TODAY})


def test_status_change_keeps_its_signature_and_restarts_waiting(coordinator, org):
    refugee = WaitingRefugeeFactory(organisation=org)
    refugee = refugee_status_change(refugee=refugee, status=RefugeeStatus.IN_TANDEM, actor=coordinator)
    assert refugee.waiting_days is None
    refugee = refugee_status_change(refugee=refugee, status=RefugeeStatus.WAITING, actor=coordinator)
    assert refugee.waiting_since == TODAY and refugee.waiting_days == 0


def test_close_needs_an_open_referral_and_keeps_the_reason(coordinator, org):
    refugee = refugee_close(
        refugee=RefugeeFactory(organisation=org), actor=coordinator, reason="moved", note="Umzug"
    )
    assert refugee.status == RefugeeStatus.CLOSED and refugee.closed_at is not None
    assert (refugee.close_reason, refugee.close_note) == ("moved", "Umzug")
    with pytest.raises(ValidationError):
        refugee_close(refugee=refugee, actor=coordinator, reason="moved")


def test_update_redacts_health_notes_in_the_audit_trail(coordinator, org):
    refugee = refugee_update(
        refugee=RefugeeFactory(organisation=org), actor=coordinator, data={"health_notes": "Diabetes"}
    )
    entry = AuditEntry.objects.get(action="refugees.refugee.changed", object_id=str(refugee.pk))
    assert "Diabetes" not in str(entry.changes)


def test_anonymise_blanks_personal_data_but_keeps_the_figures(coordinator, org):
    refugee = RefugeeFactory(
        organisation=org, email="a@example.org", notes="ruft abends an", children_count=2
    )
    HouseholdMemberFactory(refugee=refugee, first_name="Lina")
    referral_note_create(refugee=refugee, actor=coordinator, text="geheim")
    refugee_update(refugee=refugee, actor=coordinator, data={"phone": "0511 999"})
    with pytest.raises(ValidationError):
        refugee_anonymise(refugee=refugee, actor=coordinator)
    refugee = refugee_close(refugee=refugee, actor=coordinator, reason="declined")
    refugee = refugee_anonymise(refugee=refugee, actor=coordinator)
    assert (refugee.first_name, refugee.phone, refugee.email, refugee.notes) == ("", "", "", "")
    assert refugee.anonymised_at is not None and refugee.children_count == 2
    # household members and notes stay as rows (the statistics count them), their personal values go
    assert list(refugee.members.values_list("first_name", flat=True)) == [""]
    assert list(ReferralNote.objects.filter(refugee=refugee).values_list("text", flat=True)) == [""]
    history = AuditEntry.objects.filter(object_id=str(refugee.pk), action__startswith="refugees.refugee")
    assert "0511 999" not in str(list(history.values_list("changes", flat=True)))
    assert not Refugee.objects.filter(anonymised_at__isnull=True, pk=refugee.pk).exists()


def test_median_waiting_days_is_computed_in_the_database(org, django_assert_num_queries):
    for days in (10, 20, 30, 40):
        WaitingRefugeeFactory(organisation=org, waiting_since=TODAY - datetime.timedelta(days=days))
    with django_assert_num_queries(1):
        median = waiting_days_median(queryset=Refugee.objects.filter(status=RefugeeStatus.WAITING))
    assert median == 25.0
    assert waiting_days_median(queryset=Refugee.objects.none()) is None


def test_coordinator_choices_are_fwz_coordinators_and_the_partners_own_staff(
    coordinator, partner, other_org_partner, org
):
    choices = set(coordinator_choices(organisation=org))
    assert coordinator in choices and partner in choices and other_org_partner not in choices
