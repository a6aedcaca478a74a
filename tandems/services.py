import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import audit_record, diff, snapshot
from core.jobs import defer_in_transaction
from core.models import EndReason, Organisation, User
from core.outbox import QueueResult, message_queue
from core.services import record_create, record_update
from refugees.models import CloseReason, Refugee, RefugeeStatus
from refugees.services import refugee_coordinator_set, refugee_status_change
from tandems import batch as batch_engine
from tandems import services_closure as closure
from tandems.matching import Suggestion, explain_pair
from tandems.matching.risk import assess
from tandems.models import (
    OPEN_STATUSES,
    STEP_FROM,
    AgreementText,
    BatchRun,
    BatchRunStatus,
    CheckIn,
    CheckInCadence,
    Tandem,
    TandemStatus,
    VolunteerRelease,
)
from tandems.notifications import handover_notify, referrer_notify_ended, referrer_notify_in_tandem
from tandems.participants import household_language
from tandems.selectors import cadence_active
from volunteers.models import Volunteer, VolunteerStatus
from volunteers.services import volunteer_status_change

CAPACITY_TRIGGER = "tandem_volunteer_capacity_exceeded"
# the closure's steps (tandems/services_closure.py), reached from here like every other step
exit_conversation_record = closure.exit_conversation_record
exit_conversation_update = closure.exit_conversation_update


def _capacity_message(volunteer: Volunteer) -> str:
    return _("%(name)s has no free place for another tandem (%(capacity)d at once).") % {
        "name": volunteer,
        "capacity": volunteer.capacity,
    }


def _save_guarded(tandem: Tandem, volunteer: Volunteer, **kwargs: Any) -> None:
    """Save in a savepoint: the capacity trigger and the one-open-tandem index raise IntegrityError, which
    becomes the same clear message as the service's own check."""
    try:
        with transaction.atomic():
            tandem.save(**kwargs)
    except IntegrityError as exc:
        if CAPACITY_TRIGGER in str(exc):
            raise ValidationError(_capacity_message(volunteer)) from exc
        if "one_open_tandem_per_refugee" in str(exc):
            raise ValidationError(_("This person already has an open tandem.")) from exc
        raise


@transaction.atomic
def tandem_propose(
    *,
    volunteer: Volunteer,
    refugee: Refugee,
    actor: User | None,
    coordinator: User | None = None,
    notes: str = "",
    suggestion: Suggestion | None = None,
    mode: str = "suggestion",
) -> Tandem:
    """Propose a pair. The volunteer row is locked first, so two coordinators proposing the last free place
    at once are served one after the other: the second gets a clear message (and the database trigger
    refuses it even if this check were skipped). The refugee stays on the waiting list (their waiting time
    keeps counting) until the introduction; the open tandem keeps them out of other suggestions."""
    locked_volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    locked_refugee = Refugee.objects.select_for_update().get(pk=refugee.pk)
    if locked_refugee.status != RefugeeStatus.WAITING:
        raise ValidationError(_("Only a person waiting for a tandem can be proposed."))
    if Tandem.objects.filter(refugee=locked_refugee, status__in=OPEN_STATUSES).exists():
        raise ValidationError(_("This person already has an open tandem."))
    taken = Tandem.objects.filter(volunteer=locked_volunteer, status__in=OPEN_STATUSES).count()
    if taken >= locked_volunteer.capacity:
        raise ValidationError(_capacity_message(locked_volunteer))
    suggestion = suggestion or explain_pair(refugee=locked_refugee, volunteer=locked_volunteer, user=actor)
    if suggestion.risk is None:  # a batch pair: its risk at match time is stored with it too
        suggestion.risk = assess([(suggestion.refugee, suggestion.volunteer)], timezone.localdate())[0]
    if suggestion.blocked:
        raise ValidationError(
            _("This pair breaks a rule: %(reasons)s.") % {"reasons": "; ".join(suggestion.blocked)}
        )
    tandem = Tandem(
        organisation=locked_refugee.organisation,
        volunteer=locked_volunteer,
        refugee=locked_refugee,
        coordinator=coordinator or (actor if actor is not None and actor.is_authenticated else None),
        proposed_by=actor if actor is not None and actor.is_authenticated else None,
        proposed_on=timezone.localdate(),
        notes=notes,
        match_explanation=suggestion.as_record(decided_by=actor, mode=mode),
    )
    return record_create(
        obj=tandem,
        actor=actor,
        action="tandems.tandem.created",
        fields=["volunteer", "refugee", "status", "coordinator", "notes"],
        save=lambda row: _save_guarded(row, locked_volunteer),
    )


def _transition(
    tandem: Tandem, *, allowed_from: Iterable[str], actor: User | None, verb: str, **values: Any
) -> Tandem:
    def checked(row: Tandem) -> dict[str, Any]:
        if row.status not in allowed_from:
            raise ValidationError(
                _("This step is not possible while the tandem is %(status)s.")
                % {"status": row.get_status_display()}
            )
        return values

    row, _changes = record_update(
        obj=tandem,
        actor=actor,
        action=f"tandems.tandem.{verb}",
        data=checked,
        lock=Tandem.objects.select_related("volunteer", "refugee"),
        save=lambda row, fields: _save_guarded(row, row.volunteer, update_fields=fields),
    )
    return row


LETTER_TEMPLATE = "tandems/introduction_letter"


def introduction_letter_context(*, tandem: Tandem) -> dict[str, Any]:
    """Plain values only (stored with the message): the letter joins names, never model objects."""
    refugee = tandem.refugee
    coordinator = tandem.coordinator
    return {
        "volunteer_first_name": tandem.volunteer.first_name,
        "refugee_first_name": refugee.first_name,
        "adults": refugee.adults_count,
        "children": refugee.children_count,
        "district": str(refugee.district) if refugee.district else "",
        "languages": ", ".join(sorted(str(language) for language in refugee.languages.all())),
        "german_level": refugee.get_german_level_display() if refugee.german_level else "–",
        "needs": ", ".join(sorted(str(need) for need in refugee.needs.all())),
        "coordinator": str(coordinator) if coordinator else "",
        "coordinator_email": coordinator.email if coordinator else "",
    }


def _letter_context_german(tandem: Tandem) -> dict[str, Any]:
    # the letter goes out in German (volunteers have no other language yet), whatever the staff page uses
    with translation.override(settings.LANGUAGE_CODE):
        return introduction_letter_context(tandem=tandem)


AGREEMENT_TEMPLATE = "tandems/agreement"


def agreement_context(*, tandem: Tandem) -> dict[str, Any]:
    """The tandem agreement's plain values (stored with a message as they are): the two first names, the
    meetings and activities planned at the introduction, whom to call, the programme's ground rules (the
    newest `AgreementText`)."""
    coordinator, organisation = tandem.coordinator, tandem.organisation
    rules = AgreementText.objects.order_by("-version").first()
    return {
        "volunteer_first_name": tandem.volunteer.first_name,
        "refugee_first_name": tandem.refugee.first_name,
        "frequency": tandem.get_planned_frequency_display() if tandem.planned_frequency else "",
        "activities": [str(area) for area in tandem.planned_activities.order_by("sort_order", "pk")],
        "coordinator": str(coordinator) if coordinator else "",
        "coordinator_email": coordinator.email if coordinator else "",
        "organisation": organisation.name,
        "organisation_phone": organisation.phone,
        "organisation_email": organisation.email,
        "ground_rules": [
            line.strip() for line in (rules.ground_rules if rules else "").splitlines() if line.strip()
        ],
        "version": rules.version if rules else None,
    }


@transaction.atomic
def tandem_agreement_send(*, tandem: Tandem, actor: User | None) -> list[tuple[Any, QueueResult]]:
    """Queue the agreement for both sides, each in their language (the volunteer's preferred language, the
    household's first language the pages speak); a side without an address or that withdrew consent gets
    nothing, and the result says so."""
    results = []
    for person, language in (
        (tandem.volunteer, tandem.volunteer.preferred_language),
        (tandem.refugee, household_language(tandem.refugee)),
    ):
        with translation.override(language or settings.LANGUAGE_CODE):
            context = agreement_context(tandem=tandem)  # the meeting frequency's words in that language
        result = message_queue(
            template=AGREEMENT_TEMPLATE,
            to=person,
            related=tandem,
            actor=actor,
            language=language or settings.LANGUAGE_CODE,
            context=context,
        )
        results.append((person, result))
    if any(result.is_queued for _person, result in results):
        audit_record(actor=actor, action="tandems.tandem.agreement_queued", obj=tandem)
    return results


def introduction_letter(*, tandem: Tandem) -> str:
    """The letter that introduces the household to the volunteer (only what the volunteer needs)."""
    return render_to_string(f"{LETTER_TEMPLATE}.txt", introduction_letter_context(tandem=tandem))


@transaction.atomic
def tandem_introduce(
    *,
    tandem: Tandem,
    actor: User | None,
    introduced_on: datetime.date,
    send_letter: bool = False,
    planned_frequency: str = "",
    planned_activities: Iterable = (),
) -> Tandem:
    """The volunteer and the household have been introduced to each other; the refugee leaves the waiting
    list. The introduction letter is queued in the outbox for the volunteer when asked; when it cannot be
    (no address, consent withdrawn) the introduction still counts and `row.letter_notice` says why."""
    if introduced_on < tandem.proposed_on:
        raise ValidationError(_("The introduction cannot be before the proposal."))
    row = _transition(
        tandem,
        allowed_from=STEP_FROM["introduce"],
        actor=actor,
        verb="introduced",
        status=TandemStatus.INTRODUCED,
        introduced_on=introduced_on,
        planned_frequency=planned_frequency,
    )
    row.planned_activities.set(planned_activities)
    refugee_status_change(refugee=row.refugee, status=RefugeeStatus.IN_TANDEM, actor=actor)
    referrer_notify_in_tandem(tandem=row, actor=actor)
    row.letter_notice = ""
    if send_letter:
        result = message_queue(
            template=LETTER_TEMPLATE,
            to=row.volunteer,
            related=row,
            actor=actor,
            context=_letter_context_german(row),
        )
        if result.is_queued:
            audit_record(actor=actor, action="tandems.tandem.letter_queued", obj=row)
        row.letter_notice = result.notice
    return row


def next_checkin_on(
    *, started_on: datetime.date, after: datetime.date, cadence: CheckInCadence
) -> datetime.date:
    """The first date of the cadence that lies after `after`: by default two weeks after the start, then
    every 30 days while the first 12 months last (early phase), then every 91 days (later phase)."""
    due = started_on + datetime.timedelta(days=cadence.first_after_days)
    early_end = started_on + datetime.timedelta(days=cadence.early_period_days)
    while due <= after:
        step = cadence.early_interval_days if due < early_end else cadence.later_interval_days
        due += datetime.timedelta(days=step)
    return due


def _plan_next_checkin(tandem: Tandem, *, after: datetime.date, actor: User | None) -> CheckIn | None:
    if tandem.status != TandemStatus.ACTIVE or tandem.started_on is None:
        return None
    if CheckIn.objects.filter(tandem=tandem, held_on__isnull=True).exists():
        return None
    planned = CheckIn.objects.create(
        tandem=tandem,
        planned_on=next_checkin_on(started_on=tandem.started_on, after=after, cadence=cadence_active()),
    )
    audit_record(
        actor=actor,
        action="tandems.checkin.created",
        obj=planned,
        changes={"planned_on": [None, planned.planned_on.isoformat()]},
    )
    return planned


def _drop_planned_checkins(tandem: Tandem, *, actor: User | None) -> None:
    for planned in CheckIn.objects.filter(tandem=tandem, held_on__isnull=True):
        audit_record(actor=actor, action="tandems.checkin.deleted", obj=planned)
        planned.delete()


@transaction.atomic
def tandem_start(*, tandem: Tandem, actor: User | None, started_on: datetime.date) -> Tandem:
    """The tandem meets regularly: the volunteer becomes active and the first check-in is planned."""
    row = _transition(
        tandem,
        allowed_from=STEP_FROM["start"],
        actor=actor,
        verb="started",
        status=TandemStatus.ACTIVE,
        started_on=started_on,
    )
    if row.volunteer.status != VolunteerStatus.ACTIVE:
        volunteer_status_change(
            volunteer=row.volunteer, status=VolunteerStatus.ACTIVE, actor=actor, note=str(row)
        )
    _plan_next_checkin(row, after=started_on, actor=actor)
    return row


def _other_open_tandems(row: Tandem) -> bool:
    return (
        Tandem.objects.filter(volunteer=row.volunteer, status__in=OPEN_STATUSES).exclude(pk=row.pk).exists()
    )


@transaction.atomic
def tandem_closing_start(*, tandem: Tandem, actor: User | None) -> Tandem:
    """Closing begins (issue #20): the exit conversations are held next, then the end. The tandem still
    holds the volunteer's place and the refugee's one open tandem; the planned check-in is dropped."""
    row = _transition(
        tandem,
        allowed_from=STEP_FROM["start_closing"],
        actor=actor,
        verb="closing_started",
        status=TandemStatus.CLOSING,
    )
    _drop_planned_checkins(row, actor=actor)
    closure.closure_open(tandem=row, actor=actor, started_on=timezone.localdate())
    return row


@transaction.atomic
def tandem_end(
    *,
    tandem: Tandem,
    actor: User | None,
    ended_on: datetime.date,
    end_reason: EndReason,
    volunteer_wants_new: bool,
    refugee_needs_new: bool,
    closing_notes: str = "",
    volunteer_wish: str = "",
    household_wish: str = "",
    no_conversation_reason: str = "",
    cooloff_until: datetime.date | None = None,
    outcomes: Iterable = (),
    no_outcome: bool = False,
    german_level_start: str = "",
    german_level_end: str = "",
    send_letter: bool = False,
) -> Tandem:
    """End a closing (or, when it broke off, an active) tandem with a reason, the exit conversations (or why
    there were none), both sides' wishes and the outcomes reached (`services_closure.closure_check`).
    Ended tandems are kept, not deleted: grant reports count them. The volunteer goes back to the pool
    (trained; not suggested before `cooloff_until`) when they want a new tandem, or pauses; the refugee
    goes back to the waiting list when they still need one, or is closed."""
    outcomes = list(outcomes)
    closure.closure_check(
        tandem=tandem,
        volunteer_wish=volunteer_wish,
        household_wish=household_wish,
        no_conversation_reason=no_conversation_reason,
        outcomes=outcomes,
        no_outcome=no_outcome,
    )
    row = _transition(
        tandem,
        allowed_from=STEP_FROM["end"],
        actor=actor,
        verb="ended",
        status=TandemStatus.ENDED,
        ended_on=ended_on,
        end_reason=end_reason,
        closing_notes=closing_notes,
        volunteer_wants_new=volunteer_wants_new,
        refugee_needs_new=refugee_needs_new,
    )
    closure.closure_finish(
        tandem=row,
        actor=actor,
        ended_on=ended_on,
        data={
            "volunteer_wish": volunteer_wish,
            "household_wish": household_wish,
            "no_conversation_reason": no_conversation_reason,
            "cooloff_until": cooloff_until if volunteer_wants_new else None,
            "outcomes": outcomes,
            "no_outcome": no_outcome and not outcomes,
            "german_level_start": german_level_start,
            "german_level_end": german_level_end,
        },
    )
    _drop_planned_checkins(row, actor=actor)
    _end_people(row, actor=actor)
    referrer_notify_ended(tandem=row, actor=actor)
    row.letter_notice = ""
    if send_letter:
        notices = [
            f"{person}: {result.notice}"
            for person, result in closure.closing_letter_send(tandem=row, actor=actor)
            if not result.is_queued
        ]
        row.letter_notice = " ".join(notices)
    return row


def _end_people(row: Tandem, *, actor: User | None) -> None:
    if not _other_open_tandems(row) and row.volunteer.status in {
        VolunteerStatus.ACTIVE,
        VolunteerStatus.TRAINED,
    }:
        volunteer_status_change(
            volunteer=row.volunteer,
            status=VolunteerStatus.TRAINED if row.volunteer_wants_new else VolunteerStatus.PAUSED,
            actor=actor,
            note=str(row),
        )
    if row.refugee_needs_new:
        refugee_status_change(refugee=row.refugee, status=RefugeeStatus.WAITING, actor=actor)
    else:
        close_reason = CloseReason.MOVED if row.end_reason.code == "moved" else CloseReason.NO_LONGER_NEEDED
        refugee_status_change(
            refugee=row.refugee, status=RefugeeStatus.CLOSED, actor=actor, close_reason=close_reason
        )


@transaction.atomic
def tandem_not_started(*, tandem: Tandem, actor: User | None, reason: str) -> Tandem:
    """A proposed (or introduced) pair does not start: the refugee waits again, the volunteer's place is
    free again."""
    row = _transition(
        tandem,
        allowed_from=STEP_FROM["not_started"],
        actor=actor,
        verb="not_started",
        status=TandemStatus.NOT_STARTED,
        not_started_reason=reason.strip(),
    )
    _drop_planned_checkins(row, actor=actor)
    if row.refugee.status == RefugeeStatus.IN_TANDEM:
        refugee_status_change(refugee=row.refugee, status=RefugeeStatus.WAITING, actor=actor)
    return row


def tandem_update(*, tandem: Tandem, actor: User | None, data: dict[str, Any]) -> Tandem:
    row, _changes = record_update(obj=tandem, actor=actor, action="tandems.tandem.changed", data=data)
    return row


@transaction.atomic
def tandems_hand_over(*, tandems: Iterable[Tandem], to_coordinator: User, actor: User | None) -> int:
    """Give tandems to a colleague (holiday, leaving, rebalancing caseloads); each move is audited. For an
    open tandem the colleague also becomes responsible for the refugee's referral, so that the referrer is
    shown the person who now looks after the tandem."""
    moved = 0
    for tandem in tandems:
        row, changes = record_update(
            obj=tandem, actor=actor, action="tandems.tandem.handed_over", data={"coordinator": to_coordinator}
        )
        if not changes:
            continue
        if row.is_open:
            refugee_coordinator_set(refugee=row.refugee, coordinator=to_coordinator, actor=actor)
        moved += 1
    handover_notify(to_coordinator=to_coordinator, count=moved, actor=actor)
    return moved


@transaction.atomic
def tandem_anonymise(*, tandem: Tandem, actor: User | None) -> Tandem:
    """Blank the tandem's own free texts and those of its check-ins; the dates and reasons stay for the
    statistics. Only a closed tandem (ended or not started) can be anonymised."""
    row = Tandem.objects.select_for_update().get(pk=tandem.pk)
    if row.is_open:
        raise ValidationError(_("An open tandem cannot be anonymised."))
    for name in Tandem.PERSONAL_FIELDS:
        setattr(row, name, "")
    if row.status == TandemStatus.NOT_STARTED:
        row.not_started_reason = "-"  # the constraint wants a reason; its words were personal
    row.anonymised_at = timezone.now()
    row.save()
    for checkin in row.checkins.all():
        checkin.topics = ""
        checkin.follow_up = ""
        checkin.save(update_fields=["topics", "follow_up", "updated_at"])
        audit_record(actor=actor, action="tandems.checkin.anonymised", obj=checkin)
    for hours_log in row.hours_logs.exclude(note=""):
        hours_log.note = ""
        hours_log.save(update_fields=["note", "updated_at"])
        audit_record(actor=actor, action="tandems.hourslog.anonymised", obj=hours_log)
    closure.exit_conversations_anonymise(tandem=row, actor=actor)
    audit_record(actor=actor, action="tandems.tandem.anonymised", obj=row)
    return row


CHECKIN_FIELDS = ("held_on", "channel", "contact_with", "mood", "topics", "follow_up", "follow_up_on")


@transaction.atomic
def checkin_log(
    *, tandem: Tandem, actor: User | None, data: dict[str, Any], fulfils_plan: bool = True
) -> CheckIn:
    """Log a contact. When it counts as the planned check-in, that one is filled in and the next one is
    planned from the cadence; otherwise it is an extra contact and the plan stays."""
    row = Tandem.objects.select_for_update().get(pk=tandem.pk)
    if row.status not in STEP_FROM["log_contact"]:
        raise ValidationError(_("Contacts are logged for introduced and active tandems only."))
    if data["held_on"] > timezone.localdate():
        raise ValidationError(_("A contact cannot be logged for a date in the future."))
    planned = CheckIn.objects.filter(tandem=row, held_on__isnull=True).first() if fulfils_plan else None
    checkin = planned or CheckIn(tandem=row)
    before = snapshot(checkin, CHECKIN_FIELDS) if planned else {}
    for name in CHECKIN_FIELDS:
        setattr(checkin, name, data.get(name) or ("" if name not in {"held_on", "follow_up_on"} else None))
    checkin.recorded_by = actor if actor is not None and actor.is_authenticated else None
    checkin.full_clean()
    checkin.save()
    audit_record(
        actor=actor,
        action="tandems.checkin.changed" if planned else "tandems.checkin.created",
        obj=checkin,
        changes=diff(before, snapshot(checkin, CHECKIN_FIELDS)),
    )
    if planned:
        _plan_next_checkin(
            row, after=max(checkin.held_on, planned.planned_on or checkin.held_on), actor=actor
        )
    return checkin


def _lock_tandem_of(checkin: CheckIn) -> None:
    """Lock the tandem before its check-in: every write of a check-in also updates the tandem's stored
    check-in summary (database trigger), and `checkin_log` locks the tandem first; taking the locks in the
    same order keeps two concurrent writes from deadlocking."""
    Tandem.objects.select_for_update().filter(pk=checkin.tandem_id).values_list("pk", flat=True).first()


@transaction.atomic
def checkin_update(*, checkin: CheckIn, actor: User | None, data: dict[str, Any]) -> CheckIn:
    _lock_tandem_of(checkin)
    row, _changes = record_update(obj=checkin, actor=actor, action="tandems.checkin.changed", data=data)
    return row


@transaction.atomic
def checkin_delete(*, checkin: CheckIn, actor: User | None) -> None:
    """Remove a contact logged by mistake (a planned check-in is never removed this way)."""
    if checkin.held_on is None:
        raise ValidationError(_("A planned check-in cannot be deleted."))
    _lock_tandem_of(checkin)
    audit_record(actor=actor, action="tandems.checkin.deleted", obj=checkin)
    checkin.delete()


@transaction.atomic
def volunteer_release_set(
    *, volunteer: Volunteer, organisation: Organisation, released: bool, actor: User | None
) -> VolunteerRelease | None:
    """The FWZ releases one of its volunteers to a partner (or takes the release back)."""
    if volunteer.organisation.kind != "fwz":
        raise ValidationError(_("Only volunteers of the FWZ can be released to partners."))
    existing = VolunteerRelease.objects.filter(volunteer=volunteer, organisation=organisation).first()
    if released and existing is None:
        release = VolunteerRelease.objects.create(
            volunteer=volunteer,
            organisation=organisation,
            released_by=actor if actor is not None and actor.is_authenticated else None,
        )
        audit_record(
            actor=actor,
            action="tandems.volunteerrelease.created",
            obj=release,
            changes={"organisation": [None, str(organisation)]},
        )
        return release
    if not released and existing is not None:
        audit_record(actor=actor, action="tandems.volunteerrelease.deleted", obj=existing)
        existing.delete()
    return existing if released else None


@transaction.atomic
def tandems_batch_propose(
    *,
    pairs: list[tuple[Refugee, Volunteer]],
    actor: User | None,
    suggestions: dict[tuple[int, int], Suggestion],
) -> list[Tandem]:
    """Turn the ticked pairs of a batch proposal into proposed tandems: all of them or, if one fails
    (someone else was quicker), none."""
    return [
        tandem_propose(
            volunteer=volunteer,
            refugee=refugee,
            actor=actor,
            suggestion=suggestions.get((refugee.pk, volunteer.pk)),
            mode="batch",
        )
        for refugee, volunteer in pairs
    ]


# the unmatched volunteers a run keeps by id (their number is kept too); the page lists as many
BATCH_UNMATCHED_KEPT = 200
# a run still queued or running after this long is taken as abandoned (a worker died): a new one may start
BATCH_RUN_ABANDONED_AFTER = datetime.timedelta(minutes=15)


@transaction.atomic
def batch_run_start(*, user: User, scope: str, language: str) -> tuple[BatchRun, bool]:
    """Queue the computation of the batch proposal for `user` in `scope` (a job, `batch_run_compute`), unless
    one is already queued or running: (the run, whether it is new). The user's earlier runs in the scope go;
    the last one's duration is kept to estimate the new run's progress. No personal data is written (ids and
    scores only), so there is no audit entry; the tandems proposed from a run are audited."""
    from tandems.tasks import batch_run_compute_task

    runs = list(
        BatchRun.objects.select_for_update().filter(created_by=user, scope=scope).order_by("-created_at")
    )
    since = timezone.now() - BATCH_RUN_ABANDONED_AFTER
    pending = next((run for run in runs if run.is_pending and run.created_at > since), None)
    if pending:
        return pending, False
    expected = next(
        (run.result.get("seconds_total") for run in runs if run.status == BatchRunStatus.DONE), None
    )
    BatchRun.objects.filter(pk__in=[run.pk for run in runs]).delete()
    run = BatchRun.objects.create(
        created_by=user,
        scope=scope,
        language=language,
        result={"expected_seconds": expected} if expected else {},
    )
    defer_in_transaction(batch_run_compute_task, {"run_id": run.pk})
    return run, True


def batch_run_compute(*, run_id: int) -> str:
    """The job's work: compute the batch proposal as the run's user sees it and store it. Each step is
    committed on its own, so the page can show the progress while the run goes on."""
    run = (
        BatchRun.objects.select_related("created_by").filter(pk=run_id, status=BatchRunStatus.QUEUED).first()
    )
    if run is None:
        return "no such run waiting"
    started = timezone.now()
    BatchRun.objects.filter(pk=run_id).update(status=BatchRunStatus.RUNNING, started_at=started, progress=5)
    try:
        with translation.override(run.language):
            result = batch_engine.batch_proposal(user=run.created_by)
    except Exception:
        BatchRun.objects.filter(pk=run_id).update(status=BatchRunStatus.FAILED, finished_at=timezone.now())
        raise
    finished = timezone.now()
    data = {
        "pairs": [[p.refugee.pk, p.volunteer.pk, round(p.score, 4)] for p in result.pairs],
        "optimal_total": result.optimal_total,
        "greedy_total": result.greedy_total,
        "greedy_count": result.greedy_count,
        "refugee_count": result.refugee_count,
        "place_count": result.place_count,
        "waiting_total": result.waiting_total,
        "seconds": result.seconds,
        "seconds_total": (finished - started).total_seconds(),
        "unmatched_refugees": [[r.pk, str(reason)] for r, reason in result.unmatched_refugees],
        "unmatched_volunteers": [
            [v.pk, str(reason)] for v, reason in result.unmatched_volunteers[:BATCH_UNMATCHED_KEPT]
        ],
        "unmatched_volunteer_count": len(result.unmatched_volunteers),
    }
    BatchRun.objects.filter(pk=run_id).update(
        status=BatchRunStatus.DONE, finished_at=finished, progress=100, result=data
    )
    return f"{len(result.pairs)} pairs"
