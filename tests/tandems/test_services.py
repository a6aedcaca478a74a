import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.models import EndReason, Organisation, OutboxMessage, Role
from refugees.models import RefugeeStatus
from tandems import services
from tandems.models import CheckIn, Tandem, TandemStatus
from tests.factories.core import MembershipFactory, help_area, language
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.tandems import ActiveTandemFactory, TandemFactory, closure_answers
from tests.factories.volunteers import ReadyVolunteerFactory
from tests.jobs import run_jobs
from volunteers.models import VolunteerStatus

TODAY = datetime.date.today()


@pytest.fixture
def pair(org):
    return ReadyVolunteerFactory(organisation=org), WaitingRefugeeFactory(organisation=org)


def test_propose_stores_the_explanation_and_who_decided(pair, coordinator):
    volunteer, refugee = pair
    tandem = services.tandem_propose(volunteer=volunteer, refugee=refugee, actor=coordinator)
    assert tandem.status == TandemStatus.PROPOSED
    assert tandem.organisation == refugee.organisation
    assert tandem.coordinator == coordinator
    record = tandem.match_explanation
    assert record["decided_by_id"] == coordinator.pk
    assert {c["key"] for c in record["criteria"]} >= {"language", "needs", "distance", "waiting"}
    assert set(record["weights"]) == {c["key"] for c in record["criteria"]}
    assert 0 <= record["total"] <= 1


def test_refugee_can_have_only_one_open_tandem(pair, coordinator, org):
    volunteer, refugee = pair
    services.tandem_propose(volunteer=volunteer, refugee=refugee, actor=coordinator)
    with pytest.raises(ValidationError, match="bereits ein offenes Tandem"):
        services.tandem_propose(
            volunteer=ReadyVolunteerFactory(organisation=org), refugee=refugee, actor=coordinator
        )


def test_unique_constraint_guards_the_refugee_without_the_service(org):
    tandem = TandemFactory(organisation=org)
    with pytest.raises(IntegrityError), transaction.atomic():
        Tandem.objects.create(
            organisation=org,
            volunteer=ReadyVolunteerFactory(organisation=org),
            refugee=tandem.refugee,
            proposed_on=TODAY,
        )


def test_trigger_refuses_a_tandem_beyond_capacity_without_the_service(org):
    tandem = TandemFactory(organisation=org)  # capacity 1, now full
    with pytest.raises(IntegrityError, match="capacity_exceeded"), transaction.atomic():
        Tandem.objects.create(
            organisation=org,
            volunteer=tandem.volunteer,
            refugee=WaitingRefugeeFactory(organisation=org),
            proposed_on=TODAY,
        )


def test_trigger_refuses_reopening_beyond_capacity(org):
    ended = TandemFactory(organisation=org, status=TandemStatus.NOT_STARTED, not_started_reason="x")
    TandemFactory(organisation=org, volunteer=ended.volunteer)
    ended.status = TandemStatus.PROPOSED
    with pytest.raises(IntegrityError), transaction.atomic():
        ended.save()


def test_capacity_two_allows_two_open_tandems(org, coordinator):
    volunteer = ReadyVolunteerFactory(organisation=org, capacity=2)
    for _ in range(2):
        services.tandem_propose(
            volunteer=volunteer, refugee=WaitingRefugeeFactory(organisation=org), actor=coordinator
        )
    with pytest.raises(ValidationError, match="keinen freien Platz"):
        services.tandem_propose(
            volunteer=volunteer, refugee=WaitingRefugeeFactory(organisation=org), actor=coordinator
        )


def test_propose_refuses_a_blocked_pair_with_the_reason(org, coordinator):
    volunteer = ReadyVolunteerFactory(organisation=org, trained_on=None)
    with pytest.raises(ValidationError, match="Grundschulung"):
        services.tandem_propose(
            volunteer=volunteer, refugee=WaitingRefugeeFactory(organisation=org), actor=coordinator
        )
    assert not Tandem.objects.exists()


def test_full_lifecycle_moves_both_people(pair, coordinator):
    volunteer, refugee = pair
    tandem = services.tandem_propose(volunteer=volunteer, refugee=refugee, actor=coordinator)
    refugee.refresh_from_db()
    assert refugee.status == RefugeeStatus.WAITING, "a proposed pair keeps the waiting time counting"
    tandem = services.tandem_introduce(tandem=tandem, actor=coordinator, introduced_on=TODAY)
    refugee.refresh_from_db()
    assert refugee.status == RefugeeStatus.IN_TANDEM
    tandem = services.tandem_start(tandem=tandem, actor=coordinator, started_on=TODAY)
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.ACTIVE
    planned = CheckIn.objects.get(tandem=tandem, held_on__isnull=True)
    assert planned.planned_on == TODAY + datetime.timedelta(days=14)
    tandem = services.tandem_end(
        tandem=tandem,
        actor=coordinator,
        ended_on=TODAY,
        end_reason=EndReason.objects.get(code="self-reliant"),
        closing_notes="Alles gut.",
        volunteer_wants_new=True,
        refugee_needs_new=False,
        **closure_answers(),
    )
    assert tandem.status == TandemStatus.ENDED
    volunteer.refresh_from_db()
    refugee.refresh_from_db()
    assert volunteer.status == VolunteerStatus.TRAINED, "back in the pool"
    assert refugee.status == RefugeeStatus.CLOSED
    assert not CheckIn.objects.filter(tandem=tandem, held_on__isnull=True).exists()


def test_end_pauses_volunteer_and_returns_refugee_to_waiting(org, coordinator):
    tandem = ActiveTandemFactory(organisation=org, volunteer__status=VolunteerStatus.ACTIVE)
    services.tandem_end(
        tandem=tandem,
        actor=coordinator,
        ended_on=TODAY,
        end_reason=EndReason.objects.get(code="no-time"),
        closing_notes="Zeitmangel",
        volunteer_wants_new=False,
        refugee_needs_new=True,
        **closure_answers(),
    )
    tandem.volunteer.refresh_from_db()
    tandem.refugee.refresh_from_db()
    assert tandem.volunteer.status == VolunteerStatus.PAUSED
    assert tandem.refugee.status == RefugeeStatus.WAITING
    assert tandem.refugee.waiting_since == TODAY


def test_not_started_frees_the_place_and_the_refugee(pair, coordinator):
    volunteer, refugee = pair
    tandem = services.tandem_propose(volunteer=volunteer, refugee=refugee, actor=coordinator)
    tandem = services.tandem_introduce(tandem=tandem, actor=coordinator, introduced_on=TODAY)
    tandem = services.tandem_not_started(tandem=tandem, actor=coordinator, reason="Kein Termin gefunden")
    refugee.refresh_from_db()
    assert tandem.status == TandemStatus.NOT_STARTED
    assert refugee.status == RefugeeStatus.WAITING
    again = services.tandem_propose(volunteer=volunteer, refugee=refugee, actor=coordinator)
    assert again.is_open


def test_not_started_needs_a_reason(pair, coordinator):
    tandem = services.tandem_propose(volunteer=pair[0], refugee=pair[1], actor=coordinator)
    with pytest.raises(ValidationError):
        services.tandem_not_started(tandem=tandem, actor=coordinator, reason="  ")


def test_steps_out_of_order_are_refused(pair, coordinator):
    tandem = services.tandem_propose(volunteer=pair[0], refugee=pair[1], actor=coordinator)
    with pytest.raises(ValidationError, match="nicht möglich"):
        services.tandem_start(tandem=tandem, actor=coordinator, started_on=TODAY)


def test_introduction_letter_goes_through_the_outbox_and_names_languages_and_needs(job_queue):
    org = Organisation.objects.get(short_name="gEMiDe")
    coordinator = MembershipFactory(organisation=org, role=Role.PARTNER).user
    volunteer, refugee = ReadyVolunteerFactory(organisation=org), WaitingRefugeeFactory(organisation=org)
    refugee.languages.set([language("ar"), language("fa")])
    refugee.needs.set([help_area("leisure")])
    tandem = services.tandem_propose(volunteer=volunteer, refugee=refugee, actor=coordinator)
    row = services.tandem_introduce(tandem=tandem, actor=coordinator, introduced_on=TODAY, send_letter=True)
    assert row.letter_notice == "" and not mail.outbox, "queued in the transaction, sent by the worker"
    run_jobs()
    (sent,) = mail.outbox
    assert sent.to == [volunteer.email] and sent.subject == "10.000 Freunde: Ihr Tandem"
    assert refugee.first_name in sent.body and f"Liebe*r {volunteer.first_name}" in sent.body
    assert "Sprachen: Arabisch, Persisch (Farsi);" in sent.body
    assert "Gemeinsame Freizeit" in sent.body
    assert "QuerySet" not in sent.body and "]>" not in sent.body and "<" not in sent.body


def test_introduction_without_address_counts_and_says_the_letter_did_not_go(pair, coordinator):
    volunteer, refugee = pair
    volunteer.email = ""
    volunteer.save()
    tandem = services.tandem_propose(volunteer=volunteer, refugee=refugee, actor=coordinator)
    row = services.tandem_introduce(tandem=tandem, actor=coordinator, introduced_on=TODAY, send_letter=True)
    assert row.status == TandemStatus.INTRODUCED
    assert "keine E-Mail-Adresse" in row.letter_notice
    assert not OutboxMessage.objects.exists()


def test_handover_moves_the_tandems_and_audits(org, coordinator, partner):
    tandems = [ActiveTandemFactory(organisation=org, coordinator=partner) for _ in range(2)]
    moved = services.tandems_hand_over(tandems=tandems, to_coordinator=coordinator, actor=partner)
    assert moved == 2
    assert set(Tandem.objects.values_list("coordinator", flat=True)) == {coordinator.pk}
    from core.models import AuditEntry

    assert AuditEntry.objects.filter(action="tandems.tandem.handed_over").count() == 2
