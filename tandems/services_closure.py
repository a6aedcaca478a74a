"""The writes of the structured closure (issue #20): the closure record, the exit conversations, the checks of
the end step and the closing letter. `tandems.services` calls them from `tandem_closing_start` and
`tandem_end`; nothing here imports it."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.models import User
from core.outbox import QueueResult, message_queue
from core.services import record_create, record_update
from tandems.models import (
    HOUSEHOLD_WISHES,
    STEP_FROM,
    VOLUNTEER_WISHES,
    ClosingSide,
    ExitConversation,
    IntegrationOutcome,
    NoConversationReason,
    Tandem,
    TandemClosure,
)
from tandems.participants import household_language

CLOSING_LETTER = "tandems/closing_letter"


def closure_open(*, tandem: Tandem, actor: User | None, started_on: datetime.date) -> TandemClosure:
    """The closure record of `tandem`, made when closing starts (or at a direct end); the German level at
    the start is taken from the refugee's record."""
    existing = TandemClosure.objects.filter(tandem=tandem).first()
    if existing is not None:
        return existing
    closure = TandemClosure(
        tandem=tandem, started_on=started_on, german_level_start=tandem.refugee.german_level or ""
    )
    return record_create(
        obj=closure, actor=actor, action="tandems.tandemclosure.created", fields=["started_on"]
    )


@transaction.atomic
def exit_conversation_record(
    *, tandem: Tandem, actor: User | None, side: str, held_on: datetime.date, channel: str, notes: str = ""
) -> ExitConversation:
    """One exit conversation with the volunteer or the household of a closing tandem."""
    row = Tandem.objects.select_for_update().get(pk=tandem.pk)
    if row.status not in STEP_FROM["closing"]:
        raise ValidationError(
            _("This step is not possible while the tandem is %(status)s.")
            % {"status": row.get_status_display()}
        )
    if held_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    if row.started_on and held_on < row.started_on:
        raise ValidationError(_("The exit conversation cannot be before the tandem started."))
    conversation = ExitConversation(
        tandem=row,
        side=side,
        held_on=held_on,
        channel=channel,
        notes=notes.strip(),
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    return record_create(
        obj=conversation,
        actor=actor,
        action="tandems.exitconversation.created",
        fields=["side", "held_on", "channel", "notes"],
    )


@transaction.atomic
def exit_conversation_update(
    *, conversation: ExitConversation, actor: User | None, data: dict[str, Any]
) -> ExitConversation:
    """Correct a recorded exit conversation (its date, channel or notes)."""
    row, _changes = record_update(
        obj=conversation, actor=actor, action="tandems.exitconversation.changed", data=data
    )
    return row


def exit_conversations_anonymise(*, tandem: Tandem, actor: User | None) -> None:
    """Inside the tandem's anonymisation: the notes of its exit conversations go, the dates stay."""
    for conversation in tandem.exit_conversations.exclude(notes=""):
        conversation.notes = ""
        conversation.save(update_fields=["notes", "updated_at"])
        audit_record(actor=actor, action="tandems.exitconversation.anonymised", obj=conversation)


def closure_check(
    *,
    tandem: Tandem,
    volunteer_wish: str,
    household_wish: str,
    no_conversation_reason: str,
    outcomes: Iterable[IntegrationOutcome],
    no_outcome: bool,
) -> None:
    """What the end step needs, each missing part one German message (then nothing is written): an exit
    conversation with each side or the reason why not, both sides' wishes, the outcomes (or "none")."""
    errors = []
    sides = set(ExitConversation.objects.filter(tandem=tandem).values_list("side", flat=True))
    if sides != set(ClosingSide.values) and no_conversation_reason not in NoConversationReason.values:
        errors.append(
            _("Please record the exit conversation with each side, or give the reason why there was none.")
        )
    if volunteer_wish not in VOLUNTEER_WISHES:
        errors.append(_("Please record the volunteer's wish about further contact."))
    if household_wish not in HOUSEHOLD_WISHES:
        errors.append(_("Please record the household's wish about further contact."))
    if not list(outcomes) and not no_outcome:
        errors.append(_("Please tick the outcomes reached (Wirkung), or tick that none of them was reached."))
    if errors:
        raise ValidationError(errors)


def closure_finish(
    *, tandem: Tandem, actor: User | None, ended_on: datetime.date, data: dict[str, Any]
) -> TandemClosure:
    """Store the end step's answers on the closure record (audited as one change)."""
    closure = closure_open(tandem=tandem, actor=actor, started_on=ended_on)
    outcomes = list(data.pop("outcomes"))
    row, _changes = record_update(
        obj=closure, actor=actor, action="tandems.tandemclosure.changed", data={**data, "outcomes": outcomes}
    )
    return row


def closing_letter_context(*, tandem: Tandem, first_name: str, other_first_name: str) -> dict[str, Any]:
    coordinator, organisation = tandem.coordinator, tandem.organisation
    return {
        "first_name": first_name,
        "other_first_name": other_first_name,
        "coordinator": str(coordinator) if coordinator else "",
        "organisation": organisation.name,
        "organisation_phone": organisation.phone,
        "organisation_email": organisation.email,
    }


def closing_letter_send(*, tandem: Tandem, actor: User | None) -> list[tuple[Any, QueueResult]]:
    """The closing letter to both sides through the outbox, each in their own language (the volunteer's
    preferred language, the household's language as its check-in links use it); a side without an address
    or consent gets nothing."""
    volunteer, refugee = tandem.volunteer, tandem.refugee
    results = []
    for person, other, language in (
        (volunteer, refugee, ""),  # the outbox takes the volunteer's preferred language
        (refugee, volunteer, household_language(refugee)),
    ):
        context = closing_letter_context(
            tandem=tandem, first_name=person.first_name, other_first_name=other.first_name
        )
        result = message_queue(
            template=CLOSING_LETTER,
            to=person,
            related=tandem,
            actor=actor,
            context=context,
            language=language,
        )
        results.append((person, result))
    if any(result.is_queued for _person, result in results):
        audit_record(actor=actor, action="tandems.tandem.closing_letter_queued", obj=tandem)
    return results
