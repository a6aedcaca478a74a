"""The coordinators' daily digest and the notifications about tandems, sent for real through the outbox by an
in-process worker (tests/jobs.py): read as the German text that goes out."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core.models import EndReason, NotificationSetting, OutboxMessage, Role
from core.notifications import (
    COORDINATOR_DIGEST,
    REFERRER_TANDEM_ENDED,
    REFERRER_TANDEM_STARTED,
    TANDEM_HANDED_OVER,
)
from tandems import services
from tandems.notifications import coordinator_digest, coordinator_digests_send
from tandems.tasks import send_coordinator_digests
from tests.factories.core import MembershipFactory
from tests.factories.refugees import RefugeeFactory, WaitingRefugeeFactory
from tests.factories.tandems import ActiveTandemFactory, CheckInFactory, TandemFactory, closure_answers
from tests.factories.volunteers import VolunteerFactory
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate()


def _switch_off(code: str) -> None:
    NotificationSetting.objects.update_or_create(code=code, defaults={"is_active": False})


def _caseload(coordinator, fwz):
    """One tandem of `coordinator` with an overdue check-in (so at risk), a clearance expiring in 30 days,
    a sign-up and a referral waiting: one of each thing the digest counts."""
    tandem = ActiveTandemFactory(organisation=fwz, coordinator=coordinator)
    CheckInFactory(tandem=tandem, held_on=None, planned_on=TODAY - datetime.timedelta(days=3), mood="")
    VolunteerFactory(organisation=fwz, clearance_valid_until=TODAY + datetime.timedelta(days=30))
    VolunteerFactory(organisation=fwz, signed_up_at=timezone.now(), first_name="Sigrun")
    RefugeeFactory(organisation=fwz, first_name="Zaynab", last_name="Haddad")
    return tandem


def _run_digest_job():
    send_coordinator_digests.defer(timestamp=int(timezone.now().timestamp()))
    run_jobs()


def test_the_digest_counts_and_links_in_german_without_refugee_names(job_queue, fwz, coordinator):
    tandem = _caseload(coordinator, fwz)
    _run_digest_job()

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [coordinator.email]
    assert sent.subject == f"10.000 Freunde: Ihr Tagesüberblick vom {TODAY:%d.%m.%Y}"
    body = sent.body
    assert "1 Begleitgespräch heute fällig oder überfällig (1 davon überfällig)" in body
    assert "1 Tandem neu gefährdet (1 insgesamt gefährdet)" in body
    assert "1 Führungszeugnis läuft in den nächsten 60 Tagen ab" in body
    assert "1 neue Anmeldung zu sichten" in body
    assert "1 Zuweisung wartet auf das Erstgespräch" in body
    assert "http://localhost:8000/tandems/caseload/" in body
    # no refugee's or volunteer's name leaves the system, and no link to a person
    for name in ("Zaynab", "Haddad", "Sigrun", tandem.refugee.first_name, tandem.volunteer.last_name):
        assert name not in body
    assert f"/refugees/{tandem.refugee_id}/" not in body


def test_a_second_run_on_the_same_day_sends_no_second_digest(job_queue, fwz, coordinator):
    _caseload(coordinator, fwz)
    _run_digest_job()
    _run_digest_job()
    assert len(mail.outbox) == 1


def test_a_tandem_still_at_risk_is_not_new_the_next_day(job_queue, fwz, coordinator):
    tandem = ActiveTandemFactory(organisation=fwz, coordinator=coordinator)
    CheckInFactory(tandem=tandem, held_on=None, planned_on=TODAY - datetime.timedelta(days=3), mood="")
    coordinator_digests_send(today=TODAY)
    previous = OutboxMessage.objects.get().context["at_risk_ids"]
    assert previous == [tandem.pk]
    # the next day: the same tandem is still at risk, and now a second one
    second = ActiveTandemFactory(organisation=fwz, coordinator=coordinator)
    CheckInFactory(tandem=second, held_on=None, planned_on=TODAY - datetime.timedelta(days=1), mood="")
    digest = coordinator_digest(user=coordinator, today=TODAY, at_risk_before=set(previous))
    assert digest.newly_at_risk == 1 and len(digest.at_risk_ids) == 2


def test_nothing_waiting_means_no_digest(job_queue, fwz, coordinator, partner):
    tandem = ActiveTandemFactory(organisation=fwz, coordinator=coordinator)
    CheckInFactory(tandem=tandem)  # contact five days ago, nothing planned: nothing due, not at risk
    _run_digest_job()
    assert mail.outbox == []
    assert not OutboxMessage.objects.exists()


def test_the_digest_switched_off_sends_nothing(job_queue, fwz, coordinator):
    _caseload(coordinator, fwz)
    _switch_off(COORDINATOR_DIGEST)
    _run_digest_job()
    assert mail.outbox == []


def test_a_partner_coordinator_gets_only_their_organisation_in_the_digest(job_queue, fwz, org, partner):
    _caseload(MembershipFactory(organisation=fwz, role=Role.COORDINATOR).user, fwz)  # FWZ work: not theirs
    RefugeeFactory(organisation=org)
    coordinator_digests_send(today=TODAY)
    mine = OutboxMessage.objects.get(to_address=partner.email)
    assert mine.context["referrals"] == 1
    assert mine.context["checkins_due"] == mine.context["signups"] == mine.context["clearances_expiring"] == 0


def test_the_digest_queries_per_coordinator_are_bounded(
    job_queue, fwz, coordinator, django_assert_max_num_queries
):
    for _ in range(3):
        other = MembershipFactory(organisation=fwz, role=Role.COORDINATOR).user
        _caseload(other, fwz)
    _caseload(coordinator, fwz)
    ActiveTandemFactory.create_batch(5, organisation=fwz, coordinator=coordinator)
    # five for the job (switch, content type, last digests, users, memberships), then 14 per coordinator
    # whatever their caseload: the cadence twice, five counts, and the message (consent, row, audit entry,
    # job, BEGIN/COMMIT)
    with django_assert_max_num_queries(5 + 4 * 14):
        queued, _empty = coordinator_digests_send(today=TODAY)
    assert queued == 4


# ------------------------------------------------------------------------------------------------ referrers


@pytest.fixture
def referred(fwz, referrer):
    referrer.has_referral_updates = True
    referrer.save(update_fields=["has_referral_updates"])
    refugee = WaitingRefugeeFactory(
        organisation=fwz,
        referred_by=referrer,
        first_name="Zaynab",
        referred_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0)),
    )
    return TandemFactory(organisation=fwz, refugee=refugee)


def test_the_referrer_hears_that_the_person_is_in_a_tandem(job_queue, referred, referrer, coordinator):
    referred.coordinator = coordinator
    referred.save(update_fields=["coordinator"])
    services.tandem_introduce(tandem=referred, actor=coordinator, introduced_on=TODAY)
    run_jobs()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [referrer.email]
    assert sent.subject == "Ihre Zuweisung vom 02.03.2026 ist in einem Tandem"
    assert (
        f"die Person, die Sie am 02.03.2026 an 10.000 Freunde zugewiesen haben, ist seit {TODAY:%d.%m.%Y} in "
        "einem Tandem mit einer*einem Ehrenamtlichen." in sent.body
    )
    assert f"Zuständig ist {coordinator} ({coordinator.email})." in sent.body
    assert f"/refugees/referrals/{referred.refugee_id}/" in sent.body
    assert "Zaynab" not in sent.body


def test_the_referrer_hears_the_end_with_the_reason_category_never_the_notes(
    job_queue, referred, referrer, coordinator
):
    services.tandem_introduce(tandem=referred, actor=coordinator, introduced_on=TODAY)
    services.tandem_start(tandem=referred, actor=coordinator, started_on=TODAY)
    services.tandem_end(
        tandem=referred,
        actor=coordinator,
        ended_on=TODAY,
        end_reason=EndReason.objects.get(code="no-time"),
        closing_notes="Streit über die Wohnung, vertraulich",
        volunteer_wants_new=True,
        refugee_needs_new=True,
        **closure_answers(),
    )
    run_jobs()
    ended = [m for m in mail.outbox if "beendet" in m.subject]
    assert len(ended) == 1
    assert ended[0].subject == "Das Tandem Ihrer Zuweisung vom 02.03.2026 ist beendet"
    reason = EndReason.objects.get(code="no-time").name_de
    assert f"Grund: {reason}" in ended[0].body
    assert f"am {TODAY:%d.%m.%Y} beendet" in ended[0].body
    assert "Streit" not in ended[0].body and "vertraulich" not in ended[0].body


def test_a_referrer_without_opt_in_gets_nothing(job_queue, referred, referrer, coordinator):
    referrer.has_referral_updates = False
    referrer.save(update_fields=["has_referral_updates"])
    services.tandem_introduce(tandem=referred, actor=coordinator, introduced_on=TODAY)
    run_jobs()
    assert mail.outbox == []


def test_referrer_messages_switched_off_send_nothing(job_queue, referred, coordinator):
    _switch_off(REFERRER_TANDEM_STARTED)
    _switch_off(REFERRER_TANDEM_ENDED)
    services.tandem_introduce(tandem=referred, actor=coordinator, introduced_on=TODAY)
    services.tandem_start(tandem=referred, actor=coordinator, started_on=TODAY)
    services.tandem_end(
        tandem=referred,
        actor=coordinator,
        ended_on=TODAY,
        end_reason=EndReason.objects.get(code="no-time"),
        closing_notes="",
        volunteer_wants_new=True,
        refugee_needs_new=True,
        **closure_answers(),
    )
    run_jobs()
    assert mail.outbox == []


# ---------------------------------------------------------------------------------------------- hand-overs


def test_the_new_coordinator_hears_of_the_hand_over(job_queue, fwz, coordinator, partner):
    tandems = [ActiveTandemFactory(organisation=fwz, coordinator=partner) for _ in range(2)]
    services.tandems_hand_over(tandems=tandems, to_coordinator=coordinator, actor=partner)
    run_jobs()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [coordinator.email]
    assert sent.subject == "2 Tandems wurden Ihnen übergeben"
    assert f"{partner} hat Ihnen 2 Tandems übergeben; Sie sind jetzt dafür zuständig." in sent.body
    assert "http://localhost:8000/tandems/caseload/" in sent.body
    for tandem in tandems:
        assert tandem.refugee.last_name not in sent.body


def test_the_hand_over_message_switched_off_sends_nothing(job_queue, fwz, coordinator, partner):
    _switch_off(TANDEM_HANDED_OVER)
    services.tandems_hand_over(
        tandems=[ActiveTandemFactory(organisation=fwz, coordinator=partner)],
        to_coordinator=coordinator,
        actor=partner,
    )
    run_jobs()
    assert mail.outbox == []
