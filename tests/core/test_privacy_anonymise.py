"""personal_data_anonymise, consent withdrawal, restricted reads and the retention job."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from core.audit import audit_entries_for
from core.models import AuditEntry, Consent, ConsentChannel, RetentionRule
from core.privacy import months_before
from core.services import (
    consent_withdraw,
    personal_data_anonymise,
    retention_apply,
    sensitive_view_logged,
)
from refugees.models import ResidenceStatus
from tests.factories.core import district
from tests.factories.refugees import (
    ClosedRefugeeFactory,
    HouseholdMemberFactory,
    ReferralNoteFactory,
    RefugeeFactory,
)
from tests.factories.tandems import ActiveTandemFactory, CheckInFactory
from tests.factories.trainings import PastSessionFactory, RegistrationFactory
from tests.factories.volunteers import VolunteerFactory
from volunteers.models import Interview, StatusChange, Volunteer, VolunteerStatus
from volunteers.services import volunteer_create, volunteer_status_change, volunteer_update


def _consent(obj, *, withdrawn_at=None, given_at=None) -> Consent:
    return Consent.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        purpose="test",
        text_version="1",
        channel=ConsentChannel.PAPER,
        given_at=given_at or timezone.now() - datetime.timedelta(days=400),
        withdrawn_at=withdrawn_at,
    )


@pytest.fixture
def volunteer(org, coordinator) -> Volunteer:
    row = volunteer_create(
        organisation=org,
        data={
            "first_name": "Greta",
            "last_name": "Gärtner",
            "email": "greta@example.org",
            "phone": "0511 123456",
            "address": "Lindener Marktplatz 1",
            "birth_date": datetime.date(1970, 3, 4),
            "gender": "female",
            "district": district("linden-limmer"),
            "notes": "spricht gern über ihren Garten",
            "interests": ["Gärtnern"],
        },
        actor=coordinator,
    )
    volunteer_update(volunteer=row, actor=coordinator, data={"phone": "0511 654321"})
    volunteer_status_change(
        volunteer=row, status=VolunteerStatus.LEFT, actor=coordinator, note="zieht nach Kiel"
    )
    Interview.objects.create(
        volunteer=row,
        held_on=datetime.date(2026, 1, 5),
        held_by=coordinator,
        outcome="suitable",
        motivation="will helfen",
    )
    return Volunteer.objects.get(pk=row.pk)


def test_anonymise_blanks_personal_fields_and_keeps_statistics(volunteer, coordinator):
    personal_data_anonymise(obj=volunteer, actor=coordinator, reason="Art. 17")
    row = Volunteer.objects.get(pk=volunteer.pk)
    assert (row.first_name, row.last_name, row.email, row.phone, row.address) == ("", "", "", "", "")
    assert row.birth_date is None and row.interests == [] and row.notes == "" and row.email_key == ""
    assert row.anonymised_at is not None
    assert (row.status, row.gender, row.organisation_id, row.district.code) == (
        "left",
        "female",
        volunteer.organisation_id,
        "linden-limmer",
    )
    assert volunteer.first_name == "", "the caller's object is refreshed"


def test_anonymise_cascades_to_related_rows(volunteer, coordinator):
    personal_data_anonymise(obj=volunteer, actor=coordinator)
    assert not StatusChange.objects.filter(volunteer=volunteer).exclude(note="").exists()
    interview = Interview.objects.get(volunteer=volunteer)
    assert (interview.motivation, interview.limits) == ("", "")
    assert audit_entries_for(interview).filter(action="core.person.anonymised").exists()


def test_anonymise_scrubs_the_audit_trail(volunteer, coordinator):
    personal_data_anonymise(obj=volunteer, actor=coordinator)
    entries = list(audit_entries_for(volunteer))
    text = repr([(e.object_repr, e.changes) for e in entries])
    for value in ("Greta", "Gärtner", "greta@example.org", "0511", "Kiel", "Garten"):
        assert value not in text
    scrubbed = [e for e in entries if e.action != "core.person.anonymised"]
    assert scrubbed and all(e.is_scrubbed for e in scrubbed)
    changed = next(e for e in entries if e.action == "volunteers.volunteer.changed")
    assert changed.changes["phone"] == ["***", "***"]
    status = next(e for e in entries if "status" in e.changes and e.action != "core.person.anonymised")
    assert status.changes["status"][1] == "left", "non-personal values stay for the statistics"
    last = entries[0]
    assert last.action == "core.person.anonymised" and last.actor == coordinator


def test_anonymise_is_idempotent(volunteer, coordinator):
    assert personal_data_anonymise(obj=volunteer, actor=coordinator) >= 1
    assert personal_data_anonymise(obj=volunteer, actor=coordinator) == 0
    assert audit_entries_for(volunteer).filter(action="core.person.anonymised").count() == 1


def test_refugee_household_notes_and_residence_status_go(org, coordinator):
    refugee = ClosedRefugeeFactory(
        organisation=org,
        health_notes="Diabetes",
        residence_status=ResidenceStatus.objects.first(),
        interests=["Fußball"],
    )
    member = HouseholdMemberFactory(refugee=refugee, first_name="Lina", birth_year=2017)
    note = ReferralNoteFactory(refugee=refugee, author=coordinator, text="Familie sucht Kita")
    personal_data_anonymise(obj=refugee, actor=coordinator)
    refugee.refresh_from_db()
    member.refresh_from_db()
    note.refresh_from_db()
    assert refugee.health_notes == "" and refugee.residence_status is None and refugee.interests == []
    assert refugee.birth_year is None and refugee.status == "closed"
    assert (member.first_name, member.birth_year) == ("", 2010)
    assert note.text == ""


def test_open_tandem_blocks_the_erasure(coordinator):
    tandem = ActiveTandemFactory()
    with pytest.raises(ValidationError):
        personal_data_anonymise(obj=tandem.volunteer, actor=coordinator)
    tandem.volunteer.refresh_from_db()
    assert tandem.volunteer.anonymised_at is None


def test_ended_tandem_notes_and_checkins_go_with_the_volunteer(coordinator):
    checkin = CheckInFactory(topics="Wohnungssuche", follow_up="Termin Jobcenter")
    tandem = checkin.tandem
    tandem.status, tandem.ended_on, tandem.notes = "ended", datetime.date.today(), "gut gelaufen"
    tandem.end_reason = type(tandem)._meta.get_field("end_reason").related_model.objects.first()
    tandem.save()
    registration = RegistrationFactory(volunteer=tandem.volunteer, note="kommt später")
    personal_data_anonymise(obj=tandem.volunteer, actor=coordinator)
    checkin.refresh_from_db()
    tandem.refresh_from_db()
    registration.refresh_from_db()
    assert (checkin.topics, checkin.follow_up, tandem.notes, registration.note) == ("", "", "", "")
    assert tandem.anonymised_at is not None and tandem.status == "ended"


def test_consent_withdrawal_is_dated_and_audited_on_the_person(coordinator, org):
    volunteer = VolunteerFactory(organisation=org)
    consent = _consent(volunteer)
    consent_withdraw(consent=consent, actor=coordinator)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    entry = audit_entries_for(volunteer).get()
    assert entry.action == "core.consent.withdrawn"
    before = consent.withdrawn_at
    consent_withdraw(consent=consent, actor=coordinator)
    consent.refresh_from_db()
    assert consent.withdrawn_at == before, "a second withdrawal changes nothing"


def test_withdrawal_is_never_dated_before_the_consent(coordinator, org):
    volunteer = VolunteerFactory(organisation=org)
    consent = _consent(volunteer, given_at=timezone.now() + datetime.timedelta(hours=1))
    consent_withdraw(consent=consent, actor=coordinator)
    consent.refresh_from_db()
    assert consent.withdrawn_at == consent.given_at


def test_sensitive_view_is_logged(coordinator, org):
    refugee = RefugeeFactory(organisation=org)
    entry = sensitive_view_logged(user=coordinator, obj=refugee, fields=["health_notes", "residence_status"])
    assert entry.action == "core.sensitive.viewed"
    assert entry.changes == {"fields": [None, "health_notes, residence_status"]}
    assert entry.actor == coordinator
    assert sensitive_view_logged(user=coordinator, obj=refugee, fields=[]) is None


def test_months_before_handles_short_months():
    moment = timezone.make_aware(datetime.datetime(2026, 3, 31, 12, 0))
    assert months_before(moment, 1).date() == datetime.date(2026, 2, 28)
    assert months_before(moment, 24).date() == datetime.date(2024, 3, 31)


@pytest.fixture
def retention_world(org, coordinator):
    long_ago = timezone.now() - datetime.timedelta(days=800)
    old_left = VolunteerFactory(organisation=org, status="left", left_on=long_ago.date())
    recent_left = VolunteerFactory(organisation=org, status="left", left_on=timezone.localdate())
    unconfirmed = VolunteerFactory(
        organisation=org, signed_up_at=timezone.now() - datetime.timedelta(days=45)
    )
    confirmed = VolunteerFactory(
        organisation=org,
        signed_up_at=timezone.now() - datetime.timedelta(days=45),
        email_confirmed_at=timezone.now(),
        status="email_confirmed",
    )
    withdrawn = VolunteerFactory(organisation=org, status="active")
    _consent(withdrawn, withdrawn_at=timezone.now() - datetime.timedelta(days=40))
    still_consenting = VolunteerFactory(organisation=org, status="active")
    _consent(still_consenting, withdrawn_at=timezone.now() - datetime.timedelta(days=40))
    _consent(still_consenting)
    closed_old = ClosedRefugeeFactory(organisation=org, closed_at=long_ago)
    closed_recent = ClosedRefugeeFactory(organisation=org)
    session = PastSessionFactory(trainer="Tina Trainerin")
    type(session).objects.filter(pk=session.pk).update(
        starts_at=long_ago, ends_at=long_ago + datetime.timedelta(hours=2)
    )
    return {
        "expired": {old_left, withdrawn, closed_old, session},
        # an unconfirmed sign-up is deleted by `purge_unconfirmed_signups` (volunteers), not anonymised here
        "kept": {recent_left, unconfirmed, confirmed, still_consenting, closed_recent},
    }


def test_dry_run_lists_and_changes_nothing(retention_world):
    before = AuditEntry.objects.count()
    findings = retention_apply(dry_run=True)
    found = {(f.label, f.pk) for f in findings}
    assert found == {(o._meta.label, o.pk) for o in retention_world["expired"]}
    assert AuditEntry.objects.count() == before
    assert all(type(o).objects.get(pk=o.pk) for o in retention_world["expired"])
    assert Volunteer.objects.filter(anonymised_at__isnull=False).count() == 0


def test_retention_anonymises_what_expired_and_keeps_the_rest(retention_world):
    retention_apply(dry_run=False)
    for obj in retention_world["expired"]:
        fresh = type(obj).objects.get(pk=obj.pk)
        if hasattr(fresh, "anonymised_at"):
            assert fresh.anonymised_at is not None, obj
        else:
            assert fresh.trainer == ""
    for obj in retention_world["kept"]:
        assert type(obj).objects.get(pk=obj.pk).anonymised_at is None, obj
    assert retention_apply(dry_run=True) == [], "a second run finds nothing"


def test_an_inactive_rule_is_not_applied(retention_world):
    RetentionRule.objects.filter(code="trainings-session-held").update(is_active=False)
    assert not any(f.code == "trainings-session-held" for f in retention_apply(dry_run=True))


def test_a_longer_period_set_by_an_admin_wins(retention_world):
    RetentionRule.objects.filter(code="refugees-closed").update(amount=48)
    assert not any(f.code == "refugees-closed" for f in retention_apply(dry_run=True))


def test_a_recently_ended_tandem_keeps_a_closed_referral(org):
    refugee = ClosedRefugeeFactory(organisation=org, closed_at=timezone.now() - datetime.timedelta(days=800))
    tandem = ActiveTandemFactory(organisation=org, refugee=refugee)
    type(tandem).objects.filter(pk=tandem.pk).update(
        status="ended",
        ended_on=timezone.localdate() - datetime.timedelta(days=30),
        end_reason=type(tandem)._meta.get_field("end_reason").related_model.objects.first(),
    )
    assert not any(f.label == "refugees.Refugee" for f in retention_apply(dry_run=True))


def test_apply_retention_command_dry_run_prints_the_findings(retention_world, capsys):
    call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "would anonymise volunteers.Volunteer" in out
    assert "rule volunteers-left" in out
    assert "4 record(s) would be anonymised" in out


def test_apply_retention_reports_a_blocked_record(org):
    tandem = ActiveTandemFactory(organisation=org)
    Volunteer.objects.filter(pk=tandem.volunteer_id).update(
        status="left", left_on=timezone.localdate() - datetime.timedelta(days=800)
    )
    findings = retention_apply(dry_run=False)
    (finding,) = [f for f in findings if (f.label, f.pk) == ("volunteers.Volunteer", tandem.volunteer_id)]
    assert "offenen Tandem" in finding.blocked
    assert Volunteer.objects.get(pk=tandem.volunteer_id).anonymised_at is None


def test_retention_leaves_the_report_totals_as_they_were(retention_world):
    """Erasure removes people's data, not the programme's history: every figure of the dashboard and the
    grant report over the whole time is the same after the retention run as before."""
    from core.models import Organisation
    from reporting.figures import report_build
    from reporting.selectors import Period

    def figures() -> dict[str, str]:
        period = Period(datetime.date(2020, 1, 1), timezone.localdate())
        report = report_build(organisations=Organisation.objects.all(), period=period, hide_small=False)
        return {
            f.key: repr(f.headline) + repr([t.rows for t in f.breakdowns])
            for section in report.sections
            for f in section.figures
        }

    before = figures()
    assert "value=6" in before["volunteers_recruited"], "the people of the world are counted"
    assert retention_apply(dry_run=False), "the world has expired records"
    assert figures() == before
