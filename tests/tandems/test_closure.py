"""The structured closure (issue #20): the closing state, exit conversations with each side, the wishes and
the decision about a new tandem with its cool-off, the integration outcomes, the closing letter."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditEntry, EndReason, OutboxMessage
from refugees.models import RefugeeStatus
from tandems import services
from tandems.batch import batch_proposal
from tandems.matching import explain_pair, suggest_volunteers
from tandems.models import (
    CheckIn,
    ContactWish,
    ExitConversation,
    IntegrationOutcome,
    Tandem,
    TandemClosure,
    TandemStatus,
)
from tests.conftest import client_for
from tests.factories.core import language
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.tandems import ActiveTandemFactory, TandemFactory
from tests.factories.volunteers import ReadyVolunteerFactory
from volunteers.models import VolunteerStatus

TODAY = datetime.date.today()


def _closing(org, actor, **kwargs) -> Tandem:
    tandem = ActiveTandemFactory(organisation=org, volunteer__status=VolunteerStatus.ACTIVE, **kwargs)
    return services.tandem_closing_start(tandem=tandem, actor=actor)


def _talk(tandem, coordinator, side, notes="Gutes Gespräch"):
    return services.exit_conversation_record(
        tandem=tandem, actor=coordinator, side=side, held_on=TODAY, channel="meeting", notes=notes
    )


def _end(tandem, coordinator, **overrides):
    values = {
        "ended_on": TODAY,
        "end_reason": EndReason.objects.get(code="self-reliant"),
        "volunteer_wants_new": True,
        "refugee_needs_new": False,
        "volunteer_wish": ContactWish.NEW_TANDEM,
        "household_wish": ContactWish.PRIVATE,
        "outcomes": list(IntegrationOutcome.objects.filter(code__in=["job", "club"])),
        "german_level_start": "A1",
        "german_level_end": "B1",
    }
    values.update(overrides)
    return services.tandem_end(tandem=tandem, actor=coordinator, **values)


def test_closing_starts_from_active_only_and_keeps_the_places(org, coordinator):
    tandem = _closing(org, coordinator)
    assert tandem.status == TandemStatus.CLOSING and tandem.is_open
    closure = TandemClosure.objects.get(tandem=tandem)
    assert closure.started_on == TODAY
    assert closure.german_level_start == tandem.refugee.german_level, "taken from the refugee's record"
    assert AuditEntry.objects.filter(action="tandems.tandem.closing_started").count() == 1
    assert not CheckIn.objects.filter(tandem=tandem, held_on__isnull=True).exists()
    # the refugee's one open tandem and the volunteer's place: both still taken
    other = ReadyVolunteerFactory(organisation=org)
    with pytest.raises(ValidationError):
        services.tandem_propose(volunteer=other, refugee=tandem.refugee, actor=coordinator)
    waiting = WaitingRefugeeFactory(organisation=org)
    with pytest.raises(ValidationError, match="keinen freien Platz"):
        services.tandem_propose(volunteer=tandem.volunteer, refugee=waiting, actor=coordinator)
    proposed = TandemFactory(organisation=org)
    with pytest.raises(ValidationError, match="nicht möglich"):
        services.tandem_closing_start(tandem=proposed, actor=coordinator)


def test_the_capacity_trigger_counts_a_closing_tandem(org, coordinator):
    tandem = _closing(org, coordinator)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        TandemFactory(organisation=org, volunteer=tandem.volunteer)


def test_exit_conversations_are_recorded_audited_and_shown(client, org, coordinator):
    tandem = _closing(org, coordinator)
    talk = _talk(tandem, coordinator, "volunteer", notes="Möchte wieder ein Tandem")
    assert talk.recorded_by == coordinator
    assert AuditEntry.objects.filter(
        action="tandems.exitconversation.created", object_id=str(talk.pk)
    ).exists()
    with pytest.raises(ValidationError, match="Zukunft"):
        services.exit_conversation_record(
            tandem=tandem,
            actor=coordinator,
            side="household",
            held_on=TODAY + datetime.timedelta(days=2),
            channel="phone",
            notes="",
        )
    active = ActiveTandemFactory(organisation=org)
    with pytest.raises(ValidationError, match="nicht möglich"):
        _talk(active, coordinator, "household")
    assert ExitConversation.objects.count() == 1


def test_the_end_needs_the_conversations_or_a_reason_the_wishes_and_the_outcomes(org, coordinator):
    tandem = _closing(org, coordinator)
    _talk(tandem, coordinator, "volunteer")
    with pytest.raises(ValidationError, match="Abschlussgespräch"):
        _end(tandem, coordinator)
    with pytest.raises(ValidationError, match="Wunsch"):
        _end(tandem, coordinator, no_conversation_reason="unreachable", household_wish="")
    with pytest.raises(ValidationError, match="Wirkung"):
        _end(tandem, coordinator, no_conversation_reason="unreachable", outcomes=[])
    with pytest.raises(ValidationError, match="Wunsch"):
        _end(tandem, coordinator, no_conversation_reason="unreachable", volunteer_wish="other_volunteer")
    tandem.refresh_from_db()
    assert tandem.status == TandemStatus.CLOSING and tandem.ended_on is None, "nothing changed"
    _talk(tandem, coordinator, "household")
    ended = _end(tandem, coordinator, cooloff_until=TODAY + datetime.timedelta(days=30))
    assert ended.status == TandemStatus.ENDED
    closure = TandemClosure.objects.get(tandem=tandem)
    assert {o.code for o in closure.outcomes.all()} == {"job", "club"}
    assert (closure.german_level_start, closure.german_level_end) == ("A1", "B1")
    assert closure.volunteer_wish == ContactWish.NEW_TANDEM
    assert closure.cooloff_until == TODAY + datetime.timedelta(days=30)


def test_a_direct_end_from_active_needs_the_reason_why_no_conversation(org, coordinator):
    tandem = ActiveTandemFactory(organisation=org, volunteer__status=VolunteerStatus.ACTIVE)
    with pytest.raises(ValidationError, match="Abschlussgespräch"):
        _end(tandem, coordinator)
    ended = _end(tandem, coordinator, no_conversation_reason="moved", no_outcome=True, outcomes=[])
    assert ended.status == TandemStatus.ENDED
    assert TandemClosure.objects.get(tandem=tandem).no_conversation_reason == "moved"
    ended.refugee.refresh_from_db()
    assert ended.refugee.status == RefugeeStatus.CLOSED


def test_the_default_outcomes_are_seeded(db):
    codes = set(IntegrationOutcome.objects.values_list("code", flat=True))
    assert {"job", "childcare-school", "club", "volunteering", "goal-reached"} <= codes
    assert str(IntegrationOutcome.objects.get(code="job")) == "Praktikum, Ausbildung oder Arbeit"


def _cooled_off(org, coordinator, days: int):
    tandem = _closing(org, coordinator)
    _talk(tandem, coordinator, "volunteer")
    _talk(tandem, coordinator, "household")
    _end(tandem, coordinator, cooloff_until=TODAY + datetime.timedelta(days=days))
    volunteer = tandem.volunteer
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.TRAINED, "back in the pool"
    return volunteer


def test_suggestions_leave_out_a_volunteer_in_cool_off(org, coordinator):
    volunteer = _cooled_off(org, coordinator, days=30)
    refugee = WaitingRefugeeFactory(organisation=org)
    shown = {s.volunteer.pk for s in suggest_volunteers(refugee=refugee, user=coordinator, limit=50)}
    assert volunteer.pk not in shown
    blocked = explain_pair(refugee=refugee, volunteer=volunteer, user=coordinator).blocked
    until = (TODAY + datetime.timedelta(days=30)).strftime("%d.%m.%Y")
    assert blocked == [f"nach dem letzten Tandem nicht vor dem {until} wieder vorschlagen"]
    everyone = suggest_volunteers(refugee=refugee, user=coordinator, limit=50, show_blocked=True)
    assert volunteer.pk in {s.volunteer.pk for s in everyone}


def test_suggestions_show_the_volunteer_again_after_the_cool_off(org, coordinator):
    volunteer = _cooled_off(org, coordinator, days=0)
    refugee = WaitingRefugeeFactory(organisation=org)
    shown = {s.volunteer.pk for s in suggest_volunteers(refugee=refugee, user=coordinator, limit=50)}
    assert volunteer.pk in shown


def test_the_batch_leaves_out_a_volunteer_in_cool_off(org, coordinator):
    volunteer = _cooled_off(org, coordinator, days=30)
    free = ReadyVolunteerFactory(organisation=org)
    WaitingRefugeeFactory(organisation=org)
    WaitingRefugeeFactory(organisation=org)
    paired = {p.volunteer.pk for p in batch_proposal(user=coordinator).pairs}
    assert paired == {free.pk}
    assert volunteer.pk not in paired


def test_the_closing_letter_goes_to_both_sides_in_their_language(org, coordinator):
    tandem = _closing(
        org,
        coordinator,
        volunteer__email="jana@example.org",
        volunteer__first_name="Jana",
        volunteer__preferred_language="en",
        refugee__email="amal@example.org",
        refugee__first_name="Amal",
    )
    _talk(tandem, coordinator, "volunteer")
    _talk(tandem, coordinator, "household")
    _end(tandem, coordinator, send_letter=True)
    letters = {m.to_address: m for m in OutboxMessage.objects.filter(template="tandems/closing_letter")}
    assert set(letters) == {"jana@example.org", "amal@example.org"}
    german = letters["amal@example.org"]
    assert german.language == "de"
    assert "Liebe*r Amal" in german.body and "Ihr Tandem mit Jana ist nun abgeschlossen" in german.body
    english = letters["jana@example.org"]
    assert english.language == "en"
    assert "Dear Jana" in english.body and "Your tandem with Amal has now come to an end" in english.body
    assert AuditEntry.objects.filter(action="tandems.tandem.closing_letter_queued").exists()


def test_the_household_gets_its_closing_letter_in_its_language(org, coordinator):
    """The household has no preferred-language field: its language is the first of its languages the
    participant pages speak, as for its check-in links."""
    tandem = _closing(org, coordinator, refugee__email="amal@example.org", refugee__first_name="Amal")
    tandem.refugee.languages.add(language("ar"))
    _talk(tandem, coordinator, "volunteer")
    _talk(tandem, coordinator, "household")
    _end(tandem, coordinator, send_letter=True)
    letter = OutboxMessage.objects.get(template="tandems/closing_letter", to_address="amal@example.org")
    assert letter.language == "ar"
    assert "انتهى الآن التاندم مع" in letter.body and "Your tandem" not in letter.body


def test_lists_filters_and_the_caseload_show_a_closing_tandem(org, partner):
    tandem = _closing(org, partner, coordinator=partner)
    client = client_for(partner)
    listed = client.get(reverse("tandems:tandem_list"), {"status": "closing"}).content.decode()
    assert str(tandem.volunteer) in listed and "im Abschluss" in listed
    assert str(tandem.volunteer) in client.get(reverse("tandems:caseload")).content.decode()
    page = client.get(tandem.get_absolute_url()).content.decode()
    assert reverse("tandems:tandem_closing", args=[tandem.pk]) in page


def test_the_closing_page_records_a_conversation_and_refuses_bad_input(org, partner):
    tandem = _closing(org, partner)
    client = client_for(partner)
    url = reverse("tandems:tandem_closing", args=[tandem.pk])
    bad = client.post(url, {"side": "nobody", "held_on": TODAY.isoformat(), "channel": "phone"})
    assert bad.status_code == 200 and "gültige Auswahl" in bad.content.decode()
    assert not ExitConversation.objects.exists()
    client.post(url, {"side": "household", "held_on": TODAY.isoformat(), "channel": "phone", "notes": "Dank"})
    assert ExitConversation.objects.get().side == "household"
    end = client.post(reverse("tandems:tandem_end", args=[tandem.pk]), {"ended_on": TODAY.isoformat()})
    assert end.status_code == 200
    tandem.refresh_from_db()
    assert tandem.status == TandemStatus.CLOSING


def test_anonymising_the_tandem_blanks_the_exit_conversations(org, coordinator):
    tandem = _closing(org, coordinator)
    talk = _talk(tandem, coordinator, "volunteer", notes="Persönliches über die Familie")
    _talk(tandem, coordinator, "household")
    services.tandem_anonymise(tandem=_end(tandem, coordinator), actor=coordinator)
    talk.refresh_from_db()
    assert talk.notes == "" and talk.held_on == TODAY
