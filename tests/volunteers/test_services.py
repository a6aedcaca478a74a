import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEntry, Consent, ConsentChannel
from tests.factories.core import district, help_area, language
from tests.factories.volunteers import VolunteerFactory
from volunteers.keys import email_key, name_key, phone_key
from volunteers.models import Interview, PoliceClearance, StatusChange, Volunteer, VolunteerStatus
from volunteers.selectors import volunteer_duplicate_groups
from volunteers.services import (
    clearance_record,
    interview_record,
    volunteer_anonymise,
    volunteer_create,
    volunteer_email_confirm,
    volunteer_merge,
    volunteer_signup,
    volunteer_status_change,
    volunteer_unconfirmed_purge,
    volunteer_update,
)

TODAY = datetime.date(2026, 11, 26)


def _actions(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).values_list("action", flat=True)
    )


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("+49 511 123456", "0511123456"),
        ("0049 (0)511-123456", "0511123456"),
        ("0511 / 12 34 56", "0511123456"),
        ("+43 1 234", "431234"),
        ("", ""),
    ],
)
def test_phone_key_is_digits_with_german_prefix_as_zero(raw, key):
    assert phone_key(raw) == key


def test_name_key_folds_umlauts_accents_and_spaces():
    assert name_key("  Jürgen ", "Müller-Weiß") == "juergen mueller-weiss"
    assert name_key("Jürgen", "Müller-Weiß") == name_key("JUERGEN", "Mueller-Weiss")
    assert name_key("José  María", "Núñez") == "jose maria nunez"


def test_email_key_is_lower_case_and_trimmed():
    assert email_key("  Anna.Becker@Example.ORG ") == "anna.becker@example.org"


def test_create_sets_keys_consent_timeline_and_audit(org, coordinator):
    volunteer = volunteer_create(
        organisation=org,
        data={
            "first_name": "Jürgen",
            "last_name": "Müller",
            "email": "J.Mueller@Example.org",
            "phone": "+49 511 98765",
            "district": district("linden-limmer"),
            "help_areas": [help_area("german")],
        },
        languages=[(language("ar"), "fluent"), (language("ar"), "native")],
        actor=coordinator,
        consent_channel=ConsentChannel.PAPER,
        consent_version="2026-11",
    )
    assert (volunteer.email_key, volunteer.phone_key, volunteer.name_key) == (
        "j.mueller@example.org",
        "051198765",
        "juergen mueller",
    )
    assert [(vl.language.code, vl.level) for vl in volunteer.languages.all()] == [("ar", "native")]
    assert list(volunteer.status_changes.values_list("status", flat=True)) == ["registered"]
    consent = Consent.objects.get(object_id=volunteer.pk, purpose="volunteer_register")
    assert (consent.channel, consent.text_version, consent.recorded_by) == ("paper", "2026-11", coordinator)
    assert "volunteers.volunteer.created" in _actions(volunteer)


def test_update_keeps_keys_in_step_and_audits_the_diff(org, coordinator):
    volunteer = VolunteerFactory(organisation=org, first_name="Anna", phone="0511 1")
    volunteer_update(
        volunteer=volunteer,
        data={"first_name": "Änne", "phone": "0049 511 2222"},
        actor=coordinator,
        languages=[(language("fa"), "basic")],
    )
    volunteer.refresh_from_db()
    assert volunteer.name_key.startswith("aenne ")
    assert volunteer.phone_key == "05112222"
    entry = AuditEntry.objects.get(action="volunteers.volunteer.changed", object_id=str(volunteer.pk))
    assert entry.changes["first_name"] == ["Anna", "Änne"]
    assert entry.changes["languages"] == [[], ["fa:basic"]]


def test_bad_age_range_is_refused_and_nothing_changes(org, coordinator):
    volunteer = VolunteerFactory(organisation=org)
    with pytest.raises(ValidationError):
        volunteer_update(
            volunteer=volunteer, data={"pref_age_min": 40, "pref_age_max": 20}, actor=coordinator
        )
    volunteer.refresh_from_db()
    assert volunteer.pref_age_min is None


def test_status_changes_are_dated_steps_on_the_timeline(org, coordinator):
    volunteer = VolunteerFactory(organisation=org)
    volunteer_status_change(
        volunteer=volunteer, status=VolunteerStatus.PAUSED, actor=coordinator, note="Umzug"
    )
    volunteer_status_change(volunteer=volunteer, status=VolunteerStatus.LEFT, actor=coordinator)
    volunteer.refresh_from_db()
    steps = list(volunteer.status_changes.order_by("changed_at", "pk"))
    assert [s.status for s in steps] == ["paused", "left"]
    assert steps[0].note == "Umzug" and steps[0].changed_by == coordinator
    assert volunteer.left_on == timezone.localdate()
    assert _actions(volunteer).count("volunteers.volunteer.status_changed") == 2


def test_signup_is_flagged_as_duplicate_by_email_phone_or_name_and_birth_date(org):
    existing = VolunteerFactory(
        organisation=org,
        first_name="Lea",
        last_name="Schäfer",
        email="lea@example.org",
        phone="0511 4711",
        birth_date=datetime.date(1990, 5, 1),
    )
    by_email = volunteer_signup(data={"first_name": "X", "last_name": "Y", "email": "LEA@example.org"})
    by_phone = volunteer_signup(
        data={"first_name": "X", "last_name": "Z", "email": "a@b.de", "phone": "+49 511 4711"}
    )
    by_name = volunteer_signup(
        data={
            "first_name": "lea",
            "last_name": "Schaefer",
            "email": "c@d.de",
            "birth_date": datetime.date(1990, 5, 1),
        }
    )
    fresh = volunteer_signup(data={"first_name": "Neu", "last_name": "Person", "email": "neu@example.org"})
    assert by_email.possible_duplicate_of == existing
    assert by_phone.possible_duplicate_of == existing
    assert by_name.possible_duplicate_of == existing
    assert fresh.possible_duplicate_of is None
    assert fresh.organisation.short_name == "FWZ" and fresh.signed_up_at is not None
    assert Consent.objects.get(object_id=fresh.pk).channel == ConsentChannel.ONLINE


def test_email_confirmation_moves_to_email_confirmed_once(db):
    volunteer = volunteer_signup(data={"first_name": "A", "last_name": "B", "email": "ab@example.org"})
    volunteer_email_confirm(volunteer=volunteer)
    volunteer_email_confirm(volunteer=volunteer)
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.EMAIL_CONFIRMED
    assert volunteer.email_confirmed_at is not None
    assert volunteer.status_changes.count() == 2


def test_interview_then_clearance_moves_to_cleared(org, partner):
    volunteer = VolunteerFactory(organisation=org)
    interview_record(
        volunteer=volunteer,
        data={
            "held_on": TODAY,
            "held_by": partner,
            "outcome": "suitable",
            "motivation": "Zeit",
            "limits": "",
        },
        actor=partner,
    )
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.INTERVIEW_DONE
    clearance = clearance_record(
        volunteer=volunteer,
        data={"issued_on": datetime.date(2026, 11, 1), "seen_on": TODAY, "seen_by": partner},
        actor=partner,
    )
    volunteer.refresh_from_db()
    assert clearance.valid_until == datetime.date(2026, 11, 1) + datetime.timedelta(days=1826)
    assert volunteer.clearance_valid_until == clearance.valid_until
    assert volunteer.status == VolunteerStatus.CLEARED


def test_clearance_validity_follows_the_setting_and_the_latest_certificate(org, partner, settings):
    settings.CLEARANCE_VALIDITY_DAYS = 365
    volunteer = VolunteerFactory(organisation=org, status=VolunteerStatus.ACTIVE)
    first = clearance_record(volunteer=volunteer, data={"seen_on": TODAY, "seen_by": partner}, actor=partner)
    assert first.valid_until == TODAY + datetime.timedelta(days=365)
    clearance_record(
        volunteer=volunteer,
        data={
            "seen_on": datetime.date(2020, 1, 1),
            "seen_by": partner,
            "valid_until": datetime.date(2021, 1, 1),
        },
        actor=partner,
    )
    volunteer.refresh_from_db()
    assert volunteer.clearance_valid_until == first.valid_until, "an older certificate does not shorten it"
    assert volunteer.status == VolunteerStatus.ACTIVE, "later steps are never moved back"


def test_unsuitable_interview_does_not_move_the_pipeline(org, partner):
    volunteer = VolunteerFactory(organisation=org)
    interview_record(
        volunteer=volunteer,
        data={"held_on": TODAY, "held_by": partner, "outcome": "not_suitable"},
        actor=partner,
    )
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.REGISTERED


def test_merge_moves_everything_and_anonymises_the_other(org, other_org, coordinator):
    keep = VolunteerFactory(organisation=org, email="same@example.org", phone="", notes="A")
    other = VolunteerFactory(organisation=other_org, email="same@example.org", phone="0511 777", notes="B")
    volunteer_status_change(volunteer=other, status=VolunteerStatus.EMAIL_CONFIRMED, actor=coordinator)
    interview_record(
        volunteer=other,
        data={"held_on": TODAY, "held_by": coordinator, "outcome": "pending"},
        actor=coordinator,
    )
    clearance_record(volunteer=other, data={"seen_on": TODAY, "seen_by": coordinator}, actor=coordinator)
    volunteer_update(volunteer=other, data={}, actor=coordinator, languages=[(language("tr"), "native")])
    Consent.objects.create(
        content_type=ContentType.objects.get_for_model(Volunteer),
        object_id=other.pk,
        purpose="volunteer_register",
        text_version="v1",
        channel="paper",
        given_at=timezone.now(),
    )
    other_steps = list(other.status_changes.values_list("pk", flat=True))

    volunteer_merge(keep=keep, other=other, actor=coordinator)

    keep.refresh_from_db()
    other.refresh_from_db()
    assert keep.phone == "0511 777" and keep.phone_key == "0511777"
    assert keep.notes == "A\n\nB"
    assert keep.clearance_valid_until is not None
    assert Interview.objects.filter(volunteer=keep).count() == 1
    assert PoliceClearance.objects.filter(volunteer=keep).count() == 1
    assert set(other_steps) <= set(keep.status_changes.values_list("pk", flat=True))
    assert [vl.language.code for vl in keep.languages.all()] == ["tr"]
    assert Consent.objects.filter(object_id=keep.pk, text_version="v1").exists()
    assert other.anonymised_at is not None and other.first_name == "" and other.merged_into == keep
    merged = AuditEntry.objects.get(action="volunteers.volunteer.merged", object_id=str(keep.pk))
    assert merged.changes["merged_from"] == [None, other.pk]
    assert "core.person.anonymised" in _actions(other)


def test_merge_refuses_to_anonymise_a_record_in_an_open_tandem(org, coordinator):
    from tests.factories.tandems import ActiveTandemFactory

    keep = VolunteerFactory(organisation=org)
    tandem = ActiveTandemFactory(organisation=org)
    with pytest.raises(ValidationError, match="offenen Tandem"):
        volunteer_merge(keep=keep, other=tandem.volunteer, actor=coordinator)
    tandem.volunteer.refresh_from_db()
    assert tandem.volunteer.anonymised_at is None and tandem.volunteer.first_name
    merged = volunteer_merge(keep=tandem.volunteer, other=keep, actor=coordinator)  # the other way round
    assert merged.pk == tandem.volunteer.pk


def test_merge_moves_training_registrations_but_not_onto_a_session_both_are_on(org, coordinator):
    from tests.factories.trainings import PastSessionFactory, RegistrationFactory

    keep, other = VolunteerFactory(organisation=org), VolunteerFactory(organisation=org)
    shared, own = PastSessionFactory(organisation=org), PastSessionFactory(organisation=org)
    RegistrationFactory(session=shared, volunteer=keep)
    left_behind = RegistrationFactory(session=shared, volunteer=other, attended=True)
    moved = RegistrationFactory(session=own, volunteer=other, attended=True)
    volunteer_merge(keep=keep, other=other, actor=coordinator)
    moved.refresh_from_db()
    left_behind.refresh_from_db()
    assert moved.volunteer_id == keep.pk
    assert left_behind.volunteer_id == other.pk
    entry = AuditEntry.objects.get(action="volunteers.volunteer.merged", object_id=str(keep.pk))
    assert entry.changes["moved_training_registrations"] == [0, 1]


def test_merge_with_itself_is_refused(org, coordinator):
    volunteer = VolunteerFactory(organisation=org)
    with pytest.raises(ValidationError):
        volunteer_merge(keep=volunteer, other=volunteer, actor=coordinator)


def test_duplicate_groups_join_by_any_key(org, coordinator):
    a = VolunteerFactory(organisation=org, email="x@example.org", phone="0511 1")
    b = VolunteerFactory(organisation=org, email="X@example.org", phone="0511 2")
    c = VolunteerFactory(organisation=org, email="c@example.org", phone="+49 511 2")
    d = VolunteerFactory(
        organisation=org, first_name="Ida", last_name="Ünal", birth_date=datetime.date(1980, 1, 1)
    )
    e = VolunteerFactory(
        organisation=org, first_name="ida", last_name="Uenal", birth_date=datetime.date(1980, 1, 1)
    )
    VolunteerFactory(
        organisation=org, first_name="Ida", last_name="Ünal", birth_date=datetime.date(1981, 1, 1)
    )
    groups = volunteer_duplicate_groups(user=coordinator)
    members = sorted(sorted(g.member_ids) for g in groups)
    assert members == sorted([sorted([a.pk, b.pk, c.pk]), sorted([d.pk, e.pk])])


def test_anonymise_blanks_personal_data_and_scrubs_history(org, coordinator):
    volunteer = volunteer_create(
        organisation=org,
        data={"first_name": "Geheim", "last_name": "Name", "email": "g@example.org"},
        actor=coordinator,
    )
    volunteer_anonymise(volunteer=volunteer, actor=coordinator)
    volunteer.refresh_from_db()
    assert (volunteer.first_name, volunteer.email, volunteer.email_key) == ("", "", "")
    created = AuditEntry.objects.get(action="volunteers.volunteer.created", object_id=str(volunteer.pk))
    assert "Geheim" not in str(created.changes) and created.is_scrubbed


def test_purge_deletes_only_old_unconfirmed_signups_with_an_audit_entry(db):
    old = volunteer_signup(data={"first_name": "Alt", "last_name": "A", "email": "alt@example.org"})
    confirmed = volunteer_signup(data={"first_name": "Bestätigt", "last_name": "B", "email": "b@example.org"})
    volunteer_email_confirm(volunteer=confirmed)
    recent = volunteer_signup(data={"first_name": "Neu", "last_name": "C", "email": "c@example.org"})
    long_ago = timezone.now() - datetime.timedelta(days=31)
    Volunteer.objects.filter(pk__in=[old.pk, confirmed.pk]).update(signed_up_at=long_ago)
    call_command("purge_unconfirmed_signups", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(Volunteer.objects.values_list("pk", flat=True)) == {confirmed.pk, recent.pk}
    assert AuditEntry.objects.filter(action="volunteers.volunteer.deleted", object_id=str(old.pk)).exists()
    assert not Consent.objects.filter(object_id=old.pk, purpose="volunteer_register").exists()
    assert not StatusChange.objects.filter(volunteer_id=old.pk).exists()
    assert volunteer_unconfirmed_purge() == 0
